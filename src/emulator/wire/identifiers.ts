import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";

/**
 * Identifiers and digests in the formats the recordings show: session ids are lower-case UUIDs,
 * `sessionImageId`s 44 base64url characters, `digest`s 64 upper-case hex digits, and session
 * tokens ES256 JWTs whose header is `{"alg":"ES256","kid":"key1","typ":"JWT"}` (recorded on
 * v1.3-preview.1; the v1.2 recordings sanitise the token).
 */

/** A new session id. */
export function newSessionId(): string {
  return randomUUID();
}

/** A new session image id: 33 random bytes, base64url (44 characters). */
export function newSessionImageId(): string {
  return randomBytes(33).toString("base64url");
}

/** Upper-case hex SHA-256 of `data`, the format of `digest` and `verifyImageHash`. */
export function upperHexSha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex").toUpperCase();
}

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: "ES256", kid: "key1", typ: "JWT" })).toString("base64url");

let signingKey: KeyObject | undefined;

function key(): KeyObject {
  signingKey ??= generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  return signingKey;
}

/**
 * A new session token: an ES256 JWT (signed with a P-256 key made when the first token is
 * issued) with the recorded tokens' structural claims: `sid` (the session id), `aud`
 * `urn:ms.faceSessionToken`, `iss` `urn:ms.cognitiveservices`, `iat` and `exp` (`iat` + the
 * token's lifetime). The resource claims of the service's tokens (region, subscription,
 * allowed paths with their quotas) are not reproduced. The emulator never reads a token back:
 * it looks tokens up as opaque strings.
 *
 * @param sessionId - The session the token is for.
 * @param issuedAtMs - Emulator clock, epoch milliseconds.
 * @param lifetimeSeconds - `authTokenTimeToLiveInSeconds`.
 */
export function newSessionToken(sessionId: string, issuedAtMs: number, lifetimeSeconds: number): string {
  const iat = Math.floor(issuedAtMs / 1000);
  const claims = { sid: sessionId, aud: "urn:ms.faceSessionToken", exp: iat + lifetimeSeconds, iat, iss: "urn:ms.cognitiveservices" };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = sign("sha256", Buffer.from(`${JWT_HEADER}.${payload}`), { key: key(), dsaEncoding: "ieee-p1363" });
  return `${JWT_HEADER}.${payload}.${signature.toString("base64url")}`;
}
