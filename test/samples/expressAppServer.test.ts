/**
 * The Express app-server sample (samples/express-app-server/app.ts), driven over real HTTP: the
 * emulator on a loopback port, a real FaceSessionClient pointed at it, the app on another
 * loopback port, and `fetch` playing the front end.
 *
 * The sample and this test import the package by name ("azure-face-liveness"); vitest.config.mts
 * maps that name to src/, so both share one copy of the library and no build is needed.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "azure-face-liveness";
import { listen, type RunningEmulator } from "azure-face-liveness/emulator";
import { createApp } from "../../samples/express-app-server/app";

interface Created {
  sessionId: string;
  authToken: string;
  expiresOn: string;
}

let emulator: RunningEmulator;
let server: Server;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  emulator = await listen({ port: 0 });
  const client = new FaceSessionClient(emulator.endpoint, new AzureKeyCredential(emulator.key), {
    retryOptions: { maxRetries: 0 },
  });
  const app = createApp(client, { log: (line) => logLines.push(line) });
  server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  await emulator?.close();
});

async function create(body?: unknown): Promise<Response> {
  return fetch(`${base}/liveness/sessions`, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}

async function createOk(body?: unknown): Promise<Created> {
  const response = await create(body);
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

/** The end user's device, through the emulator's device endpoint, with the handed-out token. */
async function device(authToken: string, outcome: string, stage?: "start"): Promise<Response> {
  return fetch(`${emulator.endpoint}/face/v1.2/emulator/device/attempts`, {
    method: "POST",
    headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
    body: JSON.stringify({ outcome, ...(stage ? { stage } : {}) }),
  });
}

const result = (sessionId: string, query = ""): Promise<Response> =>
  fetch(`${base}/liveness/sessions/${sessionId}${query}`);

describe("POST /liveness/sessions", () => {
  it("answers 201 with exactly sessionId, authToken and expiresOn, and the token works on the device endpoint", async () => {
    const response = await create({ mode: "Passive", deviceCorrelationId: "5b0a0b4e-2d64-4c55-8f0e-6a5c0e3b9a11" });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-powered-by")).toBeNull();
    const text = await response.text();
    expect(text).not.toContain(emulator.key);
    const body = JSON.parse(text) as Created;
    expect(Object.keys(body).sort()).toEqual(["authToken", "expiresOn", "sessionId"]);
    expect(body.sessionId).toMatch(/\S/);
    expect(body.authToken).toMatch(/\S/);
    expect(new Date(body.expiresOn).toISOString()).toBe(body.expiresOn);

    const attempt = await device(body.authToken, "realface");
    expect(attempt.status).toBe(200);
    const stranger = await device(`${body.authToken}x`, "realface");
    expect(stranger.status).toBe(401);
  });

  it("creates with the default mode when there is no body", async () => {
    const body = await createOk();
    expect(Object.keys(body).sort()).toEqual(["authToken", "expiresOn", "sessionId"]);
  });

  it.each([
    ["an unknown mode", { mode: "Active" }],
    ["a mode of the wrong case", { mode: "passive" }],
    ["a non-string mode", { mode: 1 }],
    ["a deviceCorrelationId that is not a GUID", { deviceCorrelationId: "device-1" }],
    ["an empty deviceCorrelationId", { deviceCorrelationId: "" }],
    ["an unknown field", { mode: "Passive", livenessOperationMode: "Passive" }],
    ["a JSON array", ["Passive"]],
  ])("answers 400 with a JSON error for %s", async (_what, body) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe("BadRequest");
    expect(error.error.message).toMatch(/\S/);
  });

  it("answers 400 for malformed JSON without echoing it, 415 for a non-JSON body, 413 for a large one", async () => {
    const malformed = await fetch(`${base}/liveness/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"mode": "Passive", SECRET-ECHO',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toContain("SECRET-ECHO");

    const form = await fetch(`${base}/liveness/sessions`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "mode=Passive",
    });
    expect(form.status).toBe(415);

    const large = await create({ mode: "Passive", deviceCorrelationId: "x".repeat(4096) });
    expect(large.status).toBe(413);
  });
});

describe("GET /liveness/sessions/:id", () => {
  it("answers 202 pending before the device acts, 200 completed after, then 404: the session was deleted", async () => {
    const { sessionId, authToken } = await createOk({ mode: "PassiveActive" });

    const before = await result(sessionId);
    expect(before.status).toBe(202);
    expect(await before.json()).toEqual({ status: "pending", reason: "notStarted", sessionStatus: "NotStarted" });

    expect((await device(authToken, "realface", "start")).status).toBe(200);
    const running = await result(sessionId);
    expect(running.status).toBe(202);
    expect(await running.json()).toEqual({ status: "pending", reason: "attemptRunning", sessionStatus: "Running" });

    expect((await device(authToken, "realface")).status).toBe(200);
    const after = await result(sessionId);
    expect(after.status).toBe(200);
    expect(after.headers.get("cache-control")).toBe("no-store");
    expect(await after.json()).toEqual({
      status: "completed",
      verdict: "accepted",
      reason: null,
      decision: "realface",
      isLive: true,
      accepted: true,
      attemptId: 1,
    });

    const again = await result(sessionId);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("SessionNotFound");
    // Deleting revoked the token too.
    expect((await device(authToken, "realface")).status).toBe(401);
  });

  it("does not accept a spoof", async () => {
    const { sessionId, authToken } = await createOk();
    await device(authToken, "spoofface");
    const response = await result(sessionId);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "completed",
      verdict: "rejected",
      reason: "spoofFace",
      decision: "spoofface",
      isLive: false,
      accepted: false,
      attemptId: 1,
    });
  });

  it("reports a failed attempt as completed with no decision", async () => {
    const { sessionId, authToken } = await createOk();
    await device(authToken, "FaceWithMaskDetected");
    const response = await result(sessionId);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "completed", decision: null, isLive: false, accepted: false });
  });

  it("compares the front end's digest: a match keeps the result accepted, a mismatch rejects it", async () => {
    const matching = await createOk();
    const attempt = (await (await device(matching.authToken, "realface")).json()) as { result: { digest: string } };
    const digest = attempt.result.digest;
    expect(digest).toMatch(/^[0-9a-f]+$/i);
    const ok = await result(matching.sessionId, `?digest=${encodeURIComponent(digest.toUpperCase())}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ decision: "realface", accepted: true, digestMatches: true });

    const other = await createOk();
    await device(other.authToken, "realface");
    const wrong = `${digest.slice(0, -1)}${digest.endsWith("0") ? "1" : "0"}`;
    const bad = await result(other.sessionId, `?digest=${wrong}`);
    expect(bad.status).toBe(200);
    expect(await bad.json()).toMatchObject({ decision: "realface", isLive: true, accepted: false, digestMatches: false });
  });

  it("answers 404 JSON for a session that does not exist", async () => {
    const response = await result("00000000-0000-0000-0000-000000000000");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("SessionNotFound");
  });

  it("answers 400 for an id the client refuses (a '/') and for a repeated or empty digest, without deleting", async () => {
    expect((await result("a%2Fb")).status).toBe(400);
    expect((await result("a%20b")).status).toBe(400);

    const { sessionId, authToken } = await createOk();
    await device(authToken, "realface");
    expect((await result(sessionId, "?digest=aa&digest=bb")).status).toBe(400);
    expect((await result(sessionId, "?digest=")).status).toBe(400);
    // Refused before anything was read: the result is still there.
    expect((await result(sessionId)).status).toBe(200);
  });

  it("maps a service failure to 502 with a fixed message, and logs only name, code and requestId", async () => {
    const { sessionId, authToken } = await createOk();
    await device(authToken, "realface");
    emulator.emulator.faults.enqueue({ kind: "status", status: 500, method: "GET", message: "UPSTREAM-DETAIL" });
    const failed = await result(sessionId);
    expect(failed.status).toBe(502);
    const text = await failed.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "ServiceUnavailable", message: "The face service could not complete the request. Try again later." },
    });
    expect(text).not.toContain("UPSTREAM-DETAIL");
    expect(text).not.toContain(emulator.key);
    expect(text).not.toContain(authToken);
    const line = logLines.at(-1) ?? "";
    expect(line).toMatch(/^request failed: 502 name=RestError code=\S+/);
    expect(line).not.toContain(emulator.key);
    expect(line).not.toContain(authToken);
    expect(line).not.toContain(sessionId);
    // Nothing was deleted: the result can be read once the service recovers.
    const retried = await result(sessionId);
    expect(retried.status).toBe(200);
  });

  it("answers 404 JSON for unknown routes", async () => {
    const response = await fetch(`${base}/liveness`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NotFound");
  });
});
