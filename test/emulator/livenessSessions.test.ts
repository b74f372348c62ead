import { describe, expect, it } from "vitest";
import { EmulatorHttpError } from "../../src/emulator/index.js";
import { SHA256_UPPER, UUID, expectError, manualClock, setup } from "./helpers.js";

describe("emulator: liveness session lifecycle", () => {
  it("creates a NotStarted session with the v1.2 shape", async () => {
    const { call } = setup();
    const response = await call("/detectLiveness-sessions", {
      json: { livenessOperationMode: "PassiveActive", deviceCorrelationId: "device-1", authTokenTimeToLiveInSeconds: 60 },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("apim-request-id")).toMatch(UUID);
    expect(response.headers.get("x-ms-region")).toBe("Emulator");
    expect(response.headers.get("csp-billing-usage")).toBe("CognitiveServices.Face.Transaction=1");
    const session = await response.json();
    expect(Object.keys(session)).toEqual(["sessionId", "authToken", "status", "modelVersion", "results"]);
    expect(session.sessionId).toMatch(UUID);
    // An ES256 JWT, with the header the recorded v1.3-preview.1 token has.
    const [header, payload, signature] = session.authToken.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ alg: "ES256", kid: "key1", typ: "JWT" });
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    expect(claims).toMatchObject({ sid: session.sessionId, aud: "urn:ms.faceSessionToken", iss: "urn:ms.cognitiveservices" });
    expect(claims.exp - claims.iat).toBe(60);
    expect(Buffer.from(signature, "base64url")).toHaveLength(64);
    expect(session).toMatchObject({ status: "NotStarted", modelVersion: "2024-11-15", results: { attempts: [] } });
    expect(Object.keys(session.results)).toEqual(["attempts"]);
  });

  it("gives every session its own id and token, and every response its own apim-request-id", async () => {
    const { call, createLiveness } = setup();
    const a = await createLiveness();
    const b = await createLiveness();
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.authToken).not.toBe(b.authToken);
    const r1 = await call(`/detectLiveness-sessions/${a.sessionId}`);
    const r2 = await call(`/detectLiveness-sessions/${a.sessionId}`);
    expect(r1.headers.get("apim-request-id")).not.toBe(r2.headers.get("apim-request-id"));
  });

  it("returns the session on GET as recorded (no token, no modelVersion yet), and 404 on the with-verify path", async () => {
    const { call, createLiveness } = setup();
    const created = await createLiveness();
    const got = await call(`/detectLiveness-sessions/${created.sessionId}`);
    expect(got.status).toBe(200);
    const { modelVersion: _model, ...rest } = created;
    expect(await got.json()).toEqual({ ...rest, authToken: "" });
    await expectError(
      await call(`/detectLivenessWithVerify-sessions/${created.sessionId}`),
      404,
      "SessionNotFound",
      "Session Id is not found. The session id is expired or does not exist.",
    );
    await expectError(await call(`/detectLiveness-sessions/${crypto.randomUUID()}`), 404, "SessionNotFound");
  });

  it("moves NotStarted -> Running (attempts: [], as recorded) -> Succeeded", async () => {
    const { call, createLiveness, emulator } = setup();
    const { sessionId, authToken } = await createLiveness();
    const get = async () => (await call(`/detectLiveness-sessions/${sessionId}`)).json();

    const started = emulator.simulateDevice(authToken, { stage: "start" });
    expect(started).toEqual({ attemptId: 1, attemptStatus: "Running" });
    const running = await get();
    expect(running).toEqual({ sessionId, authToken: "", status: "Running", results: { attempts: [] } });

    emulator.simulateDevice(authToken, { outcome: "realface", faceRectangle: { top: 10, left: 20, width: 100, height: 120 } });
    const done = await get();
    expect(done.status).toBe("Succeeded");
    expect(done.modelVersion).toBe("2024-11-15");
    expect(done.authToken).toBe("");
    expect(done.results.attempts).toHaveLength(1);
    const [attempt] = done.results.attempts;
    expect(attempt).toMatchObject({ attemptId: 1, attemptStatus: "Succeeded" });
    expect(attempt.error).toBeUndefined();
    expect(attempt.result).toEqual({
      livenessDecision: "realface",
      targets: { color: { faceRectangle: { top: 10, left: 20, width: 100, height: 120 } } },
      digest: expect.stringMatching(SHA256_UPPER),
    });
  });

  it("fails the session for an error outcome, with the error's code, message and targets", async () => {
    const { call, createLiveness, emulator } = setup();
    const { sessionId, authToken } = await createLiveness();
    emulator.simulateDevice(authToken, "FaceWithMaskDetected");
    const session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
    expect(session.status).toBe("Failed");
    expect(session.results.attempts).toEqual([
      {
        attemptId: 1,
        attemptStatus: "Failed",
        error: {
          code: "FaceWithMaskDetected",
          message: "Mask detected on face image.",
          targets: { color: { faceRectangle: { top: 100, left: 200, width: 240, height: 280 } } },
        },
      },
    ]);
  });

  it("reports spoofface and uncertain as succeeded attempts with that decision", async () => {
    const { call, createLiveness, emulator } = setup();
    for (const decision of ["spoofface", "uncertain"] as const) {
      const { sessionId, authToken } = await createLiveness();
      emulator.simulateDevice(authToken, decision);
      const session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
      expect(session.status).toBe("Succeeded");
      expect(session.results.attempts[0].result.livenessDecision).toBe(decision);
    }
  });

  it("refuses a second attempt after a finished one (v1.2 allows one client attempt)", async () => {
    const { call, createLiveness, emulator } = setup();
    const { sessionId, authToken } = await createLiveness();
    emulator.simulateDevice(authToken, "realface");
    expect(() => emulator.simulateDevice(authToken, "spoofface")).toThrow(
      expect.objectContaining({ status: 409, code: "AttemptLimitReached" }),
    );
    const session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
    expect(session.results.attempts).toHaveLength(1);
    expect(session.results.attempts[0].result.livenessDecision).toBe("realface");
  });

  it("lists attempts newest first with increasing ids when several are allowed", async () => {
    const { call, createLiveness, emulator } = setup({ clientAttemptsAllowed: 3 });
    const { sessionId, authToken } = await createLiveness();
    emulator.simulateDevice(authToken, "FaceWithMaskDetected");
    let session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
    expect(session.status).toBe("Running"); // failed, but the user may try again
    emulator.simulateDevice(authToken, { stage: "start" });
    session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
    expect(session.status).toBe("Running");
    // The started second attempt is listed once it finishes.
    expect(session.results.attempts.map((a: any) => [a.attemptId, a.attemptStatus])).toEqual([[1, "Failed"]]);
    emulator.simulateDevice(authToken, "realface");
    session = await (await call(`/detectLiveness-sessions/${sessionId}`)).json();
    expect(session.status).toBe("Succeeded");
    expect(session.results.attempts.map((a: any) => [a.attemptId, a.attemptStatus])).toEqual([
      [2, "Succeeded"],
      [1, "Failed"],
    ]);
    // A succeeded attempt ends the session although a third attempt was allowed.
    expect(() => emulator.simulateDevice(authToken, "spoofface")).toThrow(
      expect.objectContaining({ status: 409, code: "AttemptLimitReached", message: "Attempt 2 succeeded; the session accepts no further attempts." }),
    );
  });

  it("refuses to start an attempt while one is running", async () => {
    const { createLiveness, emulator } = setup({ clientAttemptsAllowed: 2 });
    const { authToken } = await createLiveness();
    emulator.simulateDevice(authToken, { stage: "start" });
    expect(() => emulator.simulateDevice(authToken, { stage: "start" })).toThrow(
      expect.objectContaining({ status: 409, code: "AttemptInProgress" }),
    );
  });

  it("deletes with 204 and an empty body; afterwards 404 and the token is revoked", async () => {
    const { call, createLiveness, emulator } = setup();
    const { sessionId, authToken } = await createLiveness();
    const deleted = await call(`/detectLiveness-sessions/${sessionId}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect(deleted.headers.get("apim-request-id")).toMatch(UUID);
    await expectError(await call(`/detectLiveness-sessions/${sessionId}`), 404, "SessionNotFound");
    await expectError(await call(`/detectLiveness-sessions/${sessionId}`, { method: "DELETE" }), 404, "SessionNotFound");
    expect(() => emulator.simulateDevice(authToken, "realface")).toThrow(expect.objectContaining({ status: 401 }));
  });

  it("does not delete a session through the other kind's path", async () => {
    const { call, createLiveness } = setup();
    const { sessionId } = await createLiveness();
    await expectError(await call(`/detectLivenessWithVerify-sessions/${sessionId}`, { method: "DELETE" }), 404, "SessionNotFound");
    expect((await call(`/detectLiveness-sessions/${sessionId}`)).status).toBe(200);
  });
});

describe("emulator: token expiry and session lifetime (injected clock)", () => {
  it("expires the token exactly after authTokenTimeToLiveInSeconds", async () => {
    const clock = manualClock();
    const { createLiveness, emulator } = setup({ now: clock.now, clientAttemptsAllowed: 2 });
    const { authToken } = await createLiveness({ authTokenTimeToLiveInSeconds: 60 });
    clock.advance(59_999);
    expect(emulator.simulateDevice(authToken, { stage: "start" }).attemptStatus).toBe("Running");
    clock.advance(1);
    let error: unknown;
    try {
      emulator.simulateDevice(authToken, "realface");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmulatorHttpError);
    expect(error).toMatchObject({ status: 401, code: "401" });
  });

  it("defaults the token lifetime to 600 seconds", async () => {
    const clock = manualClock();
    const { createLiveness, device } = setup({ now: clock.now });
    const a = await createLiveness();
    const b = await createLiveness();
    clock.advance(599_999);
    expect((await device(a.authToken, { outcome: "realface" })).status).toBe(200);
    clock.advance(1);
    await expectError(await device(b.authToken, { outcome: "realface" }), 401, "401");
  });

  it("keeps the session readable after its token expired", async () => {
    const clock = manualClock();
    const { call, createLiveness } = setup({ now: clock.now });
    const { sessionId } = await createLiveness({ authTokenTimeToLiveInSeconds: 60 });
    clock.advance(3_600_000);
    const response = await call(`/detectLiveness-sessions/${sessionId}`);
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe("NotStarted");
  });

  it("forgets a session after the session lifetime (default 48 h)", async () => {
    const clock = manualClock();
    const { call, createLiveness } = setup({ now: clock.now });
    const { sessionId } = await createLiveness();
    clock.advance(48 * 3600 * 1000 - 1);
    expect((await call(`/detectLiveness-sessions/${sessionId}`)).status).toBe(200);
    clock.advance(1);
    await expectError(await call(`/detectLiveness-sessions/${sessionId}`), 404, "SessionNotFound");
  });
});
