const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** Text shown in place of a secret. */
export const REDACTED = "[REDACTED]";

/**
 * Returns a function that makes `util.inspect` (and so `console.log`) show `keys` of an object as
 * `replacement` (`[REDACTED]` by default), leaving its own fields and `JSON.stringify`
 * untouched. The hook is non-enumerable, and one hook function is shared by every object.
 */
export function createRedactor(keys: readonly string[], replacement: string = REDACTED): <T extends object>(target: T) => T {
  function inspect(this: Record<string, unknown>): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...this };
    for (const key of keys) {
      if (copy[key] !== undefined) copy[key] = replacement;
    }
    return copy;
  }
  const descriptor: PropertyDescriptor = { value: inspect, enumerable: false, configurable: true, writable: true };
  return (target) => Object.defineProperty(target, inspectCustom, descriptor);
}

/** Redacts `authToken` on inspect: sessions. */
export const redactAuthToken = createRedactor(["authToken"]);
