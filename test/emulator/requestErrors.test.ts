import { describe, expect, it } from "vitest";
import { BASE, KEY, UUID, expectError, setup } from "./helpers.js";

const ACCESS_DENIED =
  "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

describe("emulator: authentication", () => {
  it("answers 401 with the gateway body without a key", async () => {
    const { call } = setup();
    await expectError(await call("/detectLiveness-sessions", { anonymous: true, json: { livenessOperationMode: "Passive" } }), 401, "401", ACCESS_DENIED);
  });

  it("answers 401 for a wrong key, and does not create anything", async () => {
    const { call, emulator } = setup();
    const response = await call("/detectLiveness-sessions", {
      anonymous: true,
      headers: { "ocp-apim-subscription-key": `${KEY}x` },
      json: { livenessOperationMode: "Passive" },
    });
    await expectError(response, 401, "401", ACCESS_DENIED);
    expect(emulator.sessionCount).toBe(0);
  });

  it("answers 401 before routing, even for unknown paths", async () => {
    const { call } = setup();
    await expectError(await call("/nope", { anonymous: true }), 401, "401");
  });

  it("rejects bearer tokens unless acceptBearerTokens is set", async () => {
    const bearer = { anonymous: true, headers: { authorization: "Bearer some-entra-token" }, json: { livenessOperationMode: "Passive" } };
    await expectError(await setup().call("/detectLiveness-sessions", bearer), 401, "401");
    const response = await setup({ acceptBearerTokens: true }).call("/detectLiveness-sessions", bearer);
    expect(response.status).toBe(200);
  });

  it("still checks a key header when bearer tokens are accepted", async () => {
    const { call } = setup({ acceptBearerTokens: true });
    const response = await call("/detectLiveness-sessions", {
      anonymous: true,
      headers: { authorization: "Bearer t", "ocp-apim-subscription-key": "wrong" },
      json: { livenessOperationMode: "Passive" },
    });
    await expectError(response, 401, "401");
  });

  it("exposes a random key when none is configured", async () => {
    const { FaceLivenessEmulator } = await import("../../src/emulator/index.js");
    const a = new FaceLivenessEmulator();
    const b = new FaceLivenessEmulator();
    expect(a.key).toMatch(/^[0-9a-f]{32}$/);
    expect(a.key).not.toBe(b.key);
  });
});

describe("emulator: routing", () => {
  it("answers 404 for unknown paths and other API versions", async () => {
    const { call } = setup();
    await expectError(await call("/detectLiveness/singleModal/sessions"), 404, "404", "Resource not found.");
    await expectError(await call("https://face.test/face/v1.2-preview.1/detectLiveness-sessions"), 404, "404");
    await expectError(await call("https://face.test/detectLiveness-sessions"), 404, "404");
  });

  it("answers 405 with Allow for a wrong method", async () => {
    const { call } = setup();
    const response = await call("/detectLiveness-sessions", { method: "GET" });
    expect(response.headers.get("allow")).toBe("POST");
    await expectError(response, 405, "405");
    const put = await call(`/detectLiveness-sessions/${crypto.randomUUID()}`, { method: "PUT", body: "{}" });
    expect(put.headers.get("allow")).toBe("GET, DELETE");
    await expectError(put, 405, "405");
    await expectError(await call("/emulator/device/attempts", { method: "GET" }), 405, "405");
  });

  it("matches paths case-insensitively, like the service", async () => {
    const { call, createLiveness } = setup();
    const { sessionId } = await createLiveness();
    const response = await call(`https://face.test/face/v1.2/detectliveness-sessions/${sessionId}`);
    expect(response.status).toBe(200);
  });
});

describe("emulator: create liveness session validation", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["missing livenessOperationMode", {}, /livenessOperationMode is required/],
    ["unknown livenessOperationMode", { livenessOperationMode: "Active" }, /livenessOperationMode must be one of: Passive, PassiveActive/],
    ["TTL below 60", { livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 59 }, /authTokenTimeToLiveInSeconds must be an integer between 60 and 86400/],
    ["TTL above 86400", { livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 86401 }, /authTokenTimeToLiveInSeconds/],
    ["fractional TTL", { livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 60.5 }, /authTokenTimeToLiveInSeconds/],
    ["TTL as a string", { livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: "600" }, /authTokenTimeToLiveInSeconds/],
    ["boolean as another string", { livenessOperationMode: "Passive", enableSessionImage: "yes" }, /enableSessionImage must be true or false/],
    [
      "deviceCorrelationId with deviceCorrelationIdSetInClient",
      { livenessOperationMode: "Passive", deviceCorrelationIdSetInClient: true, deviceCorrelationId: "d" },
      /deviceCorrelationId must be null or omitted when deviceCorrelationIdSetInClient is true/,
    ],
    ["unknown model", { livenessOperationMode: "Passive", livenessModelVersion: "2023-12-20-preview.06" }, /livenessModelVersion must be one of: 2024-11-15\./],
    ["array body", [], /must be a JSON object/],
  ];
  for (const [name, body, message] of cases) {
    it(`answers 400 BadArgument for ${name}`, async () => {
      const { call, emulator } = setup();
      await expectError(await call("/detectLiveness-sessions", { json: body }), 400, "BadArgument", message);
      expect(emulator.sessionCount).toBe(0);
    });
  }

  it("accepts the boundaries and null for absent fields", async () => {
    const { call } = setup();
    for (const ttl of [60, 86400]) {
      const r = await call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: ttl } });
      expect(r.status).toBe(200);
    }
    const r = await call("/detectLiveness-sessions", {
      json: { livenessOperationMode: "Passive", deviceCorrelationIdSetInClient: true, deviceCorrelationId: null, livenessModelVersion: "2024-11-15" },
    });
    expect(r.status).toBe(200);
  });

  it("accepts the text \"true\" / \"false\" for a boolean, as Microsoft's liveness tutorial sends enableSessionImage", async () => {
    const { call, emulator } = setup();
    const r = await call("/detectLiveness-sessions", { json: { livenessOperationMode: "passive", enableSessionImage: "true" } });
    expect(r.status).toBe(200);
    expect(emulator.simulateDevice((await r.json()).authToken, "realface").result).toHaveProperty("sessionImageId");
    expect((await call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive", enableSessionImage: "FALSE" } })).status).toBe(200);
  });

  it("accepts livenessOperationMode in any letter case, as Microsoft's tutorial sends \"passive\"", async () => {
    const { call } = setup();
    for (const mode of ["passive", "PASSIVE", "passiveactive", "Passive"]) {
      const r = await call("/detectLiveness-sessions", { json: { livenessOperationMode: mode } });
      expect(r.status, mode).toBe(200);
    }
  });

  it("answers 400 for invalid JSON and an empty body", async () => {
    const { call } = setup();
    const json = { "content-type": "application/json" };
    await expectError(await call("/detectLiveness-sessions", { headers: json, body: "{livenessOperationMode:" }), 400, "BadArgument", /not valid JSON/);
    await expectError(await call("/detectLiveness-sessions", { method: "POST", headers: json }), 400, "BadArgument", /empty/);
  });

  it("answers 415 Invalid Media Type for a wrong or missing content type", async () => {
    const { call } = setup();
    const body = JSON.stringify({ livenessOperationMode: "Passive" });
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]) {
      await expectError(await call("/detectLiveness-sessions", { headers: { "content-type": type }, body }), 415, "BadArgument", "Invalid Media Type.");
    }
    const noType = await setup().emulator.handle(
      new Request(`${BASE}/detectLiveness-sessions`, { method: "POST", headers: { "ocp-apim-subscription-key": KEY }, body: new Uint8Array([1]) }),
    );
    await expectError(noType, 415, "BadArgument", "Invalid Media Type.");
  });

  it("accepts a charset parameter on application/json", async () => {
    const { call } = setup();
    const response = await call("/detectLiveness-sessions", {
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ livenessOperationMode: "Passive" }),
    });
    expect(response.status).toBe(200);
  });

  it("answers 413 above maxRequestBodyBytes", async () => {
    const { call } = setup({ maxRequestBodyBytes: 1024 });
    const response = await call("/detectLiveness-sessions", {
      json: { livenessOperationMode: "Passive", deviceCorrelationId: "x".repeat(2000) },
    });
    await expectError(response, 413, "BadArgument", /too large/);
  });

  it("answers 500 with a Face error body when an operation throws unexpectedly", async () => {
    const { emulator } = setup();
    const broken = new Request(`${BASE}/detectLiveness-sessions`, {
      method: "POST",
      headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/json" },
      body: "{}",
    });
    Object.defineProperty(broken, "body", { get: () => { throw new Error("boom"); } });
    const response = await emulator.handle(broken);
    await expectError(response, 500, "InternalServerError");
    expect(response.headers.get("apim-request-id")).toMatch(UUID);
  });
});
