import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, KnownLivenessDecision, type LivenessSession } from "../../src/index.js";
import { BASE, ENDPOINT, KEY, createRecordingServer, example, settle } from "../utils/recorder.js";

const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
const SESSION_ID = "b12e033e-bda7-4b83-a211-e721c661f30e";

describe("createLivenessSession", () => {
  it("sends the exact request and parses the spec example", async () => {
    const ex = example("CreateLivenessSession");
    mock.use(http.post(`${BASE}/detectLiveness-sessions`, () => HttpResponse.json(ex.responses["200"].body)));
    const before = Date.now();
    const session = await client.createLivenessSession(ex.parameters.body);
    await settle();

    expect(mock.requests).toHaveLength(1);
    const [req] = mock.requests;
    expect(req.method).toBe("POST");
    expect(req.url.href).toBe(`${BASE}/detectLiveness-sessions`);
    expect(req.url.search).toBe("");
    expect(req.headers.get("ocp-apim-subscription-key")).toBe(KEY);
    expect(req.headers.get("authorization")).toBeNull();
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(req.headers.get("accept")).toBe("application/json");
    expect(req.headers.get("accept-encoding")).toBeNull(); // compression is not asked for
    expect(req.headers.get("user-agent")).toMatch(/^azsdk-js-azure-face-liveness\/1\.0\.0-beta\.1 /);
    expect(req.headers.get("x-ms-client-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(req.text)).toEqual({
      livenessOperationMode: "Passive",
      deviceCorrelationIdSetInClient: false,
      deviceCorrelationId: "your_device_correlation_id",
      authTokenTimeToLiveInSeconds: 60,
    });

    expect(session).toMatchObject({
      sessionId: SESSION_ID,
      authToken: "eyJhbGciOiJFUzI1NiIsIm",
      status: "NotStarted",
      modelVersion: "2024-11-15",
      results: { attempts: [] },
    });
    const expires = session.authTokenExpiresOn!.getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it("sends only the fields that were set, and computes the default 600 s expiry", async () => {
    mock.use(http.post(`${BASE}/detectLiveness-sessions`, () => HttpResponse.json(example("CreateLivenessSession").responses["200"].body)));
    const before = Date.now();
    const session = await client.createLivenessSession({
      livenessOperationMode: "PassiveActive",
      enableSessionImage: true,
      livenessModelVersion: "2024-11-15",
      deviceCorrelationIdSetInClient: true,
    });
    await settle();
    expect(JSON.parse(mock.requests[0].text)).toEqual({
      livenessOperationMode: "PassiveActive",
      enableSessionImage: true,
      livenessModelVersion: "2024-11-15",
      deviceCorrelationIdSetInClient: true,
    });
    expect(session.authTokenExpiresOn!.getTime()).toBeGreaterThanOrEqual(before + 600_000);
    expect(session.authTokenExpiresOn!.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
  });

  it("treats null optional fields as absent, as the service documents for deviceCorrelationId", async () => {
    mock.use(http.post(`${BASE}/detectLiveness-sessions`, () => HttpResponse.json(example("CreateLivenessSession").responses["200"].body)));
    await client.createLivenessSession({
      livenessOperationMode: "Passive",
      deviceCorrelationIdSetInClient: true,
      deviceCorrelationId: null as unknown as string,
      authTokenTimeToLiveInSeconds: null as unknown as number,
    });
    await settle();
    expect(JSON.parse(mock.requests[0].text)).toEqual({ livenessOperationMode: "Passive", deviceCorrelationIdSetInClient: true });
  });

  it("redacts the authToken from util.inspect but keeps it in JSON", async () => {
    mock.use(http.post(`${BASE}/detectLiveness-sessions`, () => HttpResponse.json(example("CreateLivenessSession").responses["200"].body)));
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    expect(inspect(session, { depth: 10 })).not.toContain("eyJhbGciOiJFUzI1NiIsIm");
    expect(inspect(session)).toContain("[REDACTED]");
    expect(JSON.parse(JSON.stringify(session)).authToken).toBe("eyJhbGciOiJFUzI1NiIsIm");
    expect(session.authToken).toBe("eyJhbGciOiJFUzI1NiIsIm");
  });
});

describe("getLivenessSessionResult", () => {
  it("sends a GET to the session path and parses attempts newest first into a narrowing union", async () => {
    const ex = example("GetLivenessSessionResult");
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(ex.responses["200"].body)));
    const session: LivenessSession = await client.getLivenessSessionResult(SESSION_ID);
    await settle();

    const [req] = mock.requests;
    expect(req.method).toBe("GET");
    expect(req.url.href).toBe(`${BASE}/detectLiveness-sessions/${SESSION_ID}`);
    expect(req.headers.get("ocp-apim-subscription-key")).toBe(KEY);
    expect(req.headers.get("content-type")).toBeNull();
    expect(req.text).toBe("");

    expect(session.authTokenExpiresOn).toBeUndefined();
    expect(session.results.attempts.map((a) => a.attemptId)).toEqual([2, 1]);
    const [latest, first] = session.results.attempts;
    expect(latest.attemptStatus).toBe("Succeeded");
    if (latest.result === undefined) throw new Error("expected a result");
    expect(latest.error).toBeUndefined();
    expect(latest.result.livenessDecision).toBe(KnownLivenessDecision.RealFace);
    expect(latest.result.targets?.color?.faceRectangle).toEqual({ top: 669, left: 203, width: 646, height: 724 });
    expect(latest.result.digest).toBe("B0A803BB7B26F3C8F29CD36030F8E63ED3FAF955FEEF8E01C88AB8FD89CCF761");
    expect(latest.result.sessionImageId).toBe("Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I");
    if (first.error === undefined) throw new Error("expected an error");
    expect(first.result).toBeUndefined();
    expect(first.error).toEqual({
      code: "FaceWithMaskDetected",
      message: "Mask detected on face image.",
      targets: { color: { faceRectangle: { top: 669, left: 203, width: 646, height: 724 } } },
    });
  });

  it("passes unknown enum values through and drops unknown fields", async () => {
    const body = structuredClone(example("GetLivenessSessionResult").responses["200"].body);
    body.status = "Paused";
    body.modelVersion = "2030-01-01";
    body.newTopLevelField = { nested: true };
    body.results.attempts[0].attemptStatus = "Retrying";
    body.results.attempts[0].result.livenessDecision = "deepfake";
    body.results.attempts[0].result.extra = 1;
    body.results.attempts.push({ attemptId: 3, attemptStatus: "Running", result: null, error: null });
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(body)));
    const session = await client.getLivenessSessionResult(SESSION_ID);
    expect(session.status).toBe("Paused");
    expect(session.modelVersion).toBe("2030-01-01");
    expect(session).not.toHaveProperty("newTopLevelField");
    expect(session.results.attempts[0].attemptStatus).toBe("Retrying");
    expect(session.results.attempts[0].result?.livenessDecision).toBe("deepfake");
    expect(session.results.attempts[0].result).not.toHaveProperty("extra");
    expect(session.results.attempts[2]).toEqual({ attemptId: 3, attemptStatus: "Running" });
  });

  it("reads a result whose non-identity fields are missing, leaving them out", async () => {
    const body = structuredClone(example("GetLivenessSessionResult").responses["200"].body);
    delete body.results.attempts[0].result.digest;
    body.results.attempts[0].result.targets = null;
    delete body.results.attempts[1].error.targets.color.faceRectangle.top;
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(body)));
    const session = await client.getLivenessSessionResult(SESSION_ID);
    expect(session.results.attempts[0].result).toEqual({
      livenessDecision: "realface",
      sessionImageId: "Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I",
    });
    expect(session.results.attempts[1].error).toEqual({
      code: "FaceWithMaskDetected",
      message: "Mask detected on face image.",
      targets: { color: {} },
    });
  });

  it("turns a missing identity field into a PARSE_ERROR naming the path, without echoing the body", async () => {
    const body = structuredClone(example("GetLivenessSessionResult").responses["200"].body);
    delete body.results.attempts[0].attemptStatus;
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(body)));
    const error = await client.getLivenessSessionResult(SESSION_ID).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "RestError",
      code: "PARSE_ERROR",
      statusCode: 200,
      message: "PARSE_ERROR: response field 'results.attempts[0].attemptStatus' must be a string (got undefined).",
    });
    expect(JSON.stringify(error)).not.toContain("eyJhbGciOiJFUzI1NiIsIm");
    expect(inspect(error, { depth: 10 })).not.toContain("eyJhbGciOiJFUzI1NiIsIm");
  });

  it("turns a field of the wrong type into a PARSE_ERROR naming the path", async () => {
    const body = structuredClone(example("GetLivenessSessionResult").responses["200"].body);
    body.results.attempts[0].result.digest = 42;
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(body)));
    await expect(client.getLivenessSessionResult(SESSION_ID)).rejects.toMatchObject({
      code: "PARSE_ERROR",
      message: "PARSE_ERROR: response field 'results.attempts[0].result.digest' must be a string (got number).",
    });
  });

  it("rejects an empty 200 and a non-JSON 200 with PARSE_ERROR", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => new HttpResponse("", { status: 200 })));
    await expect(client.getLivenessSessionResult(SESSION_ID)).rejects.toMatchObject({
      code: "PARSE_ERROR",
      message: "PARSE_ERROR: the service returned HTTP 200 with an empty body.",
    });
    mock.use(
      http.get(`${BASE}/detectLiveness-sessions/:id`, () =>
        new HttpResponse("<html>gateway</html>", { status: 200, headers: { "content-type": "application/json" } }),
      ),
    );
    await expect(client.getLivenessSessionResult(SESSION_ID)).rejects.toMatchObject({
      code: "PARSE_ERROR",
      message: "PARSE_ERROR: the service returned HTTP 200 with a body that is not valid JSON (application/json).",
    });
  });

  it("encodes the id as one path segment", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(example("GetLivenessSessionResult").responses["200"].body)));
    await client.getLivenessSessionResult("a+b=c:d@e");
    await settle();
    expect(mock.requests[0].url.pathname).toBe("/face/v1.2/detectLiveness-sessions/a%2Bb%3Dc%3Ad%40e");
  });
});

describe("deleteLivenessSession", () => {
  it("sends a DELETE and resolves on 204 with the request id", async () => {
    mock.use(http.delete(`${BASE}/detectLiveness-sessions/:id`, () => new HttpResponse(null, { status: 204, headers: { "apim-request-id": "del-1" } })));
    await expect(client.deleteLivenessSession(SESSION_ID)).resolves.toEqual({ requestId: "del-1" });
    await settle();
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0].method).toBe("DELETE");
    expect(mock.requests[0].url.href).toBe(`${BASE}/detectLiveness-sessions/${SESSION_ID}`);
    expect(mock.requests[0].headers.get("ocp-apim-subscription-key")).toBe(KEY);
  });

  it("throws SessionNotFound for a 404", async () => {
    mock.use(
      http.delete(`${BASE}/detectLiveness-sessions/:id`, () =>
        HttpResponse.json(
          { error: { code: "SessionNotFound", message: "Session Id is not found. The session id is expired or does not exist." } },
          { status: 404, headers: { "x-ms-error-code": "SessionNotFound", "apim-request-id": "req-404" } },
        ),
      ),
    );
    await expect(client.deleteLivenessSession(SESSION_ID)).rejects.toMatchObject({
      name: "RestError",
      statusCode: 404,
      code: "SessionNotFound",
      requestId: "req-404",
      message: "SessionNotFound: Session Id is not found. The session id is expired or does not exist.",
    });
  });
});

describe("onResponse", () => {
  it("receives the raw response and the deserialized value", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(example("GetLivenessSessionResult").responses["200"].body, { headers: { "apim-request-id": "abc" } })));
    const seen: Array<[number, string | undefined, unknown]> = [];
    const session = await client.getLivenessSessionResult(SESSION_ID, {
      onResponse: (raw, flat) => seen.push([raw.status, raw.headers.get("apim-request-id"), flat]),
    });
    expect(seen).toEqual([[200, "abc", session]]);
  });
});
