/**
 * Retry semantics seen from both sides over real HTTP: creates are not idempotent, so a create
 * whose answer was lost after the service processed it must not be sent again (exactly one
 * session, one request), while a create refused with 429/503 is retried and still leaves exactly
 * one session; a connection refused before anything was sent is retried maxRetries times.
 *
 * "Lost after processing" is produced by a TCP proxy in front of the emulator that forwards the
 * request, lets the emulator handle it completely, and destroys the client's connection at the
 * first response byte.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { listen, type EmulatorRequestLogEntry, type RunningEmulator } from "../../src/emulator/index.js";
import {
  FAST_RETRY,
  MAX_ATTEMPTS,
  ResponseLosingProxy,
  TrackingAgent,
  closedPort,
  expectNoBusySockets,
  leakChecked,
  recordingHttpClient,
  rejectionOf,
  trackUnhandledRejections,
} from "./harness.js";
import { FACE_JPG } from "./rawOps.js";

trackUnhandledRejections();

const KEY = "retry-semantics-key";
const log: EmulatorRequestLogEntry[] = [];
let running: RunningEmulator;
let proxy: ResponseLosingProxy;
let setup: FaceSessionClient;
let agent: TrackingAgent;

beforeAll(async () => {
  running = await listen({ port: 0, key: KEY, onRequest: (entry) => log.push(entry) });
  proxy = await ResponseLosingProxy.start(Number(new URL(running.endpoint).port));
  setup = new FaceSessionClient(running.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY });
});
afterAll(async () => {
  await proxy.close();
  await running.close();
});
beforeEach(() => {
  agent = new TrackingAgent();
});
afterEach(() => {
  running.emulator.reset();
  proxy.reset();
  agent.destroy();
  log.length = 0;
});

const viaProxy = (): FaceSessionClient =>
  new FaceSessionClient(proxy.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY, agent });
const direct = (): FaceSessionClient =>
  new FaceSessionClient(running.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY, agent });
const posts = (path: string): number => log.filter((e) => e.method === "POST" && e.path === `/face/v1.2${path}`).length;

const CREATES = [
  {
    name: "createLivenessSession",
    path: "/detectLiveness-sessions",
    run: (client: FaceSessionClient) => client.createLivenessSession({ livenessOperationMode: "Passive" }),
  },
  {
    name: "createLivenessWithVerifySession",
    path: "/detectLivenessWithVerify-sessions",
    run: (client: FaceSessionClient) =>
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG }),
  },
] as const;

let casesRun = 0;

describe.each(CREATES.map((c) => [c.name, c] as const))("%s", (_name, create) => {
  it("a reset after the service processed the request is not retried: one request, exactly one session", async () => {
    await leakChecked(async () => {
      casesRun++;
      proxy.drop = () => true; // every answer is lost
      const error = await rejectionOf(create.run(viaProxy()));
      expect(error).toMatchObject({ name: "RestError", code: "ECONNRESET" });
      expect(error.statusCode).toBeUndefined();
      // Client side: one connection, one lost answer. Service side: one POST, one session.
      expect(proxy.connections).toBe(1);
      expect(proxy.droppedResponses).toBe(1);
      expect(posts(create.path)).toBe(1);
      expect(running.emulator.sessionCount).toBe(1);
      await expectNoBusySockets(agent);
    })();
  });

  it.each([
    [429, 2],
    [503, 2],
    [429, MAX_ATTEMPTS - 1],
  ] as const)("answered %i (Retry-After: 0) %i times is retried and leaves exactly one session", async (status, times) => {
    await leakChecked(async () => {
      casesRun++;
      running.emulator.faults.enqueue({ kind: "status", status, retryAfterSeconds: 0, count: times, method: "POST", path: create.path });
      const session = await create.run(direct());
      expect(posts(create.path)).toBe(times + 1);
      expect(running.emulator.sessionCount).toBe(1);
      await expect(setup.getLivenessSessionResult(session.sessionId).catch(() => setup.getLivenessWithVerifySessionResult(session.sessionId))).resolves.toMatchObject({
        sessionId: session.sessionId,
      });
      await expectNoBusySockets(agent);
    })();
  });

  it("answered 429 more often than the retry budget: gives up after maxRetries + 1 POSTs, no session", async () => {
    await leakChecked(async () => {
      casesRun++;
      running.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, count: Infinity, method: "POST", path: create.path });
      const error = await rejectionOf(create.run(direct()));
      expect(error).toMatchObject({ name: "RestError", statusCode: 429 });
      expect(posts(create.path)).toBe(MAX_ATTEMPTS);
      expect(running.emulator.sessionCount).toBe(0);
    })();
  });

  it("a refused connection (closed port on 127.0.0.1) is retried maxRetries times, then ECONNREFUSED", async () => {
    await leakChecked(async () => {
      casesRun++;
      const { client, recorder, port } = await closedPortClient();
      const error = await rejectionOf(create.run(client));
      expect(error.name).toBe("RestError");
      expect(error.code).toBe("ECONNREFUSED");
      // Observable count: the transport was asked maxRetries + 1 times, always for the same URL.
      expect(recorder.calls).toHaveLength(MAX_ATTEMPTS);
      expect(new Set(recorder.calls.map((c) => c.url))).toEqual(new Set([`http://127.0.0.1:${port}/face/v1.2${create.path}`]));
    })();
  });
});


/** A client pointed at a closed loopback port, with a transport that records every attempt. */
async function closedPortClient() {
  const port = await closedPort();
  const recorder = recordingHttpClient();
  const client = new FaceSessionClient(`http://127.0.0.1:${port}`, new AzureKeyCredential(KEY), {
    retryOptions: FAST_RETRY,
    httpClient: recorder.httpClient,
  });
  return { client, recorder, port };
}

describe("reads through the same lost-answer proxy", () => {
  it("a GET whose answer is lost once is retried and succeeds (2 GETs)", async () => {
    await leakChecked(async () => {
      casesRun++;
      const created = await setup.createLivenessSession({ livenessOperationMode: "Passive" });
      log.length = 0;
      proxy.drop = (index) => index === 0;
      const session = await viaProxy().getLivenessSessionResult(created.sessionId);
      expect(session.sessionId).toBe(created.sessionId);
      expect(log.filter((e) => e.method === "GET")).toHaveLength(2);
      await expectNoBusySockets(agent);
    })();
  });

  it("a GET whose answers are always lost gives up after maxRetries + 1 attempts (ECONNRESET)", async () => {
    await leakChecked(async () => {
      casesRun++;
      const created = await setup.createLivenessSession({ livenessOperationMode: "Passive" });
      log.length = 0;
      proxy.drop = () => true;
      const error = await rejectionOf(viaProxy().getLivenessSessionResult(created.sessionId));
      expect(error.code).toBe("ECONNRESET");
      expect(log.filter((e) => e.method === "GET")).toHaveLength(MAX_ATTEMPTS);
    })();
  });

  // Characterization, reported as a note: DELETE is retried like a read, but it is not idempotent
  // in its answer. When the first answer is lost after the emulator deleted the session, the retry
  // gets 404 SessionNotFound and deleteLivenessSession throws although the session is gone.
  // (finalize... treats that 404 as deleted; a direct caller has to.)
  it("a DELETE whose answer is lost is retried, and the retry's 404 counts as deleted", async () => {
    await leakChecked(async () => {
      casesRun++;
      const created = await setup.createLivenessSession({ livenessOperationMode: "Passive" });
      log.length = 0;
      proxy.drop = (index) => index === 0;
      await viaProxy().deleteLivenessSession(created.sessionId);
      expect(log.filter((e) => e.method === "DELETE").map((e) => e.status)).toEqual([204, 404]);
      expect(running.emulator.sessionCount).toBe(0);
    })();
  });

  it("a GET to a closed port is retried maxRetries times, then ECONNREFUSED", async () => {
    await leakChecked(async () => {
      casesRun++;
      const { client, recorder } = await closedPortClient();
      const error = await rejectionOf(client.getLivenessSessionResult("some-session"));
      expect(error.code).toBe("ECONNREFUSED");
      expect(recorder.calls).toHaveLength(MAX_ATTEMPTS);
    })();
  });
});

afterAll(() => {
  console.log(`[reliability] retry-semantics cases run: ${casesRun}`);
});
