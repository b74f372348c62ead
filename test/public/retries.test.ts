import { createHttpHeaders, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { ENDPOINT, example } from "../utils/recorder.js";
import { JPEG } from "../utils/images.js";

type Step = { status: number; headers?: Record<string, string>; body?: unknown } | { error: string };

/** An HttpClient that answers from a script and records what it was asked. */
function scripted(steps: Step[]) {
  const seen: string[] = [];
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      const step = steps.shift();
      if (step === undefined) throw new Error("script exhausted");
      if ("error" in step) throw new RestError(`simulated ${step.error}`, { code: step.error, request });
      return {
        request,
        status: step.status,
        headers: createHttpHeaders({ "content-type": "application/json", ...step.headers }),
        bodyAsText: step.body === undefined ? "" : JSON.stringify(step.body),
      };
    },
  };
  const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential("k"), {
    httpClient,
    retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 50 },
  });
  return { client, seen };
}

const created = () => ({ status: 200, body: example("CreateLivenessSession").responses["200"].body });
const createdWithVerify = () => ({ status: 200, body: example("CreateLivenessWithVerifySession").responses["200"].body });
const fetched = () => ({ status: 200, body: example("GetLivenessSessionResult").responses["200"].body });
const busy = (status: number, headers?: Record<string, string>) => ({
  status,
  headers,
  body: { error: { statusCode: status, message: "Rate limit is exceeded. Try again in 1 seconds." } },
});

describe("session creation retries only when no session can have been made", () => {
  it.each([
    ["429 with Retry-After seconds", busy(429, { "retry-after": "0" })],
    ["429 with Retry-After as an HTTP date in the past", busy(429, { "retry-after": new Date(0).toUTCString() })],
    ["503 without Retry-After", { status: 503, body: { error: { code: "ServiceUnavailable", message: "Busy." } } }],
    ["429 whose message says how long to wait", { status: 429, body: { error: { statusCode: 429, message: "Try again in 0.01 seconds." } } }],
    ["a refused connection", { error: "ECONNREFUSED" }],
    ["a failed DNS lookup", { error: "ENOTFOUND" }],
  ] as Array<[string, Step]>)("retries after %s", async (_name, first) => {
    const { client, seen } = scripted([first, created()]);
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    expect(session.sessionId).toBe("b12e033e-bda7-4b83-a211-e721c661f30e");
    expect(seen).toEqual(["POST /face/v1.2/detectLiveness-sessions", "POST /face/v1.2/detectLiveness-sessions"]);
  });

  it.each([
    ["a reset after sending", { error: "ECONNRESET" }, "ECONNRESET"],
    ["a timeout", { error: "ETIMEDOUT" }, "ETIMEDOUT"],
    ["a 500", { status: 500, body: { error: { code: "InternalServerError", message: "boom" } } }, "InternalServerError"],
    ["a 502", { status: 502, body: "" }, "502"],
    ["a 504", { status: 504 }, "504"],
    ["a Retry-After longer than maxRetryDelayInMs", busy(429, { "retry-after": "3600" }), "429"],
  ] as Array<[string, Step, string]>)("does not retry %s", async (_name, first, code) => {
    const { client, seen } = scripted([first, created()]);
    await expect(client.createLivenessSession({ livenessOperationMode: "Passive" })).rejects.toMatchObject({ code });
    expect(seen).toHaveLength(1);
  });

  it("applies the same rules to liveness-with-verify creation", async () => {
    const reset = scripted([{ error: "ECONNRESET" }, createdWithVerify()]);
    await expect(reset.client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: JPEG })).rejects.toMatchObject({
      code: "ECONNRESET",
    });
    expect(reset.seen).toHaveLength(1);
    const throttled = scripted([busy(429, { "retry-after": "0" }), createdWithVerify()]);
    await throttled.client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: JPEG });
    expect(throttled.seen).toHaveLength(2);
  });

  it("gives up after maxRetries throttled answers and throws the last one", async () => {
    const { client, seen } = scripted([busy(429, { "retry-after": "0" }), busy(429, { "retry-after": "0" }), busy(429, { "retry-after": "0" }), busy(429, { "retry-after": "0" })]);
    await expect(client.createLivenessSession({ livenessOperationMode: "Passive" })).rejects.toMatchObject({ statusCode: 429, code: "429" });
    expect(seen).toHaveLength(4);
  });
});

describe("reads and deletes keep the default retries", () => {
  it("retries a GET after a 500 and after a reset", async () => {
    const { client, seen } = scripted([{ status: 500 }, { error: "ECONNRESET" }, fetched()]);
    await client.getLivenessSessionResult("s1");
    expect(seen).toEqual(Array(3).fill("GET /face/v1.2/detectLiveness-sessions/s1"));
  });

  it("retries a DELETE after a 503", async () => {
    const { client, seen } = scripted([busy(503, { "retry-after": "0" }), { status: 204 }]);
    await client.deleteLivenessSession("s1");
    expect(seen).toEqual(Array(2).fill("DELETE /face/v1.2/detectLiveness-sessions/s1"));
  });
});
