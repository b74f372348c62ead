import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { ENDPOINT, KEY, createRecordingServer, example, settle } from "../utils/recorder.js";
import { JPEG } from "../utils/images.js";

const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.close());

const V13 = "v1.3-preview.1";
const BASE13 = `${ENDPOINT}/face/${V13}`;
const preview = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { apiVersion: V13, retryOptions: { maxRetries: 0 } });
const ga = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
const ex = (name: string) => example(name, V13);

describe("v1.3-preview.1 create", () => {
  it("sends the new JSON fields of the spec example and parses the new response fields", async () => {
    const spec = ex("CreateLivenessSession");
    mock.use(http.post(`${BASE13}/detectLiveness-sessions`, () => HttpResponse.json(spec.responses["200"].body)));
    const session = await preview.createLivenessSession(spec.parameters.body);
    await settle();
    expect(mock.requests[0].url.href).toBe(`${BASE13}/detectLiveness-sessions`);
    expect(JSON.parse(mock.requests[0].text)).toEqual({
      livenessOperationMode: "PassiveActive",
      deviceCorrelationIdSetInClient: false,
      deviceCorrelationId: "your_device_correlation_id",
      userCorrelationIdSetInClient: false,
      userCorrelationId: "your_user_correlation_id",
      authTokenTimeToLiveInSeconds: 60,
      numberOfClientAttemptsAllowed: 1,
      expectedClientIpAddress: "1.2.3.4",
    });
    expect(session.isAbuseMonitoringEnabled).toBe(true);
    expect(session.expectedClientIpAddress).toBe("1.2.3.4");
  });

  it("sends numberOfClientAttemptsAllowed as a multipart part for liveness-with-verify", async () => {
    mock.use(
      http.post(`${BASE13}/detectLivenessWithVerify-sessions`, mock.withForm(() => HttpResponse.json(ex("CreateLivenessWithVerifySession").responses["200"].body))),
    );
    const session = await preview.createLivenessWithVerifySession({ livenessOperationMode: "PassiveActive", numberOfClientAttemptsAllowed: 3, verifyImage: JPEG });
    await settle();
    const form = mock.requests[0].form!;
    expect([...form.keys()]).toEqual(["livenessOperationMode", "numberOfClientAttemptsAllowed", "verifyImage"]);
    expect(form.get("numberOfClientAttemptsAllowed")).toBe("3");
    expect(session.isAbuseMonitoringEnabled).toBe(true);
  });

  it.each(["userCorrelationId", "userCorrelationIdSetInClient", "expectedClientIpAddress"])(
    "refuses %s on liveness-with-verify, saying the service does not take it there",
    async (field) => {
      const value = field === "userCorrelationIdSetInClient" ? true : field === "expectedClientIpAddress" ? "1.2.3.4" : "u";
      await expect(
        preview.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: JPEG, [field]: value } as never),
      ).rejects.toThrow(`${field} is not accepted by createLivenessWithVerifySession: the service takes it only when creating a liveness session.`);
    },
  );

  it.each([
    [{ numberOfClientAttemptsAllowed: 4 }, "numberOfClientAttemptsAllowed must be an integer from 0 to 3 (got 4): the service documents at most 3, and accepted 0 in recorded traffic."],
    [{ numberOfClientAttemptsAllowed: 1.5 }, "numberOfClientAttemptsAllowed must be an integer from 0 to 3 (got 1.5): the service documents at most 3, and accepted 0 in recorded traffic."],
    [{ userCorrelationIdSetInClient: true, userCorrelationId: "u" }, "userCorrelationId must be left out when userCorrelationIdSetInClient is true: the service documents that the front end supplies it then."],
    [{ expectedClientIpAddress: "1.2.3.256" }, "expectedClientIpAddress must be an IPv4 or IPv6 address or a CIDR block such as '203.0.113.0/24'."],
    [{ expectedClientIpAddress: "10.0.0.0/33" }, "expectedClientIpAddress must be an IPv4 or IPv6 address or a CIDR block such as '203.0.113.0/24'."],
    [{ expectedClientIpAddress: "example.com" }, "expectedClientIpAddress must be an IPv4 or IPv6 address or a CIDR block such as '203.0.113.0/24'."],
  ])("validates %j before sending", async (extra, message) => {
    await expect(preview.createLivenessSession({ livenessOperationMode: "Passive", ...extra })).rejects.toThrow(message);
    await settle();
    expect(mock.requests).toHaveLength(0);
  });

  it("sends numberOfClientAttemptsAllowed: 0, which the live service accepted", async () => {
    mock.use(http.post(`${BASE13}/detectLiveness-sessions`, () => HttpResponse.json(ex("CreateLivenessSession").responses["200"].body)));
    await preview.createLivenessSession({ livenessOperationMode: "Passive", numberOfClientAttemptsAllowed: 0 });
    await settle();
    expect(JSON.parse(mock.requests[0].text).numberOfClientAttemptsAllowed).toBe(0);
  });

  it.each(["203.0.113.7", "203.0.113.0/24", "2001:db8::1", "2001:db8::/32"])("accepts the address %s", async (address) => {
    mock.use(http.post(`${BASE13}/detectLiveness-sessions`, () => HttpResponse.json(ex("CreateLivenessSession").responses["200"].body)));
    await preview.createLivenessSession({ livenessOperationMode: "Passive", expectedClientIpAddress: address });
    await settle();
    expect(JSON.parse(mock.requests[0].text).expectedClientIpAddress).toBe(address);
  });
});

describe("v1.3-preview.1 results", () => {
  it("parses clientInformation and abuseMonitoringResult as typed values", async () => {
    mock.use(http.get(`${BASE13}/detectLiveness-sessions/:id`, () => HttpResponse.json(ex("GetLivenessSessionResult").responses["200"].body)));
    const session = await preview.getLivenessSessionResult("b12e033e-bda7-4b83-a211-e721c661f30e");
    const [latest, first] = session.results.attempts;
    expect(latest.clientInformation).toEqual([{ ip: "73.21.34.122" }]);
    expect(latest.abuseMonitoringResult).toEqual({
      isAbuseDetected: true,
      otherFlaggedSessions: [
        { attemptId: 1, sessionId: "b12e033e-bda7-4b83-a211-e721c661f30e", sessionImageId: "Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I" },
      ],
    });
    expect(first.abuseMonitoringResult).toBeUndefined();
  });

  it("parses the with-verify result with expectedClientIpAddress", async () => {
    mock.use(
      http.get(`${BASE13}/detectLivenessWithVerify-sessions/:id`, () => HttpResponse.json(ex("GetLivenessWithVerifySessionResult").responses["200"].body)),
    );
    const session = await preview.getLivenessWithVerifySessionResult("b12e033e-bda7-4b83-a211-e721c661f30e");
    expect(session.expectedClientIpAddress).toBe("1.2.3.4");
    expect(session.results.attempts[0].result?.verifyResult?.isIdentical).toBe(false);
    expect(session.results.attempts[0].abuseMonitoringResult?.isAbuseDetected).toBe(true);
  });

  it("rejects isAbuseDetected that is not a boolean", async () => {
    const body = structuredClone(ex("GetLivenessSessionResult").responses["200"].body);
    body.results.attempts[0].abuseMonitoringResult.isAbuseDetected = {};
    mock.use(http.get(`${BASE13}/detectLiveness-sessions/:id`, () => HttpResponse.json(body)));
    await expect(preview.getLivenessSessionResult("s")).rejects.toMatchObject({
      code: "PARSE_ERROR",
      message: "PARSE_ERROR: response field 'results.attempts[0].abuseMonitoringResult.isAbuseDetected' must be a boolean (got object).",
    });
  });
});

describe("v1.3-preview.1 settings and client-assets token", () => {
  it("gets the settings", async () => {
    mock.use(http.get(`${BASE13}/settings`, () => HttpResponse.json(ex("GetSettings").responses["200"].body)));
    expect(await preview.getSettings()).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    await settle();
    expect(`${mock.requests[0].method} ${mock.requests[0].url.href}`).toBe(`GET ${BASE13}/settings`);
    expect(mock.requests[0].headers.get("ocp-apim-subscription-key")).toBe(KEY);
  });

  it("patches the settings with a plain JSON body", async () => {
    const spec = ex("PatchSettings");
    mock.use(http.patch(`${BASE13}/settings`, () => HttpResponse.json(spec.responses["200"].body)));
    expect(await preview.updateSettings(spec.parameters.body)).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    await settle();
    const [req] = mock.requests;
    expect(req.method).toBe("PATCH");
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(req.text)).toEqual({ livenessAbuseMonitoring: { enabled: true } });
  });

  it("validates the settings update", async () => {
    await expect(preview.updateSettings({ livenessAbuseMonitoring: { enabled: "yes" as never } })).rejects.toThrow(
      "livenessAbuseMonitoring.enabled must be true or false (got a string of length 3).",
    );
  });

  it("gets the client-assets token with expiry as a Date and both tokens redacted on inspect", async () => {
    mock.use(http.get(`${BASE13}/settings/getClientAssetsAccessToken`, () => HttpResponse.json(ex("GetClientAssetsAccessToken").responses["200"].body)));
    const token = await preview.getClientAssetsAccessToken();
    await settle();
    expect(mock.requests[0].url.pathname).toBe("/face/v1.3-preview.1/settings/getClientAssetsAccessToken");
    expect(token.expiry).toEqual(new Date("2025-07-03T15:30:00.000Z"));
    expect(token.accessToken).toBe("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
    expect(token.base64AccessToken).toBe("ZXlKaGJHY2lPaUpJVXpJMU5pSXNJblI1=");
    const shown = inspect(token);
    expect(shown).not.toContain("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
    expect(shown).not.toContain("ZXlKaGJHY2lPaUpJVXpJMU5pSXNJblI1=");
    expect(shown).toContain("2025-07-03T15:30:00.000Z");
  });
});

describe("version gate on a v1.2 client", () => {
  const needs = (feature: string) =>
    `${feature} needs apiVersion "v1.3-preview.1"; this client uses "v1.2". Create the client with { apiVersion: "v1.3-preview.1" } to use it.`;

  it.each([
    ["numberOfClientAttemptsAllowed", 2],
    ["userCorrelationId", "u"],
    ["userCorrelationIdSetInClient", true],
    ["expectedClientIpAddress", "1.2.3.4"],
  ])("refuses %s in createLivenessSession", async (field, value) => {
    await expect(ga.createLivenessSession({ livenessOperationMode: "Passive", [field]: value })).rejects.toThrow(needs(field));
  });

  it("refuses numberOfClientAttemptsAllowed in createLivenessWithVerifySession", async () => {
    await expect(ga.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: JPEG, numberOfClientAttemptsAllowed: 2 })).rejects.toThrow(
      needs("numberOfClientAttemptsAllowed"),
    );
  });

  it("refuses the v1.3 operations", async () => {
    await expect(ga.getSettings()).rejects.toThrow(needs("getSettings"));
    await expect(ga.updateSettings({ livenessAbuseMonitoring: { enabled: true } })).rejects.toThrow(needs("updateSettings"));
    await expect(ga.getClientAssetsAccessToken()).rejects.toThrow(needs("getClientAssetsAccessToken"));
    await settle();
    expect(mock.requests).toHaveLength(0);
  });
});
