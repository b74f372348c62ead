import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { BASE, ENDPOINT, KEY, createRecordingServer, example } from "../utils/recorder.js";
import { JPEG } from "../utils/images.js";

const mock = createRecordingServer();
const lines: string[] = [];
const originalLog = AzureLogger.log;
let originalLevel: AzureLogLevel | undefined;

beforeAll(() => {
  mock.listen();
  originalLevel = getLogLevel();
  setLogLevel("verbose");
  AzureLogger.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
});
afterEach(() => mock.reset());
afterAll(() => {
  mock.close();
  AzureLogger.log = originalLog;
  setLogLevel(originalLevel);
});

const TOKEN = "eyJhbGciOiJFUzI1NiIsIm";

describe("logging at verbose level", () => {
  it("logs requests, responses, retries and failures without the key or any authToken", async () => {
    let creates = 0;
    mock.use(
      http.post(`${BASE}/detectLiveness-sessions`, () => {
        creates++;
        return creates === 1
          ? HttpResponse.json({ error: { code: "ServiceUnavailable", message: "busy" } }, { status: 503, headers: { "retry-after": "0" } })
          : HttpResponse.json(example("CreateLivenessSession").responses["200"].body, { headers: { "apim-request-id": "req-create-1" } });
      }),
      http.post(`${BASE}/detectLivenessWithVerify-sessions`, () => HttpResponse.json(example("CreateLivenessWithVerifySession").responses["200"].body)),
      http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(example("GetLivenessSessionResult").responses["200"].body)),
      http.delete(`${BASE}/detectLiveness-sessions/:id`, () =>
        HttpResponse.json({ error: { code: "SessionNotFound", message: "Session Id is not found." } }, { status: 404 }),
      ),
      http.get(`${BASE}/sessionImages/:id`, () => new HttpResponse(JPEG.slice().buffer, { headers: { "content-type": "application/octet-stream" } })),
      http.post(`${BASE}/detect`, () => HttpResponse.json(example("DetectFromSessionImageId").responses["200"].body)),
    );
    const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 1, retryDelayInMs: 1 } });

    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", deviceCorrelationId: "device-1" });
    await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: JPEG });
    await client.getLivenessSessionResult(session.sessionId);
    await expect(client.deleteLivenessSession(session.sessionId)).rejects.toMatchObject({ code: "SessionNotFound" });
    await (await client.getSessionImage("img-1")).bytes();
    await client.detectFromSessionImage("img-1", { returnFaceAttributes: ["headPose"] });

    const log = lines.join("\n");
    expect(creates).toBe(2);
    expect(log).toContain("azure:face-liveness:info");
    expect(log).toContain("Request: {");
    expect(log).toMatch(/Retry attempt number 1|Retrying request|retry/i);
    expect(log).toContain('"apim-request-id": "req-create-1"');
    expect(log).toContain('"ocp-apim-subscription-key": "REDACTED"');
    expect(log).toContain("returnFaceAttributes=headPose");
    expect(log).not.toContain(KEY);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain("device-1");
  });
});
