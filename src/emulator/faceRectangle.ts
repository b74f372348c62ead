import type { WireFaceRectangle } from "./wire/session.js";

/** Largest `left + width` and `top + height` of a simulated face rectangle, in pixels. */
export const MAX_FACE_EXTENT = 2048;

/**
 * Checks a face rectangle given to the emulator: an object of non-negative integers
 * `top`/`left`, positive integers `width`/`height`, with `left + width` and `top + height` at
 * most {@link MAX_FACE_EXTENT}. Returns what is wrong (a sentence naming `name`), or
 * `undefined` when it is valid.
 */
export function faceRectangleProblem(value: unknown, name: string): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `${name} must be an object { top, left, width, height }.`;
  }
  const r = value as Record<string, unknown>;
  for (const field of ["top", "left", "width", "height"] as const) {
    const v = r[field];
    const min = field === "width" || field === "height" ? 1 : 0;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      return `${name}.${field} must be an integer >= ${min}.`;
    }
  }
  const { top, left, width, height } = r as unknown as WireFaceRectangle;
  if (left + width > MAX_FACE_EXTENT || top + height > MAX_FACE_EXTENT) {
    return `${name} must satisfy left + width <= ${MAX_FACE_EXTENT} and top + height <= ${MAX_FACE_EXTENT}.`;
  }
  return undefined;
}

/** A copy holding only the four rectangle fields, in the service's order. */
export function copyRectangle(r: WireFaceRectangle): WireFaceRectangle {
  return { top: r.top, left: r.left, width: r.width, height: r.height };
}
