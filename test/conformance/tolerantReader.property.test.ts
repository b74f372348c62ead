import { isRestError } from "@azure/core-rest-pipeline";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as read from "../../src/internal/deserializers.js";
import { isClientOperation, type ClientOperation } from "./clientCalls.js";
import { loadRecordedExchanges } from "./recordings.js";

/**
 * The reading rule, as a property of every recorded body: removing or nulling any field that is
 * not an identity or decision field, at any depth and in any combination, still parses; removing
 * or nulling an identity field fails with PARSE_ERROR naming it; a field of the wrong type fails
 * with PARSE_ERROR naming its path.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const READERS: Partial<Record<ClientOperation, (body: unknown) => unknown>> = {
  createLivenessSession: (body) => read.deserializeLivenessSession(body, "create"),
  getLivenessSessionResult: (body) => read.deserializeLivenessSession(body),
  createLivenessWithVerifySession: (body) => read.deserializeLivenessWithVerifySession(body, "create"),
  getLivenessWithVerifySessionResult: (body) => read.deserializeLivenessWithVerifySession(body),
  detectFromSessionImage: read.deserializeFaceDetectionResults,
  getSettings: read.deserializeLivenessSettings,
  updateSettings: read.deserializeLivenessSettings,
  getClientAssetsAccessToken: read.deserializeClientAssetsAccessToken,
};

/** Identity and decision fields, by operation: `*` matches any array index. */
const IDENTITY: Partial<Record<ClientOperation, string[]>> = {
  createLivenessSession: ["sessionId", "status", "authToken"],
  getLivenessSessionResult: ["sessionId", "status"],
  createLivenessWithVerifySession: ["sessionId", "status", "authToken"],
  getLivenessWithVerifySessionResult: ["sessionId", "status"],
  getSettings: ["livenessAbuseMonitoring", "livenessAbuseMonitoring.enabled"],
  updateSettings: ["livenessAbuseMonitoring", "livenessAbuseMonitoring.enabled"],
  getClientAssetsAccessToken: ["accessToken", "base64AccessToken"],
};
const ATTEMPT_IDENTITY = /^results\.attempts\[\d+\]\.(attemptId|attemptStatus)$|\.otherFlaggedSessions\[\d+\]\.(sessionId|attemptId)$/;

/** `results.attempts[0].result`: the path as the parse error names it. */
function label(path: Path, rootIsArray: boolean): string {
  let out = rootIsArray ? "(body)" : "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out === "" ? key : `.${key}`;
  return out;
}

/** Every object field inside a JSON value (array elements are not fields), with its value. */
function fields(value: Json, prefix: Path = []): { path: Path; value: Json }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => fields(v, [...prefix, i]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [{ path: [...prefix, k], value: v }, ...fields(v, [...prefix, k])]);
}

function edit(body: Json, path: Path, change: "delete" | { set: Json }): Json {
  const copy = structuredClone(body);
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1];
  if (change === "delete") delete parent[last];
  else parent[last] = change.set;
  return copy;
}

/** Values of a JSON type other than `value`'s (never `null`, which means absent). */
function wrongTypes(value: Json): fc.Arbitrary<Json> {
  const all: fc.Arbitrary<Json>[] = [];
  if (typeof value !== "string") all.push(fc.string({ maxLength: 8 }));
  if (typeof value !== "number") all.push(fc.double({ noNaN: true, noDefaultInfinity: true }));
  if (typeof value !== "boolean") all.push(fc.boolean());
  if (!Array.isArray(value)) all.push(fc.constant([]), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }));
  if (typeof value !== "object" || value === null || Array.isArray(value)) all.push(fc.constant({}), fc.constant({ x: 1 }));
  return fc.oneof(...all);
}

function parseErrorOf(read: (body: unknown) => unknown, body: Json): string | undefined {
  try {
    read(body);
    return undefined;
  } catch (error) {
    if (!isRestError(error) || error.code !== "PARSE_ERROR") throw error;
    return error.message;
  }
}

const cases = loadRecordedExchanges().flatMap((e) => {
  if (!isClientOperation(e.operation) || e.response === undefined || e.response.status >= 400) return [];
  const reader = READERS[e.operation];
  const body = e.response.body as Json | undefined;
  if (reader === undefined || body === undefined || body === null) return [];
  const identity = new Set(IDENTITY[e.operation] ?? []);
  const rootIsArray = Array.isArray(body);
  const all = fields(body).map((f) => {
    const name = label(f.path, rootIsArray);
    return { ...f, name, isIdentity: identity.has(name) || ATTEMPT_IDENTITY.test(name) };
  });
  return [{ name: `${e.name} (${e.operation})`, read: reader, body: body as Json, all }];
});

describe.each(cases.map((c) => [c.name, c] as const))("the reading rule on %s", (_, { read, body, all }) => {
  const optional = all.filter((f) => !f.isIdentity);
  const identity = all.filter((f) => f.isIdentity);

  it("parses as recorded", () => {
    expect(parseErrorOf(read, body)).toBeUndefined();
  });

  it.runIf(optional.length > 0)("still parses with any non-identity field removed or null", () => {
    for (const f of optional) {
      expect(parseErrorOf(read, edit(body, f.path, "delete")), `without ${f.name}`).toBeUndefined();
      expect(parseErrorOf(read, edit(body, f.path, { set: null })), `${f.name}: null`).toBeUndefined();
    }
  });

  it.runIf(optional.length > 1)("still parses with any combination of non-identity fields removed or null", () => {
    fc.assert(
      fc.property(fc.subarray(optional, { minLength: 2 }), fc.boolean(), (picked, toNull) => {
        let mutated: Json = body;
        // Deepest first, so a removed parent does not hide a child's path.
        for (const f of [...picked].sort((a, b) => b.path.length - a.path.length)) {
          mutated = fields(mutated).some((g) => label(g.path, Array.isArray(body)) === f.name)
            ? edit(mutated, f.path, toNull ? { set: null } : "delete")
            : mutated;
        }
        expect(parseErrorOf(read, mutated)).toBeUndefined();
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it.runIf(identity.length > 0)("fails with PARSE_ERROR naming an identity field that is removed or null", () => {
    for (const f of identity) {
      expect(parseErrorOf(read, edit(body, f.path, "delete")), `without ${f.name}`).toContain(`'${f.name}'`);
      expect(parseErrorOf(read, edit(body, f.path, { set: null })), `${f.name}: null`).toContain(`'${f.name}'`);
    }
  });

  it("fails with PARSE_ERROR naming any field given a value of the wrong type", () => {
    const pick = fc.constantFrom(...all).chain((f) => wrongTypes(f.value).map((value) => ({ f, value })));
    fc.assert(
      fc.property(pick, ({ f, value }) => {
        const message = parseErrorOf(read, edit(body, f.path, { set: value }));
        expect(message, `${f.name} = ${JSON.stringify(value)}`).toMatch(new RegExp(`^PARSE_ERROR: response field '${escape(f.name)}`));
      }),
      { numRuns: Math.max(100, all.length * 10), seed: 12 },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
