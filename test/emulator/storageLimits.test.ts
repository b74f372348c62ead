import { describe, expect, it } from "vitest";
import { DEFAULT_STORE_LIMITS, FaceLivenessEmulator } from "../../src/emulator/index.js";
import { manualClock, setup, verifyForm } from "./helpers.js";

/** The emulator's bounded storage: session and image caps, the sweep, image retention, field lengths. */

const waitUntil = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function errorOf(response: Response): Promise<{ status: number; code: string | null; body: any }> {
  // The code is the body's: recorded error answers carry no x-ms-error-code header.
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code ?? null, body };
}

async function finishedWithImage(t: ReturnType<typeof setup>): Promise<{ sessionId: string; imageId: string }> {
  const session = await t.createLiveness({ enableSessionImage: true });
  expect((await t.device(session.authToken, { outcome: "realface" })).status).toBe(200);
  const result = await (await t.call(`/detectLiveness-sessions/${session.sessionId}`)).json();
  return { sessionId: session.sessionId, imageId: result.results.attempts[0].result.sessionImageId };
}

describe("emulator storage limits", () => {
  it("has documented defaults", () => {
    expect(DEFAULT_STORE_LIMITS).toEqual({ maxSessions: 10_000, maxSessionImages: 1_000, sessionImageRetentionSeconds: 600, sweepIntervalMs: 60_000 });
  });

  it("refuses a session over maxSessions with 507 EmulatorStorageFull, and accepts again after a delete", async () => {
    const t = setup({ maxSessions: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.createLiveness()).sessionId);
    const refused = await t.call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive" } });
    expect(await errorOf(refused)).toEqual({
      status: 507,
      code: "EmulatorStorageFull",
      body: {
        error: {
          code: "EmulatorStorageFull",
          message: "The emulator stores at most 3 sessions (option maxSessions) and all are in use; delete sessions or raise the limit.",
        },
      },
    });
    expect((await t.call("/detectLivenessWithVerify-sessions", { body: verifyForm() })).status).toBe(507);
    expect(t.emulator.sessionCount).toBe(3);
    // Nothing was evicted: every stored session still reads.
    for (const id of ids) expect((await t.call(`/detectLiveness-sessions/${id}`)).status).toBe(200);
    expect((await t.call(`/detectLiveness-sessions/${ids[0]}`, { method: "DELETE" })).status).toBe(204);
    expect((await t.call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive" } })).status).toBe(200);
  });

  it("makes room from expired sessions at the cap", async () => {
    const clock = manualClock();
    const t = setup({ maxSessions: 2, now: clock.now, sessionLifetimeSeconds: 60 });
    await t.createLiveness();
    await t.createLiveness();
    clock.advance(60_000);
    await t.createLiveness();
    expect(t.emulator.sessionCount).toBe(1);
  });

  it("sweeps expired sessions on a timer, without any lookup", async () => {
    const clock = manualClock();
    const t = setup({ now: clock.now, sessionLifetimeSeconds: 60, sweepIntervalMs: 10 });
    for (let i = 0; i < 5; i++) await t.createLiveness();
    await new Promise((r) => setTimeout(r, 50));
    expect(t.emulator.sessionCount).toBe(5);
    clock.advance(60_000);
    await waitUntil(() => t.emulator.sessionCount === 0, "the sweep to drop the expired sessions");
  });

  it("never keeps the process alive with its sweep timer", () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    new FaceLivenessEmulator({ sweepIntervalMs: 5 });
    expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).toBe(before);
  });

  it("frees a session image sessionImageRetentionSeconds after its session was deleted", async () => {
    const clock = manualClock();
    const t = setup({ now: clock.now, sessionImageRetentionSeconds: 120, sweepIntervalMs: 10 });
    const { sessionId, imageId } = await finishedWithImage(t);
    clock.advance(3_600_000); // a live session keeps its image
    await new Promise((r) => setTimeout(r, 40));
    expect((await t.call(`/sessionImages/${imageId}`)).status).toBe(200);
    expect((await t.call(`/detectLiveness-sessions/${sessionId}`, { method: "DELETE" })).status).toBe(204);
    clock.advance(119_000);
    await new Promise((r) => setTimeout(r, 40));
    expect((await t.call(`/sessionImages/${imageId}`)).status).toBe(200); // still within retention
    clock.advance(1_000);
    await waitUntil(() => t.emulator.sessionImageCount === 0, "the sweep to free the image");
    expect(await errorOf(await t.call(`/sessionImages/${imageId}`))).toMatchObject({ status: 404, code: "SessionImageNotFound" });
  });

  it("frees the image of an expired session after its lifetime plus the retention", async () => {
    const clock = manualClock();
    const t = setup({ now: clock.now, sessionLifetimeSeconds: 600, sessionImageRetentionSeconds: 60, sweepIntervalMs: 10 });
    const { imageId } = await finishedWithImage(t);
    clock.advance(600_000);
    await waitUntil(() => t.emulator.sessionCount === 0, "the session to expire");
    expect((await t.call(`/sessionImages/${imageId}`)).status).toBe(200);
    clock.advance(60_000);
    await waitUntil(() => t.emulator.sessionImageCount === 0, "the image to be freed");
  });

  it("keeps at most maxSessionImages, dropping an ended session's image first", async () => {
    const t = setup({ maxSessionImages: 2 });
    const first = await finishedWithImage(t);
    const second = await finishedWithImage(t);
    await t.call(`/detectLiveness-sessions/${second.sessionId}`, { method: "DELETE" });
    const third = await finishedWithImage(t);
    expect(t.emulator.sessionImageCount).toBe(2);
    expect((await t.call(`/sessionImages/${first.imageId}`)).status).toBe(200);
    expect((await t.call(`/sessionImages/${second.imageId}`)).status).toBe(404);
    expect((await t.call(`/sessionImages/${third.imageId}`)).status).toBe(200);
    await finishedWithImage(t); // no ended session's image left: the oldest goes
    expect((await t.call(`/sessionImages/${first.imageId}`)).status).toBe(404);
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => new FaceLivenessEmulator({ maxSessions: 0 })).toThrow(new RangeError("maxSessions must be a positive integer."));
    expect(() => new FaceLivenessEmulator({ sessionImageRetentionSeconds: 1.5 })).toThrow(RangeError);
  });
});

describe("emulator field length limits", () => {
  const long = "d".repeat(257);

  it("refuses a deviceCorrelationId over 256 characters (JSON and form) and stores nothing", async () => {
    const t = setup();
    expect((await t.call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive", deviceCorrelationId: "d".repeat(256) } })).status).toBe(200);
    const refused = await t.call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive", deviceCorrelationId: long } });
    expect(await errorOf(refused)).toEqual({
      status: 400,
      code: "BadArgument",
      body: { error: { code: "BadArgument", message: "deviceCorrelationId must be at most 256 characters (got 257)." } },
    });
    const refusedForm = await t.call("/detectLivenessWithVerify-sessions", { body: verifyForm({ deviceCorrelationId: "x".repeat(7 * 1024 * 1024) }) });
    expect((await errorOf(refusedForm)).body.error.message).toBe(`deviceCorrelationId must be at most 256 characters (got ${7 * 1024 * 1024}).`);
    expect(t.emulator.sessionCount).toBe(1);
  });

  it("refuses a userCorrelationId over 256 characters on v1.3-preview.1", async () => {
    const t = setup();
    const refused = await t.call("https://face.test/face/v1.3-preview.1/detectLiveness-sessions", {
      json: { livenessOperationMode: "Passive", userCorrelationId: long },
    });
    expect((await errorOf(refused)).body.error.message).toBe("userCorrelationId must be at most 256 characters (got 257).");
  });

  it("refuses a device error message over 1024 characters", async () => {
    const t = setup();
    const session = await t.createLiveness();
    const refused = await t.device(session.authToken, { outcome: "FaceWithMaskDetected", message: "m".repeat(1025) });
    expect((await errorOf(refused)).body.error.message).toBe("message must be at most 1024 characters (got 1025).");
    expect((await t.device(session.authToken, { outcome: "FaceWithMaskDetected", message: "m".repeat(1024) })).status).toBe(200);
  });
});
