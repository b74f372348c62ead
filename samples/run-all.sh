#!/usr/bin/env bash
# Runs every sample offline against the emulator (needs `npm run build` first).
set -euo pipefail
cd "$(dirname "$0")/.."
unset FACE_ENDPOINT FACE_APIKEY
for sample in liveness livenessWithVerify sessionImageAndDetect waitingForResults errorHandling previewSettings demo; do
  [ -f "samples/$sample.ts" ] || continue
  echo "== samples/$sample.ts"
  npx ts-node "samples/$sample.ts"
done
# The Express app server: starts it on a free loopback port, drives one create + result round
# over HTTP (as a front end would), stops it; exits non-zero if any step fails.
echo "== samples/express-app-server/server.ts --self-test"
npx ts-node samples/express-app-server/server.ts --self-test
# The web-standard (Request → Response, Hono) app server: the same file on Node, Bun and Deno.
echo "== samples/web-app-server/server.ts --self-test on Node"
npx ts-node samples/web-app-server/server.ts --self-test
for runtime in bun deno; do
  echo "== samples/web-app-server/server.ts --self-test on $runtime"
  node test/utils/runtimes.mjs "$runtime" samples/web-app-server/server.ts --self-test
done
