/**
 * The client's own transport over real loopback sockets: keep-alive, aborts at every stage,
 * error codes, HTTPS with a custom CA (`tlsOptions`, `agent`, `NODE_EXTRA_CA_CERTS`), proxies
 * (`HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` in the environment, `proxyOptions` with
 * credentials) through a loopback proxy, streamed downloads and multipart uploads through a
 * CONNECT tunnel.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceSessionClientOptions } from "../../src/index.js";
import { IMAGE_ID, SESSION_ID, livenessBody, withVerifyBody } from "../utils/sessions.js";
import { LoopbackProxy, withEnvironment } from "../utils/loopbackProxy.js";
import { createTestCertificate } from "../utils/tlsCertificate.js";
import { FAST_RETRY, RawServer, TRANSPORTS, closedPort, failureOf, readBody, send, sendJson, trackUnhandledRejections, waitUntil } from "./harness.js";
import { FACE_JPG } from "./rawOps.js";

trackUnhandledRejections();

const KEY = "transport-test-key";
const NO_PROXY_ENV = { HTTPS_PROXY: undefined, HTTP_PROXY: undefined, ALL_PROXY: undefined, NO_PROXY: undefined };
let tls: { key: Buffer; cert: Buffer };
let plain: RawServer;
let secure: RawServer;
let proxy: LoopbackProxy;

beforeAll(async () => {
  tls = createTestCertificate();
  plain = await RawServer.start();
  secure = await RawServer.start(undefined, tls);
  proxy = await LoopbackProxy.start();
});
afterEach(() => {
  plain.reset();
  secure.reset();
  proxy.seen.length = 0;
});
afterAll(async () => {
  await plain.close();
  await secure.close();
  await proxy.close();
});

const answerSession = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): void =>
  void readBody(req).then(() => sendJson(res, 200, livenessBody("NotStarted")));

function clientOf(server: RawServer, options: FaceSessionClientOptions = {}): FaceSessionClient {
  return new FaceSessionClient(server.endpoint, new AzureKeyCredential(KEY), { retryOptions: { ...FAST_RETRY, maxRetries: 0 }, ...options });
}
const client = clientOf;


describe("connections", () => {
  it("keep-alive by default (undici): ten sequential requests use at most two connections, the next ten none", async () => {
    // undici waits one event-loop turn before it reuses a connection (in case a server closes it
    // despite keep-alive), so a request sent in the turn its predecessor ended opens a second one.
    plain.handler = answerSession;
    const c = client(plain);
    for (let i = 0; i < 10; i++) await c.getLivenessSessionResult(SESSION_ID);
    const opened = plain.connections;
    expect(opened).toBeGreaterThanOrEqual(1);
    expect(opened).toBeLessThanOrEqual(2);
    for (let i = 0; i < 10; i++) await c.getLivenessSessionResult(SESSION_ID);
    expect(plain.connections).toBe(opened);
  });

  it("keep-alive over node:http (a caller's keep-alive agent): ten sequential requests share one connection", async () => {
    plain.handler = answerSession;
    const agent = new HttpAgent({ keepAlive: true });
    const c = client(plain, { agent });
    for (let i = 0; i < 10; i++) await c.getLivenessSessionResult(SESSION_ID);
    expect(plain.connections).toBe(1);
    agent.destroy();
  });

  it("an `agent` option is used as given (keep-alive off: one connection per request)", async () => {
    plain.handler = answerSession;
    const agent = new HttpAgent({ keepAlive: false });
    const c = client(plain, { agent });
    for (let i = 0; i < 3; i++) await c.getLivenessSessionResult(SESSION_ID);
    expect(plain.connections).toBe(3);
    agent.destroy();
  });
});

for (const [transport, transportOptions] of TRANSPORTS) {
  describe(`error codes and aborts over ${transport}`, () => {
    const client = (server: RawServer, options: FaceSessionClientOptions = {}): FaceSessionClient =>
      clientOf(server, { ...transportOptions(), ...options });

    it("a refused connection fails with code ECONNREFUSED", async () => {
      const port = await closedPort();
      const c = new FaceSessionClient(`http://127.0.0.1:${port}`, new AzureKeyCredential(KEY), { ...transportOptions(), retryOptions: { maxRetries: 0 } });
      expect(await failureOf(() => c.getLivenessSessionResult(SESSION_ID))).toMatchObject({ name: "RestError", code: "ECONNREFUSED" });
    });

    it("a connection closed before the head fails with code ECONNRESET", async () => {
      plain.handler = (req) => void readBody(req).then(() => req.socket.destroy());
      expect(await failureOf(() => client(plain).getLivenessSessionResult(SESSION_ID))).toMatchObject({ name: "RestError", code: "ECONNRESET" });
    });

    describe("abort at any point", () => {
      it("before sending: AbortError, nothing sent", async () => {
        plain.handler = answerSession;
        const error = await failureOf(() => client(plain).getLivenessSessionResult(SESSION_ID, { abortSignal: AbortSignal.abort() }));
        expect(error.name).toBe("AbortError");
        expect(plain.requests).toHaveLength(0);
      });

      it("while the head is awaited: AbortError, connection closed", async () => {
        plain.handler = () => undefined;
        const controller = new AbortController();
        const pending = failureOf(() => client(plain).getLivenessSessionResult(SESSION_ID, { abortSignal: controller.signal }));
        await waitUntil(() => plain.requests.length === 1, "the request to arrive");
        controller.abort();
        expect((await pending).name).toBe("AbortError");
        await plain.expectClientClosedAll();
      });

      it("while a buffered body arrives: AbortError, connection closed", async () => {
        plain.handler = (req, res) =>
          void readBody(req).then(() => {
            res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
            res.write("{");
          });
        const controller = new AbortController();
        const pending = failureOf(() => client(plain).getLivenessSessionResult(SESSION_ID, { abortSignal: controller.signal }));
        await waitUntil(() => plain.requests.length === 1, "the request to arrive");
        setTimeout(() => controller.abort(), 50);
        expect((await pending).name).toBe("AbortError");
        await plain.expectClientClosedAll();
      });

      it("while a streamed image is read: the stream fails with AbortError, connection closed", async () => {
        plain.handler = (req, res) =>
          void readBody(req).then(() => {
            res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(FACE_JPG.length) });
            res.write(FACE_JPG.subarray(0, 100));
          });
        const controller = new AbortController();
        const image = await client(plain).getSessionImage(IMAGE_ID, { abortSignal: controller.signal });
        const reading = failureOf(() => image.bytes());
        controller.abort();
        expect((await reading).name).toBe("AbortError");
        await plain.expectClientClosedAll();
      });
    });
  });
}

describe("HTTPS with a custom CA", () => {
  it("tlsOptions.ca trusts a self-signed loopback certificate; without it the handshake fails with the TLS code", async () => {
    secure.handler = answerSession;
    const session = await client(secure, { tlsOptions: { ca: tls.cert.toString() } }).getLivenessSessionResult(SESSION_ID);
    expect(session.sessionId).toBe(SESSION_ID);
    const error = await failureOf(() => client(secure).getLivenessSessionResult(SESSION_ID));
    expect(error).toMatchObject({ name: "RestError", code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) });
  });

  it("an https.Agent given as `agent` (with its own CA) is used", async () => {
    secure.handler = answerSession;
    const agent = new HttpsAgent({ ca: tls.cert, keepAlive: true });
    const c = client(secure, { agent });
    for (let i = 0; i < 3; i++) await c.getLivenessSessionResult(SESSION_ID);
    expect(secure.connections).toBe(1);
    agent.destroy();
  });

  it("NODE_EXTRA_CA_CERTS is honoured (built package, fresh process)", async () => {
    const dist = resolve(__dirname, "..", "..", "dist", "index.js");
    expect(existsSync(dist), "run `npm run build` first").toBe(true);
    secure.handler = answerSession;
    const dir = mkdtempSync(join(tmpdir(), "face-extra-ca-"));
    try {
      writeFileSync(join(dir, "ca.pem"), tls.cert);
      const script = `const { FaceSessionClient, AzureKeyCredential } = require(${JSON.stringify(dist)});
        new FaceSessionClient(${JSON.stringify(secure.endpoint)}, new AzureKeyCredential("k"), { retryOptions: { maxRetries: 0 } })
          .getLivenessSessionResult(${JSON.stringify(SESSION_ID)}).then((s) => console.log(s.sessionId), (e) => { console.log("failed " + e.code); process.exitCode = 1; });`;
      // Asynchronously: the server answering it runs in this process.
      const { stdout: output } = await promisify(execFile)(process.execPath, ["-e", script], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), ...Object.fromEntries(Object.keys(NO_PROXY_ENV).map((k) => [k, ""])) },
        encoding: "utf8",
      });
      expect(output.trim()).toBe(SESSION_ID);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("proxies", () => {
  it("HTTP_PROXY in the environment: an http request is forwarded by the proxy (absolute URL)", async () => {
    plain.handler = answerSession;
    await withEnvironment({ ...NO_PROXY_ENV, HTTP_PROXY: proxy.url }, async () => {
      await client(plain).getLivenessSessionResult(SESSION_ID);
    });
    expect(proxy.seen).toEqual([expect.objectContaining({ kind: "forward", target: `${plain.endpoint}/face/v1.2/detectLiveness-sessions/${SESSION_ID}` })]);
    expect(plain.requests[0]!.headers["ocp-apim-subscription-key"]).toBe(KEY);
  });

  it("HTTPS_PROXY in the environment: https goes through one CONNECT tunnel, kept alive, with the custom CA", async () => {
    secure.handler = answerSession;
    await withEnvironment({ ...NO_PROXY_ENV, HTTPS_PROXY: proxy.url }, async () => {
      const c = client(secure, { tlsOptions: { ca: tls.cert.toString() } });
      for (let i = 0; i < 3; i++) await c.getLivenessSessionResult(SESSION_ID);
    });
    expect(proxy.seen).toEqual([expect.objectContaining({ kind: "connect", target: `127.0.0.1:${secure.port}` })]);
    expect(secure.requests).toHaveLength(3);
  });

  it("NO_PROXY bypasses the proxy for a listed host", async () => {
    plain.handler = answerSession;
    await withEnvironment({ ...NO_PROXY_ENV, HTTP_PROXY: proxy.url, NO_PROXY: "example.com, 127.0.0.1" }, async () => {
      await client(plain).getLivenessSessionResult(SESSION_ID);
    });
    expect(proxy.seen).toHaveLength(0);
    expect(plain.requests).toHaveLength(1);
  });

  it("proxyOptions with credentials: Proxy-Authorization reaches the proxy, never the service", async () => {
    secure.handler = answerSession;
    await withEnvironment(NO_PROXY_ENV, async () => {
      const c = client(secure, {
        tlsOptions: { ca: tls.cert.toString() },
        proxyOptions: { host: "http://127.0.0.1", port: proxy.port, username: "user", password: "p@ss" },
      });
      await c.getLivenessSessionResult(SESSION_ID);
    });
    expect(proxy.seen[0]).toMatchObject({ kind: "connect", headers: { "proxy-authorization": `Basic ${Buffer.from("user:p@ss").toString("base64")}` } });
    expect(secure.requests[0]!.headers["proxy-authorization"]).toBeUndefined();
  });

  it("a tunnel the proxy refuses fails with code EPROXY and the proxy's status", async () => {
    await withEnvironment({ ...NO_PROXY_ENV, HTTPS_PROXY: proxy.url }, async () => {
      const c = new FaceSessionClient("https://localhost:9", new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
      expect(await failureOf(() => c.getLivenessSessionResult(SESSION_ID))).toMatchObject({ name: "RestError", code: "EPROXY", statusCode: 403 });
    });
  });

  it("through the tunnel: a multipart create uploads the image byte for byte, and a session image streams back", async () => {
    let uploaded: Buffer = Buffer.alloc(0);
    secure.handler = (req, res) =>
      void readBody(req).then((body) => {
        if (req.method === "POST") {
          uploaded = body;
          return sendJson(res, 200, { ...withVerifyBody("NotStarted"), authToken: "tok", verifyReferences: [] });
        }
        send(res, 200, FACE_JPG, { "content-type": "application/octet-stream" });
      });
    await withEnvironment({ ...NO_PROXY_ENV, HTTPS_PROXY: proxy.url }, async () => {
      const c = client(secure, { tlsOptions: { ca: tls.cert.toString() } });
      await c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG }).catch(() => undefined);
      const image = await c.getSessionImage(IMAGE_ID);
      expect(Buffer.from(await image.bytes()).equals(FACE_JPG)).toBe(true);
    });
    expect(secure.requests[0]!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploaded.includes(FACE_JPG)).toBe(true);
    expect(proxy.seen.every((seen) => seen.kind === "connect")).toBe(true);
  });
});
