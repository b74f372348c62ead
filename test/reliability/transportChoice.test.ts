/**
 * Which transport carries a request. Direct requests on Node go through undici; requests through
 * a caller's `agent` or a proxy, and every request while node:http is intercepted (msw and nock
 * replace `http.request`), go through node:http, so that interceptors keep working. The two are
 * told apart on the wire: undici sends `host` first and in lower case, node:http sends `Host` last.
 */
import http, { Agent as HttpAgent, type IncomingMessage } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceSessionClientOptions } from "../../src/index.js";
import { nodeHttpIsIntercepted, undiciRunsHere } from "../../src/http/faceHttpClient.js";
import { SESSION_ID, livenessBody } from "../utils/sessions.js";
import { LoopbackProxy, withEnvironment } from "../utils/loopbackProxy.js";

const seen: string[][] = [];
const server = http.createServer((req: IncomingMessage, res) => {
  seen.push(req.rawHeaders);
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(livenessBody("NotStarted")));
  });
});
let endpoint = "";
let proxy: LoopbackProxy;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy = await LoopbackProxy.start();
});
afterEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await proxy.close();
});

const NO_PROXY_ENV = { HTTPS_PROXY: undefined, HTTP_PROXY: undefined, ALL_PROXY: undefined, NO_PROXY: undefined };

/** Makes one GET and names the transport that carried it, from the head the server received. */
async function transportOf(options: FaceSessionClientOptions = {}): Promise<"undici" | "node:http"> {
  const client = new FaceSessionClient(endpoint, new AzureKeyCredential("k"), { retryOptions: { maxRetries: 0 }, ...options });
  expect((await client.getLivenessSessionResult(SESSION_ID)).sessionId).toBe(SESSION_ID);
  const head = seen.at(-1)!;
  if (head[0] === "host") return "undici";
  expect(head.at(-4)).toBe("Host");
  return "node:http";
}

describe("the transport of a request", () => {
  it("direct requests go through undici", async () => {
    await withEnvironment(NO_PROXY_ENV, async () => {
      expect(await transportOf()).toBe("undici");
      expect(await transportOf({ tlsOptions: {} })).toBe("undici");
    });
  });

  it("a caller's agent takes node:http; proxyOptions and HTTP_PROXY the proxy; NO_PROXY for the host undici again", async () => {
    const agent = new HttpAgent({ keepAlive: true });
    const { hostname, port } = new URL(proxy.url);
    const client = (options: FaceSessionClientOptions = {}): FaceSessionClient =>
      new FaceSessionClient(endpoint, new AzureKeyCredential("k"), { retryOptions: { maxRetries: 0 }, ...options });
    await withEnvironment(NO_PROXY_ENV, async () => {
      expect(await transportOf({ agent })).toBe("node:http");
      await client({ proxyOptions: { host: `http://${hostname}`, port: Number(port) } }).getLivenessSessionResult(SESSION_ID);
      expect(proxy.seen).toHaveLength(1);
    });
    await withEnvironment({ ...NO_PROXY_ENV, HTTP_PROXY: proxy.url }, async () => {
      await client().getLivenessSessionResult(SESSION_ID);
      expect(proxy.seen).toHaveLength(2);
    });
    await withEnvironment({ ...NO_PROXY_ENV, HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }, async () => {
      expect(await transportOf()).toBe("undici");
      expect(proxy.seen).toHaveLength(2);
    });
    agent.destroy();
  });

  it("while http.request is wrapped in a Proxy (as msw does), requests go through it; unwrapped, through undici again", async () => {
    const original = http.request;
    let calls = 0;
    const client = new FaceSessionClient(endpoint, new AzureKeyCredential("k"), { retryOptions: { maxRetries: 0 } });
    await withEnvironment(NO_PROXY_ENV, async () => {
      await client.getLivenessSessionResult(SESSION_ID);
      expect(seen.at(-1)![0]).toBe("host");
      // Installed after the client was made, as a test's beforeAll would.
      http.request = new Proxy(original, { apply: (target, self, args) => (calls++, Reflect.apply(target, self, args)) });
      try {
        expect(nodeHttpIsIntercepted()).toBe(true);
        await client.getLivenessSessionResult(SESSION_ID);
        expect(calls).toBe(1);
        expect(seen.at(-1)!.at(-4)).toBe("Host");
      } finally {
        http.request = original;
      }
      expect(nodeHttpIsIntercepted()).toBe(false);
      await client.getLivenessSessionResult(SESSION_ID);
      expect(calls).toBe(1);
      expect(seen.at(-1)![0]).toBe("host");
    });
  });

  it("while https.request or ClientRequest is replaced by a plain function (as nock does), node:http is used", async () => {
    const originalRequest = https.request;
    const originalClientRequest = http.ClientRequest;
    https.request = function (...args: unknown[]) {
      return Reflect.apply(originalRequest, https, args);
    } as typeof https.request;
    try {
      expect(nodeHttpIsIntercepted()).toBe(true);
      await withEnvironment(NO_PROXY_ENV, async () => expect(await transportOf()).toBe("node:http"));
    } finally {
      https.request = originalRequest;
    }
    (http as { ClientRequest: unknown }).ClientRequest = class extends originalClientRequest {};
    try {
      expect(nodeHttpIsIntercepted()).toBe(true);
    } finally {
      (http as { ClientRequest: unknown }).ClientRequest = originalClientRequest;
    }
    expect(nodeHttpIsIntercepted()).toBe(false);
  });

  it.each([
    [{ node: "20.18.1" }, true],
    [{ node: "20.20.2" }, true],
    [{ node: "22.0.0" }, true],
    [{ node: "24.11.1" }, true],
    [{ node: "20.18.0" }, false],
    [{ node: "20.9.0" }, false],
    [{ node: "1.2.5", bun: "1.4.5" }, false],
    [{ node: "24.2.0", deno: "2.9.6" }, false],
  ])("undici is used on %o: %s", (versions, expected) => {
    expect(undiciRunsHere(versions as unknown as NodeJS.ProcessVersions)).toBe(expected);
  });
});
