/**
 * Bounded waits. Over real HTTP: a read answered 429 with a `Retry-After` longer than
 * `maxRetryDelayInMs` (an hour, or past Node's 2^31-1 ms timer limit) fails at once with the 429,
 * arms no oversized timer and raises no TimeoutOverflowWarning; a shorter one is waited for; a
 * 429 without `Retry-After` is retried; a wait under permanent throttling resolves "expired" at the
 * token expiry. On the fake clock with the default options: the longest wait of one operation
 * (3 retries × 64 s), the poller's 60 s cap per throttled sleep and its 25 h total without
 * `timeoutInMs`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AzureKeyCredential,
  DEFAULT_POLL_TIMEOUT_IN_MS,
  FaceSessionClient,
  MAX_POLL_THROTTLE_DELAY_IN_MS,
  type LivenessSession,
} from "../../src/index.js";
import { failure, fakeTransport, ok, settled, T0, type Reply } from "../utils/fakeTransport.js";
import { livenessBody, SESSION_ID, IMAGE_ID } from "../utils/sessions.js";
import { failureOf, readBody, sendJson, trackUnhandledRejections, useRawServer } from "./harness.js";

trackUnhandledRejections();

const KEY = "bounded-waits-key";
const throttled = (res: Parameters<typeof sendJson>[0], retryAfter?: string, message = "Rate limit is exceeded."): void =>
  sendJson(res, 429, { error: { statusCode: 429, message } }, retryAfter === undefined ? {} : { "retry-after": retryAfter });

/** Every operation that uses the read retry rules, by name. */
const READS: Record<string, (client: FaceSessionClient) => Promise<unknown>> = {
  getLivenessSessionResult: (c) => c.getLivenessSessionResult("s"),
  getLivenessWithVerifySessionResult: (c) => c.getLivenessWithVerifySessionResult("s"),
  deleteLivenessSession: (c) => c.deleteLivenessSession("s"),
  deleteLivenessWithVerifySession: (c) => c.deleteLivenessWithVerifySession("s"),
  getSessionImage: (c) => c.getSessionImage("i"),
  detectFromSessionImage: (c) => c.detectFromSessionImage("i"),
};

describe("over HTTP: reads honour Retry-After only up to maxRetryDelayInMs", () => {
  const fixture = useRawServer(KEY);
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  beforeEach(() => {
    warnings.length = 0;
    process.on("warning", onWarning);
  });
  afterEach(() => {
    process.off("warning", onWarning);
  });
  const client = (retryOptions = {}) =>
    new FaceSessionClient(fixture.server.endpoint, new AzureKeyCredential(KEY), { agent: fixture.agent, retryOptions });

  for (const retryAfter of ["3600", "999999999", new Date(Date.now() + 86_400_000).toUTCString()]) {
    it.each(Object.keys(READS))(`Retry-After: ${retryAfter.slice(0, 12)}: %s fails at once with the 429`, async (name) => {
      fixture.server.handler = (req, res) => readBody(req).then(() => throttled(res, retryAfter));
      const started = performance.now();
      const error = await failureOf(() => READS[name]!(client()));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(error).toMatchObject({ name: "RestError", statusCode: 429, code: "429" });
      expect(error.response.headers.get("retry-after")).toBe(retryAfter);
      expect(fixture.server.requests).toHaveLength(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain("TimeoutOverflowWarning");
    });
  }

  it("waits a Retry-After within maxRetryDelayInMs, then retries", async () => {
    fixture.server.handler = (req, res, index) =>
      readBody(req).then(() => (index === 0 ? throttled(res, "0.3") : sendJson(res, 200, livenessBody("NotStarted"))));
    const started = performance.now();
    await client({ maxRetryDelayInMs: 1_000 }).getLivenessSessionResult("s");
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(fixture.server.requests).toHaveLength(2);
  });

  it("gives up when Retry-After is just over maxRetryDelayInMs", async () => {
    fixture.server.handler = (req, res) => readBody(req).then(() => throttled(res, "1.001"));
    const error = await failureOf(() => client({ maxRetryDelayInMs: 1_000 }).getLivenessSessionResult("s"));
    expect(error).toMatchObject({ statusCode: 429 });
    expect(fixture.server.requests).toHaveLength(1);
  });

  it.each(Object.keys(READS))("a 429 without Retry-After is retried with backoff: %s", async (name) => {
    fixture.server.handler = (req, res) => readBody(req).then(() => throttled(res));
    const error = await failureOf(() => READS[name]!(client({ retryDelayInMs: 1, maxRetryDelayInMs: 20, maxRetries: 2 })));
    expect(error).toMatchObject({ statusCode: 429 });
    expect(fixture.server.requests).toHaveLength(3);
  });

  it("a 429 without Retry-After follows the gateway's 'Try again in N seconds'", async () => {
    fixture.server.handler = (req, res, index) =>
      readBody(req).then(() =>
        index === 0 ? throttled(res, undefined, "Rate limit is exceeded. Try again in 0.25 seconds.") : sendJson(res, 200, livenessBody("NotStarted")),
      );
    const started = performance.now();
    await client({ retryDelayInMs: 1 }).getLivenessSessionResult("s");
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    expect(fixture.server.requests).toHaveLength(2);
  });

  it("a wait under permanent throttling (Retry-After: 3600) resolves 'expired' at the token expiry", async () => {
    fixture.server.handler = (req, res) => readBody(req).then(() => throttled(res, "3600"));
    const expiresOn = new Date(Date.now() + 600);
    const session = { ...livenessBody("NotStarted"), authTokenExpiresOn: expiresOn } as unknown as LivenessSession;
    const outcome = await client().waitForLivenessSessionResult(session, { intervalInMs: 100 });
    const lateBy = Date.now() - expiresOn.getTime();
    expect(outcome.reason).toBe("expired");
    expect(outcome.session).toBe(session);
    expect(lateBy).toBeGreaterThanOrEqual(-5);
    expect(lateBy).toBeLessThan(500);
  });

  it("with only an id and no poll answered, the wait rejects with the 429 at the expiry", async () => {
    fixture.server.handler = (req, res) => readBody(req).then(() => throttled(res, "3600"));
    const expiresOn = new Date(Date.now() + 300);
    const error = await failureOf(() => client().waitForLivenessSessionResult(SESSION_ID, { authTokenExpiresOn: expiresOn }));
    expect(error).toMatchObject({ statusCode: 429 });
    expect(Date.now() - expiresOn.getTime()).toBeLessThan(500);
  });
});

describe("on the fake clock, with the default options", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const GET = `GET /detectLiveness-sessions/${SESSION_ID}`;
  const defaultClient = (script: Record<string, Reply[]>) => {
    const transport = fakeTransport(script, T0);
    return { transport, client: new FaceSessionClient("https://r.cognitiveservices.azure.com", new AzureKeyCredential(KEY), { httpClient: transport.httpClient }) };
  };

  it("the longest wait of one operation: 3 retries after Retry-After: 64 (= maxRetryDelayInMs), 192 s", async () => {
    const { transport, client } = defaultClient({ [GET]: [failure(429, "429", "Rate limit is exceeded.", { "retry-after": "64" })] });
    const result = settled(client.getLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    expect((await result).error).toMatchObject({ statusCode: 429 });
    expect(transport.times()).toEqual([0, 64_000, 128_000, 192_000]);
  });

  it("a create waits the same at most (192 s); a longer Retry-After is not waited for", async () => {
    const POST = "POST /detectLiveness-sessions";
    const { transport, client } = defaultClient({ [POST]: [failure(429, "429", "x", { "retry-after": "64" })] });
    const result = settled(client.createLivenessSession({ livenessOperationMode: "Passive" }));
    await vi.runAllTimersAsync();
    expect((await result).error).toMatchObject({ statusCode: 429 });
    expect(transport.times()).toEqual([0, 64_000, 128_000, 192_000]);

    const longer = defaultClient({ [POST]: [failure(429, "429", "x", { "retry-after": "64" }), failure(429, "429", "x", { "retry-after": "64.5" })] });
    const refused = settled(longer.client.createLivenessSession({ livenessOperationMode: "Passive" }));
    await vi.runAllTimersAsync();
    expect((await refused).error).toMatchObject({ statusCode: 429 });
    expect(longer.transport.times()).toEqual([192_000, 256_000]);
  });

  it(`the poller sleeps at most ${MAX_POLL_THROTTLE_DELAY_IN_MS} ms after a throttled poll, and stops after ${DEFAULT_POLL_TIMEOUT_IN_MS} ms`, async () => {
    const { transport, client } = defaultClient({ [GET]: [failure(429, "429", "Try again in 3600 seconds.", { "retry-after": "3600" })] });
    const result = settled(client.waitForLivenessSessionResult(SESSION_ID));
    await vi.runAllTimersAsync();
    expect((await result).value).toEqual({ reason: "timedOut", session: undefined });
    const times = transport.times();
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBe(60_000);
    expect(times.at(-1)).toBeLessThanOrEqual(DEFAULT_POLL_TIMEOUT_IN_MS);
    expect(times.at(-1)).toBeGreaterThanOrEqual(DEFAULT_POLL_TIMEOUT_IN_MS - 60_000);
    expect(Date.now() - T0).toBe(DEFAULT_POLL_TIMEOUT_IN_MS);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an observe stream ends at the same bound", async () => {
    const { transport, client } = defaultClient({ [GET]: [ok(livenessBody("Running", [{ attemptId: 1, attemptStatus: "Running" }]))] });
    const seen: string[] = [];
    const done = (async () => {
      for await (const session of client.observeLivenessSession(SESSION_ID, { intervalInMs: 60_000 })) seen.push(session.status);
    })();
    await vi.runAllTimersAsync();
    await done;
    expect(Date.now() - T0).toBe(DEFAULT_POLL_TIMEOUT_IN_MS);
    expect(transport.times().at(-1)).toBeLessThanOrEqual(DEFAULT_POLL_TIMEOUT_IN_MS);
    expect(seen.length).toBe(transport.times().length);
  });

  /** Creates a session (600 s token), then waits for it while every poll is answered 429 with `retryAfter`. */
  async function throttledWait(retryAfter: string) {
    const { transport, client } = defaultClient({
      "POST /detectLiveness-sessions": [ok(livenessBody("NotStarted"))],
      [GET]: [failure(429, "429", "x", { "retry-after": retryAfter })],
    });
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 600 });
    const result = settled(client.waitForLivenessSessionResult(session));
    await vi.runAllTimersAsync();
    expect((await result).value).toMatchObject({ reason: "expired", session });
    return { endedAt: Date.now() - T0, times: transport.times() };
  }

  it("a permanently throttled wait for a created session resolves 'expired' at its expiry", async () => {
    const { endedAt, times } = await throttledWait("3600");
    expect(endedAt).toBe(600_000);
    expect(times.at(-1)).toBe(600_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("throttled with Retry-After: 64 (retried inside each poll), 'expired' comes at most one read (192 s) after the expiry", async () => {
    const { endedAt, times } = await throttledWait("64");
    expect(endedAt).toBeGreaterThanOrEqual(600_000);
    expect(endedAt).toBeLessThanOrEqual(600_000 + 192_000);
    expect(times.length).toBeGreaterThan(4);
  });

  it("a session image request honours the same bound", async () => {
    const { transport, client } = defaultClient({ [`GET /sessionImages/${IMAGE_ID}`]: [failure(429, "429", "x", { "retry-after": "999999999" })] });
    const result = settled(client.getSessionImage(IMAGE_ID));
    await vi.runAllTimersAsync();
    expect((await result).error).toMatchObject({ statusCode: 429 });
    expect(transport.times()).toEqual([0]);
  });
});
