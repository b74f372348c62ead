import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Samples and their tests import the package by name; in tests that name is the source, so
    // `npm test` needs no build and every import shares one copy of the library.
    alias: [
      { find: /^azure-face-liveness\/emulator$/, replacement: src("emulator/index.ts") },
      { find: /^azure-face-liveness$/, replacement: src("index.ts") },
    ],
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text", "json-summary"],
    },
  },
});
