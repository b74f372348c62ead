/**
 * Returns the known value that `value` equals ignoring case (`"passive"` → `"Passive"`), so the
 * service gets its canonical spelling; any other value passes through unchanged (the enums are
 * extensible). `known` is a `Known*` enum object.
 */
export function toKnownCase<T extends string>(value: T, known: Record<string, string>): T {
  const lower = value.toLowerCase();
  for (const candidate of Object.values(known)) {
    if (candidate.toLowerCase() === lower) return candidate as T;
  }
  return value;
}
