import { createHttpHeaders, isRestError, type HttpClient } from "@azure/core-rest-pipeline";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  deserializeClientAssetsAccessToken,
  deserializeFaceDetectionResults,
  deserializeLivenessSession,
  deserializeLivenessSettings,
  deserializeLivenessWithVerifySession,
} from "../../src/internal/deserializers.js";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { ENDPOINT, example } from "../utils/recorder.js";

const RUNS = 10_000;
/** 10,000 runs take a few seconds alone and several times that on a loaded machine. */
const FUZZ_TIMEOUT_IN_MS = 120_000;
const SECRET = "fuzz-secret-token-value";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path (array of keys) inside a JSON value, the root included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** A JSON value of hostile shape: wrong types, unknown enums, deep nesting and huge arrays. */
const hostile: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 10 },
  { arbitrary: fc.constantFrom<Json>(null, "", "Unknown", "realface", -1, 0, 1e308, -0, 2 ** 53, 1.5, true, false, [], {}), weight: 10 },
  {
    arbitrary: fc.integer({ min: 100, max: 2000 }).map((depth) => {
      let nested: Json = "deep";
      for (let i = 0; i < depth; i++) nested = i % 2 === 0 ? [nested] : { attempts: nested };
      return nested;
    }),
    weight: 1,
  },
  {
    arbitrary: fc.integer({ min: 1000, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => ({ attemptId: i, attemptStatus: "Running" }))),
    weight: 1,
  },
);

type Mutation = { kind: "delete" | "replace"; pick: number; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "replace"),
  pick: fc.nat(),
  value: hostile,
});

function mutate(base: Json, mutations: Mutation[]): Json {
  let body = structuredClone(base);
  for (const m of mutations) {
    const all = paths(body);
    const path = all[m.pick % all.length];
    if (path.length === 0) {
      body = m.kind === "replace" ? m.value : null;
      continue;
    }
    let parent: any = body;
    for (const key of path.slice(0, -1)) parent = parent[key];
    const last = path[path.length - 1];
    if (m.kind === "delete" && !Array.isArray(parent)) delete parent[last];
    else parent[last] = m.value;
  }
  return body;
}

/** A body: valid, mutated (missing fields, wrong types, unknown enums), or random. */
function bodies(valid: Json): fc.Arbitrary<Json> {
  return fc.oneof(
    { arbitrary: fc.constant(valid), weight: 1 },
    { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => mutate(valid, ms)), weight: 8 },
    { arbitrary: hostile, weight: 2 },
  );
}

function withSecret(body: Json): Json {
  const copy = structuredClone(body) as { [key: string]: Json };
  if (copy && typeof copy === "object" && "authToken" in copy) copy.authToken = SECRET;
  return copy;
}

const models: Array<[string, Json, (body: unknown) => unknown]> = [
  ["LivenessSession", withSecret(example("GetLivenessSessionResult", "v1.3-preview.1").responses["200"].body), deserializeLivenessSession],
  [
    "LivenessWithVerifySession",
    withSecret(example("GetLivenessWithVerifySessionResult", "v1.3-preview.1").responses["200"].body),
    deserializeLivenessWithVerifySession,
  ],
  ["FaceDetectionResult[]", example("DetectFromSessionImageId").responses["200"].body, deserializeFaceDetectionResults],
  ["LivenessSettings", example("GetSettings", "v1.3-preview.1").responses["200"].body, deserializeLivenessSettings],
  ["ClientAssetsAccessToken", example("GetClientAssetsAccessToken", "v1.3-preview.1").responses["200"].body, deserializeClientAssetsAccessToken],
];

describe.each(models)("%s deserializer under fuzzing", (_name, valid, deserialize) => {
  it("accepts the valid example", () => {
    expect(() => deserialize(structuredClone(valid))).not.toThrow();
  });

  it(`returns a typed value or throws RestError PARSE_ERROR for ${RUNS} generated bodies`, () => {
    let parsed = 0;
    let rejected = 0;
    fc.assert(
      fc.property(bodies(valid), (body) => {
        try {
          deserialize(body);
          parsed++;
        } catch (error) {
          rejected++;
          if (!isRestError(error) || error.code !== "PARSE_ERROR") throw error;
          if (error.message.includes(SECRET)) throw new Error("a parse error echoed a secret");
        }
      }),
      { numRuns: RUNS, seed: 20261122 },
    );
    expect(parsed + rejected).toBe(RUNS);
    expect(parsed).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
   }, FUZZ_TIMEOUT_IN_MS);
});

describe("client response parsing under fuzzing", () => {
  it("turns arbitrary 200 bodies into a session or a PARSE_ERROR RestError", async () => {
    let next = "";
    const httpClient: HttpClient = {
      async sendRequest(request) {
        return { request, status: 200, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: next };
      },
    };
    const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential("k"), { httpClient });
    const valid = JSON.stringify(example("GetLivenessSessionResult").responses["200"].body);
    const texts = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)), // truncated bodies
      fc.constantFrom("<html><body>502 Bad Gateway</body></html>", "", " ", "null", "[]", "{}", valid),
    );
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        next = text;
        try {
          await client.getLivenessSessionResult("s1");
        } catch (error) {
          if (!isRestError(error) || error.code !== "PARSE_ERROR" || error.statusCode !== 200) throw error;
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
