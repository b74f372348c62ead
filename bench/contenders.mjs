// The four HTTP clients compared by the throughput benchmark, each doing the same work per
// operation: send the request (with the API key), read the whole response, parse the JSON.
import { createRequire } from "node:module";
import http from "node:http";
import https from "node:https";

const require = createRequire(import.meta.url);

export const CONTENDERS = ["this", "official", "raw", "fetch"];
/**
 * What-if contenders, run for GET at concurrency 16 only, to split the gap between this client and
 * raw node:http into layers (see bench/RESULTS.md "Where the gap goes"):
 *   pipeline-lean    empty core-rest-pipeline Pipeline + API-key policy + default HttpClient, JSON.parse
 *   pipeline-default createPipelineFromOptions({}) (all default policies) + API-key policy, JSON.parse
 *   this-leanhttp    this client unchanged, but with `httpClient:` a ~40-line node:http HttpClient
 */
export const DIAGNOSTICS = ["pipeline-lean", "pipeline-default", "this-leanhttp"];
export const LABELS = {
  this: "azure-face-liveness (this)",
  before: "azure-face-liveness at BENCH_BEFORE_PATH (an earlier build)",
  "this-node": "azure-face-liveness over its node:http transport (a caller's agent)",
  undici: "undici Agent.dispatch (floor of this client's transport)",
  official: "@azure-rest/ai-vision-face",
  raw: "node:http keep-alive (floor)",
  fetch: "global fetch (undici)",
  "pipeline-lean": "what-if: bare Pipeline + default HttpClient",
  "pipeline-default": "what-if: default policies + default HttpClient",
  "this-leanhttp": "what-if: this client + lean node:http HttpClient",
};

/**
 * A minimal core-rest-pipeline HttpClient over node:http with a keep-alive agent: buffered
 * bodies only (no streaming, abort, proxy, TLS options or decompression). Used only to measure
 * what the default HttpClient costs.
 */
export function leanHttpClient() {
  const { createHttpHeaders } = require("@azure/core-rest-pipeline");
  const agent = new http.Agent({ keepAlive: true });
  return {
    sendRequest(request) {
      return new Promise((resolve, reject) => {
        const url = new URL(request.url);
        const req = http.request(
          { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method, headers: request.headers.toJSON({ preserveCase: true }) },
          (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => {
              const headers = createHttpHeaders();
              const raw = res.rawHeaders;
              for (let i = 0; i < raw.length; i += 2) headers.set(raw[i], raw[i + 1]);
              const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
              resolve({ request, status: res.statusCode, headers, bodyAsText: body.toString("utf8") });
            });
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(typeof request.body === "string" ? request.body : undefined);
      });
    },
  };
}

export const SESSION_ID = "b12e033e-bda7-4b83-a211-e721c661f30e";
export const CREATE_CONTENT = {
  livenessOperationMode: "Passive",
  deviceCorrelationIdSetInClient: false,
  deviceCorrelationId: "your_device_correlation_id",
  authTokenTimeToLiveInSeconds: 60,
};
const KEY = "k";

/** Loads our built package (CommonJS entry); BENCH_CLIENT_PATH can point at another build to compare. */
export function loadThis() {
  return require(process.env.BENCH_CLIENT_PATH ?? "../dist/index.js");
}

/** Loads the official REST-level client (CommonJS entry). */
export function loadOfficial() {
  const mod = require("@azure-rest/ai-vision-face");
  return { createFaceClient: mod.default, isUnexpected: mod.isUnexpected };
}

function check(value, what) {
  if (value?.sessionId !== SESSION_ID) throw new Error(`${what}: unexpected body ${JSON.stringify(value).slice(0, 200)}`);
  return value;
}

/**
 * Returns `{ get(), create() }` for a contender: each call performs one full operation and
 * resolves with the parsed session.
 */
export function createContender(name, endpoint) {
  switch (name) {
    case "before":
    case "this": {
      const { FaceSessionClient, AzureKeyCredential } = name === "before" ? require(process.env.BENCH_BEFORE_PATH) : loadThis();
      const client = new FaceSessionClient(endpoint, new AzureKeyCredential(KEY));
      return {
        get: async () => check(await client.getLivenessSessionResult(SESSION_ID), name),
        create: async () => check(await client.createLivenessSession(CREATE_CONTENT), name),
      };
    }
    case "this-node": {
      // This client with a caller's keep-alive agent: the same client over its node:http transport.
      const { FaceSessionClient, AzureKeyCredential } = loadThis();
      const agent = new (new URL(endpoint).protocol === "https:" ? https : http).Agent({ keepAlive: true });
      const client = new FaceSessionClient(endpoint, new AzureKeyCredential(KEY), { agent });
      return {
        get: async () => check(await client.getLivenessSessionResult(SESSION_ID), name),
        create: async () => check(await client.createLivenessSession(CREATE_CONTENT), name),
      };
    }
    case "undici": {
      // The floor of this client's transport: undici's Agent.dispatch, the body buffered and parsed.
      const Agent = require("undici/lib/dispatcher/agent.js");
      const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });
      const origin = new URL(endpoint).origin;
      const getHeaders = { accept: "application/json", "ocp-apim-subscription-key": KEY };
      const body = JSON.stringify(CREATE_CONTENT);
      const send = (method, path, headers, payload) =>
        new Promise((resolve, reject) => {
          const chunks = [];
          let status = 0;
          agent.dispatch({ origin, path, method, headers, body: payload }, {
            onRequestStart() {},
            onResponseStart(_c, statusCode) { status = statusCode; },
            onResponseData(_c, chunk) { chunks.push(chunk); },
            onResponseEnd() {
              if (status !== 200) return reject(new Error(`undici: HTTP ${status}`));
              try { resolve(JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString())); } catch (e) { reject(e); }
            },
            onResponseError(_c, error) { reject(error); },
          });
        });
      return {
        get: async () => check(await send("GET", `/face/v1.2/detectLiveness-sessions/${SESSION_ID}`, getHeaders), name),
        create: async () =>
          check(await send("POST", "/face/v1.2/detectLiveness-sessions", { ...getHeaders, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }, body), name),
      };
    }
    case "official": {
      const { createFaceClient, isUnexpected } = loadOfficial();
      const { AzureKeyCredential } = require("@azure/core-auth");
      // Same credential, pipeline defaults; allowInsecureConnection only because the server is http on loopback.
      const client = createFaceClient(endpoint, new AzureKeyCredential(KEY), { apiVersion: "v1.2", allowInsecureConnection: true });
      return {
        get: async () => {
          const r = await client.path("/detectLiveness-sessions/{sessionId}", SESSION_ID).get();
          if (isUnexpected(r)) throw new Error(`official: HTTP ${r.status}`);
          return check(r.body, name);
        },
        create: async () => {
          const r = await client.path("/detectLiveness-sessions").post({ body: CREATE_CONTENT });
          if (isUnexpected(r)) throw new Error(`official: HTTP ${r.status}`);
          return check(r.body, name);
        },
      };
    }
    case "raw": {
      const url = new URL(endpoint);
      const transport = url.protocol === "https:" ? https : http;
      const agent = new transport.Agent({ keepAlive: true });
      const base = { host: url.hostname, port: Number(url.port), agent };
      const getHeaders = { accept: "application/json", "ocp-apim-subscription-key": KEY };
      const request = (options, body) =>
        new Promise((resolve, reject) => {
          const req = transport.request(options, (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => {
              if (res.statusCode !== 200) return reject(new Error(`raw: HTTP ${res.statusCode}`));
              try {
                resolve(JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString()));
              } catch (e) {
                reject(e);
              }
            });
            res.on("error", reject);
          });
          req.on("error", reject);
          req.end(body);
        });
      return {
        get: async () =>
          check(await request({ ...base, method: "GET", path: `/face/v1.2/detectLiveness-sessions/${SESSION_ID}`, headers: getHeaders }), name),
        create: async () => {
          const body = JSON.stringify(CREATE_CONTENT);
          const headers = {
            ...getHeaders,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          };
          return check(await request({ ...base, method: "POST", path: "/face/v1.2/detectLiveness-sessions", headers }, body), name);
        },
      };
    }
    case "fetch": {
      const headers = { accept: "application/json", "ocp-apim-subscription-key": KEY };
      return {
        get: async () => {
          const r = await fetch(`${endpoint}/face/v1.2/detectLiveness-sessions/${SESSION_ID}`, { headers });
          if (r.status !== 200) throw new Error(`fetch: HTTP ${r.status}`);
          return check(await r.json(), name);
        },
        create: async () => {
          const r = await fetch(`${endpoint}/face/v1.2/detectLiveness-sessions`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify(CREATE_CONTENT),
          });
          if (r.status !== 200) throw new Error(`fetch: HTTP ${r.status}`);
          return check(await r.json(), name);
        },
      };
    }
    case "this-leanhttp": {
      const { FaceSessionClient, AzureKeyCredential } = loadThis();
      const client = new FaceSessionClient(endpoint, new AzureKeyCredential(KEY), { httpClient: leanHttpClient() });
      return {
        get: async () => check(await client.getLivenessSessionResult(SESSION_ID), name),
        create: async () => check(await client.createLivenessSession(CREATE_CONTENT), name),
      };
    }
    case "pipeline-lean":
    case "pipeline-default": {
      const crp = require("@azure/core-rest-pipeline");
      const pipeline = name === "pipeline-lean" ? crp.createEmptyPipeline() : crp.createPipelineFromOptions({});
      pipeline.addPolicy(
        { name: "apiKey", sendRequest: (request, next) => (request.headers.set("Ocp-Apim-Subscription-Key", KEY), next(request)) },
        { phase: "Sign" },
      );
      const httpClient = crp.createDefaultHttpClient();
      const send = async (method, path, body) => {
        const headers = crp.createHttpHeaders({ accept: "application/json" });
        if (body !== undefined) headers.set("content-type", "application/json");
        const request = crp.createPipelineRequest({ url: `${endpoint}/face/v1.2${path}`, method, headers, body, allowInsecureConnection: true });
        const response = await pipeline.sendRequest(httpClient, request);
        if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
        return check(JSON.parse(response.bodyAsText), name);
      };
      return {
        get: () => send("GET", `/detectLiveness-sessions/${SESSION_ID}`),
        create: () => send("POST", "/detectLiveness-sessions", JSON.stringify(CREATE_CONTENT)),
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}
