import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, isRestError } from "../../src/index.js";
import { BASE, ENDPOINT, KEY, createRecordingServer } from "../utils/recorder.js";

const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
const path = `${BASE}/detectLiveness-sessions/:id`;

async function failure(response: () => Response): Promise<any> {
  mock.use(http.get(path, response));
  const error = await client.getLivenessSessionResult("s1").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isRestError(error)).toBe(true);
  return error;
}

describe("service errors", () => {
  it("reads the gateway 403 quota shape (error.statusCode)", async () => {
    const body = { error: { statusCode: 403, message: "Out of call volume quota. Quota will be replenished in 2 days." } };
    const error = await failure(() => HttpResponse.json(body, { status: 403, headers: { "apim-request-id": "gw-1" } }));
    expect(error).toMatchObject({
      name: "RestError",
      statusCode: 403,
      code: "403",
      requestId: "gw-1",
      message: "403: Out of call volume quota. Quota will be replenished in 2 days.",
      details: body,
    });
  });

  it("reads the gateway 429 throttling shape", async () => {
    const body = { error: { statusCode: 429, message: "Rate limit is exceeded. Try again in 26 seconds." } };
    const error = await failure(() => HttpResponse.json(body, { status: 429 }));
    expect(error).toMatchObject({ statusCode: 429, code: "429", message: "429: Rate limit is exceeded. Try again in 26 seconds." });
    expect(error.requestId).toBeUndefined();
  });

  it("reads a Face 401 and a 415", async () => {
    const unauthorized = {
      error: { code: "401", message: "Access denied due to invalid subscription key or wrong API endpoint." },
    };
    expect(await failure(() => HttpResponse.json(unauthorized, { status: 401 }))).toMatchObject({
      statusCode: 401,
      code: "401",
      message: "401: Access denied due to invalid subscription key or wrong API endpoint.",
    });
    expect(
      await failure(() => HttpResponse.json({ error: { code: "BadArgument", message: "Invalid Media Type." } }, { status: 415 })),
    ).toMatchObject({ statusCode: 415, code: "BadArgument", message: "BadArgument: Invalid Media Type." });
  });

  it("gives a clear error for an HTML 502, with the text in details", async () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const error = await failure(() => new HttpResponse(html, { status: 502, headers: { "content-type": "text/html" } }));
    expect(error).toMatchObject({
      statusCode: 502,
      code: "502",
      message: "502: The service returned HTTP 502 with a body that is not a Face error (text/html).",
      details: html,
    });
  });

  it("falls back to x-ms-error-code, and handles an empty body", async () => {
    expect(
      await failure(() => new HttpResponse(null, { status: 500, headers: { "x-ms-error-code": "InternalServerError" } })),
    ).toMatchObject({
      statusCode: 500,
      code: "InternalServerError",
      message: "InternalServerError: The service returned HTTP 500 with no body.",
      details: undefined,
    });
    expect(
      await failure(() => HttpResponse.json({ error: { message: "no code here" } }, { status: 400, headers: { "x-ms-error-code": "BadArgument" } })),
    ).toMatchObject({ code: "BadArgument", message: "BadArgument: no code here" });
  });

  it("does not parse truncated JSON error bodies into a crash", async () => {
    const error = await failure(() => new HttpResponse('{"error":{"code":"Bad', { status: 400, headers: { "content-type": "application/json" } }));
    expect(error).toMatchObject({ statusCode: 400, code: "400", details: '{"error":{"code":"Bad' });
  });

  it("throws on a status the operation does not define as success", async () => {
    const error = await failure(() => HttpResponse.json({}, { status: 202 }));
    expect(error).toMatchObject({ statusCode: 202, code: "202" });
  });

  it("keeps secrets out of the message, JSON and inspect output of errors", async () => {
    const error = await failure(() => HttpResponse.json({ error: { code: "SessionNotFound", message: "gone" } }, { status: 404 }));
    for (const text of [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(KEY);
    }
    // The request stays available for diagnostics, with the key redacted on the object itself.
    expect(error.request.headers.get("ocp-apim-subscription-key")).toBe("REDACTED");
    expect(error.request.url).toMatch(/\/detectLiveness-sessions\//);
    expect(JSON.stringify(error.request)).not.toContain(KEY);
    expect(inspect(error, { depth: 10 })).toContain("REDACTED");
  });
});
