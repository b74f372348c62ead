import { AbortError } from "@azure/abort-controller";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_POLL_INTERVAL_IN_MS, getLatestAttempt, isRestError, type LivenessSession } from "../../src/index.js";
import { failure, ok, scriptedClient, settled, T0, type Reply } from "../utils/fakeTransport.js";
import {
  SESSION_ID,
  failedAttempt,
  livenessBody,
  runningAttempt,
  succeededAttempt,
  verifyAttempt,
  withVerifyBody,
} from "../utils/sessions.js";

const GET = `GET /detectLiveness-sessions/${SESSION_ID}`;
const GET_VERIFY = `GET /detectLivenessWithVerify-sessions/${SESSION_ID}`;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("waitForLivenessSessionResult", () => {
  it("polls NotStarted → Running → Succeeded and resolves 'succeeded', resetting the backoff on progress", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        ok(livenessBody("Running", [runningAttempt(1)])),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    const { value: outcome } = await result;

    expect(transport.lines()).toEqual([GET, GET, GET]);
    // First poll at once, then 2 s; Running is progress, so the next delay is 2 s again (not 3 s).
    expect(transport.times()).toEqual([0, 2_000, 4_000]);
    expect(outcome?.reason).toBe("succeeded");
    expect(outcome?.session?.status).toBe("Succeeded");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("backs off ×1.5 from 2 s to a 10 s cap while nothing changes", async () => {
    const idle = ok(livenessBody("NotStarted"));
    const { transport, client } = scriptedClient({ [GET]: [idle, idle, idle, idle, idle, idle, idle, ok(livenessBody("Canceled"))] });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();

    expect(transport.times()).toEqual([0, 2_000, 5_000, 9_500, 16_250, 26_250, 36_250, 46_250]);
    expect((await result).value?.reason).toBe("canceled");
    expect(DEFAULT_POLL_INTERVAL_IN_MS).toBe(2_000);
  });

  it("honours custom interval, multiplier and cap", async () => {
    const idle = ok(livenessBody("NotStarted"));
    const { transport, client } = scriptedClient({ [GET]: [idle, idle, idle, idle, idle, ok(livenessBody("Failed"))] });
    const result = settled(
      client.waitForLivenessSessionResult(SESSION_ID, { intervalInMs: 1_000, backoffMultiplier: 2, maxIntervalInMs: 5_000 }),
    );
    await vi.runAllTimersAsync();

    expect(transport.times()).toEqual([0, 1_000, 3_000, 7_000, 12_000, 17_000]);
    expect((await result).value?.reason).toBe("failed");
  });

  it("keeps polling past a failed attempt until the session is terminal, and the latest attempt is picked by id", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("Running", [failedAttempt(1)])),
        ok(livenessBody("Running", [runningAttempt(2), failedAttempt(1)])),
        ok(livenessBody("Succeeded", [failedAttempt(1), succeededAttempt(2)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    const { value: outcome } = await result;

    expect(transport.lines()).toHaveLength(3);
    expect(outcome?.reason).toBe("succeeded");
    const latest = getLatestAttempt(outcome!.session!);
    expect(latest?.attemptId).toBe(2);
    expect(latest?.result?.livenessDecision).toBe("realface");
  });

  it("with until 'firstAttempt', stops at the first finished attempt, even a failed one", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        ok(livenessBody("Running", [runningAttempt(1)])),
        ok(livenessBody("Running", [failedAttempt(1)])),
        ok(livenessBody("Succeeded", [succeededAttempt(2), failedAttempt(1)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID, { until: "firstAttempt" }));
    await vi.runAllTimersAsync();
    const { value: outcome } = await result;

    expect(transport.lines()).toHaveLength(3);
    expect(outcome?.reason).toBe("attemptFinished");
    if (outcome?.reason !== "attemptFinished") throw new Error("narrowing");
    expect(outcome.attempt.attemptId).toBe(1);
    expect(outcome.attempt.error?.code).toBe("FaceWithMaskDetected");
  });

  it("with until 'firstAttempt', reports the highest finished attempt id when several finished between polls", async () => {
    const { client } = scriptedClient({ [GET]: [ok(livenessBody("Running", [failedAttempt(1), succeededAttempt(3), failedAttempt(2)]))] });
    const outcome = await client.waitForLivenessSessionResult(SESSION_ID, { until: "firstAttempt" });
    if (outcome.reason !== "attemptFinished") throw new Error(`unexpected ${outcome.reason}`);
    expect(outcome.attempt.attemptId).toBe(3);
  });

  it("with until 'firstAttempt', still stops on a terminal session without attempts", async () => {
    const { client } = scriptedClient({ [GET]: [ok(livenessBody("Canceled"))] });
    const outcome = await client.waitForLivenessSessionResult(SESSION_ID, { until: "firstAttempt" });
    expect(outcome.reason).toBe("canceled");
  });

  it("calls onProgress with every observed session, in order", async () => {
    const { client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        ok(livenessBody("NotStarted")),
        ok(livenessBody("Running", [runningAttempt(1)])),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const seen: string[] = [];
    const result = settled(
      client.waitForLivenessSessionResult(SESSION_ID, {
        onProgress: (s) => seen.push(`${s.status}/${s.results.attempts.length}`),
      }),
    );
    await vi.runAllTimersAsync();
    await result;
    expect(seen).toEqual(["NotStarted/0", "NotStarted/0", "Running/1", "Succeeded/1"]);
  });

  it("rejects with the error onProgress throws and polls no more", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    const boom = new Error("boom");
    const result = settled(
      client.waitForLivenessSessionResult(SESSION_ID, {
        onProgress: () => {
          throw boom;
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await result).error).toBe(boom);
    expect(transport.lines()).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("throttling", () => {
  it("waits at least Retry-After (seconds) after a 429 that escaped the pipeline, then keeps polling", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        failure(429, "429", "Rate limit is exceeded. Try again in 26 seconds.", { "retry-after": "7" }),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.advanceTimersByTimeAsync(8_999);
    expect(transport.times()).toEqual([0, 2_000]);
    await vi.runAllTimersAsync();

    // Backoff alone would poll 3 s after the 429; Retry-After: 7 pushes it to 7 s.
    expect(transport.times()).toEqual([0, 2_000, 9_000]);
    expect((await result).value?.reason).toBe("succeeded");
  });

  it("reads Retry-After as an HTTP date", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        failure(429, "429", "Rate limit is exceeded.", { "retry-after": new Date(T0 + 14_000).toUTCString() }),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    expect(transport.times()).toEqual([0, 2_000, 14_000]);
    expect((await result).value?.reason).toBe("succeeded");
  });

  it("falls back to the gateway's 'Try again in N seconds' when there is no header", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        failure(429, "429", "Rate limit is exceeded. Try again in 26 seconds."),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    expect(transport.times()).toEqual([0, 26_000]);
    expect((await result).value?.reason).toBe("succeeded");
  });

  it("keeps polling after a 503 without Retry-After, on the backoff schedule", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        failure(503, "ServiceUnavailable", "Busy."),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    expect(transport.times()).toEqual([0, 2_000, 5_000]);
    expect((await result).value?.reason).toBe("succeeded");
  });

  it("rejects on any other error (404) and stops polling", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("NotStarted")), failure(404, "SessionNotFound", "Session Id is not found.")],
    });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.advanceTimersByTimeAsync(60_000);
    const { error } = await result;
    expect(isRestError(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 404, code: "SessionNotFound" });
    expect(transport.lines()).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("abort", () => {
  it("rejects at once and sends nothing when the signal aborted before the first poll", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    const controller = new AbortController();
    controller.abort();
    const { error } = await settled(client.waitForLivenessSessionResult(SESSION_ID, { abortSignal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).name).toBe("AbortError");
    expect(transport.lines()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects promptly between polls, clears the timer and sends nothing more", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    const controller = new AbortController();
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID, { abortSignal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.lines()).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1);

    controller.abort();
    const { error } = await result; // no timer advanced: the rejection does not wait for the sleep
    expect(error).toBeInstanceOf(AbortError);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.lines()).toHaveLength(1);
  });

  it("rejects promptly during a request, aborting it", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted")), "hang"] });
    const controller = new AbortController();
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID, { abortSignal: controller.signal }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(transport.times()).toEqual([0, 2_000]);

    controller.abort();
    const { error } = await result;
    expect(error).toBeInstanceOf(AbortError);
    expect(transport.abortedInFlight()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.lines()).toHaveLength(2);
  });
});

describe("timeout and expiry", () => {
  it("resolves 'timedOut' with the last session when timeoutInMs passes, and not before", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    let done = false;
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID, { timeoutInMs: 10_000 })).finally(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const { value: outcome } = await result;

    expect(outcome?.reason).toBe("timedOut");
    expect(outcome?.session?.status).toBe("NotStarted");
    expect(transport.times()).toEqual([0, 2_000, 5_000, 9_500]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("times out while a poll is in flight: the request is aborted and session is undefined", async () => {
    const { transport, client } = scriptedClient({ [GET]: ["hang"] });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID, { timeoutInMs: 5_000 }));
    await vi.advanceTimersByTimeAsync(5_000);
    const { value: outcome } = await result;
    expect(outcome).toEqual({ reason: "timedOut", session: undefined });
    expect(transport.abortedInFlight()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves 'expired' when a never-started session outlives authTokenExpiresOn of the created session", async () => {
    const { transport, client } = scriptedClient({
      "POST /detectLiveness-sessions": [ok(livenessBody("NotStarted"))],
      [GET]: [ok(livenessBody("NotStarted"))],
    });
    const session: LivenessSession = await client.createLivenessSession({
      livenessOperationMode: "Passive",
      authTokenTimeToLiveInSeconds: 60,
    });
    expect(session.authTokenExpiresOn?.getTime()).toBe(T0 + 60_000);

    const result = settled(client.waitForLivenessSessionResult(session));
    await vi.runAllTimersAsync();
    const { value: outcome } = await result;

    expect(outcome?.reason).toBe("expired");
    // Polls at 0, 2, 5, 9.5, 16.25 s, then every 10 s, and once at the expiry (60 s), which decides.
    expect(transport.times().slice(1)).toEqual([0, 2_000, 5_000, 9_500, 16_250, 26_250, 36_250, 46_250, 56_250, 60_000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("uses the authTokenExpiresOn option when only an id is given", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    const result = settled(
      client.waitForLivenessSessionResult(SESSION_ID, { authTokenExpiresOn: new Date(T0 + 4_000) }),
    );
    await vi.runAllTimersAsync();
    expect((await result).value?.reason).toBe("expired");
    expect(transport.times()).toEqual([0, 2_000, 4_000]); // the sleep is cut short at the expiry
  });

  it("does not expire a session the end user started before the token expired", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        ok(livenessBody("Running", [runningAttempt(1)])),
        ok(livenessBody("Running", [runningAttempt(1)])),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const result = settled(
      client.waitForLivenessSessionResult(SESSION_ID, { authTokenExpiresOn: new Date(T0 + 3_000) }),
    );
    await vi.runAllTimersAsync();
    expect((await result).value?.reason).toBe("succeeded");
    expect(transport.lines()).toHaveLength(4);
  });
});

describe("observeLivenessSession", () => {
  it("yields every observation and ends after the terminal one", async () => {
    const { client } = scriptedClient({
      [GET]: [
        ok(livenessBody("NotStarted")),
        ok(livenessBody("Running", [runningAttempt(1)])),
        ok(livenessBody("Succeeded", [succeededAttempt(1)])),
      ],
    });
    const statuses: string[] = [];
    const consume = (async () => {
      for await (const s of client.observeLivenessSession(SESSION_ID)) statuses.push(s.status);
    })();
    await vi.runAllTimersAsync();
    await consume;
    expect(statuses).toEqual(["NotStarted", "Running", "Succeeded"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops polling and clears its timers when the loop breaks", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("NotStarted")), ok(livenessBody("Running", [runningAttempt(1)]))],
    });
    const statuses: string[] = [];
    const consume = (async () => {
      for await (const s of client.observeLivenessSession(SESSION_ID, { timeoutInMs: 60_000 })) {
        statuses.push(s.status);
        if (s.status === "Running") break;
      }
    })();
    await vi.advanceTimersByTimeAsync(2_000);
    await consume;
    expect(statuses).toEqual(["NotStarted", "Running"]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(transport.lines()).toHaveLength(2);
  });

  it("checks options at call time, before any request", () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    expect(() => client.observeLivenessSession(SESSION_ID, { intervalInMs: 0 })).toThrow(RangeError);
    expect(() => client.observeLivenessSession("a/b")).toThrow(TypeError);
    expect(transport.lines()).toEqual([]);
  });
});

describe("waitForLivenessWithVerifySessionResult and options", () => {
  it("polls the with-verify path and narrows the attempt to a verify result", async () => {
    const { transport, client } = scriptedClient({
      [GET_VERIFY]: [ok(withVerifyBody("NotStarted")), ok(withVerifyBody("Succeeded", [verifyAttempt(1, true, 0.91)]))],
    });
    const result = settled(client.waitForLivenessWithVerifySessionResult(SESSION_ID, { until: "firstAttempt" }));
    await vi.runAllTimersAsync();
    const { value: outcome } = await result;
    expect(transport.lines()).toEqual([GET_VERIFY, GET_VERIFY]);
    if (outcome?.reason !== "attemptFinished") throw new Error("expected attemptFinished");
    expect(outcome.attempt.result?.verifyResult).toEqual({ isIdentical: true, matchConfidence: 0.91 });
  });

  it("rejects invalid options before sending anything", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))] });
    await expect(client.waitForLivenessSessionResult(SESSION_ID, { intervalInMs: -1 })).rejects.toThrow(RangeError);
    await expect(
      client.waitForLivenessSessionResult(SESSION_ID, { intervalInMs: 20_000, maxIntervalInMs: 5_000 }),
    ).rejects.toThrow(/maxIntervalInMs/);
    await expect(client.waitForLivenessSessionResult(SESSION_ID, { backoffMultiplier: 0.5 })).rejects.toThrow(RangeError);
    await expect(client.waitForLivenessSessionResult(SESSION_ID, { timeoutInMs: 0 })).rejects.toThrow(RangeError);
    await expect(client.waitForLivenessSessionResult(SESSION_ID, { until: "done" as never })).rejects.toThrow(TypeError);
    await expect(
      client.waitForLivenessSessionResult(SESSION_ID, { authTokenExpiresOn: new Date(Number.NaN) }),
    ).rejects.toThrow(TypeError);
    expect(transport.lines()).toEqual([]);
  });
});
