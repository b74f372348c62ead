/** What a scrubbed secret is replaced with (the word core's log sanitizer uses). */
export const SCRUBBED = "REDACTED";

/** Secrets shorter than this are not scrubbed: they would match ordinary text. */
export const MIN_SECRET_LENGTH = 8;

/** Most secrets one client remembers; the oldest is forgotten first. */
export const MAX_KNOWN_SECRETS = 1024;

/** Fields of returned objects that hold a token: sessions and client-assets tokens. */
const TOKEN_FIELDS = ["authToken", "accessToken", "base64AccessToken"] as const;

const MAX_SCRUB_DEPTH = 32;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The secrets one client knows: the API key and bearer tokens it sent, and the session and
 * client-assets tokens it received. {@link KnownSecrets.scrub} replaces each of them (in any
 * letter case, and URL-encoded) with `REDACTED`, so whatever a server echoes back cannot carry
 * them into an error or a log line. Bounded: at most {@link MAX_KNOWN_SECRETS}, least recently
 * seen forgotten first.
 */
export class KnownSecrets {
  /** Every secret form, in the order last seen, with its case-insensitive pattern. */
  readonly #patterns = new Map<string, RegExp>();
  /** Secret forms by their first {@link MIN_SECRET_LENGTH} characters in lower case: one pass finds candidates. */
  readonly #byPrefix = new Map<string, Set<string>>();

  /** The value added last: the credential is added again on every request, at no cost. */
  #newest: string | undefined;

  /** Remembers `value` (and its URL-encoded form) when it is a string long enough to be a secret. */
  add(value: unknown): void {
    if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || value === this.#newest) return;
    this.#newest = value;
    for (const form of new Set([value, encodeURIComponent(value)])) {
      const pattern = this.#patterns.get(form) ?? new RegExp(escapeRegExp(form), "gi");
      this.#forget(form);
      this.#patterns.set(form, pattern);
      const prefix = form.slice(0, MIN_SECRET_LENGTH).toLowerCase();
      const forms = this.#byPrefix.get(prefix) ?? new Set<string>();
      this.#byPrefix.set(prefix, forms.add(form));
    }
    while (this.#patterns.size > MAX_KNOWN_SECRETS) this.#forget(this.#patterns.keys().next().value as string);
  }

  #forget(form: string): void {
    if (!this.#patterns.delete(form)) return;
    const prefix = form.slice(0, MIN_SECRET_LENGTH).toLowerCase();
    const forms = this.#byPrefix.get(prefix);
    forms?.delete(form);
    if (forms?.size === 0) this.#byPrefix.delete(prefix);
  }

  /** Remembers the credential a request carries: `Ocp-Apim-Subscription-Key`, or the bearer token. */
  addCredentialOf(headers: { get(name: string): string | undefined } | undefined): void {
    this.add(headers?.get("ocp-apim-subscription-key"));
    // The token after the scheme ("Bearer <token>"), or the whole value when there is none.
    this.add(headers?.get("authorization")?.replace(/^\s*\S+\s+/, ""));
  }

  /** Remembers the tokens of a value the client returns (`authToken`, `accessToken`, `base64AccessToken`). */
  addTokensOf(value: unknown): void {
    if (typeof value !== "object" || value === null) return;
    for (const field of TOKEN_FIELDS) this.add((value as Record<string, unknown>)[field]);
  }

  /** `text` with every known secret replaced by `REDACTED`. */
  scrub(text: string): string {
    if (this.#patterns.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const lower = text.toLowerCase();
    // Lower-casing can change the length of some non-ASCII text: then try every secret.
    const candidates = lower.length === text.length ? new Set<string>() : new Set(this.#patterns.keys());
    for (let i = 0; candidates.size < this.#patterns.size && i + MIN_SECRET_LENGTH <= lower.length; i++) {
      const forms = this.#byPrefix.get(lower.slice(i, i + MIN_SECRET_LENGTH));
      if (forms !== undefined) for (const form of forms) candidates.add(form);
    }
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const form of [...candidates].sort((a, b) => b.length - a.length)) out = out.replace(this.#patterns.get(form)!, SCRUBBED);
    return out;
  }

  /** A copy of `value` with every string (keys included) scrubbed; cycles and deep nesting are cut. */
  scrubDeep(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
    if (typeof value === "string") return this.scrub(value);
    if (typeof value !== "object" || value === null) return value;
    if (seen.has(value) || depth >= MAX_SCRUB_DEPTH) return "[Truncated]";
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.scrubDeep(item, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[this.scrub(key)] = this.scrubDeep(item, depth + 1, seen);
    return copy;
  }
}
