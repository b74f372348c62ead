/**
 * The client's operations run a second time, against the emulator over real loopback HTTP
 * (`listen({ port: 0 })`, never msw): both must agree on paths, bodies, status codes, errors,
 * retries and the v1.3-preview.1 additions.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AzureKeyCredential,
  FaceSessionClient,
  isRestError,
  type FaceApiVersion,
  type FaceRestError,
} from "../../src/index.js";
import { listen, type EmulatorRequestLogEntry, type RunningEmulator } from "../../src/emulator/index.js";

const KEY = "integration-key";
/** The emulator's fixed clock: 2025-07-02T15:30:00Z (tokens never expire during the run). */
const NOW = Date.UTC(2025, 6, 2, 15, 30);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_UPPER = /^[0-9A-F]{64}$/;
const RETRY = { retryDelayInMs: 1, maxRetryDelayInMs: 20 };
const VERSIONS: FaceApiVersion[] = ["v1.2", "v1.3-preview.1"];

const image = (name: string): Buffer => readFileSync(join(__dirname, "..", "fixtures", "images", name));
const FACE_JPG = image("face.jpg"); // 64x80
const FACE_PNG = image("face.png"); // 200x240

/** Every request the emulator handled since the last reset (device calls included). */
const seen: EmulatorRequestLogEntry[] = [];
let running: RunningEmulator;

beforeAll(async () => {
  // v1.2 sessions get two attempts (the emulator option), so failed-then-succeeded can be tested on both versions.
  running = await listen({ port: 0, key: KEY, now: () => NOW, clientAttemptsAllowed: 2, onRequest: (entry) => seen.push(entry) });
});
afterAll(async () => {
  await running.close();
});
beforeEach(() => {
  seen.length = 0;
});
afterEach(() => {
  running.emulator.reset(); // sessions, images, faults and the resource settings
});

function clientFor(apiVersion: FaceApiVersion, key = KEY): FaceSessionClient {
  return new FaceSessionClient(running.endpoint, new AzureKeyCredential(key), { apiVersion, retryOptions: RETRY });
}

/** The request log as `METHOD path status`, paths relative to the version's base. */
function requestLines(): string[] {
  return seen.map((e) => `${e.method} ${e.path.replace(/^\/face\/[^/]+/, "")} ${e.status}`);
}

async function rejection(promise: Promise<unknown>): Promise<FaceRestError> {
  try {
    await promise;
  } catch (error) {
    return error as FaceRestError;
  }
  throw new Error("expected the call to fail");
}

/** What the Face UI SDK would do: one call to the device stand-in with the session's token. */
async function deviceCall(version: FaceApiVersion, authToken: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${running.endpoint}/face/${version}/emulator/device/attempts`, {
    method: "POST",
    headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function expectServiceError(error: FaceRestError, statusCode: number, code: string): void {
  expect(isRestError(error)).toBe(true);
  expect(error.name).toBe("RestError");
  expect(error.statusCode).toBe(statusCode);
  expect(error.code).toBe(code);
  expect(error.requestId).toMatch(UUID);
}

describe.each(VERSIONS)("client against the emulator over HTTP, %s", (version) => {
  const preview = version === "v1.3-preview.1";
  /** Create fields giving two attempts: the emulator option on v1.2, numberOfClientAttemptsAllowed on v1.3. */
  const twoAttempts = preview ? { numberOfClientAttemptsAllowed: 2 } : {};

  it("creates (JSON), reads and deletes a liveness session; then 404 SessionNotFound with a requestId", async () => {
    const client = clientFor(version);
    const created = await client.createLivenessSession({
      livenessOperationMode: "PassiveActive",
      deviceCorrelationId: "device-1",
      authTokenTimeToLiveInSeconds: 120,
    });
    const model = preview ? "2025-05-20" : "2024-11-15";
    expect(created).toMatchObject({ status: "NotStarted", modelVersion: model, results: { attempts: [] } });
    expect(created.sessionId).toMatch(UUID);
    expect(created.authToken.length).toBeGreaterThan(20);
    expect(created.authTokenExpiresOn).toBeInstanceOf(Date);
    // As recorded, the create response has no isAbuseMonitoringEnabled; v1.3 reads have it.
    expect(created.isAbuseMonitoringEnabled).toBeUndefined();

    const read = await client.getLivenessSessionResult(created.sessionId);
    // As recorded, reads carry no token and, before an attempt finished, no modelVersion.
    expect(read).toEqual({
      ...created,
      authToken: "",
      modelVersion: undefined,
      authTokenExpiresOn: undefined,
      ...(preview ? { isAbuseMonitoringEnabled: false } : {}),
    });

    await client.deleteLivenessSession(created.sessionId);
    expectServiceError(await rejection(client.getLivenessSessionResult(created.sessionId)), 404, "SessionNotFound");
    expectServiceError(await rejection(client.deleteLivenessSession(created.sessionId)), 404, "SessionNotFound");
    expect(requestLines()).toEqual([
      "POST /detectLiveness-sessions 200",
      `GET /detectLiveness-sessions/${created.sessionId} 200`,
      `DELETE /detectLiveness-sessions/${created.sessionId} 204`,
      `GET /detectLiveness-sessions/${created.sessionId} 404`,
      `DELETE /detectLiveness-sessions/${created.sessionId} 404`,
    ]);
    expect(seen.every((e) => e.path.startsWith(`/face/${version}/`))).toBe(true);
  });

  it.each([
    ["face.jpg as bytes", () => FACE_JPG, FACE_JPG, { top: 16, left: 16, width: 32, height: 48 }],
    ["face.png as a File", () => new File([new Uint8Array(FACE_PNG)], "face.png", { type: "image/png" }), FACE_PNG, { top: 48, left: 50, width: 100, height: 144 }],
  ] as const)("creates with verify (multipart, %s), reads and deletes", async (_name, makeImage, bytes, reference) => {
    const client = clientFor(version);
    const created = await client.createLivenessWithVerifySession({
      livenessOperationMode: "Passive",
      verifyImage: makeImage(),
      returnVerifyImageHash: true,
      verifyConfidenceThreshold: 0.95,
      ...twoAttempts,
    });
    expect(created.status).toBe("NotStarted");
    expect(created.results.verifyReferences).toEqual([{ referenceType: "image", faceRectangle: reference, qualityForRecognition: "high" }]);

    running.emulator.simulateDevice(created.authToken, { outcome: "realface", matchConfidence: 0.9 });
    const read = await client.getLivenessWithVerifySessionResult(created.sessionId);
    const result = read.results.attempts[0]!.result!;
    expect(result.verifyResult).toEqual({ matchConfidence: 0.9, isIdentical: false }); // below the 0.95 threshold
    expect(result.verifyImageHash).toBe(createHash("sha256").update(bytes).digest("hex").toUpperCase());

    await client.deleteLivenessWithVerifySession(created.sessionId);
    expectServiceError(await rejection(client.getLivenessWithVerifySessionResult(created.sessionId)), 404, "SessionNotFound");
    expect(requestLines()[0]).toBe("POST /detectLivenessWithVerify-sessions 200");
  });

  it("parses a failed then a succeeded attempt (device endpoint, then simulateDevice), newest first", async () => {
    const client = clientFor(version);
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", ...twoAttempts });
    const start = await deviceCall(version, session.authToken, { stage: "start" });
    expect(start.status).toBe(200);
    expect((await client.getLivenessSessionResult(session.sessionId)).status).toBe("Running");
    const failed = await deviceCall(version, session.authToken, { outcome: "FaceWithMaskDetected" });
    expect(failed.status).toBe(200);
    // One attempt is left: the session waits for it.
    expect((await client.getLivenessSessionResult(session.sessionId)).status).toBe("Running");

    const rect = { top: 10, left: 20, width: 120, height: 150 };
    running.emulator.simulateDevice(session.authToken, { outcome: "realface", faceRectangle: rect });
    const read = await client.getLivenessSessionResult(session.sessionId);
    expect(read.status).toBe("Succeeded");
    const [latest, first] = read.results.attempts;
    expect(read.results.attempts).toHaveLength(2);
    expect(latest!.attemptId).toBe(2);
    expect(latest!.attemptStatus).toBe("Succeeded");
    expect(latest!.error).toBeUndefined();
    expect(latest!.result?.livenessDecision).toBe("realface");
    expect(latest!.result?.targets?.color?.faceRectangle).toEqual(rect);
    expect(latest!.result?.digest).toMatch(SHA256_UPPER);
    expect(first!.attemptId).toBe(1);
    expect(first!.attemptStatus).toBe("Failed");
    expect(first!.result).toBeUndefined();
    expect(first!.error).toEqual({
      code: "FaceWithMaskDetected",
      message: "Mask detected on face image.",
      targets: { color: { faceRectangle: { top: 100, left: 200, width: 240, height: 280 } } },
    });
    if (preview) expect(latest!.clientInformation).toEqual([{ ip: "127.0.0.1" }]);
    else expect(latest).not.toHaveProperty("clientInformation");

    const third = await deviceCall(version, session.authToken, { outcome: "realface" });
    expect(third.status).toBe(409);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe("AttemptLimitReached");
  });

  it("downloads the session image as a stream and with bytes(), and detects on it with options", async () => {
    const client = clientFor(version);
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    const rect = { top: 30, left: 40, width: 120, height: 150 };
    expect((await deviceCall(version, session.authToken, { outcome: "realface", faceRectangle: rect })).status).toBe(200);
    const sessionImageId = (await client.getLivenessSessionResult(session.sessionId)).results.attempts[0]!.result!.sessionImageId!;
    expect(sessionImageId).toMatch(/^[A-Za-z0-9_-]{44}$/);

    const streamed = await client.getSessionImage(sessionImageId);
    expect(streamed.contentType).toBe("application/octet-stream");
    const fromStream = await readAll(streamed.readableStreamBody);
    expect(streamed.contentLength).toBe(fromStream.length);
    expect([...fromStream.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]); // a JPEG, as the service sends
    // The image holds the face rectangle with equal margins: the width in its frame header (SOF0)
    // is larger than the face's.
    expect(fromStream.readUInt16BE(fromStream.indexOf(Buffer.from([0xff, 0xc0])) + 7)).toBeGreaterThan(rect.width);

    const buffered = await client.getSessionImage(sessionImageId);
    const bytes = await buffered.bytes();
    expect(Buffer.from(bytes).equals(fromStream)).toBe(true);
    await expect(buffered.bytes()).rejects.toThrow("The session image body has already been read.");

    const plain = await client.detectFromSessionImage(sessionImageId);
    expect(plain).toEqual([{ faceRectangle: rect }]); // the client sends returnFaceId=false by default
    const [face] = await client.detectFromSessionImage(sessionImageId, {
      detectionModel: "detection_03",
      recognitionModel: "recognition_04",
      returnFaceId: true,
      returnRecognitionModel: true,
      returnFaceLandmarks: true,
      returnFaceAttributes: ["headPose", "mask", "qualityForRecognition"],
      faceIdTimeToLive: 120,
    });
    expect(face!.faceId).toMatch(UUID);
    expect(face!.recognitionModel).toBe("recognition_04");
    expect(face!.faceRectangle).toEqual(rect);
    expect(Object.keys(face!.faceLandmarks ?? {})).toHaveLength(27);
    expect(Object.keys(face!.faceAttributes ?? {}).sort()).toEqual(["headPose", "mask", "qualityForRecognition"]);
    const detectPath = seen.filter((e) => e.method === "POST" && e.path.endsWith("/detect"));
    expect(detectPath).toHaveLength(2);

    // A combination only the service refuses reaches it and comes back as a RestError.
    const refused = await rejection(client.detectFromSessionImage(sessionImageId, { detectionModel: "detection_02", returnFaceLandmarks: true }));
    expectServiceError(refused, 400, "BadArgument");
    expectServiceError(await rejection(client.getSessionImage("unknown-image")), 404, "SessionImageNotFound");
  });

  it("gets 401 with code '401' for a wrong key", async () => {
    const client = clientFor(version, "wrong-key");
    const error = await rejection(client.createLivenessSession({ livenessOperationMode: "Passive" }));
    expectServiceError(error, 401, "401");
    expect(error.message).toMatch(/^401: Access denied due to invalid subscription key/);
    expect(running.emulator.sessionCount).toBe(0);
  });

  it("retries a throttled create (429, Retry-After: 0) and succeeds; the emulator saw two requests", async () => {
    running.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, method: "POST", path: "/detectLiveness-sessions" });
    const session = await clientFor(version).createLivenessSession({ livenessOperationMode: "Passive" });
    expect(session.status).toBe("NotStarted");
    expect(requestLines()).toEqual(["POST /detectLiveness-sessions 429", "POST /detectLiveness-sessions 200"]);
    expect(seen.map((e) => e.fault)).toEqual(["status", undefined]);
    expect(running.emulator.sessionCount).toBe(1);
  });

  it("retries a throttled GET (429, Retry-After: 0)", async () => {
    const client = clientFor(version);
    const { sessionId } = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    seen.length = 0;
    running.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, method: "GET" });
    expect((await client.getLivenessSessionResult(sessionId)).sessionId).toBe(sessionId);
    expect(requestLines()).toEqual([`GET /detectLiveness-sessions/${sessionId} 429`, `GET /detectLiveness-sessions/${sessionId} 200`]);
  });

  it("retries a GET whose connection was dropped", async () => {
    const client = clientFor(version);
    const { sessionId } = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    seen.length = 0;
    running.emulator.faults.enqueue({ kind: "drop", method: "GET", path: "/detectLiveness-sessions/" });
    expect((await client.getLivenessSessionResult(sessionId)).sessionId).toBe(sessionId);
    expect(requestLines()).toEqual([`GET /detectLiveness-sessions/${sessionId} 0`, `GET /detectLiveness-sessions/${sessionId} 200`]);
  });

  it("does not retry a create whose connection was dropped (the session may exist)", async () => {
    running.emulator.faults.enqueue({ kind: "drop", method: "POST", path: "/detectLiveness-sessions" });
    const error = await rejection(clientFor(version).createLivenessSession({ livenessOperationMode: "Passive" }));
    expect(isRestError(error)).toBe(true);
    expect(error.statusCode).toBeUndefined();
    expect(error.code).toBe("ECONNRESET");
    expect(requestLines()).toEqual(["POST /detectLiveness-sessions 0"]);
  });

  it("catches invalid input before sending: the emulator sees no request", async () => {
    const client = clientFor(version);
    const attempts: Array<Promise<unknown>> = [
      client.createLivenessSession({ livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 59 }),
      client.createLivenessSession({ livenessOperationMode: "Passive", deviceCorrelationIdSetInClient: true, deviceCorrelationId: "d" }),
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: image("not-an-image.txt") }),
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_PNG, verifyConfidenceThreshold: 1.5 }),
      client.getLivenessSessionResult("../settings"),
      client.deleteLivenessWithVerifySession(""),
      client.getSessionImage("a/b"),
      client.detectFromSessionImage("id", { faceIdTimeToLive: 59 }),
      client.createLivenessSession({ livenessOperationMode: "Passive", numberOfClientAttemptsAllowed: 4 }),
    ];
    if (!preview) {
      attempts.push(
        client.createLivenessSession({ livenessOperationMode: "Passive", numberOfClientAttemptsAllowed: 2 }),
        client.getSettings(),
        client.updateSettings({ livenessAbuseMonitoring: { enabled: true } }),
        client.getClientAssetsAccessToken(),
      );
    } else {
      attempts.push(
        client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_PNG, userCorrelationId: "u" } as never),
        client.createLivenessSession({ livenessOperationMode: "Passive", expectedClientIpAddress: "10.0.0.0/33" }),
        client.updateSettings({ livenessAbuseMonitoring: { enabled: "yes" as never } }),
      );
    }
    const results = await Promise.allSettled(attempts);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      const reason = (result as PromiseRejectedResult).reason as Error;
      expect(isRestError(reason)).toBe(false);
      expect(reason).toBeInstanceOf(Error);
    }
    expect(seen).toEqual([]);
  });
});

describe("client against the emulator over HTTP, v1.3-preview.1 operations", () => {
  const version: FaceApiVersion = "v1.3-preview.1";

  it("round-trips the settings, and sessions copy abuse monitoring at creation", async () => {
    const client = clientFor(version);
    expect(await client.getSettings()).toEqual({ livenessAbuseMonitoring: { enabled: false } });
    const before = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    expect(await client.updateSettings({ livenessAbuseMonitoring: { enabled: true } })).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    expect(await client.updateSettings({})).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    expect(await client.getSettings()).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    const after = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    expect((await client.getLivenessSessionResult(before.sessionId)).isAbuseMonitoringEnabled).toBe(false);
    expect((await client.getLivenessSessionResult(after.sessionId)).isAbuseMonitoringEnabled).toBe(true);
    expect(requestLines().filter((l) => l.includes("/settings"))).toEqual([
      "GET /settings 200",
      "PATCH /settings 200",
      "PATCH /settings 200",
      "GET /settings 200",
    ]);
  });

  it("gets the client-assets token: expiry 24 h after the emulator's now, base64 of the token", async () => {
    const token = await clientFor(version).getClientAssetsAccessToken();
    expect(token.expiry).toBeInstanceOf(Date);
    expect(token.expiry?.toISOString()).toBe("2025-07-03T15:30:00.000Z");
    expect(Buffer.from(token.base64AccessToken, "base64").toString("utf8")).toBe(token.accessToken);
    expect(requestLines()).toEqual(["GET /settings/getClientAssetsAccessToken 200"]);
  });

  it("sends the v1.3 create fields and parses clientInformation and a raised abuse flag", async () => {
    const client = clientFor(version);
    await client.updateSettings({ livenessAbuseMonitoring: { enabled: true } });
    const earlier = await client.createLivenessSession({ livenessOperationMode: "Passive", userCorrelationId: "user-7" });
    running.emulator.flagAbuse(earlier.sessionId);
    running.emulator.simulateDevice(earlier.authToken, "realface");

    const session = await client.createLivenessSession({
      livenessOperationMode: "PassiveActive",
      numberOfClientAttemptsAllowed: 3,
      userCorrelationId: "user-7",
      expectedClientIpAddress: "203.0.113.0/24",
    });
    const settled = await client.getLivenessSessionResult(session.sessionId);
    expect(settled.expectedClientIpAddress).toBe("203.0.113.0/24");
    expect(settled.isAbuseMonitoringEnabled).toBe(true);
    for (const outcome of ["FaceWithMaskDetected", "FaceWithMaskDetected"]) {
      expect((await deviceCall(version, session.authToken, { outcome, clientIp: "203.0.113.5" })).status).toBe(200);
    }
    expect((await client.getLivenessSessionResult(session.sessionId)).status).toBe("Running");
    // Third attempt from outside the expected block: abuse is raised automatically.
    expect((await deviceCall(version, session.authToken, { outcome: "realface", clientIp: "198.51.100.9" })).status).toBe(200);
    const fourth = await deviceCall(version, session.authToken, { outcome: "realface" });
    expect(fourth.status).toBe(409);

    const read = await client.getLivenessSessionResult(session.sessionId);
    expect(read.status).toBe("Succeeded");
    expect(read.results.attempts.map((a) => a.attemptId)).toEqual([3, 2, 1]);
    expect(read.results.attempts.map((a) => a.clientInformation)).toEqual([[{ ip: "198.51.100.9" }], [{ ip: "203.0.113.5" }], [{ ip: "203.0.113.5" }]]);
    expect(read.results.attempts[0]!.abuseMonitoringResult).toEqual({
      isAbuseDetected: true,
      otherFlaggedSessions: [{ attemptId: 1, sessionId: earlier.sessionId }],
    });
    expect(read.results.attempts[1]!.abuseMonitoringResult).toBeUndefined();
  });

  it("sends numberOfClientAttemptsAllowed as a multipart part the emulator honours", async () => {
    const client = clientFor(version);
    const session = await client.createLivenessWithVerifySession({
      livenessOperationMode: "Passive",
      verifyImage: FACE_JPG,
      numberOfClientAttemptsAllowed: 3,
    });
    for (let i = 0; i < 3; i++) running.emulator.simulateDevice(session.authToken, "FaceWithMaskDetected");
    expect(() => running.emulator.simulateDevice(session.authToken, "realface")).toThrow(expect.objectContaining({ code: "AttemptLimitReached" }));
    const read = await client.getLivenessWithVerifySessionResult(session.sessionId);
    expect(read.status).toBe("Failed");
    expect(read.results.attempts.map((a) => a.error?.code)).toEqual(["FaceWithMaskDetected", "FaceWithMaskDetected", "FaceWithMaskDetected"]);
  });
});
