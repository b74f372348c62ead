import * as jpeg from "jpeg-js";
import { describe, expect, it } from "vitest";
import { UUID, expectError, setup } from "./helpers.js";

const RECT = { top: 30, left: 40, width: 120, height: 150 };

async function withImage(options: Parameters<typeof setup>[0] = {}) {
  const ctx = setup(options);
  const { sessionId, authToken } = await ctx.createLiveness({ enableSessionImage: true });
  const attempt = ctx.emulator.simulateDevice(authToken, { outcome: "realface", faceRectangle: RECT });
  const sessionImageId = attempt.result!.sessionImageId!;
  return { ...ctx, sessionId, sessionImageId };
}

function detect(ctx: ReturnType<typeof setup>, query: string, body: unknown) {
  return ctx.call(`/detect${query}`, { json: body });
}

describe("emulator: session images", () => {
  it("stores a JPEG session image for each result when enableSessionImage is true, served with the recorded headers", async () => {
    const ctx = await withImage();
    expect(ctx.sessionImageId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    const session = await (await ctx.call(`/detectLiveness-sessions/${ctx.sessionId}`)).json();
    expect(session.results.attempts[0].result.sessionImageId).toBe(ctx.sessionImageId);

    // The official client sends Accept: application/json here too (recorded); it gets the bytes.
    const response = await ctx.call(`/sessionImages/${ctx.sessionImageId}`, { headers: { accept: "application/json" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename=${ctx.sessionImageId}.jpg; filename*=UTF-8''${ctx.sessionImageId}.jpg`,
    );
    expect(response.headers.get("csp-billing-usage")).toBe("CognitiveServices.Face.Transaction=1");
    expect(response.headers.get("apim-request-id")).toMatch(UUID);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
    // A JFIF file, like the recorded one (/9j/4AAQSkZJRg...).
    expect(Buffer.from(bytes.subarray(0, 11)).toString("latin1")).toBe("\xff\xd8\xff\xe0\x00\x10JFIF\x00");
    // It decodes, and holds the face rectangle with equal margins: 40+120+40 x 30+150+30.
    const image = jpeg.decode(Buffer.from(bytes), { useTArray: true });
    expect([image.width, image.height]).toEqual([200, 210]);
    const gray = (x: number, y: number) => image.data[(y * image.width + x) * 4]!;
    expect(Math.abs(gray(5, 5) - 0x60)).toBeLessThan(8); // background
    expect(Math.abs(gray(100, 150) - 0xd8)).toBeLessThan(8); // inside the face, below the eyes
    expect(gray(40 + 36, 30 + 57)).toBeLessThan(0x60); // left pupil (30% across, 38% down)
  });

  it("has no session image when enableSessionImage is false or the attempt failed", async () => {
    const ctx = setup({ clientAttemptsAllowed: 2 });
    const plain = await ctx.createLiveness();
    expect(ctx.emulator.simulateDevice(plain.authToken, "realface").result).not.toHaveProperty("sessionImageId");
    const failing = await ctx.createLiveness({ enableSessionImage: true });
    const failed = ctx.emulator.simulateDevice(failing.authToken, "FaceWithMaskDetected");
    expect(failed).not.toHaveProperty("result");
    expect(JSON.stringify(failed)).not.toContain("sessionImageId");
  });

  it("answers 404 for an unknown session image and 401 without a key", async () => {
    const ctx = await withImage();
    await expectError(await ctx.call("/sessionImages/does-not-exist"), 404, "SessionImageNotFound");
    await expectError(await ctx.call(`/sessionImages/${ctx.sessionImageId}`, { anonymous: true }), 401, "401");
  });

  it("keeps session images after the session is deleted", async () => {
    const ctx = await withImage();
    expect((await ctx.call(`/detectLiveness-sessions/${ctx.sessionId}`, { method: "DELETE" })).status).toBe(204);
    expect((await ctx.call(`/sessionImages/${ctx.sessionImageId}`)).status).toBe(200);
  });
});

describe("emulator: detect from session image", () => {
  it("returns one face with the attempt's rectangle and a faceId by default", async () => {
    const ctx = await withImage();
    const response = await detect(ctx, "", { sessionImageId: ctx.sessionImageId });
    expect(response.status).toBe(200);
    const faces = await response.json();
    expect(faces).toHaveLength(1);
    expect(Object.keys(faces[0])).toEqual(["faceId", "faceRectangle"]);
    expect(faces[0].faceId).toMatch(UUID);
    expect(faces[0].faceRectangle).toEqual(RECT);
  });

  it("omits faceId with returnFaceId=false and adds recognitionModel when asked", async () => {
    const ctx = await withImage();
    const none = await (await detect(ctx, "?returnFaceId=false", { sessionImageId: ctx.sessionImageId })).json();
    expect(none[0]).toEqual({ faceRectangle: RECT });
    const withModel = await (
      await detect(ctx, "?returnFaceId=true&recognitionModel=recognition_04&returnRecognitionModel=true", { sessionImageId: ctx.sessionImageId })
    ).json();
    expect(withModel[0].recognitionModel).toBe("recognition_04");
    const defaultModel = await (await detect(ctx, "?returnRecognitionModel=true", { sessionImageId: ctx.sessionImageId })).json();
    expect(defaultModel[0].recognitionModel).toBe("recognition_01");
  });

  it("returns the 27 landmarks inside the face rectangle only when asked", async () => {
    const ctx = await withImage();
    const [plain] = await (await detect(ctx, "?returnFaceLandmarks=false", { sessionImageId: ctx.sessionImageId })).json();
    expect(plain).not.toHaveProperty("faceLandmarks");
    const [face] = await (await detect(ctx, "?returnFaceLandmarks=true", { sessionImageId: ctx.sessionImageId })).json();
    const points = Object.entries(face.faceLandmarks) as Array<[string, { x: number; y: number }]>;
    expect(points).toHaveLength(27);
    expect(points.map(([name]) => name)).toContain("underLipBottom");
    for (const [, p] of points) {
      expect(p.x).toBeGreaterThan(RECT.left);
      expect(p.x).toBeLessThan(RECT.left + RECT.width);
      expect(p.y).toBeGreaterThan(RECT.top);
      expect(p.y).toBeLessThan(RECT.top + RECT.height);
    }
    expect(face.faceLandmarks.pupilLeft.x).toBeLessThan(face.faceLandmarks.pupilRight.x);
  });

  it("returns exactly the requested attributes, with values of the right types", async () => {
    const ctx = await withImage();
    const query = "?returnFaceId=false&recognitionModel=recognition_03&returnFaceAttributes=glasses,headPose,occlusion,accessories,blur,exposure,noise,qualityForRecognition,age,smile,facialHair,hair";
    const [face] = await (await detect(ctx, query, { sessionImageId: ctx.sessionImageId })).json();
    const a = face.faceAttributes;
    expect(Object.keys(a).sort()).toEqual(
      ["accessories", "age", "blur", "exposure", "facialHair", "glasses", "hair", "headPose", "noise", "occlusion", "qualityForRecognition", "smile"],
    );
    expect(["noGlasses", "readingGlasses", "sunglasses", "swimmingGoggles"]).toContain(a.glasses);
    for (const k of ["pitch", "roll", "yaw"]) expect(typeof a.headPose[k]).toBe("number");
    expect(a.occlusion).toEqual({ foreheadOccluded: false, eyeOccluded: false, mouthOccluded: false });
    expect(Array.isArray(a.accessories)).toBe(true);
    expect(["low", "medium", "high"]).toContain(a.blur.blurLevel);
    expect(a.blur.value).toBeGreaterThanOrEqual(0);
    expect(a.blur.value).toBeLessThanOrEqual(1);
    expect(["underExposure", "goodExposure", "overExposure"]).toContain(a.exposure.exposureLevel);
    expect(["low", "medium", "high"]).toContain(a.noise.noiseLevel);
    expect(["low", "medium", "high"]).toContain(a.qualityForRecognition);
    expect(typeof a.age).toBe("number");
    expect(a.smile).toBeGreaterThanOrEqual(0);
    expect(a.smile).toBeLessThanOrEqual(1);
    expect(Object.keys(a.facialHair).sort()).toEqual(["beard", "moustache", "sideburns"]);
    expect(typeof a.hair.invisible).toBe("boolean");
    expect(a.hair.hairColor[0]).toEqual({ color: expect.any(String), confidence: expect.any(Number) });

    const [one] = await (await detect(ctx, "?returnFaceAttributes=headPose", { sessionImageId: ctx.sessionImageId })).json();
    expect(Object.keys(one.faceAttributes)).toEqual(["headPose"]);
    const [again] = await (await detect(ctx, "?returnFaceAttributes=headPose", { sessionImageId: ctx.sessionImageId })).json();
    expect(again.faceAttributes).toEqual(one.faceAttributes);
  });

  it("supports mask with detection_03", async () => {
    const ctx = await withImage();
    const [face] = await (
      await detect(ctx, "?detectionModel=detection_03&returnFaceAttributes=mask,blur,headPose", { sessionImageId: ctx.sessionImageId })
    ).json();
    expect(face.faceAttributes.mask).toEqual({ type: "noMask", noseAndMouthCovered: false });
  });

  const invalid: Array<[string, string, RegExp]> = [
    ["an unknown detection model", "?detectionModel=detection_04", /detectionModel/],
    ["an unknown recognition model", "?recognitionModel=recognition_05", /recognitionModel/],
    ["a non-boolean returnFaceId", "?returnFaceId=yes", /returnFaceId/],
    ["an unknown attribute", "?returnFaceAttributes=emotion", /returnFaceAttributes/],
    ["landmarks with detection_02", "?detectionModel=detection_02&returnFaceLandmarks=true", /detection_02/],
    ["attributes with detection_02", "?detectionModel=detection_02&returnFaceAttributes=headPose", /detection_02/],
    ["age with detection_03", "?detectionModel=detection_03&returnFaceAttributes=age", /not supported by detection_03/],
    ["mask with detection_01", "?returnFaceAttributes=mask", /detection_03 only/],
    ["qualityForRecognition with recognition_01", "?returnFaceAttributes=qualityForRecognition", /recognition_03 or recognition_04/],
    ["faceIdTimeToLive below 60", "?faceIdTimeToLive=59", /faceIdTimeToLive/],
    ["faceIdTimeToLive above 86400", "?faceIdTimeToLive=86401", /faceIdTimeToLive/],
  ];
  for (const [name, query, message] of invalid) {
    it(`answers 400 BadArgument for ${name}`, async () => {
      const ctx = await withImage();
      await expectError(await detect(ctx, query, { sessionImageId: ctx.sessionImageId }), 400, "BadArgument", message);
    });
  }

  it("checks the body: sessionImageId required, unknown id 404, wrong content type 415", async () => {
    const ctx = await withImage();
    await expectError(await detect(ctx, "", {}), 400, "BadArgument", /sessionImageId is required/);
    await expectError(await detect(ctx, "", { sessionImageId: 7 }), 400, "BadArgument", /sessionImageId/);
    await expectError(await detect(ctx, "", { sessionImageId: "unknown" }), 404, "SessionImageNotFound");
    await expectError(await ctx.call("/detect", { headers: { "content-type": "text/plain" }, body: "x" }), 415, "BadArgument", "Invalid Media Type.");
  });

  it("answers 501 for detection from a URL or from image bytes", async () => {
    const ctx = await withImage();
    await expectError(await detect(ctx, "", { url: "https://example.com/a.jpg" }), 501, "NotSupportedByEmulator");
    await expectError(
      await ctx.call("/detect", { headers: { "content-type": "application/octet-stream" }, body: new Uint8Array([0xff, 0xd8, 0xff]) }),
      501,
      "NotSupportedByEmulator",
    );
  });
});
