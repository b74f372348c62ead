// Packs the package the way a fresh clone would (only the files git tracks or would track, so
// `prepack` has to build dist/ itself), checks what the tarball holds, installs it into a
// throwaway project and uses it the way consumers do: CommonJS require and ESM import on every
// runtime given, TypeScript with moduleResolution node16 and bundler, and an esbuild ESM bundle
// for Node of the ESM consumer (--bundle --platform=node --format=esm) that must run, with node:http
// when no `require` is in scope and with undici under a createRequire banner.
// Each runtime check creates a client against the packaged emulator and runs real calls.
//
// Usage: node test/consumers/run.mjs [--node=PATH]... [--bun] [--deno]
//   --node=PATH  also run the CJS/ESM checks with that node binary (e.g. temp/node22/bin/node)
//   --bun        also run them on Bun   (fetched from the npm registry: npx -y bun)
//   --deno       also run them on Deno  (fetched from the npm registry: npx -y deno)
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findRuntime } from "../utils/runtimes.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const args = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "face-liveness-consumers-"));
const env = { ...process.env, npm_config_update_notifier: "false" };
const run = (cmd, argv, cwd, options = {}) =>
  execFileSync(cmd, argv, { cwd, stdio: "inherit", env, timeout: 180_000, ...options });

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}${error?.message ? `: ${error.message.split("\n")[0]}` : ""}`);
  }
}

/** Copies what a fresh clone holds: tracked files plus new files git would add (not ignored ones). */
function freshClone(target) {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root })
    .toString()
    .split("\0")
    .filter((f) => f !== "" && existsSync(join(root, f)));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(root, file), join(target, file));
  }
  // The dev tools prepack needs; installing them again would only repeat `npm ci`.
  symlinkSync(join(root, "node_modules"), join(target, "node_modules"), "dir");
}

/** Relative links (`[x](path)`, `![x](path)`) of a Markdown file, without anchors. */
function relativeLinks(markdown) {
  const links = [];
  for (const match of markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = match[1].split("#")[0];
    if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    links.push(target);
  }
  return links;
}

try {
  const clone = join(work, "clone");
  freshClone(clone);
  if (existsSync(join(clone, "dist"))) throw new Error("the fresh clone must not hold dist/");
  let packed;
  check("npm pack of a fresh clone builds (prepack)", () => {
    const out = run("npm", ["pack", "--json", "--silent", "--pack-destination", work], clone, { stdio: ["ignore", "pipe", "inherit"] });
    // prepack's build output shares stdout with npm's JSON (and is coloured when CI is set):
    // the report is the array that starts on a line of its own.
    const text = out.toString();
    const start = text.search(/^\[\s*$/m);
    if (start < 0) throw new Error("npm pack printed no JSON report");
    packed = JSON.parse(text.slice(start))[0];
  });
  if (packed === undefined) throw new Error("npm pack failed: nothing to test");
  const shipped = new Set(packed.files.map((f) => f.path));
  console.log(`     ${packed.filename}: ${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed`);

  check("the tarball holds the builds, the emulator and its guide", () => {
    const needed = ["dist/index.js", "dist/index.mjs", "dist/index.d.ts", "dist/index.d.mts", "dist/emulator/index.js",
      "dist/emulator/index.mjs", "dist/emulator/cli.js", "src/emulator/README.md", "README.md", "CHANGELOG.md", "LICENSE"];
    const missing = needed.filter((f) => !shipped.has(f));
    if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}`);
  });
  check("every relative link in the shipped Markdown points into the tarball", () => {
    const broken = [];
    for (const file of [...shipped].filter((f) => f.endsWith(".md"))) {
      for (const link of relativeLinks(readFileSync(join(clone, file), "utf8"))) {
        const target = posix.normalize(posix.join(posix.dirname(file), link)).replace(/\/$/, "");
        const ok = shipped.has(target) || [...shipped].some((f) => f.startsWith(`${target}/`));
        if (!ok) broken.push(`${file} → ${link}`);
      }
    }
    if (broken.length > 0) throw new Error(`not in the tarball: ${broken.join("; ")}`);
  });

  const project = join(work, "project");
  cpSync(join(here, "project"), project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, dependencies: { "azure-face-liveness": `file:../${packed.filename}`, "@types/node": "20.19.43" } }, null, 2),
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], project);

  const runtimes = [["Node " + process.version, process.execPath, []]];
  for (const arg of args) {
    if (arg.startsWith("--node=")) {
      const bin = resolve(arg.slice("--node=".length));
      runtimes.push([`Node ${execFileSync(bin, ["--version"]).toString().trim()}`, bin, []]);
    } else if (arg === "--bun" || arg === "--deno") {
      const name = arg.slice(2);
      const found = findRuntime(name);
      if (found === undefined) {
        failed++;
        console.log(`FAIL could not fetch ${name} from the npm registry`);
        continue;
      }
      runtimes.push([`${found.label}`, found.bin, found.runArgs]);
    }
  }
  for (const [label, bin, runArgs] of runtimes) {
    check(`${label}: CommonJS require`, () => run(bin, [...runArgs, "cjs.cjs"], project));
    check(`${label}: ESM import`, () => run(bin, [...runArgs, "esm.mjs"], project));
  }
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  check("TypeScript, moduleResolution node16", () => run(process.execPath, [tsc, "-p", "tsconfig.node16.json"], project));
  check("TypeScript, moduleResolution bundler", () => run(process.execPath, [tsc, "-p", "tsconfig.bundler.json"], project));
  const esbuild = join(root, "node_modules", ".bin", "esbuild");
  check("esbuild ESM bundle for Node (--bundle --platform=node --format=esm) builds and runs", () => {
    run(esbuild, ["esm.mjs", "--bundle", "--platform=node", "--format=esm", "--outfile=bundle.out.mjs", "--log-level=warning"], project);
    run(process.execPath, ["bundle.out.mjs"], project);
  });
  // undici is CommonJS: in an ESM bundle it loads only with a `require` in scope; without one the
  // client logs that and uses node:http (the check above), with one it uses undici.
  const undiciFallback = /undici could not be loaded/;
  const infoLog = (file) => {
    const r = spawnSync(process.execPath, [file], { cwd: project, env: { ...env, AZURE_LOG_LEVEL: "info" }, encoding: "utf8", timeout: 180_000 });
    if (r.status !== 0) throw new Error(`${file} exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout + r.stderr;
  };
  check("esbuild ESM bundle with a createRequire banner loads undici", () => {
    const banner = "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";
    run(esbuild, ["esm.mjs", "--bundle", "--platform=node", "--format=esm", "--outfile=bundle.banner.mjs", "--log-level=warning", `--banner:js=${banner}`], project);
    const withBanner = infoLog("bundle.banner.mjs");
    if (undiciFallback.test(withBanner)) throw new Error("the bundle with a require in scope did not load undici");
    const without = infoLog("bundle.out.mjs");
    if (!undiciFallback.test(without)) throw new Error("the bundle without a require did not log its fallback to node:http");
  });
} catch (error) {
  failed++;
  console.log(`FAIL ${error?.message ?? error}`);
} finally {
  if (!process.env.KEEP_CONSUMERS) rmSync(work, { recursive: true, force: true });
}
console.log(`consumers: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
