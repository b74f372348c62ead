import { defineConfig, type Options } from "tsup";

/**
 * core's proxy policy imports `https-proxy-agent` / `http-proxy-agent`, CommonJS packages that
 * `require("net")` when loaded. This client never uses that policy (its transport tunnels
 * proxies itself), but bundlers keep the CommonJS `require` calls, and an ESM bundle of any
 * consumer then fails at start with `Dynamic require of "net" is not supported`. The ESM build
 * therefore inlines core-rest-pipeline (tree-shaken) with those two packages replaced by empty
 * modules; the CommonJS build keeps core-rest-pipeline external.
 */
const withoutProxyAgents: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "without-proxy-agents",
  setup(build) {
    build.onResolve({ filter: /^(https|http)-proxy-agent$/ }, (args) => ({ path: args.path, namespace: "without-proxy-agents" }));
    build.onLoad({ filter: /.*/, namespace: "without-proxy-agents" }, () => ({
      contents: "export class HttpsProxyAgent {}\nexport class HttpProxyAgent {}\n",
      loader: "js",
    }));
  },
};

const common: Options = {
  entry: {
    index: "src/index.ts",
    "emulator/index": "src/emulator/index.ts",
    "emulator/cli": "src/emulator/cli.ts",
  },
  sourcemap: true,
  target: "node20",
  platform: "node",
  splitting: false,
  treeshake: true,
};

export default defineConfig([
  {
    ...common,
    format: ["cjs"],
    dts: { entry: { index: "src/index.ts", "emulator/index": "src/emulator/index.ts" } },
    // Each build removes only its own files: the two run at the same time.
    clean: ["**/*.js", "**/*.js.map", "**/*.d.ts"],
  },
  {
    ...common,
    format: ["esm"],
    clean: ["**/*.mjs", "**/*.mjs.map", "**/*.d.mts"],
    dts: { entry: { index: "src/index.ts", "emulator/index": "src/emulator/index.ts" } },
    noExternal: ["@azure/core-rest-pipeline", "@typespec/ts-http-runtime", "@azure/core-util"],
    esbuildPlugins: [withoutProxyAgents],
  },
]);
