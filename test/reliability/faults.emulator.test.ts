/**
 * Fault suite, emulator half: every operation against the bundled emulator over real loopback HTTP
 * (`listen({ port: 0 })`), with faults injected by `emulator.faults.enqueue(...)`: dropped
 * connections, 429/503 with `Retry-After` in seconds, 429/503/500 storms longer than the retry
 * budget, and a delay longer than `requestOptions.timeout`.
 *
 * Both sides are checked: the typed outcome on the client, the attempts the emulator logged
 * (`onRequest`), the sessions it holds afterwards (creates must never leave a duplicate), that no
 * client socket stays assigned to a request, that no timer is left armed and that no rejection
 * went unhandled.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceOperationOptions } from "../../src/index.js";
import { listen, type EmulatorFault, type EmulatorRequestLogEntry, type RunningEmulator } from "../../src/emulator/index.js";
import { FAST_RETRY, MAX_ATTEMPTS, TrackingAgent, expectNoBusySockets, leakChecked, trackUnhandledRejections, waitUntil } from "./harness.js";
import { FACE_JPG } from "./rawOps.js";

trackUnhandledRejections();

const KEY = "emulator-fault-key";
const log: EmulatorRequestLogEntry[] = [];
let running: RunningEmulator;
let setup: FaceSessionClient;
let agent: TrackingAgent;

beforeAll(async () => {
  running = await listen({ port: 0, key: KEY, onRequest: (entry) => log.push(entry) });
  setup = new FaceSessionClient(running.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY });
});
afterAll(async () => {
  await running.close();
});
beforeEach(() => {
  agent = new TrackingAgent();
});
afterEach(() => {
  running.emulator.reset();
  agent.destroy();
  log.length = 0;
});

function clientFor(): FaceSessionClient {
  return new FaceSessionClient(running.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY, agent });
}

interface Ctx {
  sessionId: string;
  imageId: string;
}

interface EmuOp {
  readonly name: string;
  readonly method: "GET" | "POST" | "DELETE";
  /** Path after `/face/v1.2`, a prefix (also the fault filter). */
  readonly path: string;
  readonly create: boolean;
  readonly poller: boolean;
  prepare(): Promise<Ctx>;
  run(client: FaceSessionClient, ctx: Ctx, options: FaceOperationOptions): Promise<unknown>;
  /** Checks a success on both sides. */
  check(value: unknown, ctx: Ctx): void;
}

async function sessionWithImage(): Promise<Ctx> {
  const session = await setup.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
  running.emulator.simulateDevice(session.authToken, "realface");
  const result = await setup.getLivenessSessionResult(session.sessionId);
  const imageId = result.results.attempts[0]?.result?.sessionImageId;
  if (imageId === undefined) throw new Error("the emulator gave no session image");
  return { sessionId: session.sessionId, imageId };
}

const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

const OPS: readonly EmuOp[] = [
  {
    name: "createLivenessSession",
    method: "POST",
    path: "/detectLiveness-sessions",
    create: true,
    poller: false,
    prepare: async () => ({ sessionId: "", imageId: "" }),
    run: (client, _ctx, options) => client.createLivenessSession({ livenessOperationMode: "Passive" }, options),
    check: () => expect(running.emulator.sessionCount).toBe(1),
  },
  {
    name: "createLivenessWithVerifySession",
    method: "POST",
    path: "/detectLivenessWithVerify-sessions",
    create: true,
    poller: false,
    prepare: async () => ({ sessionId: "", imageId: "" }),
    run: (client, _ctx, options) =>
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG }, options),
    check: () => expect(running.emulator.sessionCount).toBe(1),
  },
  {
    name: "getLivenessSessionResult",
    method: "GET",
    path: "/detectLiveness-sessions/",
    create: false,
    poller: false,
    prepare: sessionWithImage,
    run: (client, ctx, options) => client.getLivenessSessionResult(ctx.sessionId, options),
    check: (value) => expect((value as { status: string }).status).toBe("Succeeded"),
  },
  {
    name: "deleteLivenessSession",
    method: "DELETE",
    path: "/detectLiveness-sessions/",
    create: false,
    poller: false,
    prepare: sessionWithImage,
    run: (client, ctx, options) => client.deleteLivenessSession(ctx.sessionId, options),
    check: () => expect(running.emulator.sessionCount).toBe(0),
  },
  {
    name: "getSessionImage",
    method: "GET",
    path: "/sessionImages/",
    create: false,
    poller: false,
    prepare: sessionWithImage,
    run: async (client, ctx, options) => (await client.getSessionImage(ctx.imageId, options)).bytes(),
    check: (value) => expect(Buffer.from(value as Uint8Array).subarray(0, 4)).toEqual(JPEG_SIGNATURE),
  },
  {
    name: "detectFromSessionImage",
    method: "POST",
    path: "/detect",
    create: false,
    poller: false,
    prepare: sessionWithImage,
    run: (client, ctx, options) => client.detectFromSessionImage(ctx.imageId, options),
    check: (value) => expect(value).toHaveLength(1),
  },
  {
    name: "waitForLivenessSessionResult",
    method: "GET",
    path: "/detectLiveness-sessions/",
    create: false,
    poller: true,
    prepare: sessionWithImage,
    run: (client, ctx, options) =>
      client.waitForLivenessSessionResult(ctx.sessionId, { ...options, intervalInMs: 5, timeoutInMs: 15_000 }),
    check: (value) => expect((value as { reason: string }).reason).toBe("succeeded"),
  },
];

type Expectation =
  | { readonly outcome: "success"; readonly attempts: number; readonly minElapsedMs?: number }
  | { readonly outcome: "error"; readonly attempts: number; readonly name: string; readonly code?: string; readonly statusCode?: number };

interface EmuFault {
  readonly name: string;
  readonly fault: (op: EmuOp) => EmulatorFault | undefined;
  readonly expect: (op: EmuOp) => Expectation;
  readonly requestTimeoutMs?: number;
}

const retriedTo = (op: EmuOp): number => (op.create ? 1 : MAX_ATTEMPTS);
/** Storms the poller outlives: 6 faulted polls (the pipeline gives up after 4, the poller polls again). */
const storm = (op: EmuOp): number => (op.poller ? 6 : Infinity);

const FAULTS: readonly EmuFault[] = [
  {
    name: "connection dropped before any response (drop), always",
    fault: () => ({ kind: "drop", count: Infinity }),
    expect: (op) => ({ outcome: "error", attempts: retriedTo(op), name: "RestError", code: "ECONNRESET" }),
  },
  {
    name: "429 with Retry-After: 0 (seconds), once",
    fault: () => ({ kind: "status", status: 429, retryAfterSeconds: 0 }),
    expect: () => ({ outcome: "success", attempts: 2 }),
  },
  {
    name: "503 with Retry-After: 0 (seconds), once",
    fault: () => ({ kind: "status", status: 503, retryAfterSeconds: 0 }),
    expect: () => ({ outcome: "success", attempts: 2 }),
  },
  {
    name: "429 storm with Retry-After: 0, longer than the retry budget",
    fault: (op) => ({ kind: "status", status: 429, retryAfterSeconds: 0, count: storm(op) }),
    expect: (op) =>
      op.poller
        ? { outcome: "success", attempts: 7 } // 4 pipeline attempts, the poller waits, then 2 more 429s and a 200
        : { outcome: "error", attempts: MAX_ATTEMPTS, name: "RestError", code: "429", statusCode: 429 },
  },
  {
    name: "503 storm without Retry-After, longer than the retry budget",
    fault: (op) => ({ kind: "status", status: 503, count: storm(op) }),
    expect: (op) =>
      op.poller
        ? { outcome: "success", attempts: 7 }
        : // creates are retried on 503 too: the service refused the request, no session exists
          { outcome: "error", attempts: MAX_ATTEMPTS, name: "RestError", code: "ServiceUnavailable", statusCode: 503 },
  },
  {
    name: "500 storm, longer than the retry budget",
    fault: () => ({ kind: "status", status: 500, count: Infinity }),
    expect: (op) => ({ outcome: "error", attempts: retriedTo(op), name: "RestError", code: "InternalServerError", statusCode: 500 }),
  },
  {
    name: "answer delayed 2 s, requestOptions.timeout 100 ms",
    fault: () => ({ kind: "delay", ms: 2000, count: Infinity }),
    requestTimeoutMs: 100,
    // Each attempt times out as ETIMEDOUT: reads retry it, creates do not (it may have been processed).
    expect: (op) => ({ outcome: "error", attempts: op.create ? 1 : MAX_ATTEMPTS, name: "RestError", code: "ETIMEDOUT" }),
  },
];

let casesRun = 0;

function attemptsSeen(op: EmuOp): number {
  const prefix = `/face/v1.2${op.path}`;
  return log.filter((e) => e.method === op.method && e.path.startsWith(prefix)).length;
}

async function runCase(op: EmuOp, fault: EmulatorFault | undefined, expected: Expectation, requestTimeoutMs?: number): Promise<void> {
  casesRun++;
  const ctx = await op.prepare();
  const sessionsBefore = running.emulator.sessionCount;
  log.length = 0;
  if (fault) running.emulator.faults.enqueue({ ...fault, method: op.method, path: op.path });
  const options: FaceOperationOptions = requestTimeoutMs ? { requestOptions: { timeout: requestTimeoutMs } } : {};
  const started = Date.now();
  const settled = await op.run(clientFor(), ctx, options).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error as any }),
  );
  if (expected.outcome === "success") {
    if (!settled.ok) throw settled.error;
    op.check(settled.value, ctx);
    if (expected.minElapsedMs !== undefined) expect(Date.now() - started).toBeGreaterThanOrEqual(expected.minElapsedMs);
  } else {
    expect(settled.ok, "the call should fail").toBe(false);
    const error = settled.ok ? undefined : settled.error;
    expect(error.name).toBe(expected.name);
    if (expected.code !== undefined) expect(error.code).toBe(expected.code);
    if (expected.statusCode !== undefined) expect(error.statusCode).toBe(expected.statusCode);
    // A failed create left no session behind; other failures changed nothing either.
    expect(running.emulator.sessionCount).toBe(sessionsBefore);
  }
  if (expected.outcome === "error" && expected.code === "ETIMEDOUT") {
    // The client destroyed each timed-out socket; the emulator then logs each aborted request (status 0).
    await waitUntil(() => agent.open === 0, "the client to destroy the timed-out socket");
    await waitUntil(() => attemptsSeen(op) >= expected.attempts, "the emulator to log the aborted requests");
    expect(log.at(-1)?.status).toBe(0);
  }
  expect(attemptsSeen(op)).toBe(expected.attempts);
  await expectNoBusySockets(agent);
}

describe.each(OPS.map((op) => [op.name, op] as const))("%s against the emulator", (_name, op) => {
  it.each(FAULTS.map((fault) => [fault.name, fault] as const))("%s", async (_faultName, fault) => {
    await leakChecked(() => runCase(op, fault.fault(op), fault.expect(op), fault.requestTimeoutMs))();
  });
});

describe("429 with Retry-After: 1 (seconds), once", () => {
  const get = OPS.find((o) => o.name === "getLivenessSessionResult")!;
  it("a GET is not retried either (1 s > maxRetryDelayInMs): the 429 is thrown at once", async () => {
    await leakChecked(() =>
      runCase(get, { kind: "status", status: 429, retryAfterSeconds: 1 }, { outcome: "error", attempts: 1, name: "RestError", code: "429", statusCode: 429 }),
    )();
  });
  it.each(OPS.filter((o) => o.create).map((op) => [op.name, op] as const))(
    "%s is not retried (1 s > maxRetryDelayInMs): the 429 is thrown and no session exists",
    async (_n, op) => {
      await leakChecked(() =>
        runCase(op, { kind: "status", status: 429, retryAfterSeconds: 1 }, { outcome: "error", attempts: 1, name: "RestError", code: "429", statusCode: 429 }),
      )();
      expect(running.emulator.sessionCount).toBe(0);
    },
  );
});

afterAll(() => {
  console.log(`[reliability] emulator fault cases run: ${casesRun}`);
});
