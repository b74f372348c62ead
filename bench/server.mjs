// Minimal loopback stand-in for the Azure AI Face v1.2 liveness-session routes, used by
// `npm run bench`. It runs in its own process (forked by bench/run.mjs) so that the server's CPU
// never competes with the measured client inside one event loop.
//
// Bodies are fixed and precomputed (the v1.2 spec examples in bench/fixtures/), so the server does
// as little work per request as node:http allows. Every route checks the API-key header, so each
// contender has to send it.
//
// Routes (prefix /face/v1.2):
//   GET    /detectLiveness-sessions/{id}            spec example body (683 B JSON)
//   GET    /detectLiveness-sessions/flip-{epochMs}   NotStarted until epochMs, then Succeeded (poller bench)
//   POST   /detectLiveness-sessions                  drains the JSON body, returns the create example
//   POST   /detectLivenessWithVerify-sessions        drains multipart/form-data, checks the verifyImage part
//   GET    /sessionImages/{id}                       64 MiB application/octet-stream
// Control routes (no key): GET /__bench/cpu (process.cpuUsage), GET /__bench/count?id=... (GETs seen per id),
//   GET /__bench/uploads (bytes of the last multipart upload).
//
// Start: node bench/server.mjs [port]  (port 0 = any free port). When forked with IPC it sends
// { port } to the parent once listening.
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { readFileSync } from "node:fs";

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")).response;

const GET_BODY = Buffer.from(JSON.stringify(fixture("get-liveness-session.json")));
const CREATE_BODY = Buffer.from(JSON.stringify(fixture("create-liveness-session.json")));
const VERIFY_BODY = Buffer.from(JSON.stringify(fixture("create-liveness-with-verify-session.json")));
const succeeded = fixture("get-liveness-session.json");
const SESSION_IMAGE_BYTES = 64 * 1024 * 1024;
let sessionImage; // allocated on first use

// Headers the real service sends on a success (values are plausible, fixed).
const COMMON = [
  "apim-request-id", "3f1c8b2e-5a77-4d0e-9c41-0b6d2f7e9a10",
  "x-envoy-upstream-service-time", "12",
  "strict-transport-security", "max-age=31536000; includeSubDomains; preload",
  "x-content-type-options", "nosniff",
];
const jsonHead = (body) => ["content-type", "application/json; charset=utf-8", "content-length", String(body.length), ...COMMON];
const GET_HEAD = jsonHead(GET_BODY);
const CREATE_HEAD = jsonHead(CREATE_BODY);
const VERIFY_HEAD = jsonHead(VERIFY_BODY);

function sendJson(res, status, body) {
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(status, [...jsonHead(buf), "x-ms-error-code", String(body?.error?.code ?? "")]);
  res.end(buf);
}

const PREFIX = "/face/v1.2/";
const getCounts = new Map();
let lastUpload = { bytes: 0, ok: false };

function flipBody(id, flipAt) {
  if (Date.now() < flipAt) {
    return { ...succeeded, sessionId: id, status: "NotStarted", results: { attempts: [] } };
  }
  return { ...succeeded, sessionId: id, status: "Succeeded" };
}

function handle(req, res) {
  const url = req.url;
  if (url.startsWith("/__bench/")) return control(req, res, url);
  if (!url.startsWith(PREFIX)) return sendJson(res, 404, { error: { code: "NotFound", message: "Unknown route." } });
  if (req.headers["ocp-apim-subscription-key"] === undefined) {
    req.resume();
    return sendJson(res, 401, { error: { code: "Unspecified", message: "Access denied due to missing subscription key." } });
  }
  const path = url.slice(PREFIX.length);
  const method = req.method;
  if (method === "GET" && path.startsWith("detectLiveness-sessions/")) {
    const id = path.slice("detectLiveness-sessions/".length);
    if (id.startsWith("flip-")) {
      getCounts.set(id, (getCounts.get(id) ?? 0) + 1);
      return sendJson(res, 200, flipBody(id, Number(id.slice(5))));
    }
    res.writeHead(200, GET_HEAD);
    return res.end(GET_BODY);
  }
  if (method === "POST" && path === "detectLiveness-sessions") {
    req.on("data", noop);
    req.on("end", () => {
      res.writeHead(200, CREATE_HEAD);
      res.end(CREATE_BODY);
    });
    return;
  }
  if (method === "POST" && path === "detectLivenessWithVerify-sessions") {
    const type = req.headers["content-type"] ?? "";
    let bytes = 0;
    let head = "";
    req.on("data", (chunk) => {
      bytes += chunk.length;
      if (head.length < 65536) head += chunk.toString("latin1", 0, Math.min(chunk.length, 65536));
    });
    req.on("end", () => {
      const ok = type.startsWith("multipart/form-data") && /name="verifyImage"; filename="[^"]+"/.test(head);
      lastUpload = { bytes, ok };
      if (!ok) return sendJson(res, 400, { error: { code: "BadArgument", message: "verifyImage part with a filename is required." } });
      res.writeHead(200, VERIFY_HEAD);
      res.end(VERIFY_BODY);
    });
    return;
  }
  if (method === "GET" && path.startsWith("sessionImages/")) {
    sessionImage ??= Buffer.alloc(SESSION_IMAGE_BYTES, 0x5a);
    res.writeHead(200, ["content-type", "application/octet-stream", "content-length", String(sessionImage.length), ...COMMON]);
    return res.end(sessionImage);
  }
  req.resume();
  return sendJson(res, 404, { error: { code: "NotFound", message: `No route for ${method} ${path}.` } });
}

function control(req, res, url) {
  req.resume();
  if (url === "/__bench/cpu") return sendJson(res, 200, { ...process.cpuUsage(), at: performance.now() });
  if (url.startsWith("/__bench/count?id=")) {
    const id = decodeURIComponent(url.slice("/__bench/count?id=".length));
    return sendJson(res, 200, { id, count: getCounts.get(id) ?? 0 });
  }
  if (url === "/__bench/uploads") return sendJson(res, 200, lastUpload);
  return sendJson(res, 404, { error: { code: "NotFound", message: "Unknown control route." } });
}

function noop() {}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
// With BENCH_TLS_DIR (key.pem, cert.pem), the same routes are also served over HTTPS.
const tlsDir = process.env.BENCH_TLS_DIR;
const tlsServer = tlsDir
  ? createTlsServer({ key: readFileSync(`${tlsDir}/key.pem`), cert: readFileSync(`${tlsDir}/cert.pem`), keepAliveTimeout: 60_000 }, handle)
  : undefined;
const listening = (s, port) => new Promise((resolve) => s.listen(port, "127.0.0.1", () => resolve(s.address().port)));
const port = await listening(server, Number(process.argv[2] ?? 0));
const tlsPort = tlsServer ? await listening(tlsServer, 0) : undefined;
if (process.send) process.send({ port, tlsPort });
else console.log(`bench server on http://127.0.0.1:${port}${tlsPort ? ` and https://127.0.0.1:${tlsPort}` : ""}`);
process.on("message", (m) => {
  if (m === "stop") {
    server.closeAllConnections();
    tlsServer?.closeAllConnections();
    tlsServer?.close();
    server.close(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
