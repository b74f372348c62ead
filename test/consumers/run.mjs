// Installs the packed tarball into a throwaway project and uses it the way consumers do:
// CommonJS require, ESM import, and TypeScript with moduleResolution node16 and bundler.
// Each runtime check creates a client against the packaged emulator and runs real calls.
// Usage: node test/consumers/run.mjs   (after `npm run build`)
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const work = mkdtempSync(join(tmpdir(), "face-liveness-consumers-"));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: "inherit", env: { ...process.env, npm_config_update_notifier: "false" } });

let failed = 0;
try {
  run("npm", ["pack", "--silent", "--pack-destination", work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  const project = join(work, "project");
  cpSync(join(here, "project"), project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, dependencies: { "azure-face-liveness": `file:../${tarball}`, "@types/node": "20.19.43" } }, null, 2),
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], project);
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const checks = [
    ["CommonJS require", process.execPath, ["cjs.cjs"]],
    ["ESM import", process.execPath, ["esm.mjs"]],
    ["TypeScript, moduleResolution node16", process.execPath, [tsc, "-p", "tsconfig.node16.json"]],
    ["TypeScript, moduleResolution bundler", process.execPath, [tsc, "-p", "tsconfig.bundler.json"]],
  ];
  for (const [name, cmd, args] of checks) {
    try {
      run(cmd, args, project);
      console.log(`ok   ${name}`);
    } catch {
      failed++;
      console.log(`FAIL ${name}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`consumers: ${4 - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
