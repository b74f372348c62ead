import { expect } from "vitest";

/**
 * Asserts that a typed result holds every field of the recorded JSON it was read from, with the
 * same value, allowing only the conversions the models document:
 *
 * - `null` is absent: the typed result leaves the field out;
 * - `expiry` (a date-time string) becomes a `Date` of the same instant;
 * - a face rectangle or landmark point missing one of its numbers is left out as a whole;
 * - the client adds `authTokenExpiresOn` (a `Date`) to create results, `authToken: ""` where the
 *   service sent none, and empty lists (`results`, `attempts`, `verifyReferences`,
 *   `otherFlaggedSessions`) where it sent none.
 *
 * Any other field in the typed result that the recording does not have is a failure too.
 */
export function expectNoFieldLost(recorded: unknown, typed: unknown, path = "(body)"): void {
  if (Array.isArray(recorded)) {
    expect(Array.isArray(typed), `${path} is an array`).toBe(true);
    const items = typed as unknown[];
    expect(items.length, `${path} length`).toBe(recorded.length);
    recorded.forEach((item, i) => expectNoFieldLost(item, items[i], `${path}[${i}]`));
    return;
  }
  if (typeof recorded === "object" && recorded !== null) {
    expect(typeof typed === "object" && typed !== null && !Array.isArray(typed), `${path} is an object`).toBe(true);
    const out = typed as Record<string, unknown>;
    const wire = recorded as Record<string, unknown>;
    for (const [key, value] of Object.entries(wire)) {
      const at = `${path}.${key}`;
      if (value === null || isIncompleteUnit(key, value, path)) expect(Object.keys(out), `${at} is left out`).not.toContain(key);
      else if (key === "expiry" && typeof value === "string") {
        expect(out[key], at).toBeInstanceOf(Date);
        expect((out[key] as Date).getTime(), at).toBe(new Date(value).getTime());
      } else {
        expect(Object.keys(out), `${at} is kept`).toContain(key);
        expectNoFieldLost(value, out[key], at);
      }
    }
    for (const key of Object.keys(out)) {
      if (!Object.hasOwn(wire, key)) expectDocumentedAddition(key, out[key], `${path}.${key}`);
    }
    return;
  }
  expect(typed, path).toBe(recorded);
}

const RECTANGLE_FIELDS = ["top", "left", "width", "height"];
const POINT_FIELDS = ["x", "y"];

/** A rectangle or landmark point with a number missing: documented to be left out as a whole. */
function isIncompleteUnit(key: string, value: unknown, parentPath: string): boolean {
  const fields = key === "faceRectangle" ? RECTANGLE_FIELDS : parentPath.endsWith(".faceLandmarks") ? POINT_FIELDS : undefined;
  if (fields === undefined || typeof value !== "object" || value === null) return false;
  const o = value as Record<string, unknown>;
  return fields.some((name) => o[name] === undefined || o[name] === null);
}

function expectDocumentedAddition(key: string, value: unknown, path: string): void {
  switch (key) {
    case "authTokenExpiresOn":
      expect(value, path).toBeInstanceOf(Date);
      return;
    case "authToken":
      expect(value, path).toBe("");
      return;
    case "attempts":
    case "verifyReferences":
    case "otherFlaggedSessions":
      expect(value, path).toEqual([]);
      return;
    case "results":
      expect(Object.values(value as object).every((v) => Array.isArray(v) && v.length === 0), path).toBe(true);
      return;
    default:
      expect.fail(`${path} is in the typed result but not in the recording`);
  }
}
