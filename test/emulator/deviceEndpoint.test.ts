import { describe, expect, it } from "vitest";
import { DEVICE_ATTEMPTS_PATH } from "../../src/emulator/index.js";
import { DEVICE_URL, KEY, SHA256_UPPER, expectError, manualClock, setup } from "./helpers.js";

describe("emulator: device stand-in endpoint", () => {
  it("lives at /face/v1.2/emulator/device/attempts", () => {
    expect(DEVICE_ATTEMPTS_PATH).toBe("/face/v1.2/emulator/device/attempts");
    expect(DEVICE_URL.endsWith(DEVICE_ATTEMPTS_PATH)).toBe(true);
  });

  it("starts and completes an attempt with the session token, returning the attempt", async () => {
    const { call, createLiveness, device } = setup();
    const { sessionId, authToken } = await createLiveness();
    const start = await device(authToken, { stage: "start" });
    expect(start.status).toBe(200);
    expect(await start.json()).toEqual({ attemptId: 1, attemptStatus: "Running" });
    expect((await (await call(`/detectLiveness-sessions/${sessionId}`)).json()).status).toBe("Running");

    const done = await device(authToken, { outcome: "realface", stage: "complete", faceRectangle: { top: 1, left: 2, width: 30, height: 40 } });
    expect(done.status).toBe(200);
    const attempt = await done.json();
    expect(attempt).toMatchObject({ attemptId: 1, attemptStatus: "Succeeded", result: { livenessDecision: "realface" } });
    expect(attempt.result.digest).toMatch(SHA256_UPPER);
    const session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
    expect(session.results.attempts[0]).toEqual(attempt);
  });

  it("uses a custom error message when given", async () => {
    const { createLiveness, device } = setup();
    const { authToken } = await createLiveness();
    const response = await device(authToken, { outcome: "FaceNotFrontal", message: "Face is not frontal." });
    const attempt = await response.json();
    expect(attempt.attemptStatus).toBe("Failed");
    expect(attempt.error).toMatchObject({ code: "FaceNotFrontal", message: "Face is not frontal." });
  });

  it("needs the session token as a bearer token, not the API key", async () => {
    const { createLiveness, emulator } = setup();
    await createLiveness();
    const withKey = await emulator.handle(
      new Request(DEVICE_URL, {
        method: "POST",
        headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ outcome: "realface" }),
      }),
    );
    await expectError(withKey, 401, "401", /Bearer/);
    const { device } = setup();
    await expectError(await device("not-a-token", { outcome: "realface" }), 401, "401");
  });

  it("refuses revoked and expired tokens with 401", async () => {
    const clock = manualClock();
    const { call, createLiveness, device } = setup({ now: clock.now });
    const deleted = await createLiveness();
    await call(`/detectLiveness-sessions/${deleted.sessionId}`, { method: "DELETE" });
    await expectError(await device(deleted.authToken, { outcome: "realface" }), 401, "401");
    const expired = await createLiveness({ authTokenTimeToLiveInSeconds: 120 });
    clock.advance(120_000);
    await expectError(await device(expired.authToken, { outcome: "realface" }), 401, "401");
  });

  it("answers 409 AttemptLimitReached after the finished attempt", async () => {
    const { createLiveness, device } = setup();
    const { authToken } = await createLiveness();
    expect((await device(authToken, { outcome: "spoofface" })).status).toBe(200);
    await expectError(await device(authToken, { outcome: "realface" }), 409, "AttemptLimitReached");
    await expectError(await device(authToken, { stage: "start" }), 409, "AttemptLimitReached");
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ["a missing outcome", {}, /outcome is required/],
    ["a camel-case decision", { outcome: "realFace" }, /outcome must be/],
    ["a non-string outcome", { outcome: 1 }, /outcome must be/],
    ["an unknown stage", { outcome: "realface", stage: "finish" }, /stage must be/],
    ["an unknown field", { outcome: "realface", extra: true }, /Unknown device attempt field 'extra'/],
    ["a negative rectangle", { outcome: "realface", faceRectangle: { top: -1, left: 0, width: 10, height: 10 } }, /faceRectangle\.top/],
    ["a zero-width rectangle", { outcome: "realface", faceRectangle: { top: 0, left: 0, width: 0, height: 10 } }, /faceRectangle\.width/],
    ["a huge rectangle", { outcome: "realface", faceRectangle: { top: 0, left: 2000, width: 100, height: 10 } }, /left \+ width <= 2048/],
    ["matchConfidence on a liveness session", { outcome: "realface", matchConfidence: 0.5 }, /liveness-with-verify sessions only/],
    ["an array body", [], /JSON object/],
  ];
  for (const [name, body, message] of invalid) {
    it(`answers 400 for ${name} and leaves the session untouched`, async () => {
      const { call, createLiveness, device } = setup();
      const { sessionId, authToken } = await createLiveness();
      await expectError(await device(authToken, body), 400, "BadArgument", message);
      expect((await (await call(`/detectLiveness-sessions/${sessionId}`)).json()).results.attempts).toEqual([]);
    });
  }

  it("answers 415 for a non-JSON body", async () => {
    const { createLiveness, emulator } = setup();
    const { authToken } = await createLiveness();
    const response = await emulator.handle(
      new Request(DEVICE_URL, { method: "POST", headers: { authorization: `Bearer ${authToken}`, "content-type": "text/plain" }, body: "realface" }),
    );
    await expectError(response, 415, "BadArgument", "Invalid Media Type.");
  });
});
