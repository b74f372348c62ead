import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Who may use the console: whoever knows the emulator key, or opens a one-time login link. Both
 * are exchanged for a random sign-in cookie (HttpOnly, SameSite=Strict); the server keeps only
 * hashes of the cookies and of the unused links.
 */

/** Unused one-time links kept at once; the oldest is forgotten first. */
export const MAX_LOGIN_CODES = 16;
/** Signed-in browsers kept at once; the oldest is signed out first. */
export const MAX_CONSOLE_SIGN_INS = 64;

const hash = (value: string): string => createHash("sha256").update(value).digest("base64url");

function remember(set: Set<string>, value: string, max: number): void {
  set.add(value);
  if (set.size > max) set.delete(set.values().next().value!);
}

/** Sign-in state of one console. */
export class ConsoleAuth {
  readonly #key: string;
  readonly #codes = new Set<string>();
  readonly #signIns = new Set<string>();

  /** @param key - The emulator key, accepted on the sign-in form. */
  constructor(key: string) {
    this.#key = key;
  }

  /** A new one-time login code. */
  createCode(): string {
    const code = randomBytes(24).toString("base64url");
    remember(this.#codes, hash(code), MAX_LOGIN_CODES);
    return code;
  }

  /** Uses up `code`; true when it was an unused code of this console. */
  redeemCode(code: string): boolean {
    return this.#codes.delete(hash(code));
  }

  /** Whether `key` is the emulator key (constant time). */
  isKey(key: string): boolean {
    const a = Buffer.from(hash(key));
    const b = Buffer.from(hash(this.#key));
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Signs a browser in: returns the cookie value. */
  signIn(): string {
    const value = randomBytes(32).toString("base64url");
    remember(this.#signIns, hash(value), MAX_CONSOLE_SIGN_INS);
    return value;
  }

  /** Whether the cookie value belongs to a signed-in browser. */
  isSignedIn(value: string | undefined): boolean {
    return value !== undefined && this.#signIns.has(hash(value));
  }

  /** Signs the browser of this cookie value out. */
  signOut(value: string | undefined): void {
    if (value !== undefined) this.#signIns.delete(hash(value));
  }
}
