import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { BASE, ENDPOINT, KEY, createRecordingServer, example, settle } from "../utils/recorder.js";

const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
const IMAGE_ID = "3d035d35-2e01-4ed4-8935-577afde9caaa";
// Bytes that are not valid UTF-8: a text decode would corrupt them.
const IMAGE = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + 7) % 256);

function imageResponse(): HttpResponse<ArrayBuffer> {
  return new HttpResponse(IMAGE.slice().buffer, {
    status: 200,
    headers: { "content-type": "application/octet-stream", "content-length": String(IMAGE.length) },
  });
}

describe("getSessionImage", () => {
  it("sends a GET with Accept octet-stream and streams the exact bytes", async () => {
    mock.use(http.get(`${BASE}/sessionImages/:id`, imageResponse));
    const image = await client.getSessionImage(IMAGE_ID);
    await settle();
    const [req] = mock.requests;
    expect(req.method).toBe("GET");
    expect(req.url.href).toBe(`${BASE}/sessionImages/${IMAGE_ID}`);
    expect(req.headers.get("accept")).toBe("application/octet-stream");
    expect(req.headers.get("ocp-apim-subscription-key")).toBe(KEY);
    expect(image.contentType).toBe("application/octet-stream");
    expect(image.contentLength).toBe(IMAGE.length);

    const chunks: Buffer[] = [];
    await pipeline(
      image.readableStreamBody,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(IMAGE);
  });

  it("collects the bytes with bytes(), once", async () => {
    mock.use(http.get(`${BASE}/sessionImages/:id`, imageResponse));
    const image = await client.getSessionImage(IMAGE_ID);
    const bytes = await image.bytes();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toEqual(IMAGE);
    await expect(image.bytes()).rejects.toThrow("The session image body has already been read.");
  });

  it("reads a JSON error body of a failed download", async () => {
    mock.use(
      http.get(`${BASE}/sessionImages/:id`, () =>
        HttpResponse.json({ error: { code: "SessionImageNotFound", message: "Session image is not found." } }, { status: 404 }),
      ),
    );
    await expect(client.getSessionImage(IMAGE_ID)).rejects.toMatchObject({
      statusCode: 404,
      code: "SessionImageNotFound",
      message: "SessionImageNotFound: Session image is not found.",
      details: { error: { code: "SessionImageNotFound", message: "Session image is not found." } },
    });
  });
});

describe("detectFromSessionImage", () => {
  it("sends the query options of the spec example and parses its response", async () => {
    const ex = example("DetectFromSessionImageId");
    mock.use(http.post(`${BASE}/detect`, () => HttpResponse.json(ex.responses["200"].body)));
    const faces = await client.detectFromSessionImage("aa93ce80-9a9b-48bd-ae1a-1c7543841e92", {
      detectionModel: "detection_01",
      recognitionModel: "recognition_03",
      returnFaceId: true,
      returnFaceAttributes: ["glasses", "headPose", "occlusion", "accessories", "blur", "exposure", "noise", "qualityForRecognition"],
      returnFaceLandmarks: true,
      returnRecognitionModel: true,
      faceIdTimeToLive: 60,
    });
    await settle();
    const [req] = mock.requests;
    expect(req.method).toBe("POST");
    expect(req.url.origin + req.url.pathname).toBe(`${BASE}/detect`);
    expect(req.url.search).toBe(
      "?detectionModel=detection_01&recognitionModel=recognition_03&returnFaceId=true" +
        "&returnFaceAttributes=glasses,headPose,occlusion,accessories,blur,exposure,noise,qualityForRecognition" +
        "&returnFaceLandmarks=true&returnRecognitionModel=true&faceIdTimeToLive=60",
    );
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(req.text)).toEqual({ sessionImageId: "aa93ce80-9a9b-48bd-ae1a-1c7543841e92" });

    expect(faces).toHaveLength(1);
    const [face] = faces;
    expect(face.faceId).toBe("c5c24a82-6845-4031-9d5d-978df9175426");
    expect(face.recognitionModel).toBe("recognition_03");
    expect(face.faceRectangle).toEqual({ width: 78, height: 78, left: 394, top: 54 });
    expect(Object.keys(face.faceLandmarks!)).toHaveLength(27);
    expect(face.faceLandmarks!.pupilLeft).toEqual({ x: 412.7, y: 78.4 });
    expect(face.faceAttributes).toEqual(ex.responses["200"].body[0].faceAttributes);
  });

  it("sends returnFaceId=false by default and nothing else", async () => {
    mock.use(http.post(`${BASE}/detect`, () => HttpResponse.json([])));
    await expect(client.detectFromSessionImage("img-1")).resolves.toEqual([]);
    await settle();
    expect(mock.requests[0].url.search).toBe("?returnFaceId=false");
  });

  it("parses every attribute family and passes unknown values through", async () => {
    const face = {
      faceRectangle: { top: 1, left: 2, width: 3, height: 4 },
      faceAttributes: {
        age: 31.5,
        smile: 0.1,
        facialHair: { moustache: 0.1, beard: 0.2, sideburns: 0.3 },
        glasses: "monocle",
        hair: { bald: 0.1, invisible: false, hairColor: [{ color: "teal", confidence: 0.9 }] },
        mask: { noseAndMouthCovered: true, type: "faceMask" },
        qualityForRecognition: "excellent",
      },
      somethingNew: 1,
    };
    mock.use(http.post(`${BASE}/detect`, () => HttpResponse.json([face])));
    const [parsed] = await client.detectFromSessionImage("img-1", { returnFaceAttributes: ["age", "smile", "facialHair", "glasses", "hair", "mask"] });
    expect(parsed).toEqual({ faceRectangle: face.faceRectangle, faceAttributes: face.faceAttributes });
  });
});
