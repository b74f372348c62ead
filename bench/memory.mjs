// One memory scenario in a fresh process:
//   node --expose-gc bench/memory.mjs <scenario> <endpoint> [cold|warm]
// Measures the peak RSS growth while the scenario runs: RSS sampled every millisecond plus the
// kernel's high-water mark (process.resourceUsage().maxRSS), minus the RSS just before the
// scenario (after a warm-up request, with the connection open and the modules loaded, and after a
// full GC). Inputs (the 6 MiB verify image) are allocated before the baseline.
// "cold" measures the first run in the process (after a forced GC). "warm" runs the scenario once
// unmeasured, then measures the second run with no forced GC in between: node:http allocates a fresh 64 KiB Buffer per socket read and V8 frees
// them lazily (about 32 MiB of garbage Buffers before a GC), and the allocator keeps those pages,
// so the first large transfer in any process raises RSS by ~35 MiB whatever the client does.
// Also reports the largest process.memoryUsage().arrayBuffers seen (live and not-yet-collected
// Buffers). Prints one JSON line.
import { createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createRequire } from "node:module";
import { createContender, loadOfficial, loadThis } from "./contenders.mjs";

const require = createRequire(import.meta.url);
const [scenario, endpoint, mode = "cold"] = process.argv.slice(2);
const IMAGE_ID = "Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I";
const SESSION_IMAGE_BYTES = 64 * 1024 * 1024;
const VERIFY_IMAGE_BYTES = 6 * 1024 * 1024;
const tmpFile = path.join(os.tmpdir(), `face-bench-${process.pid}.bin`);

function verifyImage() {
  // A JPEG signature followed by filler: the client sniffs the first bytes only.
  const image = Buffer.alloc(VERIFY_IMAGE_BYTES, 0x11);
  image.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
  image[image.length - 2] = 0xff;
  image[image.length - 1] = 0xd9;
  return image;
}

async function fileSize() {
  const { size } = await stat(tmpFile);
  await rm(tmpFile, { force: true });
  return size;
}

const scenarios = {
  // Streamed download through our client: readableStreamBody piped to a file.
  "this-stream": async () => {
    const { FaceSessionClient, AzureKeyCredential } = loadThis();
    const client = new FaceSessionClient(endpoint, new AzureKeyCredential("k"));
    await client.getLivenessSessionResult("warmup");
    return async () => {
      const image = await client.getSessionImage(IMAGE_ID);
      await pipeline(image.readableStreamBody, createWriteStream(tmpFile));
      return fileSize();
    };
  },
  // Buffered download through our client: bytes().
  "this-bytes": async () => {
    const { FaceSessionClient, AzureKeyCredential } = loadThis();
    const client = new FaceSessionClient(endpoint, new AzureKeyCredential("k"), { limits: { maxSessionImageBytes: 128 * 1024 * 1024 } }); // the 64 MiB bench image is over the 16 MiB default
    await client.getLivenessSessionResult("warmup");
    return async () => {
      const image = await client.getSessionImage(IMAGE_ID);
      const bytes = await image.bytes();
      return bytes.byteLength;
    };
  },
  // What-if for bytes(): the same download read into one buffer preallocated from Content-Length
  // (what SessionImage.bytes() could do), instead of collecting chunks and copying them at the end.
  "prealloc-bytes": async () => {
    const { FaceSessionClient, AzureKeyCredential } = loadThis();
    const client = new FaceSessionClient(endpoint, new AzureKeyCredential("k"));
    await client.getLivenessSessionResult("warmup");
    return async () => {
      const image = await client.getSessionImage(IMAGE_ID);
      const out = new Uint8Array(image.contentLength);
      let offset = 0;
      for await (const chunk of image.readableStreamBody) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      if (offset !== out.length) throw new Error("short read");
      return out.byteLength;
    };
  },
  // The official client's streamed download: .asNodeStream() piped to a file.
  "official-stream": async () => {
    const { createFaceClient, isUnexpected } = loadOfficial();
    const { AzureKeyCredential } = require("@azure/core-auth");
    const client = createFaceClient(endpoint, new AzureKeyCredential("k"), { apiVersion: "v1.2", allowInsecureConnection: true });
    await client.path("/detectLiveness-sessions/{sessionId}", "warmup").get();
    return async () => {
      const r = await client.path("/sessionImages/{sessionImageId}", IMAGE_ID).get().asNodeStream();
      if (isUnexpected(r) || r.status !== "200") throw new Error(`HTTP ${r.status}`);
      await pipeline(r.body, createWriteStream(tmpFile));
      return fileSize();
    };
  },
  // Floor: node:http response piped to a file.
  "raw-stream": async () => {
    const agent = new http.Agent({ keepAlive: true });
    const get = (p) =>
      new Promise((resolve, reject) =>
        http.get(`${endpoint}${p}`, { agent, headers: { "ocp-apim-subscription-key": "k" } }, resolve).on("error", reject),
      );
    (await get("/face/v1.2/detectLiveness-sessions/warmup")).resume();
    return async () => {
      const res = await get(`/face/v1.2/sessionImages/${IMAGE_ID}`);
      await pipeline(res, createWriteStream(tmpFile));
      return fileSize();
    };
  },
  // Upload of a 6 MiB verify image through our client (multipart/form-data).
  "this-upload": async () => {
    const { FaceSessionClient, AzureKeyCredential } = loadThis();
    const client = new FaceSessionClient(endpoint, new AzureKeyCredential("k"));
    await client.getLivenessSessionResult("warmup");
    const image = verifyImage();
    return async () => {
      const session = await client.createLivenessWithVerifySession({
        livenessOperationMode: "Passive",
        deviceCorrelationId: "your_device_correlation_id",
        authTokenTimeToLiveInSeconds: 60,
        verifyImage: image,
      });
      if (!session.sessionId) throw new Error("no session");
      return uploadedBytes();
    };
  },
  // The same upload through the official client.
  "official-upload": async () => {
    const { createFaceClient, isUnexpected } = loadOfficial();
    const { AzureKeyCredential } = require("@azure/core-auth");
    const client = createFaceClient(endpoint, new AzureKeyCredential("k"), { apiVersion: "v1.2", allowInsecureConnection: true });
    await client.path("/detectLiveness-sessions/{sessionId}", "warmup").get();
    const image = verifyImage();
    return async () => {
      const r = await client.path("/detectLivenessWithVerify-sessions").post({
        contentType: "multipart/form-data",
        body: [
          { name: "livenessOperationMode", body: "Passive" },
          { name: "deviceCorrelationId", body: "your_device_correlation_id" },
          { name: "authTokenTimeToLiveInSeconds", body: "60" },
          { name: "verifyImage", body: image, filename: "verify-image.jpg", contentType: "image/jpeg" },
        ],
      });
      if (isUnexpected(r)) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.body)}`);
      return uploadedBytes();
    };
  },
};

async function uploadedBytes() {
  const text = await new Promise((resolve, reject) =>
    http
      .get(`${endpoint}/__bench/uploads`, { agent: false }, (res) => {
        let t = "";
        res.on("data", (c) => (t += c));
        res.on("end", () => resolve(t));
      })
      .on("error", reject),
  );
  const { bytes, ok } = JSON.parse(text);
  if (!ok) throw new Error("the server rejected the multipart body");
  return bytes;
}

const setup = scenarios[scenario];
if (!setup) throw new Error(`unknown scenario ${scenario}`);
const run = await setup();
if (mode === "warm") {
  // Steady state: one unmeasured transfer, no forced GC afterwards (a forced GC lets the
  // allocator hand pages back to the OS, and the measured run would then just take them again).
  await run();
  await new Promise((r) => setTimeout(r, 50));
} else {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  globalThis.gc?.();
}
const baseline = process.memoryUsage.rss();
const baselineArrayBuffers = process.memoryUsage().arrayBuffers;
const maxRssBefore = process.resourceUsage().maxRSS * 1024;
let sampledPeak = baseline;
let peakArrayBuffers = baselineArrayBuffers;
const sample = () => {
  const m = process.memoryUsage();
  if (m.rss > sampledPeak) sampledPeak = m.rss;
  if (m.arrayBuffers > peakArrayBuffers) peakArrayBuffers = m.arrayBuffers;
};
const sampler = setInterval(sample, 1);
const started = performance.now();
const bytes = await run();
const ms = performance.now() - started;
clearInterval(sampler);
sample();
const maxRssAfter = process.resourceUsage().maxRSS * 1024;
const peak = Math.max(sampledPeak, maxRssAfter > maxRssBefore ? maxRssAfter : 0);
const MiB = 2 ** 20;
process.stdout.write(
  `${JSON.stringify({
    scenario,
    mode,
    bytes,
    ms,
    baselineMiB: baseline / MiB,
    peakGrowthMiB: (peak - baseline) / MiB,
    peakArrayBuffersGrowthMiB: (peakArrayBuffers - baselineArrayBuffers) / MiB,
  })}\n`,
);
process.exit(0);
