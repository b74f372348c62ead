// Client-side CPU cost per operation with no I/O at all, in a fresh process:
//   node bench/inprocess.mjs <contender> [durationMs]
// contender: this | official | pipeline-default | pipeline-lean
// Every contender gets the same fake HttpClient that answers at once with the GET example body
// and the server's headers, so what is measured is only the code between the caller and the
// socket: client logic, pipeline policies, request/response objects, JSON parsing. 16 loops run
// concurrently (like c=16). Prints { contender, usPerOp, ops }.
// BENCH_CLIENT_PATH=/path/to/index.js loads "this" from elsewhere (to try a patched build).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const [contender, durationArg] = process.argv.slice(2);
const durationMs = Number(durationArg ?? 800);
const crp = require("@azure/core-rest-pipeline");
const { AzureKeyCredential } = require("@azure/core-auth");
const SESSION_ID = "b12e033e-bda7-4b83-a211-e721c661f30e";
const BODY = JSON.stringify(JSON.parse(readFileSync(new URL("./fixtures/get-liveness-session.json", import.meta.url), "utf8")).response);
const endpoint = "http://127.0.0.1:1";

const RESPONSE_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "content-length": String(Buffer.byteLength(BODY)),
  "apim-request-id": "3f1c8b2e-5a77-4d0e-9c41-0b6d2f7e9a10",
  "x-envoy-upstream-service-time": "12",
  "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
  "x-content-type-options": "nosniff",
  date: new Date().toUTCString(),
  connection: "keep-alive",
  "keep-alive": "timeout=60",
};
const httpClient = {
  async sendRequest(request) {
    if (!request.headers.get("ocp-apim-subscription-key")) throw new Error("no key");
    return { request, status: 200, headers: crp.createHttpHeaders(RESPONSE_HEADERS), bodyAsText: BODY };
  },
};

function make() {
  switch (contender) {
    case "this": {
      const mod = require(process.env.BENCH_CLIENT_PATH ?? "../dist/index.js");
      const client = new mod.FaceSessionClient(endpoint, new mod.AzureKeyCredential("k"), { httpClient });
      return () => client.getLivenessSessionResult(SESSION_ID);
    }
    case "official": {
      const { default: createFaceClient, isUnexpected } = require("@azure-rest/ai-vision-face");
      const client = createFaceClient(endpoint, new AzureKeyCredential("k"), { apiVersion: "v1.2", allowInsecureConnection: true, httpClient });
      return async () => {
        const r = await client.path("/detectLiveness-sessions/{sessionId}", SESSION_ID).get();
        if (isUnexpected(r)) throw new Error("unexpected");
        return r.body;
      };
    }
    case "pipeline-default":
    case "pipeline-lean": {
      const pipeline = contender === "pipeline-lean" ? crp.createEmptyPipeline() : crp.createPipelineFromOptions({});
      pipeline.addPolicy({ name: "apiKey", sendRequest: (req, next) => (req.headers.set("Ocp-Apim-Subscription-Key", "k"), next(req)) }, { phase: "Sign" });
      return async () => {
        const request = crp.createPipelineRequest({
          url: `${endpoint}/face/v1.2/detectLiveness-sessions/${SESSION_ID}`,
          headers: crp.createHttpHeaders({ accept: "application/json" }),
          allowInsecureConnection: true,
        });
        const response = await pipeline.sendRequest(httpClient, request);
        return JSON.parse(response.bodyAsText);
      };
    }
    default:
      throw new Error(`unknown contender ${contender}`);
  }
}

const op = make();
let stop = false;
let ops = 0;
// Without I/O everything resolves through microtasks, so each loop yields to the event loop every
// 64 operations (otherwise the stop timer could never fire).
async function loop() {
  while (!stop) {
    for (let i = 0; i < 64; i++) {
      const s = await op();
      if (s.sessionId !== SESSION_ID) throw new Error("bad body");
      ops++;
    }
    await new Promise((r) => setImmediate(r));
  }
}
// Warm-up (JIT), then the measured window.
let loops = Array.from({ length: 16 }, loop);
await new Promise((r) => setTimeout(r, 300));
stop = true;
await Promise.all(loops);
stop = false;
ops = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
loops = Array.from({ length: 16 }, loop);
setTimeout(() => (stop = true), durationMs);
await Promise.all(loops);
const cpu = process.cpuUsage(cpu0);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ contender, ops, seconds, usPerOp: (cpu.user + cpu.system) / ops })}\n`);
