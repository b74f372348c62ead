// Bun and Deno, fetched from the npm registry (packages `bun` and `deno`) at pinned versions.
import { execFileSync } from "node:child_process";

const RUNTIMES = {
  bun: { spec: "bun@1.4.5", probe: ["-e", "console.log(process.execPath)"], runArgs: [] },
  // Deno reads the project's package.json and node_modules like Node does; -A grants the
  // network (loopback only here), file and environment access the checks need.
  deno: { spec: "deno@2.9.6", probe: ["eval", "console.log(Deno.execPath())"], runArgs: ["run", "-A"] },
};

/**
 * Returns `{ label, bin, runArgs }` for `bun` or `deno` (`bin ...runArgs file.mjs` runs a
 * script), or undefined when the npm registry could not provide it.
 */
export function findRuntime(name) {
  const runtime = RUNTIMES[name];
  try {
    const bin = execFileSync("npx", ["-y", runtime.spec, ...runtime.probe], { stdio: ["ignore", "pipe", "inherit"], timeout: 300_000 })
      .toString()
      .trim()
      .split("\n")
      .pop();
    return { label: runtime.spec.replace("@", " "), bin, runArgs: runtime.runArgs };
  } catch {
    return undefined;
  }
}
