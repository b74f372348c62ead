// Static cost-to-adopt figures: transitive runtime dependencies (from package-lock.json),
// installed size on disk (from node_modules), size of the built ESM entry, and the size of a
// minified single-file bundle of each client (esbuild, already installed through tsup).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** Resolves `name` as required from the package installed at lock path `from` (npm's nesting rules). */
function resolveInLock(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? "" : base.slice(0, cut);
  }
}

/** Every package path reachable from `rootPath` through runtime dependencies (not dev). */
export function transitiveDependencies(rootPath) {
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  const packages = lock.packages;
  const seen = new Set();
  const queue = [rootPath];
  while (queue.length > 0) {
    const at = queue.shift();
    const entry = packages[at];
    const deps = {
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...Object.fromEntries(
        Object.keys(entry.peerDependencies ?? {})
          .filter((n) => !entry.peerDependenciesMeta?.[n]?.optional)
          .map((n) => [n, "*"]),
      ),
    };
    for (const name of Object.keys(deps)) {
      const resolved = resolveInLock(packages, at, name);
      if (resolved === undefined) continue; // optional and not installed on this platform
      if (!seen.has(resolved)) {
        seen.add(resolved);
        queue.push(resolved);
      }
    }
  }
  seen.delete(rootPath);
  return [...seen].sort().map((p) => ({ path: p, name: p.slice(p.lastIndexOf("node_modules/") + 13), version: packages[p].version }));
}

/** Bytes of the files in `dir`, not descending into nested node_modules. */
export function dirSize(dir, filter = () => true) {
  let total = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = dirSize(full, filter);
      total += sub.bytes;
      files += sub.files;
    } else if (entry.isFile() && filter(full)) {
      total += statSync(full).size;
      files++;
    }
  }
  return { bytes: total, files };
}

/** Size of what `npm publish` would put in node_modules for this package (package.json "files"). */
function ownPackageSize(filter) {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  let bytes = statSync(path.join(ROOT, "package.json")).size;
  let files = 1;
  for (const entry of pkg.files ?? []) {
    const full = path.join(ROOT, entry);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) {
      const s = dirSize(full, filter);
      bytes += s.bytes;
      files += s.files;
    } else if (filter(full)) {
      bytes += statSync(full).size;
      files++;
    }
  }
  return { bytes, files };
}

async function bundleSize(entryContents) {
  const esbuild = require("esbuild");
  const result = await esbuild.build({
    stdin: { contents: entryContents, resolveDir: ROOT, loader: "js" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
    mainFields: ["module", "main"],
  });
  const out = result.outputFiles[0].contents;
  return { bytes: out.byteLength, gzipBytes: gzipSync(out).byteLength };
}

export async function adoptionCost() {
  const noMaps = (f) => !f.endsWith(".map");
  const deps = {
    this: transitiveDependencies(""),
    official: transitiveDependencies("node_modules/@azure-rest/ai-vision-face"),
  };
  const installed = (list) =>
    list.reduce(
      (acc, d) => {
        const s = dirSize(path.join(ROOT, d.path));
        return { bytes: acc.bytes + s.bytes, files: acc.files + s.files };
      },
      { bytes: 0, files: 0 },
    );
  const own = {
    this: ownPackageSize(() => true),
    thisNoMaps: ownPackageSize(noMaps),
    thisEmulator: dirSize(path.join(ROOT, "dist/emulator")),
    official: dirSize(path.join(ROOT, "node_modules/@azure-rest/ai-vision-face")),
    officialNoMaps: dirSize(path.join(ROOT, "node_modules/@azure-rest/ai-vision-face"), noMaps),
  };
  const esmEntry = readFileSync(path.join(ROOT, "dist/index.mjs"));
  const officialEsmDir = dirSize(path.join(ROOT, "node_modules/@azure-rest/ai-vision-face/dist/esm"), (f) => f.endsWith(".js"));
  const bundles = {
    this: await bundleSize(`export { FaceSessionClient, AzureKeyCredential } from ${JSON.stringify(path.join(ROOT, "dist/index.mjs"))};`),
    official: await bundleSize(`export { default as createFaceClient, isUnexpected } from "@azure-rest/ai-vision-face";`),
  };
  const shared = deps.this.filter((d) => deps.official.some((o) => o.path === d.path)).map((d) => d.name);
  return {
    deps,
    shared,
    installed: {
      this: { own: own.this, ownNoMaps: own.thisNoMaps, emulator: own.thisEmulator, deps: installed(deps.this) },
      official: { own: own.official, ownNoMaps: own.officialNoMaps, deps: installed(deps.official) },
    },
    esmEntry: { bytes: esmEntry.byteLength, gzipBytes: gzipSync(esmEntry).byteLength },
    officialEsmJs: officialEsmDir,
    bundles,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await adoptionCost();
  console.log(JSON.stringify({ ...r, deps: { this: r.deps.this.map((d) => `${d.name}@${d.version}`), official: r.deps.official.map((d) => `${d.name}@${d.version}`) } }, null, 2));
}
