// Cold import of one package in a fresh process: node bench/import-time.mjs <target>
// target: this-cjs | official-cjs | this-esm | official-esm | pkg:<package name> (CommonJS require)
// Prints { target, ms, rssMiB, modules } where ms is the time of the require()/import() call
// alone (Node start-up excluded), rssMiB the RSS growth it caused, modules the number of CommonJS
// modules it loaded (ESM targets: files loaded through import() are not counted there).
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const target = process.argv[2];
const specifiers = {
  "this-cjs": () => require("../dist/index.js"),
  "official-cjs": () => require("@azure-rest/ai-vision-face"),
  "this-esm": () => import(pathToFileURL(path.resolve(path.dirname(new URL(import.meta.url).pathname), "../dist/index.mjs")).href),
  "official-esm": () => import("@azure-rest/ai-vision-face"),
};
const load = target.startsWith("pkg:") ? () => require(target.slice(4)) : specifiers[target];
if (!load) throw new Error(`unknown target ${target}`);
const modulesBefore = Object.keys(require.cache).length;
const rss0 = process.memoryUsage.rss();
const t0 = performance.now();
const mod = await load();
const ms = performance.now() - t0;
const rss1 = process.memoryUsage.rss();
if (!mod) throw new Error("nothing loaded");
// CommonJS modules loaded, per package.
const perPackage = {};
for (const file of Object.keys(require.cache)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const name = m ? m[1] : file.includes("/dist/") ? "azure-face-liveness" : "(bench)";
  perPackage[name] = (perPackage[name] ?? 0) + 1;
}
delete perPackage["(bench)"];
process.stdout.write(
  `${JSON.stringify({ target, ms, rssMiB: (rss1 - rss0) / 2 ** 20, modules: Object.keys(require.cache).length - modulesBefore, perPackage })}\n`,
);
