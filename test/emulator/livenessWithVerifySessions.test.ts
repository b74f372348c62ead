import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BMP, GIF, JPEG, PNG, WEBP } from "../utils/images.js";
import { SHA256_UPPER, UUID, expectError, fixture, rawMultipart, setup, verifyForm } from "./helpers.js";

const PATH = "/detectLivenessWithVerify-sessions";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").toUpperCase();

describe("emulator: create liveness-with-verify session", () => {
  it("creates a NotStarted session whose verify reference comes from the image", async () => {
    const { call } = setup();
    const response = await call(PATH, { body: verifyForm({ authTokenTimeToLiveInSeconds: "60", deviceCorrelationId: "d-1" }) });
    expect(response.status).toBe(200);
    const session = await response.json();
    expect(session.sessionId).toMatch(UUID);
    expect(session).toMatchObject({ status: "NotStarted", modelVersion: "2024-11-15" });
    // face.png is 200x240: the face is the centre half of the width, the middle 60% of the height.
    expect(session.results).toEqual({
      attempts: [],
      verifyReferences: [{ referenceType: "image", faceRectangle: { top: 48, left: 50, width: 100, height: 144 }, qualityForRecognition: "high" }],
    });
  });

  it("reads the session without referenceType, the token or modelVersion, as the recorded GETs do", async () => {
    const { call, createWithVerify, emulator } = setup();
    const created = await createWithVerify();
    const read = async () => (await call(`${PATH}/${created.sessionId}`)).json();
    const { referenceType: _type, ...reference } = created.results.verifyReferences[0];
    expect(await read()).toEqual({
      sessionId: created.sessionId,
      authToken: "",
      status: "NotStarted",
      results: { attempts: [], verifyReferences: [reference] },
    });
    emulator.simulateDevice(created.authToken, "realface");
    const done = await read();
    expect(Object.keys(done)).toEqual(["sessionId", "authToken", "status", "modelVersion", "results"]);
    expect(done.results.verifyReferences).toEqual([reference]);
    expect(Object.keys(done.results.attempts[0].result)).toEqual(["livenessDecision", "targets", "digest", "verifyResult"]);
  });

  it("takes the image part as VerifyImage too, and other part names in any letter case, as Microsoft's v1.2 samples send them", async () => {
    const { call } = setup();
    const form = new FormData();
    form.append("LivenessOperationMode", "passive");
    form.append("DeviceCorrelationId", "d-1");
    form.append("VerifyImage", new Blob([fixture("face.jpg")]), "face.jpg");
    const response = await call(PATH, { body: form });
    expect(response.status).toBe(200);
    const twice = new FormData();
    twice.append("livenessOperationMode", "Passive");
    twice.append("verifyImage", new Blob([fixture("face.jpg")]), "a.jpg");
    twice.append("VerifyImage", new Blob([fixture("face.jpg")]), "b.jpg");
    await expectError(await call(PATH, { body: twice }), 400, "BadArgument", "The form part 'VerifyImage' appears more than once.");
  });

  it("reads the size of a JPEG verify image from its frame header", async () => {
    const { createWithVerify } = setup();
    const session = await createWithVerify({}, fixture("face.jpg"));
    // face.jpg is 64x80.
    expect(session.results.verifyReferences[0].faceRectangle).toEqual({ top: 16, left: 16, width: 32, height: 48 });
  });

  it("accepts every sniffable format and answers 400 InvalidImage for anything else", async () => {
    const { call } = setup();
    for (const image of [JPEG, PNG, GIF, BMP, WEBP]) {
      expect((await call(PATH, { body: verifyForm({}, image, "x.bin") })).status).toBe(200);
    }
    await expectError(await call(PATH, { body: verifyForm({}, fixture("not-an-image.txt"), "a.jpg") }), 400, "InvalidImage", /image format unsupported/);
  });

  it("answers 400 InvalidImageSize for an empty or a too large image", async () => {
    const { call } = setup({ maxRequestBodyBytes: 7 * 1024 * 1024 });
    await expectError(await call(PATH, { body: verifyForm({}, new Uint8Array(0)) }), 400, "InvalidImageSize", "Image size is too small.");
    const big = new Uint8Array(6 * 1024 * 1024 + 1);
    big.set(PNG);
    await expectError(await call(PATH, { body: verifyForm({}, big) }), 400, "InvalidImageSize", "Image size is too big.");
  });

  it("answers 400 when verifyImage is missing", async () => {
    const { call, emulator } = setup();
    await expectError(await call(PATH, { body: verifyForm({}, null) }), 400, "BadArgument", /verifyImage is required/);
    expect(emulator.sessionCount).toBe(0);
  });

  it("takes an image part without a filename (the tutorial's JavaScript tab sends one)", async () => {
    const { call } = setup();
    const raw = rawMultipart([
      { name: "livenessOperationMode", data: "Passive" },
      { name: "verifyImage", type: "image/png", data: fixture("face.png") },
    ]);
    expect((await call(PATH, raw)).status).toBe(200);
  });

  it("takes the preview-style Parameters JSON part with VerifyImage, as Microsoft's liveness tutorial sends to v1.2", async () => {
    const { call, emulator } = setup();
    const raw = rawMultipart([
      { name: "Parameters", type: "application/json", data: JSON.stringify({ livenessOperationMode: "passive", enableSessionImage: "true" }) },
      { name: "VerifyImage", filename: "face.png", data: fixture("face.png") },
    ]);
    const response = await call(PATH, raw);
    expect(response.status).toBe(200);
    const session = await response.json();
    const attempt = emulator.simulateDevice(session.authToken, "realface");
    expect(attempt.result?.sessionImageId).toMatch(/^[A-Za-z0-9_-]{44}$/); // enableSessionImage was read
    for (const bad of ["{not json", "[1]"]) {
      const form = rawMultipart([
        { name: "Parameters", data: bad },
        { name: "VerifyImage", filename: "face.png", data: fixture("face.png") },
      ]);
      await expectError(await call(PATH, form), 400, "BadArgument", "The Parameters part must hold a JSON object of the create fields.");
    }
  });

  it("answers 400 for a duplicated part and for a malformed body", async () => {
    const { call } = setup();
    const duplicated = rawMultipart([
      { name: "livenessOperationMode", data: "Passive" },
      { name: "livenessOperationMode", data: "PassiveActive" },
      { name: "verifyImage", filename: "a.png", data: PNG },
    ]);
    await expectError(await call(PATH, duplicated), 400, "BadArgument", /appears more than once/);
    await expectError(
      await call(PATH, { headers: { "content-type": "multipart/form-data; boundary=abc" }, body: "--abc\r\nno end" }),
      400,
      "BadArgument",
      /malformed/,
    );
    await expectError(await call(PATH, { headers: { "content-type": "multipart/form-data" }, body: "x" }), 400, "BadArgument", /boundary/);
  });

  it("answers 415 for JSON (the v1.2 with-verify create is multipart only)", async () => {
    const { call } = setup();
    await expectError(await call(PATH, { json: { livenessOperationMode: "Passive" } }), 415, "BadArgument", "Invalid Media Type.");
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ["a missing mode", { livenessOperationMode: "" }, /livenessOperationMode is required/],
    ["an unknown mode", { livenessOperationMode: "Active" }, /livenessOperationMode must be one of/],
    ["a threshold above 1", { verifyConfidenceThreshold: "1.01" }, /verifyConfidenceThreshold must be a number between 0 and 1/],
    ["a negative threshold", { verifyConfidenceThreshold: "-0.1" }, /verifyConfidenceThreshold/],
    ["a non-numeric threshold", { verifyConfidenceThreshold: "high" }, /verifyConfidenceThreshold/],
    ["a TTL of 59", { authTokenTimeToLiveInSeconds: "59" }, /authTokenTimeToLiveInSeconds must be an integer between 60 and 86400/],
    ["a fractional TTL", { authTokenTimeToLiveInSeconds: "600.5" }, /authTokenTimeToLiveInSeconds/],
    ["a non-boolean flag", { returnVerifyImageHash: "yes" }, /returnVerifyImageHash must be true or false/],
    ["deviceCorrelationId with SetInClient", { deviceCorrelationIdSetInClient: "true", deviceCorrelationId: "d" }, /deviceCorrelationId must be null or omitted/],
    ["an unknown model", { livenessModelVersion: "2022-10-15-preview.04" }, /livenessModelVersion must be one of: 2024-11-15\./],
  ];
  for (const [name, fields, message] of invalid) {
    it(`answers 400 BadArgument for ${name}`, async () => {
      const { call, emulator } = setup();
      await expectError(await call(PATH, { body: verifyForm(fields) }), 400, "BadArgument", message);
      expect(emulator.sessionCount).toBe(0);
    });
  }

  it("accepts text booleans in any case and the threshold bounds", async () => {
    const { call } = setup();
    const accepted: Array<Record<string, string>> = [
      { enableSessionImage: "True", returnVerifyImageHash: "FALSE", deviceCorrelationIdSetInClient: "true" },
      { verifyConfidenceThreshold: "0" },
      { verifyConfidenceThreshold: "1" },
      { livenessOperationMode: "PassiveActive", livenessModelVersion: "2024-11-15", authTokenTimeToLiveInSeconds: "86400" },
    ];
    for (const fields of accepted) {
      expect((await call(PATH, { body: verifyForm(fields) })).status).toBe(200);
    }
  });
});

describe("emulator: liveness-with-verify attempts", () => {
  it("adds verifyResult with the default threshold 0.5 and no hash unless asked", async () => {
    const { call, createWithVerify, emulator } = setup();
    const { sessionId, authToken } = await createWithVerify();
    emulator.simulateDevice(authToken, "realface");
    const session = await (await call(`${PATH}/${sessionId}`)).json();
    expect(session.status).toBe("Succeeded");
    const { result } = session.results.attempts[0];
    expect(result).toMatchObject({ livenessDecision: "realface", verifyResult: { matchConfidence: 0.9, isIdentical: true } });
    expect(result.digest).toMatch(SHA256_UPPER);
    expect(result).not.toHaveProperty("verifyImageHash");
    expect(result).not.toHaveProperty("sessionImageId");
    expect(session.results.verifyReferences).toHaveLength(1);

    const low = await createWithVerify();
    expect(emulator.simulateDevice(low.authToken, { outcome: "realface", matchConfidence: 0.49 }).result?.verifyResult).toEqual({
      matchConfidence: 0.49,
      isIdentical: false,
    });
    const edge = await createWithVerify();
    expect(emulator.simulateDevice(edge.authToken, { outcome: "realface", matchConfidence: 0.5 }).result?.verifyResult?.isIdentical).toBe(true);
  });

  it("uses verifyConfidenceThreshold for isIdentical (matchConfidence >= threshold)", async () => {
    const { createWithVerify, emulator } = setup();
    const at = await createWithVerify({ verifyConfidenceThreshold: "0.8" });
    expect(emulator.simulateDevice(at.authToken, { outcome: "realface", matchConfidence: 0.8 }).result?.verifyResult?.isIdentical).toBe(true);
    const below = await createWithVerify({ verifyConfidenceThreshold: "0.8" });
    expect(emulator.simulateDevice(below.authToken, { outcome: "realface", matchConfidence: 0.79 }).result?.verifyResult?.isIdentical).toBe(false);
    const dflt = await createWithVerify({ verifyConfidenceThreshold: "0.95" });
    expect(emulator.simulateDevice(dflt.authToken, "realface").result?.verifyResult).toEqual({ matchConfidence: 0.9, isIdentical: false });
  });

  it("returns verifyImageHash = uppercase SHA-256 of the verify image when asked", async () => {
    const { call, createWithVerify, emulator } = setup();
    const image = fixture("face.jpg");
    const { sessionId, authToken } = await createWithVerify({ returnVerifyImageHash: "true" }, image);
    emulator.simulateDevice(authToken, "spoofface");
    const session = await (await call(`${PATH}/${sessionId}`)).json();
    expect(session.results.attempts[0].result.verifyImageHash).toBe(sha256(image));
  });

  it("fails with an error and no verify result for an error outcome", async () => {
    const { call, createWithVerify, emulator } = setup();
    const { sessionId, authToken } = await createWithVerify({ returnVerifyImageHash: "true" });
    emulator.simulateDevice(authToken, "FaceWithMaskDetected");
    const session = await (await call(`${PATH}/${sessionId}`)).json();
    expect(session.status).toBe("Failed");
    expect(session.results.attempts[0]).not.toHaveProperty("result");
    expect(session.results.attempts[0].error.code).toBe("FaceWithMaskDetected");
  });

  it("deletes with 204 and revokes the token; the liveness path does not see it", async () => {
    const { call, createWithVerify, device } = setup();
    const { sessionId, authToken } = await createWithVerify();
    await expectError(await call(`/detectLiveness-sessions/${sessionId}`), 404, "SessionNotFound");
    expect((await call(`${PATH}/${sessionId}`, { method: "DELETE" })).status).toBe(204);
    await expectError(await call(`${PATH}/${sessionId}`), 404, "SessionNotFound");
    await expectError(await device(authToken, { outcome: "realface" }), 401, "401");
  });
});
