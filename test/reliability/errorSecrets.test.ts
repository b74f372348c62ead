/**
 * Secrets on every error surface, for every failure kind, with a server that echoes secrets back.
 *
 * A loopback server plays a misbehaving gateway: every error answer carries the credential the
 * request sent (API key or bearer token) and the tokens the same client received earlier (a session
 * `authToken`, a client-assets token and its base64 form) in the body's `code`, `message` and
 * `innererror`, and in `x-ms-error-code`, `apim-request-id`, `www-authenticate` and an unknown header.
 * For each failure kind (400, 401, 404, 429, 500, abort, timeout, ECONNREFUSED, ECONNRESET,
 * PARSE_ERROR of a session create, read and client-assets token) and both credential kinds, no
 * secret may appear in the error's message, stack, code, details, requestId, `String()`,
 * `JSON.stringify`, `util.inspect` (full depth, showHidden), `%o`/`%O`, nor in `error.request` and
 * `error.response` printed or serialized on their own; nor in any @azure/logger line at verbose.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { format, inspect } from "node:util";
import type { TokenCredential } from "@azure/core-auth";
import { RestError, createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { AzureLogger, getLogLevel, setLogLevel } from "@azure/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { livenessBody } from "../utils/sessions.js";
import { FAST_RETRY, RawServer, closedPort, defaultTransport, failureOf, readBody, send, sendJson, trackUnhandledRejections } from "./harness.js";

trackUnhandledRejections();

const KEY = `echo-key-${randomBytes(16).toString("hex")}`;
const BEARER = `echo-bearer-${randomBytes(24).toString("base64url")}`;
const TEST_CASE = "x-test-case";

/** Tokens the server issued, by the credential that asked for them. */
const issued = new Map<string, string[]>();
const allSecrets = new Set<string>([KEY, BEARER]);

function credentialOf(req: IncomingMessage): string {
  const key = req.headers["ocp-apim-subscription-key"];
  if (typeof key === "string") return key;
  return String(req.headers.authorization ?? "").replace(/^Bearer /, "");
}

function issue(req: IncomingMessage, ...tokens: string[]): void {
  const credential = credentialOf(req);
  issued.set(credential, [...(issued.get(credential) ?? []), ...tokens]);
  for (const token of tokens) allSecrets.add(token);
}

/** The credential this request sent and every token issued to it, in one string. */
function echo(req: IncomingMessage): string {
  const credential = credentialOf(req);
  return [credential, ...(issued.get(credential) ?? [])].join(" ");
}

function echoingError(req: IncomingMessage, res: ServerResponse, status: number, extra: Record<string, string> = {}): void {
  const secrets = echo(req);
  sendJson(
    res,
    status,
    { error: { code: secrets, message: `Rejected: ${secrets}`, innererror: { code: secrets, echoed: [secrets] } } },
    {
      "x-ms-error-code": secrets,
      "apim-request-id": secrets,
      "www-authenticate": `Bearer error="${secrets}"`,
      "x-debug-echo": secrets,
      ...extra,
    },
  );
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await readBody(req);
  const testCase = String(req.headers[TEST_CASE] ?? "");
  switch (testCase) {
    case "create": {
      const token = `session-token-${randomBytes(16).toString("hex")}`;
      issue(req, token);
      sendJson(res, 200, { ...livenessBody("NotStarted"), authToken: token }, { "apim-request-id": "req-1" });
      return;
    }
    case "assets": {
      const token = `assets-token-${randomBytes(16).toString("hex")}`;
      const base64 = Buffer.from(token).toString("base64");
      issue(req, token, base64);
      sendJson(res, 200, { accessToken: token, base64AccessToken: base64, expiry: new Date(Date.now() + 3_600_000).toISOString() });
      return;
    }
    case "400":
    case "401":
    case "404":
    case "500":
      echoingError(req, res, Number(testCase));
      return;
    case "429":
      echoingError(req, res, 429, { "retry-after": "0" });
      return;
    case "hang":
      // Never answers; the client aborts or times out.
      return;
    case "reset":
      req.socket.destroy();
      return;
    case "parse-create": {
      // A truncated session body whose first bytes hold a fresh token and the echoed secrets.
      const token = `unparsed-token-${randomBytes(16).toString("hex")}`;
      allSecrets.add(token);
      send(res, 200, `{"sessionId":"s","authToken":"${token}","echo":"${echo(req)}","status":`, {
        "content-type": "application/json",
        "apim-request-id": echo(req),
      });
      return;
    }
    case "parse-get": {
      const { status: _status, ...noStatus } = livenessBody("NotStarted");
      sendJson(res, 200, { ...noStatus, authToken: echo(req) }, { "apim-request-id": echo(req) });
      return;
    }
    case "parse-assets":
      sendJson(res, 200, { accessToken: echo(req), base64AccessToken: echo(req), expiry: "not a date" }, { "x-ms-error-code": echo(req) });
      return;
    default:
      send(res, 500, "unexpected test case");
  }
}

/** A TokenCredential over plain HTTP: the bearer policy needs an https URL, the transport rewrites it. */
const bearer: TokenCredential = { getToken: async () => ({ token: BEARER, expiresOnTimestamp: Date.now() + 3_600_000 }) };
function insecureTransport(): HttpClient {
  const inner = defaultTransport();
  return {
    sendRequest(request) {
      request.url = request.url.replace(/^https:/, "http:");
      request.allowInsecureConnection = true;
      return inner.sendRequest(request);
    },
  };
}

const kase = (name: string) => ({ requestOptions: { customHeaders: { [TEST_CASE]: name } } });

/** Every rendering of an error or of its request/response that could reach a log or a tracker. */
function surfaces(error: any): Record<string, string> {
  const full = { depth: Infinity, showHidden: true };
  const out: Record<string, string> = {
    message: String(error?.message),
    stack: String(error?.stack),
    toString: String(error),
    code: String(error?.code),
    details: JSON.stringify(error?.details) ?? "",
    requestId: String(error?.requestId),
    "JSON.stringify(error)": JSON.stringify(error) ?? "",
    "inspect(error)": inspect(error, full),
    "%o error": format("%o", error),
    "%O error": format("%O", error),
  };
  for (const part of ["request", "response"] as const) {
    const value = error?.[part];
    out[`JSON.stringify(error.${part})`] = JSON.stringify(value) ?? "";
    out[`inspect(error.${part})`] = inspect(value, full);
    out[`%o error.${part}`] = format("%o", value);
    out[`error.${part} own properties`] = inspect(Object.getOwnPropertyDescriptors(value ?? {}), full);
  }
  return out;
}

describe("no error surface carries a secret, whatever the server echoes", () => {
  let server: RawServer;
  let refusedEndpoint: string;
  const logs: string[] = [];
  let savedLog: typeof AzureLogger.log;
  const savedLevel = getLogLevel();
  const failures: { name: string; error: any }[] = [];

  beforeAll(async () => {
    server = await RawServer.start(handle);
    refusedEndpoint = `http://127.0.0.1:${await closedPort()}`;
    savedLog = AzureLogger.log;
    AzureLogger.log = (...args: unknown[]) => void logs.push(format(...args));
    setLogLevel("verbose");
    try {
      const clients = {
        key: new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { apiVersion: "v1.3-preview.1", retryOptions: FAST_RETRY }),
        bearer: new FaceSessionClient(server.endpoint.replace("http:", "https:"), bearer, {
          apiVersion: "v1.3-preview.1",
          retryOptions: FAST_RETRY,
          httpClient: insecureTransport(),
        }),
      };
      for (const [credential, client] of Object.entries(clients)) {
        const fail = async (name: string, fn: () => unknown): Promise<void> => {
          failures.push({ name: `${credential} ${name}`, error: await failureOf(fn) });
        };
        // Tokens this client received, which the server then echoes.
        await client.createLivenessSession({ livenessOperationMode: "Passive" }, kase("create"));
        await client.getClientAssetsAccessToken(kase("assets"));
        await fail("400 create", () => client.createLivenessSession({ livenessOperationMode: "Passive" }, kase("400")));
        await fail("401 read", () => client.getLivenessSessionResult("s", kase("401")));
        await fail("404 delete", () => client.deleteLivenessSession("s", kase("404")));
        await fail("404 session image", () => client.getSessionImage("i", kase("404")));
        await fail("429 read", () => client.getLivenessSessionResult("s", kase("429")));
        await fail("429 create", () => client.createLivenessSession({ livenessOperationMode: "Passive" }, kase("429")));
        await fail("500 detect", () => client.detectFromSessionImage("i", kase("500")));
        await fail("500 settings", () => client.getSettings(kase("500")));
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 100);
        await fail("abort", () => client.getLivenessSessionResult("s", { ...kase("hang"), abortSignal: controller.signal }));
        await fail("timeout", () => client.getLivenessSessionResult("s", { requestOptions: { timeout: 50, customHeaders: { [TEST_CASE]: "hang" } } }));
        await fail("ECONNRESET", () => client.getLivenessSessionResult("s", kase("reset")));
        await fail("PARSE_ERROR create", () => client.createLivenessSession({ livenessOperationMode: "Passive" }, kase("parse-create")));
        await fail("PARSE_ERROR read", () => client.getLivenessSessionResult("s", kase("parse-get")));
        await fail("PARSE_ERROR client-assets token", () => client.getClientAssetsAccessToken(kase("parse-assets")));
        await fail("wait (404)", () => client.waitForLivenessSessionResult("s", { ...kase("404"), intervalInMs: 5 }));
        const refused =
          credential === "key"
            ? new FaceSessionClient(refusedEndpoint, new AzureKeyCredential(KEY), { retryOptions: FAST_RETRY })
            : new FaceSessionClient(refusedEndpoint.replace("http:", "https:"), bearer, { retryOptions: FAST_RETRY, httpClient: insecureTransport() });
        await fail("ECONNREFUSED read", () => refused.getLivenessSessionResult("s"));
        await fail("ECONNREFUSED create", () => refused.createLivenessSession({ livenessOperationMode: "Passive" }));
      }
    } finally {
      AzureLogger.log = savedLog;
      setLogLevel(savedLevel);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it("the run produced every failure kind, with the secrets echoed", () => {
    expect(failures).toHaveLength(34);
    expect(allSecrets.size).toBeGreaterThanOrEqual(8); // key, bearer, 2 × (session, assets, base64), unparsed tokens
    const codes = new Set(failures.map((f) => f.error?.code));
    for (const code of ["ETIMEDOUT", "ECONNRESET", "ECONNREFUSED", "PARSE_ERROR"]) expect(codes).toContain(code);
    const statuses = new Set(failures.map((f) => f.error?.statusCode));
    for (const status of [400, 401, 404, 429, 500]) expect(statuses).toContain(status);
    expect(failures.filter((f) => f.error?.name === "AbortError")).toHaveLength(2);
  });

  it("no secret in message, stack, code, details, requestId, JSON, inspect, %o, request or response", () => {
    const hits = new Set<string>();
    for (const { name, error } of failures) {
      for (const [surface, text] of Object.entries(surfaces(error))) {
        for (const secret of allSecrets) if (text.includes(secret)) hits.add(`${name}: ${surface}`);
      }
    }
    expect([...hits]).toEqual([]);
    const perError = Object.keys(surfaces(failures[0]!.error)).length;
    console.log(`[reliability] error renderings checked: ${failures.length} failures × ${perError} surfaces × ${allSecrets.size} secrets, hits: ${hits.size}`);
  });

  it("echoed secrets become REDACTED, and the rest of the error stays useful", () => {
    const notFound = failures.find((f) => f.name === "key 404 delete")!.error;
    expect(notFound).toMatchObject({ name: "RestError", statusCode: 404, code: "REDACTED REDACTED REDACTED REDACTED", requestId: "REDACTED REDACTED REDACTED REDACTED" });
    expect(notFound.message).toBe("REDACTED REDACTED REDACTED REDACTED: Rejected: REDACTED REDACTED REDACTED REDACTED");
    expect(notFound.details.error.innererror.echoed).toEqual(["REDACTED REDACTED REDACTED REDACTED"]);
    expect(notFound.request).toMatchObject({ method: "DELETE", url: `${server.endpoint}/face/v1.3-preview.1/detectLiveness-sessions/s` });
    expect(notFound.request.headers.get("ocp-apim-subscription-key")).toBe("REDACTED");
    expect(notFound.request.headers.get("x-ms-client-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(notFound.response.status).toBe(404);
    expect(notFound.response.headers.get("x-debug-echo")).toBe("REDACTED"); // not an allowed header
    expect(notFound.response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(notFound.response.request).toBe(notFound.request);
    const throttled = failures.find((f) => f.name === "bearer 429 read")!.error;
    expect(throttled.request.headers.get("authorization")).toBe("REDACTED");
    expect(throttled.response.headers.get("retry-after")).toBe("0");
    // A session body that could not be parsed is never attached.
    const parse = failures.find((f) => f.name === "key PARSE_ERROR create")!.error;
    expect(parse.response.bodyAsText).toBeUndefined();
    expect(parse.response.status).toBe(200);
  });

  it("a transport error carrying the request and a partial response (as a body cap reports it) is redacted too", async () => {
    const token = `capped-token-${randomBytes(16).toString("hex")}`;
    const transport: HttpClient = {
      async sendRequest(request) {
        const headers = createHttpHeaders({ "content-type": "application/json", "apim-request-id": KEY });
        if (request.method === "POST") return { request, status: 200, headers, bodyAsText: JSON.stringify({ ...livenessBody("NotStarted"), authToken: token }) };
        const response = { request, status: 200, headers, bodyAsText: `{"authToken":"${token}","key":"${KEY}"` };
        throw new RestError(`The response body exceeded the limit (${KEY})`, { code: "RESPONSE_TOO_LARGE", request, response });
      },
    };
    const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { httpClient: transport, retryOptions: FAST_RETRY });
    await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const error = await failureOf(() => client.getLivenessSessionResult("s"));
    expect(error).toMatchObject({ name: "RestError", code: "RESPONSE_TOO_LARGE", message: "The response body exceeded the limit (REDACTED)" });
    expect(error.response.bodyAsText).toBeUndefined();
    const hits = Object.entries(surfaces(error)).filter(([, text]) => text.includes(KEY) || text.includes(token));
    expect(hits.map(([surface]) => surface)).toEqual([]);
  });

  it("no secret in any log line at verbose, though the echoed headers were logged", () => {
    const text = logs.join("\n");
    expect(text).toMatch(/"apim-request-id": "REDACTED/);
    expect(text).toMatch(/"x-ms-error-code": "REDACTED/);
    expect(text).toMatch(/failed: HTTP 404 REDACTED/);
    const hits = logs.filter((line) => [...allSecrets].some((secret) => line.includes(secret)));
    expect(hits).toEqual([]);
    console.log(`[reliability] log lines checked: ${logs.length}, hits: ${hits.length}`);
  });
});
