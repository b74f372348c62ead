/**
 * Bounds of the client's own transport against a raw loopback server: size caps on buffered
 * bodies (declared, chunked, endless, 600 MiB, gzip bomb), the session image `bytes()` cap,
 * per-attempt deadlines and idle timeouts that cover bodies (buffered and streamed, drip-fed),
 * and the default per-attempt timeout. Every case must end with a typed `RestError` within a
 * bounded time, with the connection closed by the client and memory growth far below the
 * body's size; none may crash the process (vitest fails the run on an uncaught exception).
 */
import { gzipSync } from "node:zlib";
import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceClientLimits, type FaceSessionClientOptions } from "../../src/index.js";
import { IMAGE_ID, SESSION_ID, livenessBody } from "../utils/sessions.js";
import { FAST_RETRY, RawServer, TRANSPORTS, failureOf, readBody, send, sendJson, trackUnhandledRejections } from "./harness.js";

trackUnhandledRejections();

const KEY = "bounds-test-key";
const MiB = 1024 * 1024;
let server: RawServer;

beforeAll(async () => {
  server = await RawServer.start();
});
afterEach(() => {
  // Closes the idle keep-alive connections of earlier clients, so each test counts its own.
  server.reset();
});
afterAll(async () => {
  await server.close();
});

let transportOptions: FaceSessionClientOptions = {};

function clientWith(limits?: FaceClientLimits, extra: { httpClient?: HttpClient; maxRetries?: number } = {}): FaceSessionClient {
  return new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), {
    ...transportOptions,
    retryOptions: { ...FAST_RETRY, maxRetries: extra.maxRetries ?? 0 },
    ...(limits ? { limits } : {}),
    ...(extra.httpClient ? { httpClient: extra.httpClient } : {}),
  });
}

/** Writes `chunk` until the client goes away or `maxBytes` were written; resolves with the bytes written. */
function pour(req: IncomingMessage, res: ServerResponse, chunk: Buffer, maxBytes: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const more = (): void => {
      while (written < maxBytes && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", more);
      }
      if (!res.destroyed) res.end();
      resolve(written);
    };
    res.once("close", () => resolve(written));
    void readBody(req).then(more);
  });
}

/** Runs `fn`, returning its rejection, the time it took and how much the heap and RSS grew. */
async function measured(fn: () => Promise<unknown>): Promise<{ error: any; ms: number; rssGrowth: number }> {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const error = await failureOf(fn);
  return { error, ms: performance.now() - started, rssGrowth: process.memoryUsage().rss - rss };
}

for (const [transport, options] of TRANSPORTS) {
  describe(`over ${transport}`, () => {
    beforeAll(() => {
      transportOptions = options();
    });
    afterAll(() => {
      (transportOptions.agent as HttpAgent | undefined)?.destroy();
      transportOptions = {};
    });

    describe("buffered response bodies are capped (limits.maxResponseBodyBytes, default 16 MiB)", () => {
      it("a 600 MiB JSON 200 announced by Content-Length fails at once with RESPONSE_TOO_LARGE, connection closed", async () => {
        let written = 0;
        server.handler = async (req, res) => {
          res.writeHead(200, { "content-type": "application/json", "content-length": String(600 * MiB) });
          written = await pour(req, res, Buffer.alloc(MiB, 0x20), 600 * MiB);
        };
        const { error, ms, rssGrowth } = await measured(() => clientWith().getLivenessSessionResult(SESSION_ID));
        expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE", statusCode: 200 });
        expect(error.message).toMatch(/limits\.maxResponseBodyBytes \(16777216 bytes\)/);
        await server.expectClientClosedAll();
        expect(ms).toBeLessThan(10_000);
        expect(rssGrowth).toBeLessThan(200 * MiB);
        expect(written).toBeLessThan(600 * MiB);
      });

      it("a 600 MiB chunked JSON 200 (no Content-Length) fails once 16 MiB arrived, memory bounded", async () => {
        let written = 0;
        server.handler = async (req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          written = await pour(req, res, Buffer.alloc(MiB, 0x20), 600 * MiB);
        };
        const { error, ms, rssGrowth } = await measured(() => clientWith().getLivenessSessionResult(SESSION_ID));
        expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE" });
        await server.expectClientClosedAll();
        expect(ms).toBeLessThan(20_000);
        expect(rssGrowth).toBeLessThan(200 * MiB);
        expect(written).toBeLessThan(200 * MiB);
      });

      it("an endless chunked 200 fails with RESPONSE_TOO_LARGE and the call does not stay pending", async () => {
        server.handler = async (req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          await pour(req, res, Buffer.alloc(64 * 1024, 0x20), Number.MAX_SAFE_INTEGER);
        };
        const { error, ms } = await measured(() => clientWith({ maxResponseBodyBytes: 4 * MiB }).createLivenessSession({ livenessOperationMode: "Passive" }));
        expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE" });
        await server.expectClientClosedAll();
        expect(ms).toBeLessThan(20_000);
      });

      it("a gzip bomb (611 KB on the wire, 600 MiB inflated) with Accept-Encoding: gzip is capped after decompression", async () => {
        // 600 gzip members of 1 MiB each: gunzip inflates their concatenation.
        const member = gzipSync(Buffer.alloc(MiB, 0x20), { level: 9 });
        const bomb = Buffer.concat(Array.from({ length: 600 }, () => member));
        expect(bomb.length).toBeLessThan(1 * MiB);
        server.handler = (req, res) => void readBody(req).then(() => send(res, 200, bomb, { "content-type": "application/json", "content-encoding": "gzip" }));
        const { error, ms, rssGrowth } = await measured(() =>
          clientWith().getLivenessSessionResult(SESSION_ID, { requestOptions: { customHeaders: { "Accept-Encoding": "gzip" } } }),
        );
        expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE" });
        expect(ms).toBeLessThan(20_000);
        expect(rssGrowth).toBeLessThan(200 * MiB);
      });

      it("a gzip body within the cap is decompressed when the caller asked for gzip", async () => {
        const body = gzipSync(JSON.stringify(livenessBody("NotStarted")));
        server.handler = (req, res) => void readBody(req).then(() => send(res, 200, body, { "content-type": "application/json", "content-encoding": "gzip" }));
        const session = await clientWith().getLivenessSessionResult(SESSION_ID, { requestOptions: { customHeaders: { "Accept-Encoding": "gzip" } } });
        expect(session.sessionId).toBe(SESSION_ID);
      });

      it("a corrupt gzip body fails with a RestError carrying zlib's code, not a crash", async () => {
        server.handler = (req, res) =>
          void readBody(req).then(() => send(res, 200, Buffer.from("not gzip at all, but says it is"), { "content-encoding": "gzip" }));
        const error = await failureOf(() =>
          clientWith().getLivenessSessionResult(SESSION_ID, { requestOptions: { customHeaders: { "Accept-Encoding": "gzip" } } }),
        );
        expect(error).toMatchObject({ name: "RestError", code: "Z_DATA_ERROR" });
      });

      it("the cap is configurable: a body one byte over fails, one at the cap is read", async () => {
        const body = Buffer.from(JSON.stringify(livenessBody("NotStarted")));
        server.handler = (req, res) => void readBody(req).then(() => send(res, 200, body, { "content-type": "application/json" }));
        const over = await failureOf(() => clientWith({ maxResponseBodyBytes: body.length - 1 }).getLivenessSessionResult(SESSION_ID));
        expect(over).toMatchObject({ code: "RESPONSE_TOO_LARGE", message: expect.stringContaining(`(${body.length - 1} bytes)`) });
        const ok = await clientWith({ maxResponseBodyBytes: body.length }).getLivenessSessionResult(SESSION_ID);
        expect(ok.sessionId).toBe(SESSION_ID);
      });

      it("an oversized error body (500, 64 MiB) is capped too and not retried", async () => {
        server.handler = async (req, res) => {
          res.writeHead(500, { "content-type": "application/json" });
          await pour(req, res, Buffer.alloc(MiB, 0x20), 64 * MiB);
        };
        const before = server.count();
        const error = await failureOf(() => clientWith(undefined, { maxRetries: 3 }).getLivenessSessionResult(SESSION_ID));
        expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE", statusCode: 500 });
        expect(server.count() - before).toBe(1);
      });
    });

      describe("session image bytes() is capped (limits.maxSessionImageBytes, default 16 MiB)", () => {
      for (const announced of [true, false]) {
        it(`a 40 MiB image ${announced ? "with" : "without"} Content-Length: bytes() fails with RESPONSE_TOO_LARGE, download stopped`, async () => {
          let written = 0;
          server.handler = async (req, res) => {
            res.writeHead(200, { "content-type": "image/jpeg", ...(announced ? { "content-length": String(40 * MiB) } : {}) });
            written = await pour(req, res, Buffer.alloc(MiB, 0xff), 40 * MiB);
          };
          const image = await clientWith().getSessionImage(IMAGE_ID);
          const error = await failureOf(() => image.bytes());
          expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE" });
          expect(error.message).toMatch(/limits\.maxSessionImageBytes \(16777216 bytes\)/);
          await server.expectClientClosedAll();
          expect(written).toBeLessThan(40 * MiB);
        });
      }

      it("an image within a configured cap is read whole, byte for byte", async () => {
        const bytes = Buffer.alloc(3 * MiB, 0xab);
        server.handler = (req, res) => void readBody(req).then(() => send(res, 200, bytes, { "content-type": "image/jpeg" }));
        const image = await clientWith({ maxSessionImageBytes: 3 * MiB }).getSessionImage(IMAGE_ID);
        expect(Buffer.from(await image.bytes()).equals(bytes)).toBe(true);
      });

      it("the stream itself is not capped: a caller may pipe a large body", async () => {
        server.handler = async (req, res) => {
          res.writeHead(200, { "content-type": "image/jpeg" });
          await pour(req, res, Buffer.alloc(MiB, 0x01), 20 * MiB);
        };
        const image = await clientWith().getSessionImage(IMAGE_ID);
        let received = 0;
        for await (const chunk of image.readableStreamBody as AsyncIterable<Buffer>) received += chunk.length;
        expect(received).toBe(20 * MiB);
      });
    });

    /** Sends the head at once, then one byte of `body` every `everyMs`. */
    function drip(body: Buffer, everyMs: number, contentType = "application/json"): (req: IncomingMessage, res: ServerResponse) => void {
      return (req, res) =>
        void readBody(req).then(() => {
          res.writeHead(200, { "content-type": contentType, "content-length": String(body.length) });
          let i = 0;
          const timer = setInterval(() => {
            if (res.destroyed || i >= body.length) return void clearInterval(timer);
            res.write(body.subarray(i, ++i));
            if (i === body.length) res.end();
          }, everyMs);
          res.once("close", () => clearInterval(timer));
        });
    }

      describe("timeouts cover the body (requestOptions.timeout, limits.idleTimeoutInMs)", () => {
      it("a drip-fed JSON body (1 byte / 100 ms) fails at requestOptions.timeout 500 ms with ETIMEDOUT", async () => {
        server.handler = drip(Buffer.from(JSON.stringify(livenessBody("NotStarted"))), 100);
        const { error, ms } = await measured(() => clientWith().getLivenessSessionResult(SESSION_ID, { requestOptions: { timeout: 500 } }));
        expect(error).toMatchObject({ name: "RestError", code: "ETIMEDOUT" });
        expect(error.message).toMatch(/timed out after 500 ms/);
        expect(ms).toBeGreaterThanOrEqual(450);
        expect(ms).toBeLessThan(3_000);
        await server.expectClientClosedAll();
      });

      it("getSessionImage with requestOptions.timeout 500 and a drip-fed body: bytes() fails with ETIMEDOUT (not pending at 5 s)", async () => {
        server.handler = drip(Buffer.alloc(1000, 0xff), 100, "image/jpeg");
        const started = performance.now();
        const image = await clientWith().getSessionImage(IMAGE_ID, { requestOptions: { timeout: 500 } });
        const error = await failureOf(() => image.bytes());
        expect(error).toMatchObject({ name: "RestError", code: "ETIMEDOUT" });
        expect(performance.now() - started).toBeLessThan(3_000);
        await server.expectClientClosedAll();
      });

      it("a streamed image whose server stops sending fails at limits.idleTimeoutInMs even with no deadline", async () => {
        server.handler = (req, res) =>
          void readBody(req).then(() => {
            res.writeHead(200, { "content-type": "image/jpeg", "content-length": "1000" });
            res.write(Buffer.alloc(10));
          });
        const image = await clientWith({ requestTimeoutInMs: 0, idleTimeoutInMs: 300 }).getSessionImage(IMAGE_ID);
        const { error, ms } = await measured(() => image.bytes());
        expect(error).toMatchObject({ name: "RestError", code: "ETIMEDOUT" });
        expect(error.message).toMatch(/limits\.idleTimeoutInMs/);
        expect(ms).toBeLessThan(3_000);
      });

      it("a server that never answers (head held) fails at the idle timeout, and GETs retry it", async () => {
        server.handler = () => undefined;
        const before = server.count();
        const { error, ms } = await measured(() =>
          clientWith({ requestTimeoutInMs: 0, idleTimeoutInMs: 200 }, { maxRetries: 1 }).getLivenessSessionResult(SESSION_ID),
        );
        expect(error).toMatchObject({ name: "RestError", code: "ETIMEDOUT" });
        expect(server.count() - before).toBe(2);
        expect(ms).toBeLessThan(5_000);
      });

      it("a slow but steady body (a tenth every 100 ms) within the deadline is read: the idle timer restarts on data", async () => {
        const body = Buffer.from(JSON.stringify(livenessBody("NotStarted")));
        server.handler = (req, res) =>
          void readBody(req).then(() => {
            res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
            const step = Math.ceil(body.length / 10);
            let i = 0;
            const timer = setInterval(() => {
              res.write(body.subarray(i, (i += step)));
              if (i >= body.length) {
                clearInterval(timer);
                res.end();
              }
            }, 100);
          });
        const session = await clientWith({ idleTimeoutInMs: 300 }).getLivenessSessionResult(SESSION_ID);
        expect(session.sessionId).toBe(SESSION_ID);
      });

      it("the default per-attempt timeout is 60 s (limits.requestTimeoutInMs), overridable per client and per call", async () => {
        const seen: number[] = [];
        const httpClient: HttpClient = {
          sendRequest: async (request) => {
            seen.push(request.timeout);
            return { request, status: 200, headers: request.headers, bodyAsText: JSON.stringify(livenessBody("NotStarted")) };
          },
        };
        await clientWith(undefined, { httpClient }).getLivenessSessionResult(SESSION_ID);
        await clientWith({ requestTimeoutInMs: 5_000 }, { httpClient }).getLivenessSessionResult(SESSION_ID);
        await clientWith({ requestTimeoutInMs: 5_000 }, { httpClient }).getLivenessSessionResult(SESSION_ID, { requestOptions: { timeout: 0 } });
        expect(seen).toEqual([60_000, 5_000, 0]);
      });

      it("finished requests leave their keep-alive connection reusable (no new connections)", async () => {
        server.handler = (req, res) => void readBody(req).then(() => sendJson(res, 200, livenessBody("NotStarted")));
        const client = clientWith();
        for (let i = 0; i < 5; i++) await client.getLivenessSessionResult(SESSION_ID);
        const connections = server.connections;
        for (let i = 0; i < 5; i++) await client.getLivenessSessionResult(SESSION_ID);
        expect(server.connections).toBe(connections);
      });
    });
  });
}

describe("limits are validated before anything is sent", () => {
  it.each([
    [{ maxResponseBodyBytes: 0 }, /limits\.maxResponseBodyBytes must be an integer from 1 to 268435456/],
    [{ maxResponseBodyBytes: 512 * MiB }, /limits\.maxResponseBodyBytes/],
    [{ maxSessionImageBytes: -1 }, /limits\.maxSessionImageBytes/],
    [{ requestTimeoutInMs: 1.5 }, /limits\.requestTimeoutInMs must be an integer from 0 to 2147483647/],
    [{ idleTimeoutInMs: Number.NaN }, /limits\.idleTimeoutInMs/],
  ])("%o is refused with a RangeError naming it", (limits, message) => {
    expect(() => clientWith(limits as FaceClientLimits)).toThrow(RangeError);
    expect(() => clientWith(limits as FaceClientLimits)).toThrow(message);
  });
});
