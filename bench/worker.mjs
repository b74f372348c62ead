// One throughput run in a fresh process: node bench/worker.mjs '<json config>'
// config: { contender, op: "get" | "create", concurrency, warmupMs, durationMs, endpoint,
//   controlEndpoint? (the server's plain-http address, when `endpoint` is https) }
// Closed loop: `concurrency` workers each send the next operation as soon as the previous one
// resolves. After a warm-up, a window of `durationMs` is measured: operations completed in the
// window, latency of operations both started and completed in it, this process's CPU time
// (process.cpuUsage) and the server's CPU time (from its control route). Prints one JSON line.
import { readFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { createContender } from "./contenders.mjs";

const config = JSON.parse(process.argv[2]);
const { contender, op, concurrency, warmupMs, durationMs, endpoint } = config;
const controlEndpoint = config.controlEndpoint ?? endpoint;

function serverCpu() {
  return new Promise((resolve, reject) => {
    http
      .get(`${controlEndpoint}/__bench/cpu`, { agent: false }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(JSON.parse(text)));
      })
      .on("error", reject);
  });
}

/** Busy and total jiffies of the whole machine (Linux /proc/stat), to see how much CPU other
 * processes took during the window; undefined elsewhere. */
function systemCpu() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

const client = createContender(contender, endpoint);
const operation = client[op];

// One sanity call before timing (it also opens the first connection).
await operation();

let phase = "warmup";
let t0 = 0;
let t1 = 0;
let completedInWindow = 0;
const latencies = [];
let cpu0;
let cpu1;
let server0;
let server1Promise;

async function loop() {
  while (phase !== "stopped") {
    const start = performance.now();
    await operation();
    const end = performance.now();
    if (phase === "window") {
      completedInWindow++;
      if (start >= t0) latencies.push(end - start);
    }
  }
}

const loops = Array.from({ length: concurrency }, loop);
await new Promise((r) => setTimeout(r, warmupMs));
server0 = await serverCpu();
cpu0 = process.cpuUsage();
const sys0 = systemCpu();
const hr0 = process.hrtime.bigint();
t0 = performance.now();
phase = "window";
await new Promise((r) => setTimeout(r, durationMs));
t1 = performance.now();
const hr1 = process.hrtime.bigint();
cpu1 = process.cpuUsage(cpu0);
const sys1 = systemCpu();
phase = "stopped";
server1Promise = serverCpu();
await Promise.all(loops);
const server1 = await server1Promise;

latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
const seconds = (t1 - t0) / 1000;
const clientCpuUs = cpu1.user + cpu1.system;
const serverCpuUs = server1.user + server1.system - (server0.user + server0.system);
const serverSeconds = (server1.at - server0.at) / 1000;
const result = {
  contender,
  op,
  concurrency,
  ops: completedInWindow,
  seconds,
  opsPerSec: completedInWindow / seconds,
  p50Ms: q(0.5),
  p99Ms: q(0.99),
  cpuUsPerOp: clientCpuUs / completedInWindow,
  clientCpuUtil: clientCpuUs / 1e6 / seconds,
  serverCpuUtil: serverCpuUs / 1e6 / serverSeconds,
  rssMiB: process.memoryUsage().rss / 2 ** 20,
  // Cores used by everything else on the machine during the window (all cores busy minus this
  // client and the server): the noise from other work.
  otherCpuUtil: sys0 && sys1 ? Math.max(0, ((sys1.busy - sys0.busy) / 100) / seconds - clientCpuUs / 1e6 / seconds - serverCpuUs / 1e6 / serverSeconds) : undefined,
  // Window bounds on the monotonic clock in µs (the clock of --cpu-prof sample timestamps).
  windowUs: [Number(hr0 / 1000n), Number(hr1 / 1000n)],
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
