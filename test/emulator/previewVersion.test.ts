import { request as httpRequest } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  CLIENT_ASSETS_TOKEN_LIFETIME_MS,
  EMULATOR_API_VERSIONS,
  EmulatorHttpError,
  listen,
  type RunningEmulator,
} from "../../src/emulator/index.js";
import { KEY, ORIGIN, expectError, manualClock, rawMultipart, setup, verifyForm } from "./helpers.js";

const BASE13 = `${ORIGIN}/face/v1.3-preview.1`;
const BASE12 = `${ORIGIN}/face/v1.2`;
const DEVICE13 = `${BASE13}/emulator/device/attempts`;

function specExample(name: string): any {
  const file = join(__dirname, "..", "fixtures", "v1.3-preview.1", `LivenessSessionOperations_${name}.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The shared setup plus v1.3 helpers (create, get and device calls on the preview paths). */
function preview(options: Parameters<typeof setup>[0] = {}) {
  const ctx = setup(options);
  async function create(fields: Record<string, unknown> = {}): Promise<any> {
    const response = await ctx.call(`${BASE13}/detectLiveness-sessions`, { json: { livenessOperationMode: "Passive", ...fields } });
    expect(response.status).toBe(200);
    return response.json();
  }
  async function get(sessionId: string, base = BASE13): Promise<any> {
    const response = await ctx.call(`${base}/detectLiveness-sessions/${sessionId}`);
    expect(response.status).toBe(200);
    return response.json();
  }
  async function device(authToken: string, body: unknown): Promise<Response> {
    return ctx.emulator.handle(
      new Request(DEVICE13, {
        method: "POST",
        headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  }
  async function enableMonitoring(enabled = true): Promise<void> {
    const response = await ctx.call(`${BASE13}/settings`, { method: "PATCH", json: { livenessAbuseMonitoring: { enabled } } });
    expect(response.status).toBe(200);
  }
  return { ...ctx, create, get, device, enableMonitoring };
}

describe("emulator v1.3-preview.1: routing", () => {
  it("serves v1.2 and v1.3-preview.1 and nothing else", async () => {
    expect(EMULATOR_API_VERSIONS).toEqual(["v1.2", "v1.3-preview.1"]);
    const { call } = setup();
    for (const version of ["v1.3-preview.2", "v1.3", "v1.2-preview.1", "v1.1-preview.1"]) {
      await expectError(
        await call(`${ORIGIN}/face/${version}/detectLiveness-sessions`, { json: { livenessOperationMode: "Passive" } }),
        404,
        "404",
      );
    }
  });

  it("answers 404 for the settings operations on v1.2", async () => {
    const { call } = setup();
    await expectError(await call(`${BASE12}/settings`), 404, "404", "Resource not found.");
    await expectError(await call(`${BASE12}/settings`, { method: "PATCH", json: {} }), 404, "404");
    await expectError(await call(`${BASE12}/settings/getClientAssetsAccessToken`), 404, "404");
  });

  it("keeps one store: a session created on one version is read on the other, in the reader's shape", async () => {
    const { call, create, get, createLiveness } = preview();
    const v13 = await create({ expectedClientIpAddress: "203.0.113.0/24" });
    expect(v13.modelVersion).toBe("2025-05-20");
    const asV12 = await get(v13.sessionId, BASE12);
    expect(Object.keys(asV12)).toEqual(["sessionId", "authToken", "status", "results"]);
    const v12 = await createLiveness();
    expect(Object.keys(v12)).toEqual(["sessionId", "authToken", "status", "modelVersion", "results"]);
    expect(v12.modelVersion).toBe("2024-11-15");
    expect(await get(v12.sessionId)).toMatchObject({ sessionId: v12.sessionId, isAbuseMonitoringEnabled: false });
    expect((await call(`${BASE13}/detectLiveness-sessions/${v13.sessionId}`, { method: "DELETE" })).status).toBe(204);
    await expectError(await call(`${BASE12}/detectLiveness-sessions/${v13.sessionId}`), 404, "SessionNotFound");
  });

  it("applies string path filters of faults to both versions", async () => {
    const { call, emulator } = setup();
    emulator.faults.enqueue({ kind: "status", status: 503, path: "/settings" });
    await expectError(await call(`${BASE13}/settings`), 503, "ServiceUnavailable");
    expect((await call(`${BASE13}/settings`)).status).toBe(200);
  });
});

describe("emulator v1.3-preview.1: create fields", () => {
  it("accepts the spec example's create body and answers in the recorded create shape; reads add the v1.3 fields", async () => {
    const { create, get } = preview();
    const spec = specExample("CreateLivenessSession");
    const session = await create(spec.parameters.body);
    // Recorded: the v1.3-preview.1 create response has no isAbuseMonitoringEnabled (the spec example has it).
    expect(session).toEqual({
      sessionId: expect.any(String),
      authToken: expect.stringMatching(/^eyJ/),
      status: "NotStarted",
      modelVersion: "2025-05-20",
      results: { attempts: [] },
    });
    expect(await get(session.sessionId)).toEqual({
      sessionId: session.sessionId,
      authToken: "",
      status: "NotStarted",
      isAbuseMonitoringEnabled: false,
      expectedClientIpAddress: "1.2.3.4",
      results: { attempts: [] },
    });
  });

  it("accepts livenessModelVersion 2024-11-15 and 2025-05-20, and reports the one asked for", async () => {
    const { create } = preview();
    expect((await create({ livenessModelVersion: "2024-11-15" })).modelVersion).toBe("2024-11-15");
    expect((await create({ livenessModelVersion: "2025-05-20" })).modelVersion).toBe("2025-05-20");
  });

  it("accepts numberOfClientAttemptsAllowed 0, as the service did (recorded), and then allows 3 attempts", async () => {
    const { create, emulator } = preview();
    const session = await create({ numberOfClientAttemptsAllowed: 0 });
    for (let i = 0; i < 3; i++) emulator.simulateDevice(session.authToken, "FaceWithMaskDetected");
    expect(() => emulator.simulateDevice(session.authToken, "realface")).toThrow(expect.objectContaining({ status: 409, code: "AttemptLimitReached" }));
  });

  it("leaves expectedClientIpAddress out when none was given", async () => {
    const { create } = preview();
    expect(await create()).not.toHaveProperty("expectedClientIpAddress");
  });

  const invalidJson: Array<[string, Record<string, unknown>, RegExp]> = [
    ["-1 attempts", { numberOfClientAttemptsAllowed: -1 }, /numberOfClientAttemptsAllowed must be an integer between 0 and 3/],
    ["4 attempts", { numberOfClientAttemptsAllowed: 4 }, /numberOfClientAttemptsAllowed must be an integer between 0 and 3/],
    ["1.5 attempts", { numberOfClientAttemptsAllowed: 1.5 }, /numberOfClientAttemptsAllowed must be an integer/],
    ["attempts as a string", { numberOfClientAttemptsAllowed: "2" }, /numberOfClientAttemptsAllowed must be an integer/],
    ["a user id set in client and sent", { userCorrelationIdSetInClient: true, userCorrelationId: "u" }, /userCorrelationId must be null or omitted when userCorrelationIdSetInClient is true/],
    ["an empty user id", { userCorrelationId: " " }, /userCorrelationId must not be empty/],
    ["a non-boolean set-in-client", { userCorrelationIdSetInClient: "yes" }, /userCorrelationIdSetInClient must be true or false/],
    ["an IP with a bad octet", { expectedClientIpAddress: "1.2.3.256" }, /expectedClientIpAddress must be an IPv4 or IPv6 address or a CIDR block/],
    ["a prefix too long", { expectedClientIpAddress: "10.0.0.0/33" }, /expectedClientIpAddress must be/],
    ["an IPv6 prefix too long", { expectedClientIpAddress: "2001:db8::/129" }, /expectedClientIpAddress must be/],
    ["an empty prefix", { expectedClientIpAddress: "10.0.0.0/" }, /expectedClientIpAddress must be/],
    ["a host name", { expectedClientIpAddress: "example.com" }, /expectedClientIpAddress must be/],
    ["a number", { expectedClientIpAddress: 5 }, /expectedClientIpAddress must be a string/],
  ];
  it.each(invalidJson)("refuses %s with 400 BadArgument", async (_name, fields, message) => {
    const { call, emulator } = setup();
    const response = await call(`${BASE13}/detectLiveness-sessions`, { json: { livenessOperationMode: "Passive", ...fields } });
    await expectError(response, 400, "BadArgument", message);
    expect(emulator.sessionCount).toBe(0);
  });

  it.each(["203.0.113.7", "203.0.113.0/24", "2001:db8::1", "2001:db8::/32", "0.0.0.0/0"])("accepts and echoes %s", async (address) => {
    const { create, get } = preview();
    const session = await create({ expectedClientIpAddress: address });
    expect(session).not.toHaveProperty("expectedClientIpAddress"); // create fields only where recorded
    expect((await get(session.sessionId)).expectedClientIpAddress).toBe(address);
  });

  it("takes numberOfClientAttemptsAllowed as a multipart part and ignores the JSON-only fields there", async () => {
    const { call, emulator } = setup();
    const ok = await call(`${BASE13}/detectLivenessWithVerify-sessions`, { body: verifyForm({ numberOfClientAttemptsAllowed: "2" }) });
    expect(ok.status).toBe(200);
    const session = await ok.json();
    expect(session).toMatchObject({ modelVersion: "2025-05-20", results: { attempts: [] } });
    expect(session).not.toHaveProperty("isAbuseMonitoringEnabled");
    expect(session).not.toHaveProperty("expectedClientIpAddress");
    emulator.simulateDevice(session.authToken, "FaceWithMaskDetected");
    expect(emulator.simulateDevice(session.authToken, "realface").attemptId).toBe(2);

    await expectError(
      await call(`${BASE13}/detectLivenessWithVerify-sessions`, { body: verifyForm({ numberOfClientAttemptsAllowed: "4" }) }),
      400,
      "BadArgument",
      /numberOfClientAttemptsAllowed must be an integer between 0 and 3/,
    );
    const ignored = await call(`${BASE13}/detectLivenessWithVerify-sessions`, {
      body: verifyForm({ userCorrelationId: "user-1", userCorrelationIdSetInClient: "maybe", expectedClientIpAddress: "not an ip" }),
    });
    expect(ignored.status).toBe(200);
    const read = await (await call(`${BASE13}/detectLivenessWithVerify-sessions/${(await ignored.json()).sessionId}`)).json();
    expect(read).not.toHaveProperty("expectedClientIpAddress");
  });

  it.each([
    ["numberOfClientAttemptsAllowed", 0],
    ["userCorrelationId", "user-1"],
    ["userCorrelationIdSetInClient", "not a boolean"],
    ["expectedClientIpAddress", "not an ip"],
  ])("v1.2 ignores %s (JSON and multipart), as Microsoft's Vue.js sample sends userCorrelationId to v1.2", async (name, value) => {
    const { call, emulator } = setup();
    const created = await call(`${BASE12}/detectLiveness-sessions`, { json: { livenessOperationMode: "Passive", [name]: value } });
    expect(created.status).toBe(200);
    const session = await created.json();
    const read = await (await call(`${BASE12}/detectLiveness-sessions/${session.sessionId}`)).json();
    expect(Object.keys(read)).toEqual(["sessionId", "authToken", "status", "results"]);
    // A v1.2 session keeps the v1.2 attempt rule (one attempt), whatever numberOfClientAttemptsAllowed said.
    emulator.simulateDevice(session.authToken, "FaceWithMaskDetected");
    expect(() => emulator.simulateDevice(session.authToken, "realface")).toThrow(expect.objectContaining({ status: 409 }));
    const form = rawMultipart([
      { name: "livenessOperationMode", data: "Passive" },
      { name, data: String(value) },
      { name: "verifyImage", filename: "face.png", type: "image/png", data: readFileSync(join(__dirname, "..", "fixtures", "images", "face.png")) },
    ]);
    expect((await call(`${BASE12}/detectLivenessWithVerify-sessions`, form)).status).toBe(200);
  });

  it("v1.2 treats a v1.3 field sent as null as absent", async () => {
    const { call } = setup();
    const response = await call(`${BASE12}/detectLiveness-sessions`, { json: { livenessOperationMode: "Passive", userCorrelationId: null } });
    expect(response.status).toBe(200);
  });
});

describe("emulator v1.3-preview.1: numberOfClientAttemptsAllowed", () => {
  it("allows three attempts and refuses the fourth with 409 AttemptLimitReached; the session waits while attempts are left", async () => {
    const { create, get, device } = preview();
    const { sessionId, authToken } = await create({ numberOfClientAttemptsAllowed: 3 });
    const statuses: string[] = [];
    for (const code of ["FaceWithMaskDetected", "FaceNotFrontal", "FaceWithMaskDetected"]) {
      const response = await device(authToken, { outcome: code });
      expect(response.status).toBe(200);
      statuses.push((await get(sessionId)).status);
    }
    expect(statuses).toEqual(["Running", "Running", "Failed"]);
    await expectError(await device(authToken, { outcome: "realface" }), 409, "AttemptLimitReached", "The session allows 3 client attempt(s) and none is left.");
    await expectError(await device(authToken, { stage: "start" }), 409, "AttemptLimitReached");
    const session = await get(sessionId);
    expect(session.results.attempts.map((a: any) => [a.attemptId, a.attemptStatus])).toEqual([
      [3, "Failed"],
      [2, "Failed"],
      [1, "Failed"],
    ]);
  });

  it("defaults to one attempt, whatever the emulator's v1.2 clientAttemptsAllowed", async () => {
    const { create, get, device } = preview({ clientAttemptsAllowed: 3 });
    const { sessionId, authToken } = await create();
    expect((await device(authToken, { outcome: "FaceWithMaskDetected" })).status).toBe(200);
    expect((await get(sessionId)).status).toBe("Failed");
    await expectError(await device(authToken, { outcome: "realface" }), 409, "AttemptLimitReached");
  });

  it("ends the session at the first succeeded attempt, even with attempts left", async () => {
    const { create, get, device } = preview();
    const { sessionId, authToken } = await create({ numberOfClientAttemptsAllowed: 3 });
    expect((await device(authToken, { outcome: "FaceWithMaskDetected" })).status).toBe(200);
    expect((await device(authToken, { outcome: "spoofface" })).status).toBe(200);
    expect((await get(sessionId)).status).toBe("Succeeded");
    await expectError(
      await device(authToken, { outcome: "realface" }),
      409,
      "AttemptLimitReached",
      "Attempt 2 succeeded; the session accepts no further attempts.",
    );
  });

  it("reports Failed once the token expired after a failed attempt, even with attempts left", async () => {
    const clock = manualClock();
    const { create, get, device } = preview({ now: clock.now });
    const { sessionId, authToken } = await create({ numberOfClientAttemptsAllowed: 2, authTokenTimeToLiveInSeconds: 60 });
    expect((await device(authToken, { outcome: "FaceWithMaskDetected" })).status).toBe(200);
    clock.advance(59_999);
    expect((await get(sessionId)).status).toBe("Running");
    clock.advance(1);
    expect((await get(sessionId)).status).toBe("Failed");
  });
});

describe("emulator v1.3-preview.1: client information", () => {
  it("reports the device's clientIp, adds a new IP of the completing call, and defaults to 127.0.0.1", async () => {
    const { create, get, device, emulator } = preview();
    const a = await create({ numberOfClientAttemptsAllowed: 2 });
    expect(await (await device(a.authToken, { stage: "start", clientIp: "198.51.100.7" })).json()).toEqual({
      attemptId: 1,
      attemptStatus: "Running",
      clientInformation: [{ ip: "198.51.100.7" }],
    });
    const done = await (await device(a.authToken, { outcome: "FaceWithMaskDetected", clientIp: "2001:db8::7" })).json();
    expect(done.clientInformation).toEqual([{ ip: "198.51.100.7" }, { ip: "2001:db8::7" }]);
    expect(emulator.simulateDevice(a.authToken, "realface").clientInformation).toEqual([{ ip: "127.0.0.1" }]);
    const session = await get(a.sessionId);
    expect(session.results.attempts.map((x: any) => x.clientInformation)).toEqual([
      [{ ip: "127.0.0.1" }],
      [{ ip: "198.51.100.7" }, { ip: "2001:db8::7" }],
    ]);
  });

  it("uses the transport's client IP when the body has none", async () => {
    const { create, get, emulator } = preview();
    const { sessionId, authToken } = await create();
    const response = await emulator.handle(
      new Request(DEVICE13, {
        method: "POST",
        headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
        body: JSON.stringify({ outcome: "realface" }),
      }),
      { clientIp: "203.0.113.9" },
    );
    expect(response.status).toBe(200);
    expect((await get(sessionId)).results.attempts[0].clientInformation).toEqual([{ ip: "203.0.113.9" }]);
  });

  it("never shows the v1.3 fields on v1.2", async () => {
    const { create, get, device, enableMonitoring } = preview();
    await enableMonitoring();
    const { sessionId, authToken } = await create({ numberOfClientAttemptsAllowed: 2, userCorrelationId: "u", expectedClientIpAddress: "10.0.0.0/8" });
    await device(authToken, { outcome: "FaceWithMaskDetected", clientIp: "10.0.0.1" });
    await device(authToken, { outcome: "realface", clientIp: "192.0.2.1", abuseDetected: true });
    const v12 = await get(sessionId, BASE12);
    expect(Object.keys(v12)).toEqual(["sessionId", "authToken", "status", "modelVersion", "results"]);
    expect(v12.results.attempts.map((a: any) => Object.keys(a))).toEqual([
      ["attemptId", "attemptStatus", "result"],
      ["attemptId", "attemptStatus", "error"],
    ]);
    const v13 = await get(sessionId);
    expect(v13.results.attempts[0].abuseMonitoringResult.isAbuseDetected).toBe(true);
  });

  it.each([["1.2.3.4/24"], ["localhost"], [""], [42]])("refuses clientIp %j with 400", async (clientIp) => {
    const { create, device } = preview();
    const { authToken } = await create();
    await expectError(await device(authToken, { outcome: "realface", clientIp }), 400, "BadArgument", "clientIp must be an IPv4 or IPv6 address.");
  });
});

describe("emulator v1.3-preview.1: client IP over real HTTP", () => {
  let running: RunningEmulator | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("reports the socket's remote address as the attempt's client IP", async () => {
    running = await listen({ key: KEY });
    const create = await fetch(`${running.endpoint}/face/v1.3-preview.1/detectLiveness-sessions`, {
      method: "POST",
      headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ livenessOperationMode: "Passive" }),
    });
    const { authToken } = (await create.json()) as { authToken: string };
    const url = new URL(`${running.endpoint}/face/v1.3-preview.1/emulator/device/attempts`);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          localAddress: "127.0.0.5",
          headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify({ outcome: "realface" }));
    });
    expect(JSON.parse(body).clientInformation).toEqual([{ ip: "127.0.0.5" }]);
  });
});

describe("emulator v1.3-preview.1: settings", () => {
  it("round-trips the settings: default off, PATCH merges, GET reads back", async () => {
    const { call, emulator } = setup();
    const read = async () => {
      const response = await call(`${BASE13}/settings`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      return response.json();
    };
    const patch = async (body: unknown) => {
      const response = await call(`${BASE13}/settings`, { method: "PATCH", json: body });
      expect(response.status).toBe(200);
      return response.json();
    };
    expect(await read()).toEqual({ livenessAbuseMonitoring: { enabled: false } });
    expect(await patch(specExample("PatchSettings").parameters.body)).toEqual(specExample("PatchSettings").responses["200"].body);
    expect(await read()).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    expect(emulator.abuseMonitoringEnabled).toBe(true);
    expect(await patch({})).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    expect(await patch({ livenessAbuseMonitoring: {} })).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    expect(await patch({ livenessAbuseMonitoring: { enabled: false } })).toEqual({ livenessAbuseMonitoring: { enabled: false } });
    expect(await read()).toEqual({ livenessAbuseMonitoring: { enabled: false } });
  });

  it("refuses a bad PATCH without changing anything", async () => {
    const { call } = setup();
    await expectError(
      await call(`${BASE13}/settings`, { method: "PATCH", json: { livenessAbuseMonitoring: { enabled: "yes" } } }),
      400,
      "BadArgument",
      "livenessAbuseMonitoring.enabled must be true or false.",
    );
    await expectError(await call(`${BASE13}/settings`, { method: "PATCH", json: { livenessAbuseMonitoring: true } }), 400, "BadArgument");
    await expectError(
      await call(`${BASE13}/settings`, { method: "PATCH", body: "enabled=true", headers: { "content-type": "text/plain" } }),
      415,
      "BadArgument",
    );
    expect(await (await call(`${BASE13}/settings`)).json()).toEqual({ livenessAbuseMonitoring: { enabled: false } });
    await expectError(await call(`${BASE13}/settings`, { method: "PUT", json: {} }), 405, "405");
  });

  it("starts from the abuseMonitoringEnabled option and reset() restores it", async () => {
    const { call, emulator } = setup({ abuseMonitoringEnabled: true });
    expect(await (await call(`${BASE13}/settings`)).json()).toEqual({ livenessAbuseMonitoring: { enabled: true } });
    await call(`${BASE13}/settings`, { method: "PATCH", json: { livenessAbuseMonitoring: { enabled: false } } });
    emulator.reset();
    expect(emulator.abuseMonitoringEnabled).toBe(true);
  });

  it("copies the setting into each session at creation", async () => {
    const { create, get, enableMonitoring } = preview();
    const before = await create();
    await enableMonitoring();
    const after = await create();
    expect(after).not.toHaveProperty("isAbuseMonitoringEnabled"); // only reads carry it (recorded)
    await enableMonitoring(false);
    expect((await get(before.sessionId)).isAbuseMonitoringEnabled).toBe(false);
    expect((await get(after.sessionId)).isAbuseMonitoringEnabled).toBe(true);
  });
});

describe("emulator v1.3-preview.1: client-assets access token", () => {
  it("returns a token, its base64 form and an expiry 24 h after now (emulator clock)", async () => {
    const clock = manualClock(Date.UTC(2025, 6, 2, 15, 30));
    const { call } = setup({ now: clock.now });
    const response = await call(`${BASE13}/settings/getClientAssetsAccessToken`);
    expect(response.status).toBe(200);
    const token = await response.json();
    expect(Object.keys(token)).toEqual(Object.keys(specExample("GetClientAssetsAccessToken").responses["200"].body));
    expect(token.expiry).toBe("2025-07-03T15:30:00.000Z");
    expect(CLIENT_ASSETS_TOKEN_LIFETIME_MS).toBe(86_400_000);
    expect(token.accessToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(Buffer.from(token.base64AccessToken, "base64").toString("utf8")).toBe(token.accessToken);
    expect(token.base64AccessToken).toBe(Buffer.from(token.accessToken).toString("base64"));
    const second = await (await call(`${BASE13}/settings/getClientAssetsAccessToken`)).json();
    expect(second.accessToken).not.toBe(token.accessToken);
  });

  it("needs the API key", async () => {
    const { call } = setup();
    await expectError(await call(`${BASE13}/settings/getClientAssetsAccessToken`, { anonymous: true }), 401, "401");
  });
});

describe("emulator v1.3-preview.1: abuse monitoring", () => {
  it("gives succeeded attempts of monitored sessions a verdict, and failed attempts none", async () => {
    const { create, get, device, enableMonitoring } = preview();
    await enableMonitoring();
    const { sessionId, authToken } = await create({ numberOfClientAttemptsAllowed: 2 });
    const failed = await (await device(authToken, { outcome: "FaceWithMaskDetected" })).json();
    expect(failed).not.toHaveProperty("abuseMonitoringResult");
    const succeeded = await (await device(authToken, { outcome: "realface" })).json();
    expect(succeeded.abuseMonitoringResult).toEqual({ isAbuseDetected: false, otherFlaggedSessions: [] });
    const session = await get(sessionId);
    expect(Object.keys(session.results.attempts[0])).toEqual(["attemptId", "attemptStatus", "result", "clientInformation", "abuseMonitoringResult"]);
  });

  it("raises isAbuseDetected when the device says so", async () => {
    const { create, get, device, enableMonitoring } = preview();
    await enableMonitoring();
    const { sessionId, authToken } = await create();
    expect((await device(authToken, { outcome: "realface", abuseDetected: true })).status).toBe(200);
    expect((await get(sessionId)).results.attempts[0].abuseMonitoringResult).toEqual({ isAbuseDetected: true, otherFlaggedSessions: [] });
  });

  it("raises isAbuseDetected for a client IP outside expectedClientIpAddress", async () => {
    const { create, device, enableMonitoring } = preview();
    await enableMonitoring();
    const cases: Array<[string, string, boolean]> = [
      ["203.0.113.0/24", "203.0.113.200", false],
      ["203.0.113.0/24", "203.0.114.1", true],
      ["1.2.3.4", "1.2.3.4", false],
      ["1.2.3.4", "1.2.3.5", true],
      ["2001:db8::/32", "2001:db8:1::1", false],
      ["2001:db8::/32", "203.0.113.1", true],
    ];
    for (const [expected, clientIp, flagged] of cases) {
      const { authToken } = await create({ expectedClientIpAddress: expected });
      const attempt = await (await device(authToken, { outcome: "realface", clientIp })).json();
      expect([expected, clientIp, attempt.abuseMonitoringResult.isAbuseDetected]).toEqual([expected, clientIp, flagged]);
    }
  });

  it("flags every attempt of a session through emulator.flagAbuse()", async () => {
    const { create, get, enableMonitoring, emulator } = preview();
    await enableMonitoring();
    const { sessionId, authToken } = await create();
    emulator.flagAbuse(sessionId);
    emulator.simulateDevice(authToken, "realface");
    expect((await get(sessionId)).results.attempts[0].abuseMonitoringResult.isAbuseDetected).toBe(true);
    expect(() => emulator.flagAbuse("no-such-session")).toThrow(expect.objectContaining({ status: 404, code: "SessionNotFound" }));
  });

  it("lists the flagged attempts of other sessions of the same userCorrelationId", async () => {
    const { create, get, enableMonitoring, emulator } = preview();
    await enableMonitoring();
    const first = await create({ userCorrelationId: "user-1", enableSessionImage: true });
    const other = await create({ userCorrelationId: "user-2" });
    const clean = await create({ userCorrelationId: "user-1" });
    const latest = await create({ userCorrelationId: "user-1" });
    const firstAttempt = emulator.simulateDevice(first.authToken, { outcome: "realface", abuseDetected: true });
    emulator.simulateDevice(other.authToken, { outcome: "realface", abuseDetected: true });
    emulator.simulateDevice(clean.authToken, "realface");
    emulator.simulateDevice(latest.authToken, { outcome: "realface", abuseDetected: true });
    const result = (await get(latest.sessionId)).results.attempts[0].abuseMonitoringResult;
    expect(result).toEqual({
      isAbuseDetected: true,
      otherFlaggedSessions: [{ attemptId: 1, sessionId: first.sessionId, sessionImageId: firstAttempt.result!.sessionImageId }],
    });
    expect((await get(clean.sessionId)).results.attempts[0].abuseMonitoringResult).toEqual({ isAbuseDetected: false, otherFlaggedSessions: [] });
    expect((await get(first.sessionId)).results.attempts[0].abuseMonitoringResult.otherFlaggedSessions).toEqual([
      { attemptId: 1, sessionId: latest.sessionId },
    ]);
  });

  it("reports nothing for sessions created with monitoring off, and refuses to raise abuse on them", async () => {
    const { create, get, device, emulator } = preview();
    const { sessionId, authToken } = await create({ numberOfClientAttemptsAllowed: 2, expectedClientIpAddress: "10.0.0.0/8" });
    await expectError(
      await device(authToken, { outcome: "realface", abuseDetected: true }),
      400,
      "BadArgument",
      /abuseDetected needs a session created while liveness abuse monitoring was enabled/,
    );
    expect(() => emulator.flagAbuse(sessionId)).toThrow(EmulatorHttpError);
    expect(() => emulator.flagAbuse(sessionId)).toThrow(expect.objectContaining({ status: 400, code: "BadArgument" }));
    expect((await device(authToken, { outcome: "realface", clientIp: "192.0.2.1" })).status).toBe(200);
    const attempt = (await get(sessionId)).results.attempts[0];
    expect(attempt.clientInformation).toEqual([{ ip: "192.0.2.1" }]);
    expect(attempt).not.toHaveProperty("abuseMonitoringResult");
  });
});
