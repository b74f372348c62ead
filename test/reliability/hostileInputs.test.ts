/**
 * Hostile inputs: ids crafted for path traversal, query smuggling, encoded and look-alike slashes,
 * 10k-character and control-character strings; endpoints with credentials, paths, odd ports and
 * plain http to other hosts; non-image and oversized verify images; NaN, ±Infinity and fractional
 * numbers for every numeric parameter.
 *
 * Each is either rejected before sending (TypeError/RangeError whose message names the parameter
 * and does not echo the value), or sent to exactly the intended URL. Two witnesses: a recording
 * transport (the real Node transport, wrapped, records every URL) and a real `node:http` server
 * (records every request target). fast-check adds arbitrary ids.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AzureKeyCredential,
  FaceSessionClient,
  type FaceApiVersion,
  type FaceSessionClientOptions,
} from "../../src/index.js";
import { livenessBody, succeededAttempt } from "../utils/sessions.js";
import {
  FAST_RETRY,
  RawServer,
  failureOf,
  readBody,
  recordingHttpClient,
  sendJson,
  stubHttpClient,
  trackUnhandledRejections,
  type RecordedCall,
} from "./harness.js";
import { FACE_JPG } from "./rawOps.js";

trackUnhandledRejections();

const KEY = "hostile-input-key";
const MAX_IMAGE = 6 * 1024 * 1024;
let server: RawServer;
let inputsTried = 0;
let fastCheckRuns = 0;

beforeAll(async () => {
  server = await RawServer.start();
});
afterAll(async () => {
  await server.close();
  console.log(`[reliability] hostile inputs tried: ${inputsTried} (plus ${fastCheckRuns} fast-check runs)`);
});
afterEach(() => {
  server.reset();
});

/** The server answers like the service: 404 for unknown sessions/images, an empty face list for detect, 200 for creates. */
function serveLikeTheService(): void {
  server.handler = async (req, res) => {
    await readBody(req);
    const path = (req.url ?? "").split("?")[0]!;
    if (req.method === "POST" && path.endsWith("-sessions")) sendJson(res, 200, livenessBody("NotStarted"));
    else if (req.method === "POST" && path.endsWith("/detect")) sendJson(res, 200, []);
    else sendJson(res, 404, { error: { code: "SessionNotFound", message: "Session does not exist." } });
  };
}

function clientFor(options: FaceSessionClientOptions & { apiVersion?: FaceApiVersion } = {}) {
  serveLikeTheService();
  const recorder = recordingHttpClient();
  const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), {
    retryOptions: FAST_RETRY,
    httpClient: recorder.httpClient,
    ...options,
  });
  return { client, calls: recorder.calls, base: `${server.endpoint}/face/${options.apiVersion ?? "v1.2"}` };
}

/** Asserts a client-side rejection: the right class, the parameter named, the value not echoed, nothing sent. */
function expectRejectedBeforeSending(error: any, parameter: string | RegExp, calls: RecordedCall[], value?: unknown): void {
  expect(error).toBeInstanceOf(Error);
  expect(["TypeError", "RangeError"]).toContain(error.name);
  if (typeof parameter === "string") expect(error.message).toContain(parameter);
  else expect(error.message).toMatch(parameter);
  expect(error.message.length).toBeLessThan(400);
  if (typeof value === "string" && value.length >= 4) expect(error.message).not.toContain(value);
  expect(calls, "no request may reach the transport").toEqual([]);
  expect(server.requests, "no request may reach the server").toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

interface IdOp {
  readonly name: string;
  readonly parameter: "sessionId" | "sessionImageId";
  /** The collection the id goes under, or undefined when the id travels in the body (detect). */
  readonly collection?: string;
  run(client: FaceSessionClient, id: string): unknown;
}

const ID_OPS: readonly IdOp[] = [
  { name: "getLivenessSessionResult", parameter: "sessionId", collection: "detectLiveness-sessions", run: (c, id) => c.getLivenessSessionResult(id) },
  { name: "getLivenessWithVerifySessionResult", parameter: "sessionId", collection: "detectLivenessWithVerify-sessions", run: (c, id) => c.getLivenessWithVerifySessionResult(id) },
  { name: "deleteLivenessSession", parameter: "sessionId", collection: "detectLiveness-sessions", run: (c, id) => c.deleteLivenessSession(id) },
  { name: "deleteLivenessWithVerifySession", parameter: "sessionId", collection: "detectLivenessWithVerify-sessions", run: (c, id) => c.deleteLivenessWithVerifySession(id) },
  { name: "getSessionImage", parameter: "sessionImageId", collection: "sessionImages", run: (c, id) => c.getSessionImage(id) },
  { name: "detectFromSessionImage", parameter: "sessionImageId", run: (c, id) => c.detectFromSessionImage(id) },
  { name: "waitForLivenessSessionResult", parameter: "sessionId", collection: "detectLiveness-sessions", run: (c, id) => c.waitForLivenessSessionResult(id, { timeoutInMs: 5000 }) },
  {
    name: "observeLivenessSession",
    parameter: "sessionId",
    collection: "detectLiveness-sessions",
    run: async (c, id) => {
      for await (const _ of c.observeLivenessSession(id, { timeoutInMs: 5000 })) break;
    },
  },
  { name: "finalizeLivenessSession", parameter: "sessionId", collection: "detectLiveness-sessions", run: (c, id) => c.finalizeLivenessSession(id) },
];

/** Ids a caller could be tricked into passing. "reject": must be refused; "either": refused, or sent encoded. */
const HOSTILE_IDS: ReadonlyArray<readonly [string, unknown, "reject" | "either"]> = [
  ["'..'", "..", "reject"],
  ["'.'", ".", "reject"],
  ["'../'", "../", "reject"],
  ["'../settings'", "../settings", "reject"],
  ["'../../face/v1.2/settings'", "../../face/v1.2/settings", "reject"],
  ["'..%2F'", "..%2F", "reject"],
  ["'..%2fsettings'", "..%2fsettings", "reject"],
  ["'%2e%2e'", "%2e%2e", "reject"],
  ["'%2E%2E%2F%2E%2E'", "%2E%2E%2F%2E%2E", "reject"],
  ["'.%2e'", ".%2e", "reject"],
  ["'a/../../b'", "a/../../b", "reject"],
  ["'a/b'", "a/b", "reject"],
  ["'..\\\\settings'", "..\\settings", "reject"],
  ["'a%2Fb' (encoded slash)", "a%2Fb", "reject"],
  ["'a%252Fb' (double-encoded)", "a%252Fb", "reject"],
  ["'x?returnFaceId=true'", "x?returnFaceId=true", "reject"],
  ["'?'", "?", "reject"],
  ["'x#frag'", "x#frag", "reject"],
  ["'#'", "#", "reject"],
  ["'x&returnFaceId=true' (query smuggling)", "x&returnFaceId=true", "either"],
  ["'a=b;c'", "a=b;c", "either"],
  ["'..;' (path parameter)", "..;", "either"],
  ["'...'", "...", "either"],
  ["'@evil.example'", "@evil.example", "either"],
  ["'a\\u2215b' (division slash)", "a\u2215b", "reject"],
  ["'a\\uFF0Fb' (fullwidth solidus)", "a\uFF0Fb", "reject"],
  ["'a\\u2044b' (fraction slash)", "a\u2044b", "reject"],
  ["'\\uFF0E\\uFF0E' (fullwidth dots)", "\uFF0E\uFF0E", "reject"],
  ["'a\\u202Eb' (RTL override)", "a\u202Eb", "reject"],
  ["'a\\u200Bb' (zero width space)", "a\u200Bb", "reject"],
  ["'caf\\u00e9'", "caf\u00e9", "reject"],
  ["emoji", "\u{1F600}", "reject"],
  ["10,000 characters", "a".repeat(10_000), "reject"],
  ["257 characters", "b".repeat(257), "reject"],
  ["256 characters", "c".repeat(256), "either"],
  ["NUL", "a\u0000b", "reject"],
  ["CRLF", "a\r\nb", "reject"],
  ["CRLF header injection", "x\r\nHost: evil.example", "reject"],
  ["tab", "a\tb", "reject"],
  ["DEL", "a\u007fb", "reject"],
  ["space", "a b", "reject"],
  ["empty string", "", "reject"],
  ["absolute URL", "https://evil.example/x", "reject"],
  ["protocol-relative", "//evil.example", "reject"],
  ["undefined", undefined, "reject"],
  ["null", null, "reject"],
  ["number", 42, "reject"],
  ["object", { toString: () => "abc" }, "reject"],
  ["array", ["abc"], "reject"],
];

/** The one URL an accepted id may produce. */
function intendedUrl(base: string, op: IdOp, id: string): string {
  return op.collection === undefined ? `${base}/detect?returnFaceId=false` : `${base}/${op.collection}/${encodeURIComponent(id)}`;
}

/** Asserts that every request went to the intended URL, with the id as exactly one path segment. */
function expectOnlyIntended(calls: RecordedCall[], base: string, op: IdOp, id: string): void {
  const intended = intendedUrl(base, op, id);
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.url).toBe(intended);
    const url = new URL(call.url);
    expect(url.search).toBe(op.collection === undefined ? "?returnFaceId=false" : "");
    expect(url.hash).toBe("");
    if (op.collection !== undefined) {
      const segments = url.pathname.split("/");
      expect(segments).toHaveLength(5); // "", "face", "v1.2", collection, id
      expect(decodeURIComponent(segments[4]!)).toBe(id);
    } else {
      expect(JSON.parse(call.body ?? "{}")).toEqual({ sessionImageId: id });
    }
  }
  const path = intended.slice(server.endpoint.length);
  for (const seen of server.requests) expect(seen.url).toBe(path);
  expect(server.requests).toHaveLength(calls.length);
}

describe.each(ID_OPS.map((op) => [op.name, op] as const))("%s with hostile ids", (_name, op) => {
  it.each(HOSTILE_IDS.map(([label, id, expected]) => [label, id, expected] as const))("%s", async (_label, id, expected) => {
    inputsTried++;
    const { client, calls, base } = clientFor();
    let rejection: any;
    try {
      await op.run(client, id as string);
    } catch (error) {
      rejection = error;
    }
    if (rejection?.name === "TypeError" || rejection?.name === "RangeError") {
      expectRejectedBeforeSending(rejection, op.parameter, calls, id);
      return;
    }
    // Sent: only acceptable for "either", and only to the intended URL.
    expect(expected, `the id ${JSON.stringify(String(id).slice(0, 40))} must be rejected before sending`).toBe("either");
    expectOnlyIntended(calls, base, op, id as string);
  });
});

describe("fast-check: arbitrary ids are rejected before sending or sent as exactly one encoded path segment", () => {
  const SPECIAL = ["/", "\\", ".", "%", "2", "e", "E", "f", "F", "?", "#", "&", "=", ";", ":", "@", "+", " ", "\u2215", "\uFF0F", "\u2044", "\u0000", "\r", "\n", "a", "Z", "~", "-", "_", "!", "'", "(", "*"];
  const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~!$&'()*+,;=:@-".split("");
  const anyId = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 12 }),
    fc.string({ unit: "grapheme-ascii", maxLength: 300 }),
    fc.string({ unit: fc.constantFrom(...URL_SAFE), minLength: 1, maxLength: 300 }),
  );
  const stubOps = ID_OPS.filter((op) => op.collection !== undefined && !op.name.startsWith("finalize"));

  /** The property: rejected (TypeError/RangeError, nothing sent) or exactly the intended URL. */
  async function check(op: IdOp, id: string, witness: "stub" | "server"): Promise<void> {
    fastCheckRuns++;
    const stub = stubHttpClient();
    const real = witness === "server" ? clientFor() : undefined;
    const client = real?.client ?? new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { httpClient: stub.httpClient, retryOptions: FAST_RETRY });
    const calls = real?.calls ?? stub.calls;
    const base = `${server.endpoint}/face/v1.2`;
    server.requests.length = 0;
    try {
      await op.run(client, id);
    } catch (error: any) {
      if (error?.name === "TypeError" || error?.name === "RangeError") {
        expect(error.message).toContain(op.parameter);
        expect(calls).toEqual([]);
        expect(server.requests).toEqual([]);
        return;
      }
      expect(error?.name).toBe("RestError"); // 404 from the stub or the server
    }
    if (witness === "stub") {
      const intended = intendedUrl(base, op, id);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.url).toBe(intended);
        const url = new URL(call.url);
        expect(url.search + url.hash).toBe("");
        expect(url.pathname.split("/")).toHaveLength(5);
        expect(decodeURIComponent(url.pathname.split("/")[4]!)).toBe(id);
      }
    } else {
      expectOnlyIntended(calls, base, op, id);
    }
  }

  it("1,000 runs through a recording transport (no network)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...stubOps), anyId, (op, id) => check(op, id, "stub")),
      { numRuns: 1000 },
    );
  });

  it("150 runs through the real Node transport and a real server", async () => {
    serveLikeTheService();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ID_OPS.filter((op) => !op.name.startsWith("observe"))), anyId, (op, id) => check(op, id, "server")),
      { numRuns: 150 },
    );
  });

  it("ids of URL-safe ASCII (1 to 256 characters, not '.' or '..') are always accepted and round-trip exactly", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...stubOps),
        fc.string({ unit: fc.constantFrom(...URL_SAFE), minLength: 1, maxLength: 256 }).filter((s) => s !== "." && s !== ".."),
        async (op, id) => {
          fastCheckRuns++;
          const stub = stubHttpClient();
          const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { httpClient: stub.httpClient, retryOptions: FAST_RETRY });
          await Promise.resolve(op.run(client, id)).then(
            () => undefined,
            (error: { name?: string }) => expect(error.name).toBe("RestError"),
          );
          expect(stub.calls.map((c) => c.url)).toContain(intendedUrl(`${server.endpoint}/face/v1.2`, op, id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("ids holding a '/', '\\\\', '?', '#', '%', space, control or non-ASCII character are always rejected", async () => {
    const forbidden = fc.constantFrom("/", "\\", "?", "#", "%", " ", "\u0000", "\r", "\n", "\u007f", "\u00e9", "\u2215", "\uFF0F", "\u2044", "\u{1F600}");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...stubOps),
        fc.tuple(fc.string({ maxLength: 20 }), forbidden, fc.string({ maxLength: 20 })).map(([a, b, c]) => a + b + c),
        async (op, id) => {
          fastCheckRuns++;
          const stub = stubHttpClient();
          const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { httpClient: stub.httpClient });
          const error = await failureOf(() => op.run(client, id));
          expect(["TypeError", "RangeError"]).toContain(error.name);
          expect(error.message).toContain(op.parameter);
          expect(stub.calls).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

describe("hostile endpoints are refused by the constructor", () => {
  const ENDPOINTS: ReadonlyArray<readonly [string, unknown]> = [
    ["credentials user:password", "https://user:p4ss-SECRET@res.cognitiveservices.azure.com"],
    ["credentials user only", "https://user-SECRET@res.cognitiveservices.azure.com"],
    ["credentials on loopback http", "http://user:p4ss-SECRET@127.0.0.1:5000"],
    ["path /face/v1.2", "https://res.cognitiveservices.azure.com/face/v1.2"],
    ["path", "https://res.cognitiveservices.azure.com/other"],
    ["dot-segment path", "https://res.cognitiveservices.azure.com/a/../b"],
    ["encoded path", "https://res.cognitiveservices.azure.com/%2e%2e/x"],
    ["query", "https://res.cognitiveservices.azure.com/?x=1"],
    ["empty query", "https://res.cognitiveservices.azure.com?"],
    ["fragment", "https://res.cognitiveservices.azure.com#x"],
    ["empty fragment", "https://res.cognitiveservices.azure.com#"],
    ["port 65536", "https://res.cognitiveservices.azure.com:65536"],
    ["port 99999", "https://res.cognitiveservices.azure.com:99999"],
    ["port -1", "https://res.cognitiveservices.azure.com:-1"],
    ["port abc", "https://res.cognitiveservices.azure.com:abc"],
    ["http to a public host", "http://res.cognitiveservices.azure.com"],
    ["http to a private address", "http://10.0.0.1:5000"],
    ["http to 0.0.0.0", "http://0.0.0.0:5000"],
    ["http://127.0.0.1.evil.com", "http://127.0.0.1.evil.com"],
    ["http://localhost.evil.com", "http://localhost.evil.com"],
    ["http://127.0.0.1@evil.com (userinfo trick)", "http://127.0.0.1@evil.com"],
    ["https://res...@evil.com (userinfo trick)", "https://res.cognitiveservices.azure.com@evil.com"],
    ["backslash trick", "https://evil.example\\@res.cognitiveservices.azure.com"],
    ["fullwidth solidus in host", "https://evil.example\uFF0F.res.cognitiveservices.azure.com"],
    ["CRLF", "https://res.cognitiveservices.azure.com\r\nX-Injected: 1"],
    ["NUL in host", "https://res\u0000.cognitiveservices.azure.com"],
    ["ftp", "ftp://res.cognitiveservices.azure.com"],
    ["file", "file:///etc/passwd"],
    ["javascript", "javascript:alert(1)"],
    ["data", "data:text/plain,x"],
    ["no scheme", "res.cognitiveservices.azure.com"],
    ["protocol-relative", "//res.cognitiveservices.azure.com"],
    ["empty", ""],
    ["blank", "   "],
    ["10k characters", `https://${"a".repeat(10_000)}.com/x`],
    ["number", 42],
    ["undefined", undefined],
    ["null", null],
    ["URL object with a path", new URL("https://res.cognitiveservices.azure.com/face")],
  ];

  it.each(ENDPOINTS)("%s", (_label, endpoint) => {
    inputsTried++;
    let error: any;
    try {
      new FaceSessionClient(endpoint as string, new AzureKeyCredential(KEY));
    } catch (e) {
      error = e;
    }
    expect(error, "the constructor must throw").toBeInstanceOf(Error);
    expect(["TypeError", "RangeError"]).toContain(error.name);
    expect(error.message).toMatch(/endpoint/);
    expect(error.message).not.toContain("SECRET");
    expect(error.message.length).toBeLessThan(400);
  });

  // Regression: the port was not checked; 0 is not a port a service can listen on, so the client builds
  // `https://host:0/face/v1.2/...` and every call fails at connect time (and creates, whose
  // ECONNREFUSED is retriable, are retried) instead of a clear TypeError naming the endpoint.
  // Repro: new FaceSessionClient("https://res.cognitiveservices.azure.com:0", key) does not throw.
  it("port 0", () => {
    inputsTried++;
    expect(() => new FaceSessionClient("https://res.cognitiveservices.azure.com:0", new AzureKeyCredential(KEY))).toThrow(/endpoint/);
  });

  // Regression: non-ASCII look-alikes in the host are IDNA-mapped by the URL parser, so without a
  // check the client (and the API key) silently goes to a host the caller did not visually type:
  //   "https://res.cognitiveservices.azure.com\u2215face" -> https://res.cognitiveservices.azure.xn--comface-ef0d
  //   "https://res.cognitiveservices.azure.com\u2044face" -> https://res.cognitiveservices.azure.xn--comface-3d7c
  //   "https://res.cognitiveservices.azure.com\uFF0Eevil.com" -> https://res.cognitiveservices.azure.com.evil.com
  // Azure endpoints are ASCII; refusing non-ASCII hosts would make these a clear TypeError.
  // Repro: new FaceSessionClient("https://res.cognitiveservices.azure.com\uFF0Eevil.com", key).endpoint
  it.each([
    ["division slash U+2215", "https://res.cognitiveservices.azure.com\u2215face"],
    ["fraction slash U+2044", "https://res.cognitiveservices.azure.com\u2044face"],
    ["fullwidth full stop U+FF0E", "https://res.cognitiveservices.azure.com\uFF0Eevil.com"],
  ])("look-alike in the host (%s) is refused", (_label, endpoint) => {
    inputsTried++;
    expect(() => new FaceSessionClient(endpoint, new AzureKeyCredential(KEY))).toThrow(/endpoint/);
  });

  it.each([
    ["upper case and a trailing slash", "HTTPS://RES.CognitiveServices.Azure.com/", "https://res.cognitiveservices.azure.com"],
    ["surrounding spaces", "  https://res.cognitiveservices.azure.com  ", "https://res.cognitiveservices.azure.com"],
    ["default port", "https://res.cognitiveservices.azure.com:443", "https://res.cognitiveservices.azure.com"],
    ["localhost over http", "http://localhost:5000", "http://localhost:5000"],
    ["[::1] over http", "http://[::1]:5000", "http://[::1]:5000"],
    ["127.0.0.2 over http", "http://127.0.0.2:5000", "http://127.0.0.2:5000"],
  ])("accepted: %s, and requests go to that origin only", async (_label, endpoint, origin) => {
    inputsTried++;
    const stub = stubHttpClient();
    const client = new FaceSessionClient(endpoint, new AzureKeyCredential(KEY), { httpClient: stub.httpClient });
    expect(client.endpoint).toBe(origin);
    await failureOf(() => client.getLivenessSessionResult("abc"));
    expect(stub.calls.map((c) => c.url)).toEqual([`${origin}/face/v1.2/detectLiveness-sessions/abc`]);
  });
});

// ---------------------------------------------------------------------------------------------
// Verify images
// ---------------------------------------------------------------------------------------------

describe("verify images that are not images, or too large, are refused before sending", () => {
  const jpegOfSize = (size: number): Buffer => {
    const bytes = Buffer.alloc(size, 0x20);
    bytes.set([0xff, 0xd8, 0xff, 0xe0]);
    return bytes;
  };
  const oversized = jpegOfSize(MAX_IMAGE + 1);
  const IMAGES: ReadonlyArray<readonly [string, () => unknown, "TypeError" | "RangeError"]> = [
    ["text bytes", () => Buffer.from("this is not an image, honestly"), "TypeError"],
    ["HTML", () => Buffer.from("<!DOCTYPE html><html></html>"), "TypeError"],
    ["PDF", () => Buffer.from("%PDF-1.7\n%\u00e2\u00e3"), "TypeError"],
    ["an SVG (XML, not a raster image)", () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), "TypeError"],
    ["empty buffer", () => Buffer.alloc(0), "RangeError"],
    ["6 MB + 1 byte Buffer", () => oversized, "RangeError"],
    ["6 MB + 1 byte Uint8Array view", () => new Uint8Array(oversized.buffer, oversized.byteOffset, oversized.length), "RangeError"],
    ["6 MB + 1 byte Blob", () => new Blob([new Uint8Array(oversized)]), "RangeError"],
    ["6 MB + 1 byte stream", () => Readable.from([oversized.subarray(0, MAX_IMAGE), oversized.subarray(MAX_IMAGE)]), "RangeError"],
    ["6 MB + 1 byte stream factory", () => () => Readable.from([oversized]), "RangeError"],
    ["a stream of strings that is not an image", () => Readable.from(["hello ", "world"]), "TypeError"],
    ["a stream yielding objects", () => Readable.from([{ not: "bytes" }]), "TypeError"],
    ["a base64 data URL string", () => `data:image/jpeg;base64,${FACE_JPG.toString("base64")}`, "TypeError"],
    ["a number", () => 42, "TypeError"],
    ["a plain object", () => ({ bytes: FACE_JPG }), "TypeError"],
    ["null", () => null, "TypeError"],
  ];

  it.each(IMAGES)("%s", async (_label, make, errorName) => {
    inputsTried++;
    const { client, calls } = clientFor();
    const error = await failureOf(() =>
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: make() as Uint8Array }),
    );
    expect(error.name).toBe(errorName);
    expectRejectedBeforeSending(error, "verifyImage", calls);
  });

  it("exactly 6 MB is accepted and sent once, whole, to the intended URL", async () => {
    inputsTried++;
    const { client, calls, base } = clientFor();
    let received = 0;
    server.handler = async (req, res) => {
      received = (await readBody(req)).length;
      sendJson(res, 200, { ...livenessBody("NotStarted"), results: { attempts: [], verifyReferences: [] } });
    };
    await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: jpegOfSize(MAX_IMAGE) });
    expect(calls.map((c) => c.url)).toEqual([`${base}/detectLivenessWithVerify-sessions`]);
    expect(received).toBeGreaterThan(MAX_IMAGE);
  });
});

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

describe("NaN, ±Infinity and fractional numbers are refused before sending, naming the parameter", () => {
  const NON_FINITE = [NaN, Infinity, -Infinity];
  type Call = (client: FaceSessionClient, value: number) => unknown;
  const NUMERIC: ReadonlyArray<{ name: string; values: number[]; call: Call; apiVersion?: FaceApiVersion }> = [
    {
      name: "authTokenTimeToLiveInSeconds",
      values: [...NON_FINITE, 600.5, 59, 86_401, -600],
      call: (c, v) => c.createLivenessSession({ livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: v }),
    },
    {
      name: "authTokenTimeToLiveInSeconds",
      values: [...NON_FINITE, 600.5],
      call: (c, v) => c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG, authTokenTimeToLiveInSeconds: v }),
    },
    {
      name: "verifyConfidenceThreshold",
      values: [...NON_FINITE, 1.5, -0.1],
      call: (c, v) => c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG, verifyConfidenceThreshold: v }),
    },
    {
      name: "numberOfClientAttemptsAllowed",
      values: [...NON_FINITE, 1.5, -1, 4],
      apiVersion: "v1.3-preview.1",
      call: (c, v) => c.createLivenessSession({ livenessOperationMode: "Passive", numberOfClientAttemptsAllowed: v }),
    },
    {
      name: "numberOfClientAttemptsAllowed",
      values: [...NON_FINITE, 2.5],
      apiVersion: "v1.3-preview.1",
      call: (c, v) => c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG, numberOfClientAttemptsAllowed: v }),
    },
    { name: "faceIdTimeToLive", values: [...NON_FINITE, 60.5, 59, 86_401], call: (c, v) => c.detectFromSessionImage("img", { faceIdTimeToLive: v }) },
    ...(["intervalInMs", "maxIntervalInMs", "backoffMultiplier", "timeoutInMs"] as const).flatMap((option) => [
      { name: option, values: [...NON_FINITE, 0, -1], call: ((c, v) => c.waitForLivenessSessionResult("s", { [option]: v })) as Call },
      { name: option, values: [...NON_FINITE], call: ((c, v) => c.observeLivenessSession("s", { [option]: v }).next()) as Call },
      { name: option, values: [...NON_FINITE], call: ((c, v) => c.waitForLivenessWithVerifySessionResult("s", { [option]: v })) as Call },
    ]),
    { name: "backoffMultiplier", values: [0.5, 11], call: (c, v) => c.waitForLivenessSessionResult("s", { backoffMultiplier: v }) },
  ];
  const cases = NUMERIC.flatMap((p) => p.values.map((value) => [`${p.name} = ${value} (${p.call.toString().match(/c\.(\w+)/)?.[1]})`, p, value] as const));

  it.each(cases)("%s", async (_label, parameter, value) => {
    inputsTried++;
    const { client, calls } = clientFor({ apiVersion: parameter.apiVersion });
    const error = await failureOf(() => parameter.call(client, value));
    expect(error.name).toBe("RangeError");
    expectRejectedBeforeSending(error, parameter.name, calls);
  });

  it.each([
    ["verifyConfidenceThreshold 0.25", (c: FaceSessionClient) => c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG, verifyConfidenceThreshold: 0.25 }), "/detectLivenessWithVerify-sessions"],
    ["intervalInMs 1.5 (fractional ms are valid)", (c: FaceSessionClient) => c.waitForLivenessSessionResult("s", { intervalInMs: 1.5, timeoutInMs: 2000 }), "/detectLiveness-sessions/s"],
  ] as const)("valid fractional value accepted: %s, sent to the intended URL only", async (_label, call, path) => {
    inputsTried++;
    const { client, calls, base } = clientFor();
    await call(client).catch((error: any) => expect(error.name).toBe("RestError"));
    expect(new Set(calls.map((c) => c.url))).toEqual(new Set([`${base}${path}`]));
  });

  // Regression: requestOptions.timeout used to go straight to core's transport. Infinity makes Node
  // clamp the timer to 1 ms (TimeoutOverflowWarning), so the request IS sent and then aborted
  // almost at once with an AbortError; NaN and negative values silently mean "no timeout".
  // Expected per README ("RangeError for a number out of range, naming the parameter"): refused
  // before sending. Repro: client.getLivenessSessionResult("s", { requestOptions: { timeout: Infinity } }).
  it.each([NaN, Infinity])("requestOptions.timeout = %s", async (value) => {
    inputsTried++;
    const { client, calls } = clientFor();
    const error = await failureOf(() => client.getLivenessSessionResult("s", { requestOptions: { timeout: value } }));
    expectRejectedBeforeSending(error, "timeout", calls);
  });

  // Regression: retryOptions used to pass straight to core's retry policies, which compare
  // `retryCount >= maxRetries`. NaN (e.g. Number(process.env.MAX_RETRIES) when unset) and Infinity
  // never satisfy it: every transient failure is retried without end (here ~100+ requests in
  // 300 ms against a 500-answering server, until the caller's signal aborts). Repro:
  // new FaceSessionClient(endpoint, key, { retryOptions: { maxRetries: NaN, retryDelayInMs: 1 } })
  //   .getLivenessSessionResult(id) against a server that always answers 500.
  it.each([NaN, Infinity])("retryOptions.maxRetries = %s is refused, or at least bounded", async (maxRetries) => {
    inputsTried++;
    serveLikeTheService();
    server.handler = (req, res) => readBody(req).then(() => sendJson(res, 500, { error: { code: "InternalServerError", message: "x" } }));
    let client: FaceSessionClient;
    try {
      client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { retryOptions: { ...FAST_RETRY, maxRetries } });
    } catch (error: any) {
      expect(error.name).toBe("RangeError");
      expect(error.message).toContain("maxRetries");
      return;
    }
    await failureOf(() => client.getLivenessSessionResult("s", { abortSignal: AbortSignal.timeout(300) }));
    expect(server.requests.length).toBeLessThanOrEqual(FAST_RETRY.maxRetries + 1);
  });

  // Regression: finalize used to check only its own booleans, not the numbers of `wait`,
  // `detectFaces` or `policy`, before it started. They are checked only when the step runs, and finalize deletes the session
  // whenever a step throws, so a typo in an option (NaN) irreversibly deletes a session whose
  // result was never read. Repro (emulator or any server):
  //   await client.finalizeLivenessSession(id, { wait: { intervalInMs: NaN } })
  //   -> RangeError "intervalInMs must be a number ...", after a DELETE of the session.
  //   await client.finalizeLivenessWithVerifySession(id, { policy: { minMatchConfidence: NaN } })
  //   -> RangeError, after GET and DELETE.
  it.each([
    ["wait.intervalInMs", (c: FaceSessionClient) => c.finalizeLivenessSession("s", { wait: { intervalInMs: NaN } })],
    ["wait.timeoutInMs", (c: FaceSessionClient) => c.finalizeLivenessSession("s", { wait: { timeoutInMs: Infinity } })],
    ["policy.minMatchConfidence", (c: FaceSessionClient) => c.finalizeLivenessWithVerifySession("s", { policy: { minMatchConfidence: NaN } })],
    ["detectFaces.faceIdTimeToLive", (c: FaceSessionClient) => c.finalizeLivenessSession("s", { detectFaces: { faceIdTimeToLive: NaN } })],
  ] as const)("finalize with %s = NaN/Infinity sends nothing (and deletes nothing)", async (_label, call) => {
    inputsTried++;
    const { client, calls } = clientFor();
    server.handler = async (req, res) => {
      await readBody(req);
      if (req.method === "DELETE") sendJson(res, 200, {});
      else sendJson(res, 200, livenessBody("Succeeded", [succeededAttempt(1)], "s"));
    };
    const error = await failureOf(() => call(client));
    expect(error.name).toBe("RangeError");
    expect(calls.map((c) => c.method)).toEqual([]); // observed: ["DELETE"] or ["GET", "DELETE"]
  });
});

// ---------------------------------------------------------------------------------------------
// Strings in bodies, queries and headers
// ---------------------------------------------------------------------------------------------

describe("strings that could smuggle into the query, the body or the headers", () => {
  it("detect options with '&', '#', '?' stay inside their own query parameter", async () => {
    inputsTried += 2;
    const { client, calls, base } = clientFor();
    const detectionModel = "detection_03&returnFaceId=true#frag";
    const recognitionModel = "recognition_04?returnFaceLandmarks=true";
    await client.detectFromSessionImage("img", { detectionModel: detectionModel as "detection_03", recognitionModel: recognitionModel as "recognition_04" });
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0]!.url);
    expect(url.origin + url.pathname).toBe(`${base}/detect`);
    expect(url.hash).toBe("");
    expect([...url.searchParams.keys()].sort()).toEqual(["detectionModel", "recognitionModel", "returnFaceId"]);
    expect(url.searchParams.get("detectionModel")).toBe(detectionModel);
    expect(url.searchParams.get("recognitionModel")).toBe(recognitionModel);
    expect(url.searchParams.get("returnFaceId")).toBe("false");
    expect(server.requests.map((r) => r.url)).toEqual([calls[0]!.url.slice(server.endpoint.length)]);
  });

  it.each([
    ["returnFaceAttributes entry with '&'", (c: FaceSessionClient) => c.detectFromSessionImage("img", { returnFaceAttributes: ["headPose&returnFaceId=true" as "headPose"] }), "returnFaceAttributes"],
    ["returnFaceAttributes entry with ','", (c: FaceSessionClient) => c.detectFromSessionImage("img", { returnFaceAttributes: ["headPose,mask" as "headPose"] }), "returnFaceAttributes"],
    ["detectionModel with CRLF", (c: FaceSessionClient) => c.detectFromSessionImage("img", { detectionModel: "detection_03\r\nX: 1" as "detection_03" }), "detectionModel"],
    ["deviceCorrelationId with NUL", (c: FaceSessionClient) => c.createLivenessSession({ livenessOperationMode: "Passive", deviceCorrelationId: "a\u0000b" }), "deviceCorrelationId"],
    ["livenessOperationMode with CRLF", (c: FaceSessionClient) => c.createLivenessSession({ livenessOperationMode: "Passive\r\n" as "Passive" }), "livenessOperationMode"],
    ["livenessModelVersion empty", (c: FaceSessionClient) => c.createLivenessSession({ livenessOperationMode: "Passive", livenessModelVersion: "" as "2024-11-15" }), "livenessModelVersion"],
  ] as const)("%s is refused", async (_label, call, parameter) => {
    inputsTried++;
    const { client, calls } = clientFor();
    expectRejectedBeforeSending(await failureOf(() => call(client)), parameter, calls);
  });

  it.each([
    "203.0.113.0/24\r\n",
    "1.2.3.4/33",
    "::1/129",
    "1.2.3.4/24/8",
    "../",
    "1.2.3.4 ",
    "localhost",
    "0x7f.1",
    "999.1.1.1",
    "1.2.3.4/-1",
  ])("expectedClientIpAddress %j is refused (v1.3-preview.1)", async (value) => {
    inputsTried++;
    const { client, calls } = clientFor({ apiVersion: "v1.3-preview.1" });
    const error = await failureOf(() => client.createLivenessSession({ livenessOperationMode: "Passive", expectedClientIpAddress: value }));
    expectRejectedBeforeSending(error, "expectedClientIpAddress", calls);
  });

  it.each(["user\r\nX-Injected: 1", "a\u0000b", ""])("userCorrelationId %j is refused (v1.3-preview.1)", async (value) => {
    inputsTried++;
    const { client, calls } = clientFor({ apiVersion: "v1.3-preview.1" });
    const error = await failureOf(() => client.createLivenessSession({ livenessOperationMode: "Passive", userCorrelationId: value }));
    expectRejectedBeforeSending(error, "userCorrelationId", calls);
  });

  it("a custom header value with CRLF cannot inject a header (core strips CR/LF from values)", async () => {
    inputsTried++;
    const { client, calls, base } = clientFor();
    await failureOf(() =>
      client.getLivenessSessionResult("abc", { requestOptions: { customHeaders: { "x-trace": "a\r\nOcp-Apim-Subscription-Key: stolen\r\nHost: evil" } } }),
    );
    expect(calls.map((c) => c.url)).toEqual([`${base}/detectLiveness-sessions/abc`]);
    expect(server.requests).toHaveLength(1);
    const headers = server.requests[0]!.headers;
    expect(headers["ocp-apim-subscription-key"]).toBe(KEY);
    expect(headers.host).toBe(new URL(server.endpoint).host);
    expect(headers["x-trace"]).not.toMatch(/[\r\n]/);
  });

  it("a custom header name with CRLF never reaches the server", async () => {
    inputsTried++;
    const { client } = clientFor();
    const error = await failureOf(() =>
      client.getLivenessSessionResult("abc", { requestOptions: { customHeaders: { "x-a\r\nOcp-Apim-Subscription-Key": "stolen" } } }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).not.toContain(KEY);
    expect(server.requests).toEqual([]);
  });

  it("a custom header cannot replace the API key", async () => {
    inputsTried++;
    const { client } = clientFor();
    await failureOf(() => client.getLivenessSessionResult("abc", { requestOptions: { customHeaders: { "Ocp-Apim-Subscription-Key": "attacker" } } }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers["ocp-apim-subscription-key"]).toBe(KEY);
  });
});
