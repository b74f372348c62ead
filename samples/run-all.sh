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
