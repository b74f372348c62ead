import { timingSafeEqual } from "node:crypto";

/**
 * Whether the digest the front-end SDK reported matches the server's `result.digest`, compared
 * case-insensitively (the digests are hex) and in constant time. A mismatch means the result the
 * front end saw is not the one the service recorded: do not accept it.
 *
 * @param clientDigest - The digest reported by the front end (untrusted input).
 * @param serverDigest - `result.digest` of the attempt, e.g. `summary.digest`.
 * @returns False, without throwing, when either digest is missing or empty or their lengths differ.
 *
 * @example
 * ```ts
 * const summary = summarizeLivenessSession(session);
 * if (!isDigestMatch(digestFromFrontEnd, summary.digest)) throw new Error("Digest mismatch");
 * ```
 */
export function isDigestMatch(clientDigest: string | undefined | null, serverDigest: string | undefined | null): boolean {
  if (typeof clientDigest !== "string" || typeof serverDigest !== "string") return false;
  const client = Buffer.from(clientDigest.toLowerCase(), "utf8");
  const server = Buffer.from(serverDigest.toLowerCase(), "utf8");
  if (client.length === 0 || client.length !== server.length) return false;
  return timingSafeEqual(client, server);
}
