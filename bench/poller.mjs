// Poller efficiency at the default settings, in a fresh process:
//   node bench/poller.mjs <endpoint> <windowSeconds>
// Runs concurrently, against sessions of the loopback server whose id encodes when they flip from
// NotStarted to Succeeded ("flip-<epochMs>"):
//   - one session that never flips, waited on with timeoutInMs = window: GETs issued in the window;
//   - sessions flipping at known offsets: delay from the flip to waitForLivenessSessionResult
//     resolving, and the GETs it took.
// The server counts the GETs per session id. Prints one JSON line, or { skipped } when the built
// client has no waitForLivenessSessionResult.
import http from "node:http";
import { loadThis } from "./contenders.mjs";

const [endpoint, windowArg] = process.argv.slice(2);
const windowMs = Number(windowArg ?? 30) * 1000;
const mod = loadThis();
const client = new mod.FaceSessionClient(endpoint, new mod.AzureKeyCredential("k"));
if (typeof client.waitForLivenessSessionResult !== "function") {
  process.stdout.write(`${JSON.stringify({ skipped: "FaceSessionClient.waitForLivenessSessionResult does not exist in dist/" })}\n`);
  process.exit(0);
}

function count(id) {
  return new Promise((resolve, reject) =>
    http
      .get(`${endpoint}/__bench/count?id=${encodeURIComponent(id)}`, { agent: false }, (res) => {
        let t = "";
        res.on("data", (c) => (t += c));
        res.on("end", () => resolve(JSON.parse(t).count));
      })
      .on("error", reject),
  );
}

// Flip offsets (s) chosen to land at different points of the backoff schedule; all must finish
// inside the window.
const offsets = [1, 3, 7, 12, 18, 24].filter((s) => s * 1000 < windowMs - 3000);
const start = Date.now() + 200;
await new Promise((r) => setTimeout(r, 200));

const idleId = `flip-${start + 10 * 24 * 3600 * 1000}`;
const idle = (async () => {
  const t0 = Date.now();
  const outcome = await client.waitForLivenessSessionResult(idleId, { timeoutInMs: windowMs });
  return { reason: outcome.reason, elapsedMs: Date.now() - t0, requests: await count(idleId) };
})();

const flips = offsets.map(async (offset) => {
  const flipAt = start + offset * 1000;
  const id = `flip-${flipAt}`;
  const t0 = Date.now();
  const outcome = await client.waitForLivenessSessionResult(id, { timeoutInMs: windowMs });
  const done = Date.now();
  return {
    flipAfterS: offset,
    reason: outcome.reason,
    returnedAfterS: (done - t0) / 1000,
    delayAfterResultMs: done - flipAt,
    requests: await count(id),
  };
});

const [idleResult, ...flipResults] = await Promise.all([idle, ...flips]);
const defaults = {
  intervalInMs: mod.DEFAULT_POLL_INTERVAL_IN_MS,
  backoffMultiplier: mod.DEFAULT_POLL_BACKOFF_MULTIPLIER,
  maxIntervalInMs: mod.DEFAULT_POLL_MAX_INTERVAL_IN_MS,
};
process.stdout.write(`${JSON.stringify({ windowMs, defaults, idle: idleResult, flips: flipResults })}\n`);
process.exit(0);
