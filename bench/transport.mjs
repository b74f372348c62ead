// Part of `npm run bench` (after bench/run.mjs): the transport matrix. GET and create, at
// concurrency 1, 16 and 64, over http AND https (keep-alive, a throw-away loopback certificate
// trusted through NODE_EXTRA_CA_CERTS), for this client, this client before its own transport
// (BENCH_BEFORE_PATH: a build of an earlier commit; skipped when unset), this client over its
// node:http transport (`this-node`: a caller's keep-alive agent), the official
// @azure-rest/ai-vision-face client, raw node:http(s) keep-alive, and raw undici Agent.dispatch
// (the floor of this client's own transport). Every run is a fresh Node
// process; contenders are rotated each round; each figure is a median over rounds of ratios taken
// within one round (runs back to back). The 1-minute load average is recorded with every run.
// Then process start -> first response, and CPU profiles of GET c=16 over http and https split
// into layers (µs per operation). Writes the "Transport" section of bench/RESULTS.md (between
// markers) and bench/transport.json.
//
// Knobs: BENCH_TRANSPORT_ROUNDS (3), BENCH_WARMUP_MS (500), BENCH_DURATION_MS (1000),
// BENCH_FIRST_RESPONSE_REPEATS (5), BENCH_PROFILE_MS (2000).
import { execFile, execFileSync, fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyseProfile } from "./profile.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const cfg = {
  rounds: num("BENCH_TRANSPORT_ROUNDS", 3),
  warmupMs: num("BENCH_WARMUP_MS", 500),
  durationMs: num("BENCH_DURATION_MS", 1000),
  firstResponseRepeats: num("BENCH_FIRST_RESPONSE_REPEATS", 5),
  profileMs: num("BENCH_PROFILE_MS", 2000),
};
const before = process.env.BENCH_BEFORE_PATH && existsSync(process.env.BENCH_BEFORE_PATH) ? process.env.BENCH_BEFORE_PATH : undefined;
const CONTENDERS = ["this", "this-node", ...(before ? ["before"] : []), "official", "raw", "undici"];
const started = performance.now();
const log = (msg) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
const load1 = () => os.loadavg()[0];
const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();

// Certificate and server -----------------------------------------------------------------------
const tlsDir = mkdtempSync(path.join(os.tmpdir(), "face-bench-tls-"));
execFileSync("openssl", [
  "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
  "-keyout", path.join(tlsDir, "key.pem"), "-out", path.join(tlsDir, "cert.pem"), "-days", "1",
  "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
], { stdio: "ignore" });
const server = fork(path.join(BENCH, "server.mjs"), ["0"], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, BENCH_TLS_DIR: tlsDir } });
const { port, tlsPort } = await new Promise((resolve, reject) => {
  server.once("message", resolve);
  server.once("exit", (code) => reject(new Error(`bench server exited (${code})`)));
});
const endpoints = { http: `http://127.0.0.1:${port}`, https: `https://127.0.0.1:${tlsPort}` };
const childEnv = {
  ...process.env,
  NODE_EXTRA_CA_CERTS: path.join(tlsDir, "cert.pem"),
  HTTPS_PROXY: "", HTTP_PROXY: "", ALL_PROXY: "", https_proxy: "", http_proxy: "", all_proxy: "",
  ...(before ? { BENCH_BEFORE_PATH: before } : {}),
};

function runNode(args, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env: childEnv, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${args[0]} failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);
const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : "–");

const results = { date: new Date().toISOString(), node: process.version, cores: os.cpus().length, uptimeStart: uptime(), config: cfg, contenders: CONTENDERS, runs: [], firstResponse: [], profiles: {} };
log(`server on ${endpoints.http} and ${endpoints.https}; ${results.uptimeStart}`);

try {
  // Throughput matrix --------------------------------------------------------------------------
  const scenarios = [];
  for (const protocol of ["https", "http"]) for (const op of ["get", "create"]) for (const concurrency of [16, 1, 64]) scenarios.push({ protocol, op, concurrency });
  for (let round = 0; round < cfg.rounds; round++) {
    for (const [index, s] of scenarios.entries()) {
      const line = [];
      for (const contender of rotate(CONTENDERS, round + index)) {
        const load = load1();
        const r = await runNode([
          path.join(BENCH, "worker.mjs"),
          JSON.stringify({ contender, op: s.op, concurrency: s.concurrency, warmupMs: cfg.warmupMs, durationMs: cfg.durationMs, endpoint: endpoints[s.protocol], controlEndpoint: endpoints.http }),
        ]);
        results.runs.push({ round, protocol: s.protocol, load1: load, ...r });
        line.push(`${contender} ${f0(r.opsPerSec)}`);
      }
      log(`round ${round + 1} ${s.protocol} ${s.op} c${s.concurrency}: ${line.join(", ")} ops/s (load ${f2(load1())})`);
    }
  }

  // Process start -> first response ------------------------------------------------------------
  for (let repeat = 0; repeat < cfg.firstResponseRepeats; repeat++) {
    for (const protocol of ["http", "https"]) {
      for (const contender of rotate(CONTENDERS, repeat)) {
        const load = load1();
        results.firstResponse.push({ repeat, protocol, load1: load, ...(await runNode([path.join(BENCH, "first-response.mjs"), contender, endpoints[protocol]])) });
      }
    }
  }
  log("first response: done");

  // Profiles -----------------------------------------------------------------------------------
  const profileDir = path.join(BENCH, "profiles");
  mkdirSync(profileDir, { recursive: true });
  for (const protocol of ["http", "https"]) {
    for (const contender of CONTENDERS) {
      const name = `transport-${contender}-${protocol}-get-c16`;
      const file = path.join(profileDir, `${name}.cpuprofile`);
      rmSync(file, { force: true });
      const load = load1();
      const r = await runNode(
        [path.join(BENCH, "worker.mjs"), JSON.stringify({ contender, op: "get", concurrency: 16, warmupMs: cfg.warmupMs, durationMs: cfg.profileMs, endpoint: endpoints[protocol], controlEndpoint: endpoints.http })],
        ["--cpu-prof", "--cpu-prof-dir", profileDir, "--cpu-prof-name", `${name}.cpuprofile`],
      );
      results.profiles[name] = { protocol, contender, load1: load, run: r, analysis: analyseProfile(file, 10, r.windowUs) };
      log(`profile ${name}: ${f0(r.cpuUsPerOp)} µs CPU/op (load ${f2(load)})`);
    }
  }
} finally {
  server.send("stop");
  server.disconnect?.();
  rmSync(tlsDir, { recursive: true, force: true });
}
results.uptimeEnd = uptime();

// Aggregate --------------------------------------------------------------------------------------
const runsOf = (protocol, op, c, contender) => results.runs.filter((r) => r.protocol === protocol && r.op === op && r.concurrency === c && r.contender === contender);
const paired = (protocol, op, c, a, b, field) => {
  const ratios = [];
  for (const ra of runsOf(protocol, op, c, a)) {
    const rb = runsOf(protocol, op, c, b).find((x) => x.round === ra.round);
    if (rb) ratios.push(ra[field] / rb[field]);
  }
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), n: ratios.length };
};
const loadOf = (protocol, op, c) => median(results.runs.filter((r) => r.protocol === protocol && r.op === op && r.concurrency === c).map((r) => r.load1));
const fr = (protocol, contender) => median(results.firstResponse.filter((r) => r.protocol === protocol && r.contender === contender).map((r) => r.ms));

const md = [];
const out = (s = "") => md.push(s);
out("<!-- transport:start -->");
out("## Transport: http and https, c=1/16/64 (bench/transport.mjs)");
out();
out(`Run ${results.date}, Node ${results.node}, ${results.cores} cores. Machine load: \`${results.uptimeStart}\` at the start, \`${results.uptimeEnd}\` at the end;`);
out("the 1-minute load average is in every row. **This 2-core machine is shared**: load above 2 means other processes");
out("competed for the CPU during the runs, so absolute figures are low and noisy; the ratios (contenders run back to back");
out("within a round, in rotated order, each in a fresh process) are what to read.");
out();
out(`Contenders: ${CONTENDERS.map((c) => `\`${c}\``).join(", ")}: \`this\` = this client (direct requests go through undici), \`this-node\` = the same client over its node:http transport (what a caller's \`agent\`, a proxy or an interceptor such as msw selects)${before ? ", `before` = the build at BENCH_BEFORE_PATH" : ""}, \`raw\` = node:http(s) keep-alive, \`undici\` = undici's Agent.dispatch alone (the floor under \`this\`). ${cfg.rounds} rounds × ${cfg.durationMs} ms after ${cfg.warmupMs} ms warm-up.`);
out();
out("| protocol | operation | c | this ops/s | this-node ops/s | official ops/s | raw ops/s | undici ops/s | this ÷ official (ops) | this ÷ raw (ops) | this ÷ official (CPU/op) | this CPU µs/op | this-node CPU µs/op | official CPU µs/op | undici CPU µs/op |" + (before ? " this ÷ before (ops) | before ÷ official (ops) |" : "") + " load (1 min) |");
out("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |" + (before ? " --- | --- |" : "") + " --- |");
for (const protocol of ["https", "http"]) {
  for (const op of ["get", "create"]) {
    for (const c of [1, 16, 64]) {
      const ops = (who) => median(runsOf(protocol, op, c, who).map((r) => r.opsPerSec));
      const cpu = (who) => median(runsOf(protocol, op, c, who).map((r) => r.cpuUsPerOp));
      const cells = [
        protocol, op, c, f0(ops("this")), f0(ops("this-node")), f0(ops("official")), f0(ops("raw")), f0(ops("undici")),
        f2(paired(protocol, op, c, "this", "official", "opsPerSec").median), f2(paired(protocol, op, c, "this", "raw", "opsPerSec").median),
        f2(paired(protocol, op, c, "this", "official", "cpuUsPerOp").median), f0(cpu("this")), f0(cpu("this-node")), f0(cpu("official")), f0(cpu("undici")),
      ];
      if (before) cells.push(f2(paired(protocol, op, c, "this", "before", "opsPerSec").median), f2(paired(protocol, op, c, "before", "official", "opsPerSec").median));
      cells.push(f1(loadOf(protocol, op, c)));
      out(`| ${cells.join(" | ")} |`);
    }
  }
}
out();
out("### Targets (issue: a transport of our own), at c=16");
out();
out("| target | GET | create | met |");
out("| --- | --- | --- | --- |");
const target = (label, protocol, a, b, field, test, goal) => {
  const g = paired(protocol, "get", 16, a, b, field).median;
  const cr = paired(protocol, "create", 16, a, b, field).median;
  out(`| ${label} (goal ${goal}) | ${f2(g)} | ${f2(cr)} | ${test(g) && test(cr) ? "**yes**" : test(g) || test(cr) ? "**partly**" : "**no**"} |`);
};
target("https: throughput this ÷ official", "https", "this", "official", "opsPerSec", (x) => x >= 1.6, "≥ 1.6");
target("https: CPU per operation this ÷ official", "https", "this", "official", "cpuUsPerOp", (x) => x <= 0.6, "≤ 0.6");
target("http: throughput this ÷ official", "http", "this", "official", "opsPerSec", (x) => x >= 1.6, "≥ 1.6");
target("http: throughput this ÷ raw node:http keep-alive", "http", "this", "raw", "opsPerSec", (x) => x >= 0.85, "≥ 0.85");
out();
out("### Process start to first response (fresh process: load, construct, one GET)");
out();
out("| protocol | " + CONTENDERS.map((c) => `${c} (ms)`).join(" | ") + " | this ÷ official |");
out("| --- | " + CONTENDERS.map(() => "---").join(" | ") + " | --- |");
for (const protocol of ["http", "https"]) {
  out(`| ${protocol} | ${CONTENDERS.map((c) => f1(fr(protocol, c))).join(" | ")} | ${f2(fr(protocol, "this") / fr(protocol, "official"))} |`);
}
out(`\nLoad during these runs: median ${f1(median(results.firstResponse.map((r) => r.load1)))}.`);
out();
out("### Where the µs go: GET c=16, CPU per operation by layer (from --cpu-prof)");
out();
out("Each profile's samples inside the measured window, split by the layer of the function that ran (self time),");
out("scaled to the run's CPU µs per operation. `node core` includes the TLS and HTTP machinery of Node itself.");
out();
const layerNames = new Set();
for (const p of Object.values(results.profiles)) for (const l of p.analysis.layers) layerNames.add(l.layer);
const layersSorted = [...layerNames].filter((l) => l !== "idle");
for (const protocol of ["http", "https"]) {
  out(`**${protocol}**`);
  out();
  out(`| layer | ${CONTENDERS.join(" | ")} |`);
  out(`| --- | ${CONTENDERS.map(() => "---").join(" | ")} |`);
  const perOp = (contender, layer) => {
    const p = results.profiles[`transport-${contender}-${protocol}-get-c16`];
    if (!p) return NaN;
    const busy = p.analysis.layers.filter((l) => l.layer !== "idle").reduce((a, l) => a + l.us, 0);
    const l = p.analysis.layers.find((x) => x.layer === layer);
    return l && busy > 0 ? (l.us / busy) * p.run.cpuUsPerOp : 0;
  };
  for (const layer of layersSorted) {
    const cells = CONTENDERS.map((c) => perOp(c, layer));
    if (cells.every((x) => !(x >= 0.5))) continue;
    out(`| ${layer} | ${cells.map(f1).join(" | ")} |`);
  }
  out(`| **total CPU µs/op** (load) | ${CONTENDERS.map((c) => { const p = results.profiles[`transport-${c}-${protocol}-get-c16`]; return p ? `**${f0(p.run.cpuUsPerOp)}** (${f1(p.load1)})` : "–"; }).join(" | ")} |`);
  out();
}
out("<!-- transport:end -->");

writeFileSync(path.join(BENCH, "transport.json"), `${JSON.stringify(results, null, 2)}\n`);
const resultsPath = path.join(BENCH, "RESULTS.md");
const existing = existsSync(resultsPath) ? readFileSync(resultsPath, "utf8") : "# Benchmark results\n";
const section = md.join("\n");
const updated = existing.includes("<!-- transport:start -->")
  ? existing.replace(/<!-- transport:start -->[\s\S]*<!-- transport:end -->/, section)
  : `${existing.trimEnd()}\n\n${section}\n`;
writeFileSync(resultsPath, updated);
log("done: bench/RESULTS.md (Transport section), bench/transport.json");
