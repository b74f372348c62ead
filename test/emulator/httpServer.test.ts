import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, isRestError, type FaceRestError } from "../../src/index.js";
import { FaceLivenessEmulator, listen, type EmulatorRequestLogEntry, type RunningEmulator } from "../../src/emulator/index.js";
import { UUID, fixture } from "./helpers.js";

const servers: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof listen>[0] = {}): Promise<RunningEmulator> {
  const running = await listen({ key: "http-key", ...options });
  servers.push(running);
  return running;
}

function clientFor(running: RunningEmulator, maxRetries = 0, key = running.key): FaceSessionClient {
  return new FaceSessionClient(running.endpoint, new AzureKeyCredential(key), { retryOptions: { maxRetries, retryDelayInMs: 1, maxRetryDelayInMs: 1 } });
}

async function deviceAttempt(running: RunningEmulator, authToken: string, body: unknown): Promise<Response> {
  return fetch(`${running.endpoint}/face/v1.2/emulator/device/attempts`, {
    method: "POST",
    headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("emulator over loopback HTTP", () => {
  it("listens on 127.0.0.1 and a free port, and answers with the service's headers", async () => {
    const running = await start();
    expect(running.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.key).toBe("http-key");
    expect(running.emulator).toBeInstanceOf(FaceLivenessEmulator);
    const response = await fetch(`${running.endpoint}/face/v1.2/detectLiveness-sessions`, {
      method: "POST",
      headers: { "ocp-apim-subscription-key": running.key, "content-type": "application/json" },
      body: JSON.stringify({ livenessOperationMode: "Passive" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("apim-request-id")).toMatch(UUID);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await response.json()).status).toBe("NotStarted");
  });

  it("serves the full liveness flow to the real client", async () => {
    const running = await start();
    const client = clientFor(running);
    const session = await client.createLivenessSession({ livenessOperationMode: "PassiveActive", enableSessionImage: true, deviceCorrelationId: "device-1" });
    expect(session.status).toBe("NotStarted");
    expect(session.results.attempts).toEqual([]);

    expect((await deviceAttempt(running, session.authToken, { stage: "start" })).status).toBe(200);
    expect((await client.getLivenessSessionResult(session.sessionId)).status).toBe("Running");
    const rect = { top: 20, left: 30, width: 90, height: 110 };
    expect((await deviceAttempt(running, session.authToken, { outcome: "realface", faceRectangle: rect })).status).toBe(200);

    const result = await client.getLivenessSessionResult(session.sessionId);
    expect(result.status).toBe("Succeeded");
    const attempt = result.results.attempts[0]!;
    expect(attempt.result?.livenessDecision).toBe("realface");
    expect(attempt.result?.targets?.color?.faceRectangle).toEqual(rect);
    const sessionImageId = attempt.result!.sessionImageId!;

    const image = await client.getSessionImage(sessionImageId);
    expect(image.contentType).toBe("application/octet-stream");
    const bytes = await image.bytes();
    expect(image.contentLength).toBe(bytes.length);
    expect([...bytes.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe0]);

    const faces = await client.detectFromSessionImage(sessionImageId, {
      detectionModel: "detection_03",
      recognitionModel: "recognition_04",
      returnFaceAttributes: ["headPose", "mask", "qualityForRecognition"],
      returnFaceLandmarks: true,
      returnRecognitionModel: true,
    });
    expect(faces).toHaveLength(1);
    expect(faces[0]!.faceRectangle).toEqual(rect);
    expect(faces[0]!.faceId).toBeUndefined(); // the client sends returnFaceId=false unless asked
    expect(faces[0]!.recognitionModel).toBe("recognition_04");
    expect(Object.keys(faces[0]!.faceAttributes!).sort()).toEqual(["headPose", "mask", "qualityForRecognition"]);
    expect(Object.keys(faces[0]!.faceLandmarks!)).toHaveLength(27);

    await client.deleteLivenessSession(session.sessionId);
    const error = (await rejection(client.getLivenessSessionResult(session.sessionId))) as FaceRestError;
    expect(isRestError(error)).toBe(true);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("SessionNotFound");
    expect(error.requestId).toMatch(UUID);
    expect((await deviceAttempt(running, session.authToken, { outcome: "realface" })).status).toBe(401);
  });

  it("serves the with-verify flow to the real client (multipart over HTTP)", async () => {
    const running = await start();
    const client = clientFor(running);
    const image = fixture("face.jpg");
    const session = await client.createLivenessWithVerifySession({
      livenessOperationMode: "Passive",
      verifyImage: image,
      verifyConfidenceThreshold: 0.7,
      returnVerifyImageHash: true,
      authTokenTimeToLiveInSeconds: 120,
      deviceCorrelationIdSetInClient: true,
    });
    expect(session.results.verifyReferences).toEqual([
      { referenceType: "image", faceRectangle: { top: 16, left: 16, width: 32, height: 48 }, qualityForRecognition: "high" },
    ]);
    expect((await deviceAttempt(running, session.authToken, { outcome: "realface", matchConfidence: 0.69 })).status).toBe(200);
    const result = await client.getLivenessWithVerifySessionResult(session.sessionId);
    expect(result.status).toBe("Succeeded");
    expect(result.results.attempts[0]!.result?.verifyResult).toEqual({ matchConfidence: 0.69, isIdentical: false });
    expect(result.results.attempts[0]!.result?.verifyImageHash).toBe(createHash("sha256").update(image).digest("hex").toUpperCase());
    await client.deleteLivenessWithVerifySession(session.sessionId);
    const error = (await rejection(client.getLivenessWithVerifySessionResult(session.sessionId))) as FaceRestError;
    expect(error.code).toBe("SessionNotFound");
  });

  it("gives the real client a 401 RestError for a wrong key", async () => {
    const running = await start();
    const error = (await rejection(clientFor(running, 0, "wrong-key").createLivenessSession({ livenessOperationMode: "Passive" }))) as FaceRestError;
    expect(isRestError(error)).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe("401");
    expect(error.message).toContain("Access denied due to invalid subscription key");
    expect(running.emulator.sessionCount).toBe(0);
  });

  it("lets the client retry through injected 429s and 503s", async () => {
    const log: EmulatorRequestLogEntry[] = [];
    const running = await start({ onRequest: (entry) => log.push(entry) });
    running.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, count: 1 });
    running.emulator.faults.enqueue({ kind: "status", status: 503, count: 1 });
    const session = await clientFor(running, 3).createLivenessSession({ livenessOperationMode: "Passive" });
    expect(session.status).toBe("NotStarted");
    expect(log.map((e) => e.status)).toEqual([429, 503, 200]);
    expect(running.emulator.sessionCount).toBe(1);
  });

  it("destroys the socket for a drop fault, and keeps serving afterwards", async () => {
    const log: EmulatorRequestLogEntry[] = [];
    const running = await start({ onRequest: (entry) => log.push(entry) });
    running.emulator.faults.enqueue({ kind: "drop" });
    const error = await rejection(
      fetch(`${running.endpoint}/face/v1.2/detectLiveness-sessions/x`, { headers: { "ocp-apim-subscription-key": running.key } }),
    );
    expect(error).toBeInstanceOf(TypeError);
    running.emulator.faults.enqueue({ kind: "drop" });
    const clientError = await rejection(clientFor(running).createLivenessSession({ livenessOperationMode: "Passive" }));
    expect(isRestError(clientError)).toBe(true);
    expect((clientError as FaceRestError).statusCode).toBeUndefined();
    expect(running.emulator.sessionCount).toBe(0);
    expect((await clientFor(running).createLivenessSession({ livenessOperationMode: "Passive" })).status).toBe("NotStarted");
    expect(log.map((e) => e.status)).toEqual([0, 0, 200]);
  });

  it("keeps a keep-alive connection usable after an error that left the body unread", async () => {
    const running = await start();
    const url = `${running.endpoint}/face/v1.2/detectLivenessWithVerify-sessions`;
    const form = new FormData();
    form.append("livenessOperationMode", "Passive");
    form.append("verifyImage", new Blob([fixture("face.png")]), "face.png");
    const unauthorized = await fetch(url, { method: "POST", body: form });
    expect(unauthorized.status).toBe(401);
    await unauthorized.arrayBuffer();
    const ok = await fetch(url, { method: "POST", body: form, headers: { "ocp-apim-subscription-key": running.key } });
    expect(ok.status).toBe(200);
  });

  it("close() ends in-flight requests and refuses new connections", async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const running = await start({
      sleep: () => {
        arrived();
        return new Promise<void>(() => undefined); // never ends on its own
      },
    });
    running.emulator.faults.enqueue({ kind: "delay", ms: 60_000 });
    const hanging = fetch(`${running.endpoint}/face/v1.2/detectLiveness-sessions/x`, { headers: { "ocp-apim-subscription-key": running.key } });
    await inFlight;
    await running.close();
    expect(await rejection(hanging)).toBeInstanceOf(TypeError);
    expect(await rejection(fetch(`${running.endpoint}/face/v1.2/detect`))).toBeInstanceOf(TypeError);
  });

  it("aborts a delayed request when the client goes away (status 0 in the log)", async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    let logged!: (entry: EmulatorRequestLogEntry) => void;
    const entry = new Promise<EmulatorRequestLogEntry>((resolve) => (logged = resolve));
    const running = await start({
      onRequest: (e) => logged(e),
      sleep: (_ms, signal) => {
        arrived();
        return new Promise<void>((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
      },
    });
    running.emulator.faults.enqueue({ kind: "delay", ms: 60_000 });
    const controller = new AbortController();
    const request = fetch(`${running.endpoint}/face/v1.2/detectLiveness-sessions`, {
      method: "POST",
      headers: { "ocp-apim-subscription-key": running.key, "content-type": "application/json" },
      body: JSON.stringify({ livenessOperationMode: "Passive" }),
      signal: controller.signal,
    });
    await inFlight;
    controller.abort();
    await rejection(request);
    expect(await entry).toMatchObject({ status: 0, fault: "delay", method: "POST" });
    expect(running.emulator.sessionCount).toBe(0);
  });

  it("serves a given emulator, and refuses emulator options next to it", async () => {
    const emulator = new FaceLivenessEmulator({ key: "shared" });
    const running = await start({ key: undefined, emulator });
    expect(running.key).toBe("shared");
    expect(running.emulator).toBe(emulator);
    await expect(listen({ emulator, key: "other" })).rejects.toThrow(TypeError);
  });
});
