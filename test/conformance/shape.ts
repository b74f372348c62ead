/**
 * Compares an answer of the emulator with a recorded answer of the live service by shape: the
 * same key set, in the same order, in every object at every depth, the same array lengths, and
 * values of the same format. Strings with a recognisable format (UUID, upper-case hex digest, base64url image id,
 * JWT, dates, the empty string) must have that format; other strings (statuses, decisions,
 * model versions, reference types, error codes and messages) must be equal. Numbers must agree
 * on being integers; booleans on being booleans. Every difference is reported with its path,
 * so one run lists everything the emulator gets wrong.
 */

/** Values the recordings themselves sanitised: any non-empty string stands for them. */
const SANITISED = new Set(["fakeauthtoken", "Sanitized", "REDACTED"]);

/** String formats, tried in order; the first that matches names the value's format. */
export const STRING_FORMATS: readonly (readonly [string, RegExp])[] = [
  ["empty", /^$/],
  ["uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/],
  ["upper-hex-sha256", /^[0-9A-F]{64}$/],
  ["jwt", /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/],
  ["base64url-44", /^[A-Za-z0-9_-]{44}$/],
  ["iso-date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/],
];

/** The format name of a string, or `undefined` when it has none (then it must match exactly). */
export function stringFormat(value: string): string | undefined {
  return STRING_FORMATS.find(([, pattern]) => pattern.test(value))?.[0];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Differences between `recorded` and `actual`, one line per difference (`[]` when the shapes
 * agree).
 */
export function shapeDifferences(recorded: unknown, actual: unknown, path = "$"): string[] {
  const kind = describe(recorded);
  if (kind !== describe(actual)) return [`${path}: recorded ${kind}, emulator ${describe(actual)} (${JSON.stringify(actual)?.slice(0, 80)})`];
  if (kind === "array") {
    const r = recorded as unknown[];
    const a = actual as unknown[];
    if (r.length !== a.length) return [`${path}: recorded ${r.length} items, emulator ${a.length}`];
    return r.flatMap((item, i) => shapeDifferences(item, a[i], `${path}[${i}]`));
  }
  if (kind === "object") {
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(r).filter((k) => !(k in a));
    const extra = Object.keys(a).filter((k) => !(k in r));
    const out: string[] = [];
    if (missing.length > 0) out.push(`${path}: emulator lacks ${missing.join(", ")}`);
    if (extra.length > 0) out.push(`${path}: emulator adds ${extra.join(", ")}`);
    const order = Object.keys(a).filter((k) => k in r);
    if (missing.length === 0 && order.join() !== Object.keys(r).join()) {
      out.push(`${path}: keys in the order ${order.join(", ")}, recorded ${Object.keys(r).join(", ")}`);
    }
    for (const key of Object.keys(r)) if (key in a) out.push(...shapeDifferences(r[key], a[key], `${path}.${key}`));
    return out;
  }
  if (kind === "string") return stringDifference(recorded as string, actual as string, path);
  if (kind === "number") {
    return Number.isInteger(recorded) && !Number.isInteger(actual) ? [`${path}: recorded an integer, emulator ${String(actual)}`] : [];
  }
  return [];
}

function stringDifference(recorded: string, actual: string, path: string): string[] {
  if (SANITISED.has(recorded)) return actual === "" ? [`${path}: recorded a (sanitised) value, emulator ""`] : [];
  const format = stringFormat(recorded);
  if (format === undefined) return recorded === actual ? [] : [`${path}: recorded ${JSON.stringify(recorded)}, emulator ${JSON.stringify(actual)}`];
  const actualFormat = stringFormat(actual);
  return actualFormat === format ? [] : [`${path}: recorded a ${format}, emulator ${JSON.stringify(actual.slice(0, 80))} (${actualFormat ?? "no format"})`];
}

/**
 * Headers that matter to callers, and how an emulator value is held against a recorded one:
 * `exact` (after replacing recorded ids by the emulator's), or a format.
 */
export const HEADER_RULES: Readonly<Record<string, "exact" | RegExp>> = {
  "content-type": "exact",
  "content-disposition": "exact",
  "csp-billing-usage": "exact",
  "x-content-type-options": "exact",
  "apim-request-id": /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  "x-ms-region": /^[A-Za-z][A-Za-z0-9 ]*$/,
  "x-ms-error-code": "exact",
};

/**
 * Differences in the headers that matter: each one the recording has must be there with an
 * equal value (ids mapped by `mapIds`) or the same format; `content-length: 0` must be kept.
 */
export function headerDifferences(recorded: Readonly<Record<string, string>>, actual: Headers, mapIds: (text: string) => string): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(recorded)) {
    const rule = name === "content-length" && value === "0" ? "exact" : HEADER_RULES[name];
    if (rule === undefined) continue;
    const got = actual.get(name);
    if (got === null) out.push(`header ${name}: missing (recorded ${JSON.stringify(value)})`);
    else if (rule === "exact" && got !== mapIds(value)) out.push(`header ${name}: recorded ${JSON.stringify(mapIds(value))}, emulator ${JSON.stringify(got)}`);
    else if (rule instanceof RegExp && !rule.test(got)) out.push(`header ${name}: ${JSON.stringify(got)} does not match ${rule}`);
  }
  return out;
}
