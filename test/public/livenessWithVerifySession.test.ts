import { Readable } from "node:stream";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { BASE, ENDPOINT, KEY, createRecordingServer, example, settle } from "../utils/recorder.js";
import { BMP, GIF, JPEG, PNG, WEBP } from "../utils/images.js";

const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
const SESSION_ID = "b12e033e-bda7-4b83-a211-e721c661f30e";
const createUrl = `${BASE}/detectLivenessWithVerify-sessions`;

function respondWithCreateExample(): void {
  mock.use(http.post(createUrl, mock.withForm(() => HttpResponse.json(example("CreateLivenessWithVerifySession").responses["200"].body))));
}

async function partsOf(form: FormData): Promise<Array<{ name: string; value: string; filename?: string; type?: string; bytes?: number[] }>> {
  const out = [];
  for (const [name, value] of form) {
    if (typeof value === "string") out.push({ name, value });
    else out.push({ name, value: "", filename: value.name, type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] });
  }
  return out;
}

describe("createLivenessWithVerifySession", () => {
  it("sends one multipart part per field and the image with a filename and sniffed type", async () => {
    respondWithCreateExample();
    const session = await client.createLivenessWithVerifySession({
      livenessOperationMode: "Passive",
      deviceCorrelationIdSetInClient: false,
      deviceCorrelationId: "your_device_correlation_id",
      authTokenTimeToLiveInSeconds: 60,
      enableSessionImage: true,
      livenessModelVersion: "2024-11-15",
      verifyConfidenceThreshold: 0.75,
      returnVerifyImageHash: true,
      verifyImage: JPEG,
    });
    await settle();

    expect(mock.requests).toHaveLength(1);
    const [req] = mock.requests;
    expect(req.method).toBe("POST");
    expect(req.url.href).toBe(createUrl);
    expect(req.headers.get("ocp-apim-subscription-key")).toBe(KEY);
    expect(req.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(await partsOf(req.form!)).toEqual([
      { name: "livenessOperationMode", value: "Passive" },
      { name: "deviceCorrelationIdSetInClient", value: "false" },
      { name: "enableSessionImage", value: "true" },
      { name: "livenessModelVersion", value: "2024-11-15" },
      { name: "deviceCorrelationId", value: "your_device_correlation_id" },
      { name: "authTokenTimeToLiveInSeconds", value: "60" },
      { name: "verifyConfidenceThreshold", value: "0.75" },
      { name: "returnVerifyImageHash", value: "true" },
      { name: "verifyImage", value: "", filename: "verify-image.jpg", type: "image/jpeg", bytes: [...JPEG] },
    ]);

    expect(session.sessionId).toBe(SESSION_ID);
    expect(session.status).toBe("NotStarted");
    expect(session.results.attempts).toEqual([]);
    expect(session.results.verifyReferences).toEqual([
      { referenceType: "image", faceRectangle: { top: 316, left: 131, width: 498, height: 677 }, qualityForRecognition: "high" },
    ]);
    expect(session.authTokenExpiresOn).toBeInstanceOf(Date);
  });

  it("sends only the required parts when nothing else is set", async () => {
    respondWithCreateExample();
    await client.createLivenessWithVerifySession({ livenessOperationMode: "PassiveActive", verifyImage: PNG });
    await settle();
    const parts = await partsOf(mock.requests[0].form!);
    expect(parts.map((p) => p.name)).toEqual(["livenessOperationMode", "verifyImage"]);
    expect(parts[1]).toMatchObject({ filename: "verify-image.png", type: "image/png" });
  });

  it.each([
    ["gif", GIF, "image/gif"],
    ["bmp", BMP, "image/bmp"],
    ["webp", WEBP, "image/webp"],
  ] as const)("sniffs %s", async (ext, bytes, type) => {
    respondWithCreateExample();
    await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: bytes });
    await settle();
    const image = (await partsOf(mock.requests[0].form!)).at(-1)!;
    expect(image).toMatchObject({ name: "verifyImage", filename: `verify-image.${ext}`, type, bytes: [...bytes] });
  });

  it("keeps a File's name (made header-safe) and sends a Blob's bytes", async () => {
    respondWithCreateExample();
    const file = new File([JPEG.slice()], 'my "ref"\r\n.jpeg', { type: "application/octet-stream" });
    await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: file });
    await settle();
    const image = (await partsOf(mock.requests[0].form!)).at(-1)!;
    expect(image).toMatchObject({ filename: "my _ref___.jpeg", type: "image/jpeg", bytes: [...JPEG] });
  });

  it("reads a Node stream and a stream factory", async () => {
    for (const verifyImage of [Readable.from([Buffer.from(PNG.subarray(0, 5)), Buffer.from(PNG.subarray(5))]), () => Readable.from([Buffer.from(PNG)])]) {
      mock.reset();
      respondWithCreateExample();
      await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage });
      await settle();
      const image = (await partsOf(mock.requests[0].form!)).at(-1)!;
      expect(image).toMatchObject({ filename: "verify-image.png", type: "image/png", bytes: [...PNG] });
    }
  });

  it("re-sends the same image bytes when a 503 is retried", async () => {
    const retrying = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 1, retryDelayInMs: 1 } });
    let calls = 0;
    mock.use(
      http.post(
        createUrl,
        mock.withForm(() => {
          calls++;
          return calls === 1
            ? HttpResponse.json({ error: { code: "ServiceUnavailable", message: "busy" } }, { status: 503 })
            : HttpResponse.json(example("CreateLivenessWithVerifySession").responses["200"].body);
        }),
      ),
    );
    await retrying.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: () => Readable.from([Buffer.from(JPEG)]) });
    await settle();
    expect(mock.requests).toHaveLength(2);
    for (const req of mock.requests) {
      expect((await partsOf(req.form!)).at(-1)).toMatchObject({ filename: "verify-image.jpg", bytes: [...JPEG] });
    }
  });

  it("rejects bad images before sending anything", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [new Uint8Array(0), /verifyImage must not be empty/],
      [Buffer.from("GIF87 is not this, just text"), /verifyImage must be a JPEG, PNG, GIF, BMP or WEBP image/],
      [new Uint8Array(6 * 1024 * 1024 + 1).fill(0xff), /verifyImage must be at most 6291456 bytes \(6 MB\) \(got 6291457 bytes\)/],
      [Readable.from([Buffer.alloc(4 * 1024 * 1024, 0xff), Buffer.alloc(4 * 1024 * 1024, 0xff)]), /verifyImage must be at most 6291456 bytes \(6 MB\) \(the stream was longer\)/],
      [undefined, /verifyImage is required/],
      ["a path string", /verifyImage must be a Uint8Array\/Buffer, an ArrayBuffer or typed array, a Blob\/File, a Node or web readable stream, a fetch Response/],
    ];
    for (const [verifyImage, message] of cases) {
      await expect(
        client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: verifyImage as Uint8Array }),
      ).rejects.toThrow(message);
    }
    await settle();
    expect(mock.requests).toHaveLength(0);
  });
});

describe("getLivenessWithVerifySessionResult / deleteLivenessWithVerifySession", () => {
  it("parses the spec example with verify results", async () => {
    mock.use(http.get(`${createUrl}/:id`, () => HttpResponse.json(example("GetLivenessWithVerifySessionResult").responses["200"].body)));
    const session = await client.getLivenessWithVerifySessionResult(SESSION_ID);
    await settle();
    expect(mock.requests[0].method).toBe("GET");
    expect(mock.requests[0].url.href).toBe(`${createUrl}/${SESSION_ID}`);
    const [latest, first] = session.results.attempts;
    expect(latest.result?.verifyResult).toEqual({ matchConfidence: 0.08871888, isIdentical: false });
    expect(latest.result?.verifyImageHash).toBe("43B7D8E8769533C3290DBD37A84D821B2C28CB4381DF9C6784DBC4AAF7E45018");
    expect(latest.result?.livenessDecision).toBe("realface");
    expect(first.error?.code).toBe("FaceWithMaskDetected");
    expect(session.results.verifyReferences[0].referenceType).toBe("image");
  });

  it("rejects a verifyResult with the wrong types", async () => {
    const body = structuredClone(example("GetLivenessWithVerifySessionResult").responses["200"].body);
    body.results.attempts[0].result.verifyResult.isIdentical = "false";
    mock.use(http.get(`${createUrl}/:id`, () => HttpResponse.json(body)));
    await expect(client.getLivenessWithVerifySessionResult(SESSION_ID)).rejects.toMatchObject({
      code: "PARSE_ERROR",
      message: "PARSE_ERROR: response field 'results.attempts[0].result.verifyResult.isIdentical' must be a boolean (got string).",
    });
  });

  it("deletes with a DELETE on the with-verify path", async () => {
    mock.use(http.delete(`${createUrl}/:id`, () => new HttpResponse(null, { status: 204 })));
    await client.deleteLivenessWithVerifySession(SESSION_ID);
    await settle();
    expect(mock.requests.map((r) => `${r.method} ${r.url.href}`)).toEqual([`DELETE ${createUrl}/${SESSION_ID}`]);
  });
});
