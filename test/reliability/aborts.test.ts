/**
 * Aborts at every stage, against a raw `node:http` server that holds requests: before sending,
 * while the server holds the response, mid-upload (a slow-reading server), mid-download (a session
 * image stream after its first chunk), while a retry delay runs, and in the poller between polls and
 * during a poll. Each case asserts the typed outcome, the attempts the server saw, that the client
 * destroyed the socket it was using (without the server's help), that no timer is left armed and
 * that no rejection went unhandled.
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { livenessBody } from "../utils/sessions.js";
import {
  RawServer,
  TrackingAgent,
  expectNoBusySockets,
  leakChecked,
  readBody,
  rejectionOf,
  send,
  sendJson,
  trackUnhandledRejections,
  waitUntil,
  useRawServer,
} from "./harness.js";
import { FACE_PNG, IMAGE_ID, RAW_OPS, SESSION_ID } from "./rawOps.js";

trackUnhandledRejections();

const KEY = "abort-key";
const raw = useRawServer(KEY);
let server: RawServer;
let agent: TrackingAgent;
beforeEach(() => ({ server, agent } = raw));
const clientFor = raw.clientFor;

/** Resolves once `socket` has closed. */
function closed(socket: Socket): () => boolean {
  let done = socket.destroyed;
  socket.once("close", () => (done = true));
  return () => done;
}

let casesRun = 0;

describe("signal already aborted: nothing is sent", () => {
  it.each(RAW_OPS.map((op) => [op.name, op] as const))("%s", async (_n, op) => {
    await leakChecked(async () => {
      casesRun++;
      const error = await rejectionOf(op.run(clientFor(), { abortSignal: AbortSignal.abort() }));
      expect(error.name).toBe("AbortError");
      expect(server.requests).toHaveLength(0);
      expect(server.connections).toBe(0);
    })();
  });
});

describe("aborted while the server holds the response (mid-request)", () => {
  it.each(RAW_OPS.map((op) => [op.name, op] as const))("%s", async (_n, op) => {
    await leakChecked(async () => {
      casesRun++;
      server.handler = (req) => readBody(req).then(() => undefined); // never answers
      const controller = new AbortController();
      const call = op.run(clientFor(), { abortSignal: controller.signal });
      await waitUntil(() => server.requests.length === 1, "the request to arrive");
      controller.abort();
      const error = await rejectionOf(call);
      expect(error.name).toBe("AbortError");
      expect(server.requests).toHaveLength(1); // an aborted attempt is never retried
      await server.expectClientClosedAll();
      await expectNoBusySockets(agent);
    })();
  });
});

describe("aborted mid-upload: liveness-with-verify create against a slow-reading server", () => {
  it("rejects with AbortError, stops sending and closes the connection", async () => {
    await leakChecked(async () => {
      casesRun++;
      const image = Buffer.alloc(5 * 1024 * 1024, 0x20);
      image.set([0xff, 0xd8, 0xff, 0xe0]); // JPEG magic; the rest is filler
      let received = 0;
      let request: IncomingMessage | undefined;
      server.handler = (req) => {
        request = req;
        req.pause(); // reads only when the test pulls, 16 KB at a time
      };
      const pull = (): void => {
        let chunk: Buffer | null;
        while (received < 256 * 1024 && (chunk = request?.read(16 * 1024) as Buffer | null) !== null && chunk !== undefined) {
          received += chunk.length;
        }
      };
      const controller = new AbortController();
      const call = clientFor().createLivenessWithVerifySession(
        { livenessOperationMode: "Passive", verifyImage: image },
        { abortSignal: controller.signal },
      );
      await waitUntil(() => {
        pull();
        return received >= 256 * 1024;
      }, "the server to read the first 256 KB");
      controller.abort();
      const error = await rejectionOf(call);
      expect(error.name).toBe("AbortError");
      expect(received).toBeLessThan(image.length);
      // Drain what is buffered so the server notices the client's close.
      request!.on("data", (chunk: Buffer) => (received += chunk.length)).resume();
      await server.expectClientClosedAll("the client to close the upload connection");
      expect(received, "the upload stopped before the whole body was sent").toBeLessThan(image.length);
      expect(server.requests).toHaveLength(1);
      await expectNoBusySockets(agent);
    })();
  });
});

describe("aborted mid-download: session image stream after its first chunk", () => {
  /** Sends the headers (64 KB announced) and a first 16 KB chunk, then holds the rest. */
  function holdAfterFirstChunk(): { socket: () => Socket | undefined } {
    let socket: Socket | undefined;
    server.handler = (req, res) => {
      socket = req.socket;
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(64 * 1024) });
      res.write(Buffer.alloc(16 * 1024, 7));
    };
    return { socket: () => socket };
  }

  async function abortAfterFirstChunk(): Promise<{ error: any; socketClosed: () => boolean }> {
    const held = holdAfterFirstChunk();
    const controller = new AbortController();
    const image = await clientFor().getSessionImage(IMAGE_ID, { abortSignal: controller.signal });
    expect(image.contentLength).toBe(64 * 1024);
    const socketClosed = closed(held.socket()!);
    const chunks = (image.readableStreamBody as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.done).toBe(false);
    controller.abort();
    const error = await rejectionOf(chunks.next());
    return { error, socketClosed };
  }

  it("the stream fails instead of hanging, and the client closes the connection", async () => {
    await leakChecked(async () => {
      casesRun++;
      const { error, socketClosed } = await abortAfterFirstChunk();
      // The caller's abort surfaces on the stream as an AbortError (not Node's generic "aborted").
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe("AbortError");
      await waitUntil(socketClosed, "the client to close the download connection");
      expect(server.requests).toHaveLength(1);
      await expectNoBusySockets(agent);
    })();
  });

  // Regression. README "Errors": "Aborting (abortSignal) rejects with an AbortError." A download aborted
  // after getSessionImage resolved used to surface as Node's generic `Error: aborted` (code ECONNRESET) on the
  // stream, so callers that check `error.name === "AbortError"` treat their own abort as a
  // network failure. Repro: getSessionImage(id, { abortSignal }), read one chunk, abort, read again.
  it("the stream fails with an AbortError", async () => {
    casesRun++;
    const { error } = await abortAfterFirstChunk();
    expect(error.name).toBe("AbortError");
  });
});

describe("aborted while a retry delay runs", () => {
  it("a GET throttled with Retry-After: 1 rejects at once on abort, with no timer left", async () => {
    await leakChecked(async () => {
      casesRun++;
      server.handler = (req, res) =>
        readBody(req).then(() =>
          sendJson(res, 429, { error: { statusCode: 429, message: "Rate limit is exceeded. Try again in 1 seconds." } }, { "retry-after": "1" }),
        );
      const controller = new AbortController();
      const call = clientFor({ maxRetryDelayInMs: 2_000 }).getLivenessSessionResult(SESSION_ID, { abortSignal: controller.signal });
      await waitUntil(() => server.requests.length === 1, "the first attempt");
      controller.abort();
      const error = await rejectionOf(call);
      expect(error.name).toBe("AbortError");
      expect(server.requests).toHaveLength(1);
      await expectNoBusySockets(agent);
    })();
  });
});

describe("the poller", () => {
  const notStarted = JSON.stringify(livenessBody("NotStarted"));

  it("aborted between polls: AbortError, one GET, and the 60 s sleep is cleared", async () => {
    await leakChecked(async () => {
      casesRun++;
      server.handler = (req, res) => readBody(req).then(() => send(res, 200, notStarted, { "content-type": "application/json" }));
      const controller = new AbortController();
      let observed = 0;
      const wait = clientFor().waitForLivenessSessionResult(SESSION_ID, {
        intervalInMs: 60_000,
        abortSignal: controller.signal,
        onProgress: () => observed++,
      });
      await waitUntil(() => observed === 1, "the first poll");
      controller.abort();
      const error = await rejectionOf(wait);
      expect(error.name).toBe("AbortError");
      expect(server.requests).toHaveLength(1);
      await expectNoBusySockets(agent);
    })();
  });

  it("aborted during a poll: AbortError, two GETs, the held connection closed by the client", async () => {
    await leakChecked(async () => {
      casesRun++;
      let heldClosed: (() => boolean) | undefined;
      server.handler = async (req, res, index) => {
        await readBody(req);
        if (index === 0) send(res, 200, notStarted, { "content-type": "application/json" });
        else heldClosed = closed(req.socket); // hold the second poll
      };
      const controller = new AbortController();
      const wait = clientFor().waitForLivenessSessionResult(SESSION_ID, { intervalInMs: 5, abortSignal: controller.signal });
      await waitUntil(() => heldClosed !== undefined, "the second poll");
      controller.abort();
      const error = await rejectionOf(wait);
      expect(error.name).toBe("AbortError");
      expect(server.requests).toHaveLength(2);
      await waitUntil(() => heldClosed!(), "the client to close the held poll");
      await expectNoBusySockets(agent);
    })();
  });

  it("timeoutInMs passing during a held poll resolves timedOut and closes that connection", async () => {
    await leakChecked(async () => {
      casesRun++;
      let heldClosed: (() => boolean) | undefined;
      server.handler = async (req, res, index) => {
        await readBody(req);
        if (index === 0) send(res, 200, notStarted, { "content-type": "application/json" });
        else heldClosed = closed(req.socket);
      };
      const outcome = await clientFor().waitForLivenessSessionResult(SESSION_ID, { intervalInMs: 5, timeoutInMs: 300 });
      expect(outcome.reason).toBe("timedOut");
      expect(outcome.session?.status).toBe("NotStarted");
      expect(server.requests).toHaveLength(2);
      await waitUntil(() => heldClosed?.() === true, "the client to close the held poll");
      await expectNoBusySockets(agent);
    })();
  });

  it("breaking out of observeLivenessSession stops polling and clears the sleep", async () => {
    await leakChecked(async () => {
      casesRun++;
      server.handler = (req, res) => readBody(req).then(() => send(res, 200, notStarted, { "content-type": "application/json" }));
      const seen: string[] = [];
      for await (const session of clientFor().observeLivenessSession(SESSION_ID, { intervalInMs: 60_000 })) {
        seen.push(session.status);
        break;
      }
      expect(seen).toEqual(["NotStarted"]);
      expect(server.requests).toHaveLength(1);
      await expectNoBusySockets(agent);
    })();
  });
});

describe("finalize aborted mid-download still deletes the session", () => {
  it("rejects with AbortError after deleting with deleteAbortSignal, and closes the download", async () => {
    await leakChecked(async () => {
      casesRun++;
      const withImage = JSON.stringify(
        livenessBody("Succeeded", [
          {
            attemptId: 1,
            attemptStatus: "Succeeded",
            result: {
              livenessDecision: "realface",
              targets: { color: { faceRectangle: { top: 1, left: 1, width: 2, height: 2 } } },
              digest: "D",
              sessionImageId: IMAGE_ID,
            },
          },
        ]),
      );
      let downloadClosed: (() => boolean) | undefined;
      server.handler = async (req, res) => {
        await readBody(req);
        if (req.method === "GET" && req.url?.includes("/sessionImages/")) {
          downloadClosed = closed(req.socket);
          res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(FACE_PNG.length * 4) });
          res.write(FACE_PNG); // then holds
        } else if (req.method === "GET") send(res, 200, withImage, { "content-type": "application/json" });
        else send(res, 204);
      };
      const controller = new AbortController();
      const call = clientFor().finalizeLivenessSession(SESSION_ID, { downloadSessionImage: true, abortSignal: controller.signal });
      await waitUntil(() => downloadClosed !== undefined, "the download to start");
      controller.abort();
      const error = await rejectionOf(call);
      expect(error.name).toBe("AbortError");
      expect(server.requests.map((r) => r.method)).toEqual(["GET", "GET", "DELETE"]);
      await waitUntil(() => downloadClosed!(), "the client to close the download");
      await expectNoBusySockets(agent);
    })();
  });
});

afterAll(() => {
  console.log(`[reliability] abort cases run: ${casesRun}`);
});
