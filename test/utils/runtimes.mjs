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

// As a command: node test/utils/runtimes.mjs <bun|deno> FILE [ARGS...] runs FILE on that runtime.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [name, file, ...rest] = process.argv.slice(2);
  const runtime = RUNTIMES[name] === undefined ? undefined : findRuntime(name);
  if (runtime === undefined) {
    console.error(`usage: node test/utils/runtimes.mjs <bun|deno> FILE [ARGS...] (could not get ${name} from the npm registry)`);
    process.exit(2);
  }
  const extra = name === "deno" ? ["--unstable-no-legacy-abort"] : [];
  try {
    execFileSync(runtime.bin, [...runtime.runArgs, ...extra, file, ...rest], { stdio: "inherit", timeout: 120_000 });
  } catch (error) {
    process.exit(typeof error.status === "number" ? error.status : 1);
  }
}
