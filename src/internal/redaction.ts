const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** Text shown in place of a secret. */
export const REDACTED = "[REDACTED]";

/**
 * Makes `util.inspect` (and so `console.log`) show `keys` of `target` as `replacement`
 * (`[REDACTED]` by default), leaving the object's own fields and `JSON.stringify` untouched. The
 * hook is non-enumerable.
 */
export function redactOnInspect<T extends object>(target: T, keys: readonly string[], replacement: string = REDACTED): T {
  Object.defineProperty(target, inspectCustom, {
    value(this: Record<string, unknown>): Record<string, unknown> {
      const copy: Record<string, unknown> = { ...this };
      for (const key of keys) {
        if (key in copy && copy[key] !== undefined) copy[key] = replacement;
      }
      return copy;
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return target;
}
