import { parseIpRange } from "./ipAddress.js";

/**
 * Client-side checks run before any byte is sent. Each failure names the parameter and the
 * allowed values. Type errors are `TypeError`, out-of-range values `RangeError`.
 */

const ID_MAX_LENGTH = 256;
/** URL-safe ASCII without path, query or fragment delimiters, `%`, `\` or spaces. */
const ID_PATTERN = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `a string of length ${value.length}`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** `(got …).`, followed by what the range rests on when a service rule is checked. */
function ending(value: unknown, basis: string | undefined): string {
  return basis === undefined ? ` (got ${describe(value)}).` : ` (got ${describe(value)}): ${basis}.`;
}

/**
 * Checks an optional integer in `[min, max]`; `null` counts as absent. For a value the service
 * receives, `basis` says what the range rests on (what the service documents or was recorded
 * doing): the client refuses nothing the service is shown to accept.
 */
export function checkInteger(name: string, value: unknown, min: number, max: number, basis?: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const message = `${name} must be an integer from ${min} to ${max}${ending(value, basis)}`;
    throw typeof value === "number" ? new RangeError(message) : new TypeError(message);
  }
}

/** Checks an optional finite number in `[min, max]`; `null` counts as absent; `basis` as for {@link checkInteger}. */
export function checkNumber(name: string, value: unknown, min: number, max: number, basis?: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    const message = `${name} must be a number from ${min} to ${max}${ending(value, basis)}`;
    throw typeof value === "number" ? new RangeError(message) : new TypeError(message);
  }
}

/** Checks an optional boolean; `null` counts as absent. */
export function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== "boolean") {
    throw new TypeError(`${name} must be true or false (got ${describe(value)}).`);
  }
}

/**
 * Checks an optional non-empty string without control characters (never echoes the value);
 * `null` counts as absent.
 */
export function checkString(name: string, value: unknown, required = false): void {
  if ((value === undefined || value === null) && !required) return;
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string (got ${describe(value)}).`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new TypeError(`${name} must not contain control characters.`);
  }
}

/** Checks that `value` is a plain object of parameters. */
export function checkObject(name: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object (got ${describe(value)}).`);
  }
}

/**
 * Checks a session or session image id and returns it encoded as one path segment. Ids are
 * printable URL-safe ASCII (at most 256 characters); `.`, `..`, `/`, `\`, `?`, `#`, `%`, spaces,
 * control and non-ASCII characters are refused.
 */
export function checkId(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string (got ${describe(value)}).`);
  }
  if (value.length > ID_MAX_LENGTH) {
    throw new RangeError(`${name} must be at most ${ID_MAX_LENGTH} characters (got ${value.length}).`);
  }
  if (value === "." || value === ".." || !ID_PATTERN.test(value)) {
    throw new TypeError(
      `${name} must be a single path segment of URL-safe ASCII characters; '.', '..', '/', '\\', '?', '#', '%', spaces, control and non-ASCII characters are not allowed.`,
    );
  }
  return encodeURIComponent(value);
}

/** Checks an optional IPv4/IPv6 address or CIDR block (e.g. `203.0.113.0/24`). */
export function checkIpAddressOrCidr(name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  checkString(name, value);
  if (parseIpRange(value as string) === undefined) {
    throw new TypeError(`${name} must be an IPv4 or IPv6 address or a CIDR block such as '203.0.113.0/24'.`);
  }
}
