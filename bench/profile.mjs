// Reads a V8 .cpuprofile (from `node --cpu-prof`) and summarises where the CPU time went.
//   node bench/profile.mjs <file.cpuprofile> [top]
// Exports analyseProfile() for bench/run.mjs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Which layer a script URL belongs to. */
export function layerOf(url, functionName) {
  if (!url) {
    if (functionName === "(garbage collector)") return "gc";
    if (functionName === "(idle)") return "idle";
    if (functionName === "(program)") return "program";
    return "v8 builtins / native";
  }
  if (url.startsWith("node:")) return "node core";
  if (url.includes("/dist/index.js") && !url.includes("node_modules")) return "this client";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes("/bench/")) return "bench harness";
  return "other";
}

/** True for frames written in the client stack above Node (the package and its Azure deps). */
const isLibraryLayer = (layer) =>
  layer === "this client" || layer.startsWith("@azure") || layer.startsWith("@typespec") || layer === "tslib";

function shortUrl(url) {
  if (!url) return "";
  if (url.startsWith("node:")) return url;
  const file = url.replace(/^file:\/\//, "");
  const rel = path.relative(ROOT, file);
  return rel.replace(/^node_modules\//, "");
}

/**
 * Only samples inside `windowUs` ([start, end] on the monotonic clock, in µs) count, when given.
 * @returns {{ totalMs, busyMs, layers: Array, topSelf: Array, topAttributed: Array }}
 *   layers: self time per layer; topSelf: top functions by self time;
 *   topAttributed: self time of every sample charged to the innermost library frame on its stack
 *   (so `new URL()` or header work done by node core on behalf of a policy is charged to the policy).
 */
export function analyseProfile(file, top = 15, windowUs = undefined) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map();
  for (const node of profile.nodes) byId.set(node.id, node);
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  let totalUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (dt <= 0) continue;
    if (windowUs && (at < windowUs[0] || at > windowUs[1])) continue;
    totalUs += dt;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const key = (cf) => `${cf.functionName || "(anonymous)"}|${cf.url}|${cf.lineNumber}`;
  const fnSelf = new Map();
  const layerSelf = new Map();
  const attributed = new Map();
  let idleUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const layer = layerOf(cf.url, cf.functionName);
    if (layer === "idle") {
      idleUs += us;
      continue;
    }
    layerSelf.set(layer, (layerSelf.get(layer) ?? 0) + us);
    const k = key(cf);
    const entry = fnSelf.get(k) ?? { fn: cf.functionName || "(anonymous)", where: `${shortUrl(cf.url)}:${cf.lineNumber + 1}`, layer, us: 0 };
    entry.us += us;
    fnSelf.set(k, entry);
    // Charge the sample to the innermost library frame on the stack, if any.
    let cursor = id;
    let owner;
    while (cursor !== undefined) {
      const n = byId.get(cursor);
      const l = layerOf(n.callFrame.url, n.callFrame.functionName);
      if (isLibraryLayer(l)) {
        owner = n;
        break;
      }
      cursor = parent.get(cursor);
    }
    if (owner) {
      const ocf = owner.callFrame;
      const ok = key(ocf);
      const a = attributed.get(ok) ?? {
        fn: ocf.functionName || "(anonymous)",
        where: `${shortUrl(ocf.url)}:${ocf.lineNumber + 1}`,
        layer: layerOf(ocf.url, ocf.functionName),
        us: 0,
        viaNode: 0,
      };
      a.us += us;
      if (owner !== node) a.viaNode += us;
      attributed.set(ok, a);
    }
  }
  const busyUs = totalUs - idleUs;
  const pct = (us) => (100 * us) / busyUs;
  const sortDesc = (arr) => arr.sort((a, b) => b.us - a.us);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    layers: sortDesc([...layerSelf].map(([layer, us]) => ({ layer, us, pct: pct(us) }))),
    topSelf: sortDesc([...fnSelf.values()]).slice(0, top).map((e) => ({ ...e, pct: pct(e.us) })),
    topAttributed: sortDesc([...attributed.values()]).slice(0, top).map((e) => ({ ...e, pct: pct(e.us) })),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = analyseProfile(process.argv[2], Number(process.argv[3] ?? 20));
  console.log(`busy ${result.busyMs.toFixed(0)} ms of ${result.totalMs.toFixed(0)} ms`);
  console.log("\nself time by layer");
  for (const l of result.layers) console.log(`${l.pct.toFixed(1).padStart(6)}%  ${l.layer}`);
  console.log("\ntop self-time frames");
  for (const f of result.topSelf) console.log(`${f.pct.toFixed(1).padStart(6)}%  ${f.fn}  [${f.layer}] ${f.where}`);
  console.log("\nself time charged to the innermost library frame");
  for (const f of result.topAttributed)
    console.log(`${f.pct.toFixed(1).padStart(6)}%  ${f.fn}  [${f.layer}] ${f.where}  (of which node/V8 below it: ${((100 * f.viaNode) / (result.busyMs * 1000)).toFixed(1)}%)`);
}
