import { request as httpRequest } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { CONSOLE_PATH, FaceLivenessEmulator, createMswHandlers, listen, type RunningEmulator } from "../../src/emulator/index.js";
import { CONSOLE_CSP } from "../../src/emulator/console/guard.js";
import { MAX_VIEWED_SESSIONS } from "../../src/emulator/console/view.js";
import { fixture, manualClock } from "./helpers.js";

/**
 * The console over real HTTP, without a browser: who may use it (the key or a one-time link,
 * then a SameSite=Strict cookie), where (the emulator's own origin only), what it never shows
 * (the key, any auth token), and how its API checks what the page sends.
 */

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bytes: Buffer;
}

/** A request with exactly these headers (fetch would not let a test set Host). */
function raw(endpoint: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const url = new URL(path, endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: init.method ?? "GET", headers: { host: url.host, ...init.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, headers: res.headers, body: bytes.toString("utf8"), bytes });
        });
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

const cookieOf = (response: RawResponse): string => {
  const header = response.headers["set-cookie"];
  const first = Array.isArray(header) ? header[0]! : header!;
  return first.split(";", 1)[0]!;
};

describe("emulator console over HTTP", () => {
  let running: RunningEmulator;
  let origin: string;
  let client: FaceSessionClient;

  beforeEach(async () => {
    running = await listen();
    origin = running.endpoint;
    client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), { retryOptions: { maxRetries: 0 } });
  });
  afterEach(() => running.close());

  async function signIn(): Promise<string> {
    const response = await raw(origin, running.console!.createLoginUrl());
    expect(response.status).toBe(200);
    return cookieOf(response);
  }

  function api(cookie: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    return raw(origin, `${CONSOLE_PATH}api/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { cookie, ...(body === undefined ? {} : { origin, "content-type": "application/json" }), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  it("is at /emulator/console/ of the endpoint and asks for the key until signed in", async () => {
    expect(running.console!.url).toBe(`${running.endpoint}${CONSOLE_PATH}`);
    const page = await raw(origin, CONSOLE_PATH);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<input type="password" name="key"');
    expect((await raw(origin, "/emulator/console")).headers.location).toBe(CONSOLE_PATH);
    const state = await raw(origin, `${CONSOLE_PATH}api/state`);
    expect(state.status).toBe(401);
    expect(JSON.parse(state.body).error.code).toBe("Unauthorized");
  });

  it("exchanges a one-time link for an HttpOnly SameSite=Strict cookie; the link works once", async () => {
    const link = running.console!.createLoginUrl();
    expect(link).toMatch(/\/emulator\/console\/login\?code=[A-Za-z0-9_-]{32}$/);
    const first = await raw(origin, link);
    expect(first.status).toBe(200);
    const setCookie = String(first.headers["set-cookie"]);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toContain(`Path=${CONSOLE_PATH}`);
    expect(setCookie).toContain(`face-emulator-console-${new URL(origin).port}=`);
    expect(first.body).toContain(`<meta http-equiv="refresh" content="0; url=${CONSOLE_PATH}">`);
    const again = await raw(origin, link);
    expect(again.status).toBe(401);
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect((await raw(origin, `${CONSOLE_PATH}login?code=guessed`)).status).toBe(401);
    const signedIn = await raw(origin, CONSOLE_PATH, { headers: { cookie: cookieOf(first) } });
    expect(signedIn.body).toContain('id="session-list"');
    expect((await api(cookieOf(first), "state")).status).toBe(200);
  });

  it("signs in with the key from its own origin only, and signs out", async () => {
    const form = (key: string, headers: Record<string, string>) =>
      raw(origin, `${CONSOLE_PATH}login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: `key=${encodeURIComponent(key)}` });
    expect((await form("wrong", { origin })).status).toBe(401);
    expect((await form(running.key, {})).status).toBe(403); // no Origin header
    expect((await form(running.key, { origin: "http://evil.example" })).status).toBe(403);
    const ok = await form(running.key, { origin });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(CONSOLE_PATH);
    const cookie = cookieOf(ok);
    expect((await api(cookie, "state")).status).toBe(200);
    const out = await raw(origin, `${CONSOLE_PATH}logout`, { method: "POST", headers: { cookie, origin } });
    expect(out.status).toBe(303);
    expect(String(out.headers["set-cookie"])).toContain("Max-Age=0");
    expect((await api(cookie, "state")).status).toBe(401);
  });

  it("answers only on the emulator's own Host (no DNS rebinding)", async () => {
    const port = new URL(origin).port;
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:1`, `127.0.0.2:${port}`]) {
      const response = await raw(origin, CONSOLE_PATH, { headers: { host } });
      expect(response.status, host).toBe(403);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await raw(origin, CONSOLE_PATH, { headers: { host } })).status, host).toBe(200);
    }
  });

  it("refuses changes from other origins and cross-site reads, even with the cookie (CSRF)", async () => {
    const cookie = await signIn();
    await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const evil = await raw(origin, `${CONSOLE_PATH}api/reset`, { method: "POST", headers: { cookie, origin: "http://evil.example", "content-type": "application/json" }, body: "{}" });
    expect(evil.status).toBe(403);
    const noOrigin = await raw(origin, `${CONSOLE_PATH}api/reset`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" });
    expect(noOrigin.status).toBe(403);
    const crossSite = await api(cookie, "reset", {}, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(running.emulator.sessionCount).toBe(1);
    expect((await api(cookie, "state", undefined, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await api(cookie, "state", undefined, { "sec-fetch-site": "same-origin" })).status).toBe(200);
    // A JSON API call must say it is JSON (a plain HTML form cannot).
    const formPost = await raw(origin, `${CONSOLE_PATH}api/faults`, { method: "POST", headers: { cookie, origin, "content-type": "text/plain" }, body: '{"kind":"drop"}' });
    expect(formPost.status).toBe(415);
    expect((await api(cookie, "reset", {})).status).toBe(200);
    expect(running.emulator.sessionCount).toBe(0);
  });

  it("sends a strict CSP and no-store on every console response", async () => {
    const cookie = await signIn();
    for (const path of ["", "console.js", "console.css", "api/state", "login?code=x"]) {
      const response = await raw(origin, `${CONSOLE_PATH}${path}`, { headers: { cookie } });
      expect(response.headers["content-security-policy"], path).toBe(CONSOLE_CSP);
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("same-origin");
      expect(response.headers["cache-control"]).toBe("no-store");
    }
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain("unsafe");
  });

  it("never shows the key or an auth token in full", async () => {
    const cookie = await signIn();
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", deviceCorrelationId: "d-1" });
    const verify = await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: fixture("face.jpg") });
    running.emulator.simulateDevice(session.authToken, "realface");
    const bodies = await Promise.all(["", "console.js", "console.css", "api/state"].map((p) => raw(origin, `${CONSOLE_PATH}${p}`, { headers: { cookie } })));
    for (const { body } of bodies) {
      expect(body).not.toContain(running.key);
      expect(body).not.toContain(session.authToken);
      expect(body).not.toContain(verify.authToken);
    }
    const view = JSON.parse(bodies[3]!.body);
    const shown = view.sessions.find((s: { sessionId: string }) => s.sessionId === session.sessionId);
    expect(shown.authToken).toBe(`…${session.authToken.slice(-4)} (${session.authToken.length} chars)`);
  });

  it("lists sessions newest first with what the app server did, deleted and expired ones marked", async () => {
    const clock = manualClock();
    const emulator = new FaceLivenessEmulator({ now: clock.now, sessionLifetimeSeconds: 3600 });
    const own = await listen({ emulator });
    try {
      const c = new FaceSessionClient(own.endpoint, new AzureKeyCredential(own.key));
      const cookie = cookieOf(await raw(own.endpoint, own.console!.createLoginUrl()));
      const old = await c.createLivenessSession({ livenessOperationMode: "Passive" });
      clock.advance(1000);
      const deleted = await c.createLivenessSession({ livenessOperationMode: "PassiveActive", deviceCorrelationId: "dev-9", authTokenTimeToLiveInSeconds: 60 });
      await c.deleteLivenessSession(deleted.sessionId);
      clock.advance(1000);
      const verify = await c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: fixture("face.png"), verifyConfidenceThreshold: 0.7 });
      emulator.simulateDevice(verify.authToken, { outcome: "realface", matchConfidence: 0.6 });
      const state = async () => JSON.parse((await raw(own.endpoint, `${CONSOLE_PATH}api/state`, { headers: { cookie } })).body);
      let view = await state();
      expect(view.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([verify.sessionId, deleted.sessionId, old.sessionId]);
      expect(view.sessions[0]).toMatchObject({
        kind: "livenessWithVerify",
        apiVersion: "v1.2",
        mode: "Passive",
        status: "Succeeded",
        verify: { threshold: 0.7, hasImage: true },
        attempts: [{ attemptId: 1, status: "Succeeded", decision: "realface", matchConfidence: 0.6, isIdentical: false, clientIps: ["127.0.0.1"] }],
      });
      expect(view.sessions[1]).toMatchObject({
        kind: "liveness",
        mode: "PassiveActive",
        deviceCorrelationId: "dev-9",
        tokenExpiresAt: view.sessions[1].createdAt + 60_000,
        removed: { reason: "deleted", at: Date.UTC(2025, 0, 1) + 1000 },
        attemptsLeft: 0,
      });
      const reference = await raw(own.endpoint, `${CONSOLE_PATH}api/sessions/${verify.sessionId}/reference-image`, { headers: { cookie } });
      expect(reference.headers["content-type"]).toBe("image/png");
      clock.advance(3600 * 1000);
      await c.getLivenessSessionResult(old.sessionId).catch(() => undefined); // looked up past its lifetime: forgotten
      view = await state();
      expect(view.sessions.find((s: { sessionId: string }) => s.sessionId === old.sessionId).removed.reason).toBe("expired");
      emulator.reset();
      expect((await state()).sessions).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it(`lists at most ${MAX_VIEWED_SESSIONS} sessions and counts the rest`, async () => {
    const cookie = await signIn();
    for (let i = 0; i < MAX_VIEWED_SESSIONS + 5; i++) await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const view = JSON.parse((await api(cookie, "state")).body);
    expect(view.sessions).toHaveLength(MAX_VIEWED_SESSIONS);
    expect(view.sessionTotal).toBe(MAX_VIEWED_SESSIONS + 5);
  });

  it("plays the device through the emulator's own rules and checks every input", async () => {
    const cookie = await signIn();
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const path = `sessions/${session.sessionId}/attempts`;
    const refused = async (body: unknown, status: number, pattern: RegExp) => {
      const response = await api(cookie, path, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(JSON.parse(response.body).error.message).toMatch(pattern);
    };
    await refused({ stage: "complete", outcome: "maybe" }, 400, /outcome must be one of realface, spoofface, uncertain, error/);
    await refused({ stage: "complete", outcome: "error", errorCode: "mask" }, 400, /errorCode must be a PascalCase error code/);
    await refused({ stage: "complete", outcome: "realface", matchConfidence: 0.5 }, 400, /matchConfidence applies to liveness-with-verify sessions only/);
    await refused({ stage: "complete", outcome: "realface", sessionImage: "AAAA" }, 400, /created without enableSessionImage/);
    await refused({ stage: "later" }, 400, /stage must be 'start' or 'complete'/);
    await refused({ stage: "start", token: "x" }, 400, /Unknown field 'token'/);
    expect((await client.getLivenessSessionResult(session.sessionId)).results.attempts).toEqual([]);
    expect((await api(cookie, `sessions/00000000-0000-0000-0000-000000000000/attempts`, { stage: "start" })).status).toBe(404);

    expect((await api(cookie, path, { stage: "start" })).status).toBe(200);
    await refused({ stage: "start" }, 409, /still running/);
    expect((await api(cookie, path, { stage: "complete", outcome: "realface" })).status).toBe(200);
    await refused({ stage: "complete", outcome: "realface" }, 409, /accepts no further attempts|none is left/);
    expect((await client.getLivenessSessionResult(session.sessionId)).status).toBe("Succeeded");

    const withImage = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    const notImage = Buffer.from("not an image at all").toString("base64");
    const response = await api(cookie, `sessions/${withImage.sessionId}/attempts`, { stage: "complete", outcome: "realface", sessionImage: notImage });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.message).toMatch(/JPEG or PNG/);
    const png = Buffer.from(fixture("face.png")).toString("base64");
    expect((await api(cookie, `sessions/${withImage.sessionId}/attempts`, { stage: "complete", outcome: "realface", sessionImage: png })).status).toBe(200);
    const id = (await client.getLivenessSessionResult(withImage.sessionId)).results.attempts[0]!.result!.sessionImageId!;
    const image = await raw(origin, `${CONSOLE_PATH}api/session-images/${id}`, { headers: { cookie } });
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.bytes.equals(Buffer.from(fixture("face.png")))).toBe(true); // the uploaded picture itself
  });

  it("queues faults from the page's values only, bounded, and shows the queue", async () => {
    const cookie = await signIn();
    const refused = async (body: unknown, pattern: RegExp) => {
      const response = await api(cookie, "faults", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(response.body).error.message).toMatch(pattern);
    };
    await refused({ kind: "status", status: 200 }, /status must be an integer from 400 to 599/);
    await refused({ kind: "status" }, /status is required/);
    await refused({ kind: "delay", ms: 10_000_000 }, /ms must be an integer from 0 to 120000/);
    await refused({ kind: "drop", count: 0 }, /count must be an integer from 1 to 1000/);
    await refused({ kind: "drop", path: "/anything" }, /path must be one of/);
    await refused({ kind: "drop", method: "TRACE" }, /method must be one of/);
    await refused({ kind: "explode" }, /kind must be 'status', 'delay' or 'drop'/);
    expect(running.emulator.faults.size).toBe(0);
    const added = await api(cookie, "faults", { kind: "status", status: 429, retryAfterSeconds: 3, count: 2, path: "/detectLiveness-sessions" });
    expect(JSON.parse(added.body).faults).toEqual([{ kind: "status", status: 429, retryAfterSeconds: 3, path: "/detectLiveness-sessions", remaining: 2 }]);
    await client.createLivenessSession({ livenessOperationMode: "Passive" }).catch(() => undefined);
    expect(JSON.parse((await api(cookie, "state")).body).faults[0].remaining).toBe(1);
    expect(JSON.parse((await api(cookie, "faults/clear", {})).body).faults).toEqual([]);
    const big = await api(cookie, "faults", { kind: "drop", pad: "x".repeat(5 * 1024 * 1024) });
    expect(big.status).toBe(413);
  });
});

describe("emulator console is off outside listen()", () => {
  it("is not served by handle() (and so not by msw)", async () => {
    const emulator = new FaceLivenessEmulator({ key: "k" });
    const page = await emulator.handle(new Request(`https://face.test${CONSOLE_PATH}`));
    expect(page.status).toBe(401);
    const withKey = await emulator.handle(new Request(`https://face.test${CONSOLE_PATH}`, { headers: { "ocp-apim-subscription-key": "k" } }));
    expect(withKey.status).toBe(404);
    const handlers = createMswHandlers(emulator, { http: { all: (_path: string, resolver: (info: { request: Request }) => Promise<Response>) => resolver } }, "https://face.test");
    expect((await handlers[0]!({ request: new Request(`https://face.test${CONSOLE_PATH}api/state`) })).status).toBe(401);
  });

  it("is off with listen({ console: false })", async () => {
    const running = await listen({ console: false });
    try {
      expect(running.console).toBeUndefined();
      expect((await raw(running.endpoint, CONSOLE_PATH)).status).toBe(401);
    } finally {
      await running.close();
    }
  });

  it("lists queued faults as copies", () => {
    const emulator = new FaceLivenessEmulator();
    emulator.faults.enqueue({ kind: "status", status: 503, count: 2 });
    const listed = emulator.faults.list();
    expect(listed).toEqual([{ fault: { kind: "status", status: 503, count: 2 }, remaining: 2 }]);
    (listed[0]!.fault as { status: number }).status = 500;
    expect(emulator.faults.list()[0]!.fault).toMatchObject({ status: 503 });
  });
});
