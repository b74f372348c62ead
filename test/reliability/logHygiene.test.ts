/**
 * Log hygiene whatever the agent or proxy. core's own log policy serializes the whole request,
 * and `request.agent` holds sockets whose last raw head carries `Ocp-Apim-Subscription-Key` or
 * `Authorization: Bearer`: with an agent (keep-alive on or off), `proxyOptions`, or
 * `HTTP(S)_PROXY` in the environment, a second request logged the first one's secret. Here each
 * setup makes several requests (create, reads, a 404, a retried 503) with the API key and with
 * an Entra bearer token, at info and at verbose, capturing both `@azure/logger` and the
 * ts-http-runtime logger; no line may contain a secret, and the traffic must have taken the
 * route under test (the loopback proxy saw it).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { format } from "node:util";
import type { TokenCredential } from "@azure/core-auth";
import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import { TypeSpecRuntimeLogger, getLogLevel as getRuntimeLogLevel, setLogLevel as setRuntimeLogLevel } from "@typespec/ts-http-runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceSessionClientOptions } from "../../src/index.js";
import { SESSION_ID, livenessBody } from "../utils/sessions.js";
import { LoopbackProxy, withEnvironment } from "../utils/loopbackProxy.js";
import { createTestCertificate } from "../utils/tlsCertificate.js";
import { FAST_RETRY, RawServer, failureOf, readBody, sendJson, trackUnhandledRejections } from "./harness.js";

trackUnhandledRejections();

const KEY = `log-key-${randomBytes(16).toString("hex")}`;
const BEARER = `log-bearer-${randomBytes(24).toString("base64url")}`;
const AUTH_TOKEN = `session-token-${randomBytes(16).toString("hex")}`;
const PROXY_PASSWORD = `proxy-pw-${randomBytes(8).toString("hex")}`;
const SECRETS = [KEY, BEARER, AUTH_TOKEN, PROXY_PASSWORD];
const NO_PROXY_ENV = { HTTPS_PROXY: undefined, HTTP_PROXY: undefined, ALL_PROXY: undefined, NO_PROXY: undefined };

let tls: { key: Buffer; cert: Buffer };
let plain: RawServer;
let secure: RawServer;
let proxy: LoopbackProxy;
const agents: Array<HttpAgent> = [];

/** create 200, get 200, get 404, get 503 then 200 (a retry): the same script on every server. */
let busyCalls = 0;
function service(req: IncomingMessage, res: ServerResponse): void {
  void readBody(req).then(() => {
    if (req.method === "POST") return sendJson(res, 200, { ...livenessBody("NotStarted"), authToken: AUTH_TOKEN });
    if (req.url?.endsWith("/missing")) return sendJson(res, 404, { error: { code: "SessionNotFound", message: "Session Id is not found." } });
    if (req.url?.endsWith("/busy") && busyCalls++ % 2 === 0) return sendJson(res, 503, { error: { code: "Busy", message: "busy" } }, { "retry-after": "0" });
    sendJson(res, 200, livenessBody("NotStarted"));
  });
}

beforeAll(async () => {
  tls = createTestCertificate();
  plain = await RawServer.start(service);
  secure = await RawServer.start(service, tls);
  proxy = await LoopbackProxy.start();
});
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  proxy.seen.length = 0;
  busyCalls = 0;
  plain.reset();
  secure.reset();
  plain.handler = service;
  secure.handler = service;
});
afterAll(async () => {
  await plain.close();
  await secure.close();
  await proxy.close();
});

type Route = "agent keep-alive on" | "agent keep-alive off" | "proxyOptions" | "HTTP(S)_PROXY environment";
interface Setup {
  readonly route: Route;
  readonly credential: "key" | "bearer";
  readonly level: AzureLogLevel;
  /** The two loggers share one enabled-namespace switch, so each run captures one of them. */
  readonly logger: "@azure/logger" | "ts-http-runtime";
}

const setups: Setup[] = [];
for (const route of ["agent keep-alive on", "agent keep-alive off", "proxyOptions", "HTTP(S)_PROXY environment"] as const) {
  for (const credential of ["key", "bearer"] as const) {
    for (const level of ["info", "verbose"] as const) {
      for (const logger of ["@azure/logger", "ts-http-runtime"] as const) setups.push({ route, credential, level, logger });
    }
  }
}

const token: TokenCredential = { getToken: async () => ({ token: BEARER, expiresOnTimestamp: Date.now() + 3_600_000 }) };

/** The client for a setup: key over http (both routes exist for it), bearer over https (required). */
function clientFor({ route, credential }: Setup): FaceSessionClient {
  const https = credential === "bearer";
  const server = https ? secure : plain;
  const options: FaceSessionClientOptions = { retryOptions: FAST_RETRY, ...(https ? { tlsOptions: { ca: tls.cert.toString() } } : {}) };
  if (route === "agent keep-alive on" || route === "agent keep-alive off") {
    const keepAlive = route === "agent keep-alive on";
    const agent = https ? new HttpsAgent({ ca: tls.cert, keepAlive }) : new HttpAgent({ keepAlive });
    agents.push(agent);
    options.agent = agent;
  }
  if (route === "proxyOptions") {
    options.proxyOptions = { host: "http://127.0.0.1", port: proxy.port, username: "proxy-user", password: PROXY_PASSWORD };
  }
  return https ? new FaceSessionClient(server.endpoint, token, options) : new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), options);
}

/** Runs `body` with `logger` at `level`, returning every line it wrote. */
async function captureLogs({ level, logger }: Setup, body: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const saved = { log: AzureLogger.log, level: getLogLevel(), runtimeLog: TypeSpecRuntimeLogger.log, runtimeLevel: getRuntimeLogLevel() };
  const capture = (...args: unknown[]): void => void lines.push(format(...args));
  if (logger === "@azure/logger") {
    AzureLogger.log = capture;
    setLogLevel(level);
  } else {
    TypeSpecRuntimeLogger.log = capture;
    setRuntimeLogLevel(level);
  }
  try {
    await body();
  } finally {
    if (logger === "@azure/logger") setLogLevel(saved.level);
    else setRuntimeLogLevel(saved.runtimeLevel);
    AzureLogger.log = saved.log;
    TypeSpecRuntimeLogger.log = saved.runtimeLog;
  }
  return lines;
}

describe("no secret in any log line, whatever the agent or proxy", () => {
  it.each(setups)("$route, $credential credential, $logger at $level", async (setup) => {
    const environment = setup.route === "HTTP(S)_PROXY environment" ? { ...NO_PROXY_ENV, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } : NO_PROXY_ENV;
    const lines = await withEnvironment(environment, () =>
      captureLogs(setup, async () => {
        const client = clientFor(setup);
        const created = await client.createLivenessSession({ livenessOperationMode: "Passive" });
        expect(created.authToken).toBe(AUTH_TOKEN);
        for (let i = 0; i < 3; i++) await client.getLivenessSessionResult(SESSION_ID);
        expect(await failureOf(() => client.getLivenessSessionResult("missing"))).toMatchObject({ statusCode: 404 });
        await client.getLivenessSessionResult("busy");
      }),
    );
    const server = setup.credential === "bearer" ? secure : plain;
    // The credential was sent, through the route under test...
    const sent = server.requests.map((r) => (setup.credential === "bearer" ? r.headers.authorization : r.headers["ocp-apim-subscription-key"]));
    expect(sent.length).toBeGreaterThanOrEqual(7);
    expect(sent.every((value) => value === (setup.credential === "bearer" ? `Bearer ${BEARER}` : KEY))).toBe(true);
    if (setup.route === "proxyOptions" || setup.route === "HTTP(S)_PROXY environment") expect(proxy.seen.length).toBeGreaterThan(0);
    else expect(proxy.seen).toHaveLength(0);
    // ...requests were logged (with the credential header redacted)...
    const log = lines.join("\n");
    if (setup.logger === "@azure/logger") {
      expect(log).toContain("Request: {");
      expect(log).toMatch(setup.credential === "bearer" ? /"authorization": "REDACTED"/i : /"ocp-apim-subscription-key": "REDACTED"/i);
    }
    // (The ts-http-runtime logger stays silent here: the retry policies log through
    // @azure/logger and our transport logs nothing. It is captured in case either changes.)
    // ...and no line holds a secret, nor any socket or agent internals.
    for (const secret of SECRETS) {
      const at = log.indexOf(secret);
      expect(at, `a log line contains a secret: ${log.slice(Math.max(0, at - 200), at + 40)}`).toBe(-1);
    }
    expect(log).not.toMatch(/_httpMessage|_header|"sockets"|freeSockets/);
  });
});
