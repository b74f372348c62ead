// Measures how the emulator holds up under abuse (run after `npm run build`):
//   node bench/emulatorLimits.mjs memory   -- heap and RSS after creating 100k sessions in-process
//                                             (EMU_MAX_SESSIONS sets the emulator's maxSessions)
//   node bench/emulatorLimits.mjs sockets  -- 1,100 idle TCP connections to a server limited to
//                                             1,024 open files, then 20 normal requests
// Each measurement runs in a fresh child process. Bounded: 100k creates; sockets phase waits at
// most EMU_WAIT_S (default 20) seconds for the server to drop the idle connections.
import { execFileSync, spawn } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EMULATOR = pathToFileURL(path.join(ROOT, "dist/emulator/index.mjs")).href;
const SESSIONS = Number(process.env.EMU_SESSIONS ?? 100_000);
const IDLE = Number(process.env.EMU_IDLE ?? 1100);
const WAIT_S = Number(process.env.EMU_WAIT_S ?? 20);

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function memoryChild() {
  const { FaceLivenessEmulator } = await import(EMULATOR);
  const max = process.env.EMU_MAX_SESSIONS;
  const emulator = new FaceLivenessEmulator({ key: "k", ...(max ? { maxSessions: Number(max) } : {}) });
  globalThis.gc();
  const before = process.memoryUsage();
  let created = 0;
  let refused = 0;
  for (let i = 0; i < SESSIONS; i++) {
    const response = await emulator.handle(
      new Request("http://emulator.test/face/v1.2/detectLiveness-sessions", {
        method: "POST",
        headers: { "ocp-apim-subscription-key": "k", "content-type": "application/json" },
        body: JSON.stringify({ livenessOperationMode: "Passive", deviceCorrelationId: crypto.randomUUID() }),
      }),
    );
    if (response.status === 200) created++;
    else refused++;
    await response.arrayBuffer();
  }
  globalThis.gc();
  const after = process.memoryUsage();
  console.log(JSON.stringify({ created, refused, stored: emulator.sessionCount, heapUsedDelta: after.heapUsed - before.heapUsed, rss: after.rss }));
  emulator.close?.();
}

async function serverChild() {
  const { listen } = await import(EMULATOR);
  const running = await listen({ key: "k" });
  process.stdout.write(`${running.endpoint}\n`);
}

const closedAt = [];
function openIdle(port, count) {
  return new Promise((resolve) => {
    const sockets = [];
    let settled = 0;
    let failed = 0;
    for (let i = 0; i < count; i++) {
      const socket = connect(port, "127.0.0.1");
      socket.resume(); // read, so the server's close is seen
      socket.on("close", () => closedAt.push(Date.now()));
      socket.on("connect", () => ++settled === count && resolve({ sockets, failed }));
      socket.on("error", () => {
        failed++;
        if (++settled === count) resolve({ sockets, failed });
      });
      sockets.push(socket);
    }
  });
}

async function normalRequests(endpoint, count) {
  let ok = 0;
  const results = await Promise.allSettled(
    Array.from({ length: count }, () =>
      fetch(`${endpoint}/face/v1.2/detectLiveness-sessions`, {
        method: "POST",
        headers: { "ocp-apim-subscription-key": "k", "content-type": "application/json", connection: "close" },
        body: JSON.stringify({ livenessOperationMode: "Passive" }),
        signal: AbortSignal.timeout(5000),
      }),
    ),
  );
  for (const r of results) if (r.status === "fulfilled" && r.value.status === 200) ok++;
  return ok;
}

async function sockets() {
  const server = spawn("bash", ["-c", `ulimit -n 1024 && exec "${process.execPath}" "${fileURLToPath(import.meta.url)}" server-child`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const endpoint = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim())));
  const port = Number(new URL(endpoint).port);
  const { sockets: idle, failed } = await openIdle(port, IDLE);
  const opened = Date.now();
  await new Promise((r) => setTimeout(r, 500));
  const closedBeforeRequests = closedAt.length;
  const okNow = await normalRequests(endpoint, 20);
  while (closedAt.length < idle.length && Date.now() - opened < WAIT_S * 1000) await new Promise((r) => setTimeout(r, 100));
  const all = closedAt.length === idle.length;
  console.log(
    JSON.stringify({
      idleOpened: IDLE - failed,
      idleConnectErrors: failed,
      idleClosedWithin500ms: closedBeforeRequests,
      normalOk: `${okNow}/20`,
      idleClosedByServer: closedAt.length,
      allIdleClosedAfterS: all ? ((Math.max(...closedAt) - opened) / 1000).toFixed(1) : `>${WAIT_S}`,
    }),
  );
  for (const s of idle) s.destroy();
  server.kill();
}

const mode = process.argv[2];
if (mode === "memory-child") await memoryChild();
else if (mode === "server-child") await serverChild();
else if (mode === "memory") {
  const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "memory-child"], { encoding: "utf8" });
  const r = JSON.parse(out);
  console.log(`memory: ${r.created} created, ${r.refused} refused, ${r.stored} stored; heap +${mib(r.heapUsedDelta)}, rss ${mib(r.rss)}`);
} else if (mode === "sockets") await sockets();
else {
  console.error("usage: node bench/emulatorLimits.mjs memory|sockets");
  process.exitCode = 2;
}
