/**
 * The poller and finalize against the emulator over real loopback HTTP: the end user's device
 * acts while the client waits, through the emulator's device stand-in.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type LivenessSession } from "../../src/index.js";
import { listen, type EmulatorRequestLogEntry, type RunningEmulator } from "../../src/emulator/index.js";

const seen: EmulatorRequestLogEntry[] = [];
let running: RunningEmulator;
let client: FaceSessionClient;
const FAST = { intervalInMs: 20, maxIntervalInMs: 40, timeoutInMs: 10_000 };

beforeAll(async () => {
  running = await listen({ port: 0, clientAttemptsAllowed: 2, onRequest: (entry) => seen.push(entry) });
  client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), {
    retryOptions: { maxRetries: 0 },
  });
});
afterAll(async () => {
  await running.close();
});
beforeEach(() => {
  seen.length = 0;
});
afterEach(() => {
  running.emulator.reset();
});

/** Runs `act` once the poller has seen `count` sessions. */
function after(count: number, act: () => void) {
  let polls = 0;
  return (session: LivenessSession) => {
    polls++;
    if (polls === count) act();
    return session;
  };
}

const gets = (sessionId: string) => seen.filter((e) => e.method === "GET" && e.path.endsWith(sessionId));

describe("waitForLivenessSessionResult against the emulator", () => {
  it("follows NotStarted → Running → Succeeded as the device acts", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const statuses: string[] = [];
    const device = running.emulator;
    const outcome = await client.waitForLivenessSessionResult(session, {
      ...FAST,
      onProgress: (s) => {
        statuses.push(s.status);
        if (statuses.length === 2) device.simulateDevice(session.authToken, { outcome: "realface", stage: "start" });
        if (statuses.length === 4) device.simulateDevice(session.authToken, "realface");
      },
    });
    expect(outcome.reason).toBe("succeeded");
    expect(statuses.slice(0, 2)).toEqual(["NotStarted", "NotStarted"]);
    expect(statuses).toContain("Running");
    expect(statuses.at(-1)).toBe("Succeeded");
    expect(outcome.session?.results.attempts[0]?.result?.livenessDecision).toBe("realface");
    expect(gets(session.sessionId)).toHaveLength(statuses.length);
  });

  it("waits past a failed attempt for the successful one when two attempts are allowed", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const outcome = await client.waitForLivenessSessionResult(session, {
      ...FAST,
      onProgress: after(1, () => {
        running.emulator.simulateDevice(session.authToken, "FaceWithMaskDetected");
        setTimeout(() => running.emulator.simulateDevice(session.authToken, "realface"), 60);
      }),
    });
    expect(outcome.reason).toBe("succeeded");
    expect(outcome.session?.results.attempts.map((a) => [a.attemptId, a.attemptStatus])).toEqual([
      [2, "Succeeded"],
      [1, "Failed"],
    ]);
  });

  it("stops at the first finished attempt with until: firstAttempt", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const outcome = await client.waitForLivenessSessionResult(session, {
      ...FAST,
      until: "firstAttempt",
      onProgress: after(1, () => running.emulator.simulateDevice(session.authToken, "FaceWithMaskDetected")),
    });
    expect(outcome.reason).toBe("attemptFinished");
    if (outcome.reason !== "attemptFinished") return;
    expect(outcome.attempt.error?.code).toBe("FaceWithMaskDetected");
    expect(outcome.session.status).toBe("Running"); // a second attempt is still allowed
  });

  it("repeats a throttled poll after the emulator's Retry-After", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    running.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, count: 2, method: "GET" });
    running.emulator.simulateDevice(session.authToken, "spoofface");
    const outcome = await client.waitForLivenessSessionResult(session, FAST);
    expect(outcome.reason).toBe("succeeded");
    expect(gets(session.sessionId).map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it("stops with 'expired' for a session nobody starts, and 'timedOut' at the timeout", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const expired = await client.waitForLivenessSessionResult(session.sessionId, {
      ...FAST,
      authTokenExpiresOn: new Date(Date.now() + 100),
    });
    expect(expired.reason).toBe("expired");
    const timedOut = await client.waitForLivenessSessionResult(session, { ...FAST, timeoutInMs: 100 });
    expect(timedOut.reason).toBe("timedOut");
  });

  it("rejects with AbortError and sends nothing more after the signal aborts between polls", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const controller = new AbortController();
    const wait = client.waitForLivenessSessionResult(session, {
      ...FAST,
      abortSignal: controller.signal,
      onProgress: after(2, () => controller.abort()),
    });
    await expect(wait).rejects.toMatchObject({ name: "AbortError" });
    const count = gets(session.sessionId).length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gets(session.sessionId)).toHaveLength(count);
    expect(count).toBe(2);
  });
});

describe("finalize against the emulator", () => {
  it("reads, downloads, detects and deletes", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    running.emulator.simulateDevice(session.authToken, "realface");
    const result = await client.finalizeLivenessSession(session, { downloadSessionImage: true, detectFaces: true });
    expect(result.summary).toMatchObject({ accepted: true, isLive: true, livenessDecision: "realface" });
    expect(result.sessionImage?.subarray(0, 4)).toEqual(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]));
    expect(result.faces?.[0]?.faceRectangle).toEqual(result.session.results.attempts[0]?.result?.targets?.color?.faceRectangle);
    expect(result.deleted).toBe(true);
    await expect(client.getLivenessSessionResult(session.sessionId)).rejects.toMatchObject({ code: "SessionNotFound" });
  });

  it("deletes the session when the image download fails, and rethrows", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    running.emulator.simulateDevice(session.authToken, "realface");
    running.emulator.faults.enqueue({ kind: "status", status: 500, path: "/sessionImages/" });
    await expect(client.finalizeLivenessSession(session, { downloadSessionImage: true })).rejects.toMatchObject({ statusCode: 500 });
    expect(seen.map((e) => e.method + " " + e.status).slice(-2)).toEqual(["GET 500", "DELETE 204"]);
    await expect(client.getLivenessSessionResult(session.sessionId)).rejects.toMatchObject({ code: "SessionNotFound" });
  });

  it("deletes the session when the wait is aborted, and rejects with AbortError", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const controller = new AbortController();
    const finalize = client.finalizeLivenessSession(session, {
      abortSignal: controller.signal,
      wait: { ...FAST, onProgress: after(1, () => controller.abort()) },
    });
    await expect(finalize).rejects.toMatchObject({ name: "AbortError" });
    expect(seen.at(-1)).toMatchObject({ method: "DELETE", status: 204 });
    await expect(client.getLivenessSessionResult(session.sessionId)).rejects.toMatchObject({ code: "SessionNotFound" });
  });

  it("keeps the session when asked", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    running.emulator.simulateDevice(session.authToken, "uncertain");
    const result = await client.finalizeLivenessSession(session, { keepSession: true });
    expect(result).toMatchObject({ deleted: false, summary: { isLive: false, accepted: false, livenessDecision: "uncertain" } });
    await expect(client.getLivenessSessionResult(session.sessionId)).resolves.toMatchObject({ status: "Succeeded" });
  });
});
