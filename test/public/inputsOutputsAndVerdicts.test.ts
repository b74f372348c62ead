import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { createHttpHeaders, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AzureKeyCredential,
  FaceSessionClient,
  summarizeLivenessSession,
  summarizeLivenessWithVerifySession,
  type LivenessSession,
  type LivenessWithVerifySession,
  type VerifyImageInput,
} from "../../src/index.js";
import { listen, type RunningEmulator } from "../../src/emulator/index.js";
import { JPEG } from "../utils/images.js";
import { ENDPOINT } from "../utils/fakeTransport.js";
import { failedAttempt, livenessBody, runningAttempt, succeededAttempt, verifyAttempt, withVerifyBody } from "../utils/sessions.js";

let running: RunningEmulator;
let client: FaceSessionClient;
beforeAll(async () => {
  running = await listen();
  client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), { retryOptions: { maxRetries: 0 } });
});
afterAll(() => running.close());

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex").toUpperCase();
const webStream = (bytes: Uint8Array, chunk = 5): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
      controller.close();
    },
  });

describe("verifyImage accepts what app servers have", () => {
  const copy = (): ArrayBuffer => JPEG.slice().buffer;
  const inputs: [string, () => VerifyImageInput][] = [
    ["ArrayBuffer", copy],
    ["DataView", () => new DataView(copy())],
    ["a typed array other than Uint8Array", () => new Uint16Array(copy())],
    ["a Uint8Array view into a larger buffer", () => new Uint8Array([0, 0, ...JPEG, 0]).subarray(2, 2 + JPEG.length)],
    ["Blob", () => new Blob([copy()])],
    ["Node readable stream", () => Readable.from([JPEG.subarray(0, 4), JPEG.subarray(4)])],
    ["web ReadableStream", () => webStream(JPEG)],
    ["fetch Response", () => new Response(copy(), { headers: { "content-type": "image/jpeg" } })],
    ["function returning a web stream", () => () => webStream(JPEG)],
  ];
  it.each(inputs)("%s: the service gets exactly the image's bytes", async (_name, make) => {
    const session = await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: make(), returnVerifyImageHash: true });
    running.emulator.simulateDevice(session.authToken, "realface");
    const result = await client.getLivenessWithVerifySessionResult(session.sessionId);
    expect(result.results.attempts[0]?.result?.verifyImageHash).toBe(sha256(JPEG));
    await client.deleteLivenessWithVerifySession(session.sessionId);
  });

  const refused: [string, () => VerifyImageInput, RegExp][] = [
    ["a Response that is not a 2xx", () => new Response("not found", { status: 404 }), /Response with HTTP status 404/],
    ["a Response whose Content-Length is over 6 MB", () => new Response(webStream(JPEG), { headers: { "content-length": String(7 * 1024 * 1024) } }), /at most 6291456 bytes.*Content-Length/],
    ["a Response read before", () => {
      const r = new Response(copy());
      void r.arrayBuffer();
      return r;
    }, /already been read/],
    ["an empty Response", () => new Response(null), /must not be empty/],
    ["a web stream of strings", () => new ReadableStream<string>({ start: (c) => (c.enqueue("abc"), c.close()) }) as unknown as VerifyImageInput, /must yield bytes/],
  ];
  it.each(refused)("refuses %s before sending", async (_name, make, message) => {
    let sent = 0;
    const error = await client
      .createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: make() }, { onResponse: () => void sent++ })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(message);
    expect(sent).toBe(0);
  });

  it("stops reading a web stream as soon as it passes 6 MB, and cancels it", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(pulled === 1 ? JPEG : new Uint8Array(1024 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: endless }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(pulled).toBeLessThanOrEqual(9);
    expect(cancelled).toBe(true);
  });
});

describe("known enum values in another case", () => {
  function capturing(): { client: FaceSessionClient; requests: PipelineRequest[] } {
    const requests: PipelineRequest[] = [];
    const httpClient: HttpClient = {
      sendRequest: async (request) => {
        requests.push(request);
        const body = request.url.includes("/detect?") ? "[]" : JSON.stringify(livenessBody("NotStarted"));
        return { request, status: 200, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: body };
      },
    };
    return { client: new FaceSessionClient(ENDPOINT, new AzureKeyCredential("k"), { httpClient }), requests };
  }

  it("sends livenessOperationMode in the service's case; unknown values pass unchanged", async () => {
    const { client: c, requests } = capturing();
    for (const mode of ["passive", "PASSIVEACTIVE", "Passive", "SomethingNew"]) await c.createLivenessSession({ livenessOperationMode: mode });
    expect(requests.map((r) => JSON.parse(String(r.body)).livenessOperationMode)).toEqual(["Passive", "PassiveActive", "Passive", "SomethingNew"]);
  });

  it("sends detect models and attribute names in the service's case", async () => {
    const { client: c, requests } = capturing();
    await c.detectFromSessionImage("img", { detectionModel: "Detection_03", recognitionModel: "RECOGNITION_04", returnFaceAttributes: ["HeadPose", "mask", "QUALITYFORRECOGNITION", "newThing"] });
    const query = new URL(requests[0]!.url).searchParams;
    expect(query.get("detectionModel")).toBe("detection_03");
    expect(query.get("recognitionModel")).toBe("recognition_04");
    expect(query.get("returnFaceAttributes")).toBe("headPose,mask,qualityForRecognition,newThing");
  });
});

describe("session image as a web stream, with headers", () => {
  async function imageId(): Promise<string> {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    return running.emulator.simulateDevice(session.authToken, "realface").result!.sessionImageId!;
  }

  it("stream() gives the same bytes as bytes(), and the headers make a Response", async () => {
    const id = await imageId();
    const expected = await (await client.getSessionImage(id)).bytes();
    const image = await client.getSessionImage(id);
    expect(image.headers.get("content-type")).toBe(image.contentType);
    expect(Number(image.headers.get("content-length"))).toBe(expected.length);
    expect(image.headers.get("apim-request-id")).toBe(image.requestId);
    expect(image.headers.has("connection")).toBe(false);
    expect(image.headers.has("keep-alive")).toBe(false);
    const response = new Response(image.stream(), { headers: image.headers });
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(expected);
    expect(() => image.stream()).toThrow(/already been read/);
    await expect(image.bytes()).rejects.toThrow(/already been read/);
  });

  it("the web stream fails with an AbortError carrying the reason when the signal aborts", async () => {
    const id = await imageId();
    const controller = new AbortController();
    const image = await client.getSessionImage(id, { abortSignal: controller.signal });
    const reader = image.stream().getReader();
    const reason = new Error("client went away");
    controller.abort(reason);
    const error = await (async () => {
      for (;;) {
        const { done } = await reader.read();
        if (done) return undefined;
      }
    })().catch((e: unknown) => e);
    // The whole PNG may already be buffered; when it is not, the read fails with the reason.
    if (error !== undefined) {
      expect((error as Error).name).toBe("AbortError");
      expect((error as Error).cause).toBe(reason);
    }
  });
});

describe("three-way verdict", () => {
  const liveness = (status: string, attempts: object[]) => summarizeLivenessSession(livenessBody(status, attempts as never) as LivenessSession);
  it.each([
    ["no attempt yet", "NotStarted", [], "pending", "notStarted"],
    ["started, no attempt listed yet (as recorded)", "Running", [], "pending", "attemptRunning"],
    ["an attempt running", "Running", [runningAttempt(1)], "pending", "attemptRunning"],
    ["a failed attempt with attempts left", "Running", [failedAttempt(1)], "pending", "retryAllowed"],
    ["realface", "Succeeded", [succeededAttempt(1)], "accepted", undefined],
    ["spoofface", "Succeeded", [succeededAttempt(1, "spoofface")], "rejected", "spoofFace"],
    ["uncertain", "Succeeded", [succeededAttempt(1, "uncertain")], "rejected", "uncertain"],
    ["a decision this library does not know", "Succeeded", [succeededAttempt(1, "somethingnew")], "rejected", "unknownDecision"],
    ["a failed last attempt", "Failed", [failedAttempt(2), failedAttempt(1)], "rejected", "attemptFailed"],
    ["a session canceled before any attempt", "Canceled", [], "rejected", "sessionEnded"],
    ["the latest attempt decides, not attempts[0]", "Succeeded", [failedAttempt(1), succeededAttempt(2)], "accepted", undefined],
  ])("%s → %s", (_name, status, attempts, verdict, reason) => {
    const summary = liveness(status, attempts);
    expect(summary.verdict).toBe(verdict);
    expect(summary.reason).toBe(reason);
    expect(summary.accepted).toBe(verdict === "accepted");
  });

  it("counts uncertain as the policy says", () => {
    const summary = summarizeLivenessSession(livenessBody("Succeeded", [succeededAttempt(1, "uncertain")]) as LivenessSession, { treatUncertainAs: "success" });
    expect(summary).toMatchObject({ verdict: "accepted", accepted: true });
    expect(summary.reason).toBeUndefined();
  });

  it("rejects a live face that does not match, saying why", () => {
    const verify = (attempt: object, policy = {}) =>
      summarizeLivenessWithVerifySession(withVerifyBody("Succeeded", [attempt as never]) as LivenessWithVerifySession, policy);
    expect(verify(verifyAttempt(1, false, 0.2))).toMatchObject({ verdict: "rejected", reason: "notIdentical", accepted: false });
    expect(verify(verifyAttempt(1, true, 0.6), { minMatchConfidence: 0.7 })).toMatchObject({ verdict: "rejected", reason: "matchConfidenceTooLow" });
    expect(verify(verifyAttempt(1, true, 0.9), { minMatchConfidence: 0.7 })).toMatchObject({ verdict: "accepted", accepted: true });
    expect(verify(verifyAttempt(1, true, 0.9, "spoofface"))).toMatchObject({ verdict: "rejected", reason: "spoofFace" });
  });
});
