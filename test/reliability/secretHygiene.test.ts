/**
 * Secret hygiene. With `@azure/logger` at "verbose" and `AzureLogger.log` captured, every
 * operation runs against the emulator over HTTP (v1.2, and v1.3-preview.1 for the settings and the
 * client-assets token), including failures and retries. Then neither the captured logs, nor any
 * thrown error (message, stack, JSON, util.inspect), nor util.inspect of the client or of any
 * returned object may contain the API key, a session authToken or a client-assets token. A second
 * pass does the same with the logger of `@typespec/ts-http-runtime` (where core's Node transport
 * logs; both retry policies are the client's own and log through @azure/logger).
 *
 * Cross-origin redirects: a raw server answering 307/302 with a Location on another port (another
 * origin) must never make the client send `Ocp-Apim-Subscription-Key` or `Authorization` there,
 * for a KeyCredential (HTTP) and a fake TokenCredential (HTTPS with a throw-away certificate).
 */
import { randomBytes } from "node:crypto";
import { Agent as HttpsAgent } from "node:https";
import { format, inspect } from "node:util";
import type { TokenCredential } from "@azure/core-auth";
import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import {
  TypeSpecRuntimeLogger,
  getLogLevel as getRuntimeLogLevel,
  setLogLevel as setRuntimeLogLevel,
  type TypeSpecRuntimeLogLevel,
} from "@typespec/ts-http-runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceApiVersion } from "../../src/index.js";
import { listen, type RunningEmulator } from "../../src/emulator/index.js";
import { livenessBody } from "../utils/sessions.js";
import { createTestCertificate } from "../utils/tlsCertificate.js";
import { FAST_RETRY, RawServer, TrackingAgent, failureOf, readBody, send, sendJson, trackUnhandledRejections } from "./harness.js";
import { FACE_JPG } from "./rawOps.js";

trackUnhandledRejections();

const KEY = `face-key-${randomBytes(16).toString("hex")}`;
const WRONG_KEY = `wrong-key-${randomBytes(16).toString("hex")}`;
const BEARER = `bearer-${randomBytes(24).toString("base64url")}`;

/** Every secret seen during the run. */
const secrets = new Set<string>([KEY, WRONG_KEY, BEARER]);
/** Every error thrown by the client. */
const errors: unknown[] = [];
/** Every value returned by the client. */
const values: unknown[] = [];
const clients: FaceSessionClient[] = [];
/** Session image downloads (checked separately below). */
const sessionImages: unknown[] = [];

async function failing(fn: () => unknown): Promise<any> {
  const error = await failureOf(fn);
  errors.push(error);
  return error;
}
function keep<T>(value: T): T {
  values.push(value);
  const v = value as { authToken?: unknown; accessToken?: unknown; base64AccessToken?: unknown };
  for (const field of [v?.authToken, v?.accessToken, v?.base64AccessToken]) {
    // Session reads carry "authToken": "" (as the service sends them): no secret to look for.
    if (typeof field === "string" && field !== "") secrets.add(field);
  }
  return value;
}

/** Every rendering of a thrown error that could end up in a log line or a bug report. */
function renderError(error: any): string[] {
  return [
    String(error?.message),
    String(error?.stack),
    String(error),
    JSON.stringify(error) ?? "",
    inspect(error, { depth: Infinity }),
    inspect(error, { depth: Infinity, showHidden: true }),
    format("%o", error),
  ];
}
function renderValue(value: unknown): string[] {
  return [inspect(value, { depth: Infinity }), inspect(value, { depth: Infinity, showHidden: true }), format("%o %O", value, value)];
}

/** Asserts that none of `texts` contains a secret, naming where it leaked. */
function expectNoSecret(texts: string[], where: string): void {
  for (const text of texts) {
    for (const secret of secrets) {
      if (text.includes(secret)) {
        throw new Error(`${where} contains a secret (${secret.slice(0, 6)}...): ${text.slice(Math.max(0, text.indexOf(secret) - 200), text.indexOf(secret) + 50)}`);
      }
    }
  }
}

describe("logs, errors and printed objects never contain a secret", () => {
  let running: RunningEmulator;
  const azureLogs: string[] = [];
  const runtimeLogs: string[] = [];
  let savedLevel: AzureLogLevel | undefined;
  let savedRuntimeLevel: TypeSpecRuntimeLogLevel | undefined;
  let savedLog: typeof AzureLogger.log;
  let savedRuntimeLog: typeof TypeSpecRuntimeLogger.log;

  beforeAll(async () => {
    running = await listen({ port: 0, key: KEY });
    savedLevel = getLogLevel();
    savedRuntimeLevel = getRuntimeLogLevel();
    savedLog = AzureLogger.log;
    savedRuntimeLog = TypeSpecRuntimeLogger.log;
    AzureLogger.log = (...args: unknown[]) => void azureLogs.push(format(...args));
    TypeSpecRuntimeLogger.log = (...args: unknown[]) => void runtimeLogs.push(format(...args));
  });
  afterAll(async () => {
    AzureLogger.log = savedLog;
    TypeSpecRuntimeLogger.log = savedRuntimeLog;
    // Both loggers share one `debug` instance: restore the runtime level first, Azure's last.
    setRuntimeLogLevel(savedRuntimeLevel);
    setLogLevel(savedLevel);
    await running.close();
  });
  afterEach(() => {
    running.emulator.faults.clear();
  });

  const clientFor = (apiVersion: FaceApiVersion = "v1.2", key = KEY): FaceSessionClient => {
    const client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(key), { apiVersion, retryOptions: FAST_RETRY });
    clients.push(client);
    return client;
  };

  /** Runs every operation, with failures and retries. */
  async function exerciseEverything(): Promise<void> {
    const emulator = running.emulator;
    const client = clientFor();

    // Creates, a throttled create that is retried, a dropped create.
    const session = keep(await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true }));
    const verify = keep(await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG, enableSessionImage: true }));
    emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, method: "POST" });
    const retried = keep(await client.createLivenessSession({ livenessOperationMode: "PassiveActive" }));
    emulator.faults.enqueue({ kind: "drop", method: "POST", path: "/detectLivenessWithVerify-sessions" });
    await failing(() => client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG }));
    emulator.faults.enqueue({ kind: "status", status: 500, method: "POST", path: "/detectLiveness-sessions" });
    await failing(() => client.createLivenessSession({ livenessOperationMode: "Passive" }));

    emulator.simulateDevice(session.authToken, "realface");
    emulator.simulateDevice(verify.authToken, "realface");

    // Reads, with retries and failures.
    const got = keep(await client.getLivenessSessionResult(session.sessionId));
    keep(await client.getLivenessWithVerifySessionResult(verify.sessionId));
    emulator.faults.enqueue({ kind: "status", status: 503, retryAfterSeconds: 0, method: "GET" });
    keep(await client.getLivenessSessionResult(session.sessionId));
    emulator.faults.enqueue({ kind: "status", status: 500, method: "GET", count: Infinity });
    await failing(() => client.getLivenessSessionResult(session.sessionId));
    emulator.faults.clear();
    await failing(() => client.getLivenessSessionResult("no-such-session"));
    emulator.faults.enqueue({ kind: "delay", ms: 1000, method: "GET", count: Infinity });
    await failing(() => client.getLivenessWithVerifySessionResult(verify.sessionId, { requestOptions: { timeout: 50 } }));
    emulator.faults.clear();
    await failing(() => client.getLivenessSessionResult(session.sessionId, { abortSignal: AbortSignal.abort() }));

    // Session image and detect.
    const imageId = got.results.attempts[0]!.result!.sessionImageId!;
    const image = await client.getSessionImage(imageId);
    sessionImages.push(image);
    keep(await image.bytes());
    keep(await client.detectFromSessionImage(imageId, { detectionModel: "detection_03", returnFaceAttributes: ["headPose", "mask"] }));
    emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, method: "POST", path: "/detect" });
    keep(await client.detectFromSessionImage(imageId));
    await failing(() => client.detectFromSessionImage("unknown-image"));
    await failing(() => client.getSessionImage("unknown-image"));

    // Poller, observation, finalize.
    keep(await client.waitForLivenessSessionResult(session, { intervalInMs: 5 }));
    keep(await client.waitForLivenessWithVerifySessionResult(verify, { intervalInMs: 5, until: "firstAttempt" }));
    for await (const observed of client.observeLivenessSession(session, { intervalInMs: 5 })) keep(observed);
    keep(await client.finalizeLivenessWithVerifySession(verify, { downloadSessionImage: true, detectFaces: true, wait: { intervalInMs: 5 } }));
    keep(await client.finalizeLivenessSession(retried, { keepSession: true }));

    // Deletes, a repeated delete (404), a wrong key (401).
    keep(await client.deleteLivenessSession(session.sessionId));
    await failing(() => client.deleteLivenessSession(session.sessionId));
    await failing(() => client.deleteLivenessWithVerifySession(verify.sessionId));
    await failing(() => clientFor("v1.2", WRONG_KEY).getLivenessSessionResult(retried.sessionId));

    // Client-side validation failures.
    await failing(() => client.getSettings());
    await failing(() => client.createLivenessSession({ livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 1 }));
    await failing(() => client.getLivenessSessionResult("../x"));

    // v1.3-preview.1: settings, client-assets tokens (one retried), preview create fields.
    const preview = clientFor("v1.3-preview.1");
    keep(await preview.getSettings());
    keep(await preview.updateSettings({ livenessAbuseMonitoring: { enabled: true } }));
    keep(await preview.getClientAssetsAccessToken());
    emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, method: "GET", path: "/settings/getClientAssetsAccessToken" });
    keep(await preview.getClientAssetsAccessToken());
    emulator.faults.enqueue({ kind: "status", status: 500, method: "GET", path: "/settings", count: Infinity });
    await failing(() => preview.getClientAssetsAccessToken());
    await failing(() => preview.getSettings());
    emulator.faults.clear();
    const previewSession = keep(
      await preview.createLivenessSession({
        livenessOperationMode: "PassiveActive",
        numberOfClientAttemptsAllowed: 2,
        userCorrelationId: "user-1",
        expectedClientIpAddress: "203.0.113.0/24",
      }),
    );
    emulator.simulateDevice(previewSession.authToken, { outcome: "realface", clientIp: "203.0.113.7" });
    keep(await preview.getLivenessSessionResult(previewSession.sessionId));
    keep(await preview.deleteLivenessSession(previewSession.sessionId));
    await failing(() => preview.updateSettings({ livenessAbuseMonitoring: { enabled: "yes" as unknown as boolean } }));
  }

  /** A success body that carries a token but fails deserialization: PARSE_ERROR must not echo it. */
  async function parseErrorsHoldingTokens(): Promise<void> {
    const token = `raw-token-${randomBytes(16).toString("hex")}`;
    const assets = `raw-assets-${randomBytes(16).toString("hex")}`;
    secrets.add(token).add(assets);
    const raw = await RawServer.start(async (req, res) => {
      await readBody(req);
      if (req.url?.includes("getClientAssetsAccessToken")) {
        sendJson(res, 200, { accessToken: assets, base64AccessToken: Buffer.from(assets).toString("base64"), expiry: "not a date" });
      } else if (req.method === "POST") {
        const { status: _status, ...noStatus } = livenessBody("NotStarted");
        sendJson(res, 200, { ...noStatus, authToken: token });
      } else {
        // A truncated JSON body whose first bytes hold the token.
        send(res, 200, `{"sessionId":"s","authToken":"${token}","status":`, { "content-type": "application/json" });
      }
    });
    secrets.add(Buffer.from(assets).toString("base64"));
    try {
      const client = new FaceSessionClient(raw.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY });
      const preview = new FaceSessionClient(raw.endpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY, apiVersion: "v1.3-preview.1" });
      clients.push(client, preview);
      expect(await failing(() => client.createLivenessSession({ livenessOperationMode: "Passive" }))).toMatchObject({ code: "PARSE_ERROR" });
      expect(await failing(() => client.getLivenessSessionResult("s"))).toMatchObject({ code: "PARSE_ERROR" });
      expect(await failing(() => preview.getClientAssetsAccessToken())).toMatchObject({ code: "PARSE_ERROR" });
    } finally {
      await raw.close();
    }
  }

  it("with @azure/logger at verbose: every operation, failure and retry", async () => {
    setLogLevel("verbose");
    try {
      await exerciseEverything();
      await parseErrorsHoldingTokens();
    } finally {
      setLogLevel(savedLevel);
    }
    // The run did produce what the assertions look at.
    expect(secrets.size).toBeGreaterThan(10);
    expect(errors.length).toBeGreaterThan(15);
    const logText = azureLogs.join("\n");
    expect(logText).toMatch(/Request: \{/);
    expect(logText).toMatch(/"ocp-apim-subscription-key": "REDACTED"/i);
    expect(logText).toMatch(/failed: HTTP 500/);
    expect(logText).toMatch(/Retry strategy faceCreateRetryStrategy throws error: RestError/); // errors are logged whole
    expect(logText).toMatch(/Retry 1: Processing retry strategy faceReadRetryStrategy/);
    expectNoSecret(azureLogs, "an @azure/logger line");
  });

  it("with the ts-http-runtime logger at verbose (core's retry policy and transport)", async () => {
    const before = errors.length;
    setRuntimeLogLevel("verbose");
    try {
      await exerciseEverything();
    } finally {
      setRuntimeLogLevel(savedRuntimeLevel);
      setLogLevel(savedLevel);
    }
    expect(errors.length).toBeGreaterThan(before);
    // Both retry policies are the client's own and log through @azure/logger (checked above);
    // whatever the runtime's logger still writes must hold no secret either.
    expectNoSecret(runtimeLogs, "a ts-http-runtime logger line");
  });

  it("no thrown error shows a secret in its message, stack, JSON or util.inspect", () => {
    expect(errors.length).toBeGreaterThan(30);
    for (const [i, error] of errors.entries()) expectNoSecret(renderError(error), `error #${i} (${(error as Error)?.name})`);
  });

  it("util.inspect of every client and returned object shows no secret", () => {
    expect(sessionImages).toHaveLength(2); // one per pass; checked separately below
    expect(clients.length).toBeGreaterThan(4);
    for (const client of clients) {
      expectNoSecret([inspect(client, { showHidden: true, depth: Infinity }), JSON.stringify(client), format("%o", client)], "a client");
    }
    expect(values.length).toBeGreaterThan(30);
    for (const [i, value] of values.entries()) expectNoSecret(renderValue(value), `returned value #${i}`);
    // ...while the values themselves do hold the tokens (JSON keeps them for the front end).
    const createdJson = values.map((v) => JSON.stringify(v) ?? "").join("\n");
    const sessionTokens = [...secrets].filter((s) => createdJson.includes(s));
    expect(sessionTokens.length).toBeGreaterThan(3);
  });

  // Regression. README: "secrets kept out of logs, error messages and console.log output". A
  // SessionImage that exposed the Node response stream directly as `readableStreamBody`; that IncomingMessage references its
  // ClientRequest, whose `_header` holds the raw request head, API key included. So
  // `console.log(await client.getSessionImage(id))` (util.inspect at the default depth 2) prints
  // `Ocp-Apim-Subscription-Key: <key>` (with Entra ID: `Authorization: Bearer <token>`), before
  // and after the body was read. Repro: listen() the emulator, create a session with
  // enableSessionImage, simulateDevice(token, "realface"), then console.log(getSessionImage(id)).
  it("console.log / util.inspect of a SessionImage shows no secret", () => {
    for (const image of sessionImages) {
      expectNoSecret([inspect(image)], "util.inspect(sessionImage) at the default depth");
      expectNoSecret(renderValue(image), "a session image");
    }
  });
});

describe("cross-origin redirects never carry credentials", () => {
  let tls: { key: Buffer; cert: Buffer };
  let origin: RawServer;
  let other: RawServer;
  let agent: TrackingAgent;
  let httpsAgent: HttpsAgent;

  beforeAll(() => {
    tls = createTestCertificate();
  });
  afterEach(async () => {
    await origin?.close();
    await other?.close();
    agent?.destroy();
    httpsAgent?.destroy();
  });

  const fakeToken: TokenCredential = { getToken: async () => ({ token: BEARER, expiresOnTimestamp: Date.now() + 3_600_000 }) };

  async function servers(secure: boolean, status: number): Promise<void> {
    other = await RawServer.start((req, res) => readBody(req).then(() => sendJson(res, 200, livenessBody("NotStarted"))), secure ? tls : undefined);
    origin = await RawServer.start(
      (req, res) => readBody(req).then(() => send(res, status, "", { location: `${other.endpoint}${req.url}` })),
      secure ? tls : undefined,
    );
  }

  const cases = [];
  for (const credential of ["key", "token"] as const) {
    for (const status of [307, 302] as const) {
      for (const operation of ["get", "create"] as const) {
        for (const allowCrossOriginRedirects of [false, true]) cases.push({ credential, status, operation, allowCrossOriginRedirects });
      }
    }
  }

  it.each(cases)(
    "$credential credential, $status on $operation, allowCrossOriginRedirects: $allowCrossOriginRedirects",
    async ({ credential, status, operation, allowCrossOriginRedirects }) => {
      const secure = credential === "token";
      await servers(secure, status);
      agent = new TrackingAgent();
      httpsAgent = new HttpsAgent({ ca: tls.cert, keepAlive: false });
      const options = { retryOptions: FAST_RETRY, agent: secure ? httpsAgent : agent, redirectOptions: { allowCrossOriginRedirects } };
      const client = secure
        ? new FaceSessionClient(origin.endpoint, fakeToken, options)
        : new FaceSessionClient(origin.endpoint, new AzureKeyCredential(KEY), options);
      const run = (): Promise<unknown> =>
        operation === "get" ? client.getLivenessSessionResult("abc") : client.createLivenessSession({ livenessOperationMode: "Passive" });
      const outcome = await run().then(
        () => "followed",
        (error: any) => {
          expect(error).toMatchObject({ name: "RestError", statusCode: status });
          return "not followed";
        },
      );
      // The origin got the credential...
      expect(origin.requests).toHaveLength(1);
      if (secure) expect(origin.requests[0]!.headers.authorization).toBe(`Bearer ${BEARER}`);
      else expect(origin.requests[0]!.headers["ocp-apim-subscription-key"]).toBe(KEY);
      // ...the other origin never did, whether the redirect was followed or not.
      for (const seen of other.requests) {
        expect(seen.headers["ocp-apim-subscription-key"]).toBeUndefined();
        expect(seen.headers.authorization).toBeUndefined();
        expect(JSON.stringify(seen.headers)).not.toContain(KEY);
        expect(JSON.stringify(seen.headers)).not.toContain(BEARER);
      }
      const followable = status === 307 || operation === "get"; // core follows 302 for GET/HEAD only
      expect(outcome).toBe(allowCrossOriginRedirects && followable ? "followed" : "not followed");
      expect(other.requests).toHaveLength(allowCrossOriginRedirects && followable ? 1 : 0);
    },
  );

  it("the bearer token is logged redacted at verbose level (HTTPS, fake TokenCredential)", async () => {
    await servers(true, 307);
    httpsAgent = new HttpsAgent({ ca: tls.cert, keepAlive: false });
    const lines: string[] = [];
    const savedLog = AzureLogger.log;
    const savedLevel = getLogLevel();
    AzureLogger.log = (...args: unknown[]) => void lines.push(format(...args));
    setLogLevel("verbose");
    try {
      const client = new FaceSessionClient(origin.endpoint, fakeToken, { retryOptions: FAST_RETRY, agent: httpsAgent });
      const error = await failureOf(() => client.getLivenessSessionResult("abc"));
      expect(error.statusCode).toBe(307);
      expectNoSecret(renderError(error), "the redirect error");
    } finally {
      setLogLevel(savedLevel);
      AzureLogger.log = savedLog;
    }
    expect(origin.requests[0]!.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(lines.join("\n")).toMatch(/"authorization": "REDACTED"/i);
    expectNoSecret(lines, "an @azure/logger line");
  });

  it("a TokenCredential over plain http (loopback) is refused before anything is sent", async () => {
    await servers(false, 307);
    const client = new FaceSessionClient(origin.endpoint, fakeToken, { retryOptions: FAST_RETRY });
    const error = await failureOf(() => client.getLivenessSessionResult("abc"));
    expect(error.message).toMatch(/non-TLS/);
    expect(error.message).not.toContain(BEARER);
    expect(origin.requests).toHaveLength(0);
    expect(other.requests).toHaveLength(0);
  });
});
