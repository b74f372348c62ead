import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type RunningEmulator } from "../../src/emulator/index.js";
import { exposedHostWarning, isLoopbackAddress } from "../../src/emulator/exposure.js";
import { sleep, waitUntil } from "./harness.js";

/**
 * The emulator's HTTP server under connection abuse: half-open and idle connections are closed
 * after bounded times and can never lock real requests out, and the number of open connections
 * has a cap. Every wait is a generous deadline, never a speed assertion.
 */

const servers: RunningEmulator[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof listen>[0] = {}): Promise<RunningEmulator> {
  const running = await listen({ key: "limits-key", ...options });
  servers.push(running);
  return running;
}

interface Tracked {
  readonly socket: Socket;
  closed: boolean;
}

async function openIdle(running: RunningEmulator, count: number, firstBytes?: string): Promise<Tracked[]> {
  const port = Number(new URL(running.endpoint).port);
  const opened = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Tracked>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1");
          sockets.push(socket);
          const tracked: Tracked = { socket, closed: false };
          socket.on("close", () => (tracked.closed = true));
          socket.on("error", () => undefined);
          socket.resume(); // read, so the server's close is seen
          socket.once("connect", () => {
            if (firstBytes !== undefined) socket.write(firstBytes);
            resolve(tracked);
          });
          socket.once("error", reject);
        }),
    ),
  );
  return opened;
}

async function create(running: RunningEmulator): Promise<number> {
  const response = await fetch(`${running.endpoint}/face/v1.2/detectLiveness-sessions`, {
    method: "POST",
    headers: { "ocp-apim-subscription-key": "limits-key", "content-type": "application/json" },
    body: JSON.stringify({ livenessOperationMode: "Passive" }),
    signal: AbortSignal.timeout(5000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("emulator HTTP server limits", () => {
  it("closes a connection that sends nothing within headersTimeoutInMs", async () => {
    const running = await start({ headersTimeoutInMs: 300 });
    const [silent] = await openIdle(running, 1);
    await waitUntil(() => silent!.closed, "the server to close a silent connection", 5000);
  });

  it("closes a connection whose request head never completes within headersTimeoutInMs", async () => {
    const running = await start({ headersTimeoutInMs: 300 });
    const [slow] = await openIdle(running, 1, "POST /face/v1.2/detectLiveness-sessions HTTP/1.1\r\nHost: x\r\n");
    await waitUntil(() => slow!.closed, "the server to close a half-sent request head", 5000);
  });

  it("closes a request whose body never completes within requestTimeoutInMs", async () => {
    const running = await start({ requestTimeoutInMs: 400 });
    const [slow] = await openIdle(
      running,
      1,
      "POST /face/v1.2/detectLiveness-sessions HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: limits-key\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    await waitUntil(() => slow!.closed, "the server to close a request whose body stalls", 5000);
  });

  it("closes an idle keep-alive connection after keepAliveTimeoutInMs", async () => {
    const running = await start({ keepAliveTimeoutInMs: 200 });
    const [client] = await openIdle(running, 1, "GET /face/v1.2/detectLiveness-sessions/x HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: limits-key\r\n\r\n");
    let answered = "";
    client!.socket.on("data", (chunk: Buffer) => (answered += chunk.toString()));
    await waitUntil(() => answered.includes("\r\n\r\n"), "the response");
    expect(answered).toMatch(/^HTTP\/1\.1 404/);
    expect(answered.toLowerCase()).toContain("keep-alive");
    await waitUntil(() => client!.closed, "the server to close the idle keep-alive connection", 2500);
  });

  it("closes a TLS connection that never sends a ClientHello", async () => {
    const running = await start({ tls: true, headersTimeoutInMs: 300 });
    const [silent] = await openIdle(running, 1);
    await waitUntil(() => silent!.closed, "the server to close a stalled TLS handshake", 5000);
  });

  it("keeps at most maxConnections open, and idle connections never lock real requests out", async () => {
    const running = await start({ maxConnections: 20 });
    const idle = await openIdle(running, 40);
    await waitUntil(() => idle.filter((t) => t.closed).length >= 20, "the server to close the connections over the cap");
    const statuses = await Promise.all(Array.from({ length: 20 }, () => create(running)));
    expect(statuses).toEqual(Array<number>(20).fill(200));
    await sleep(50);
    expect(idle.filter((t) => !t.closed).length).toBeLessThanOrEqual(20);
  });

  it("at the cap, closes the oldest idle connection and never one that is serving a request", async () => {
    const running = await start({ maxConnections: 2 });
    running.emulator.faults.enqueue({ kind: "delay", ms: 400, method: "GET" });
    const [busy] = await openIdle(running, 1, "GET /face/v1.2/detectLiveness-sessions/x HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: limits-key\r\nConnection: close\r\n\r\n");
    let busyAnswer = "";
    busy!.socket.on("data", (chunk: Buffer) => (busyAnswer += chunk.toString()));
    await sleep(50);
    const [idle] = await openIdle(running, 1);
    const [third] = await openIdle(running, 1);
    await waitUntil(() => idle!.closed, "the idle connection to make room");
    expect(third!.closed).toBe(false);
    await waitUntil(() => busyAnswer.startsWith("HTTP/1.1 404"), "the delayed request to be answered", 3000);
  });

  it("rejects limits that are not positive integers", async () => {
    await expect(listen({ maxConnections: 0 })).rejects.toThrow(new RangeError("maxConnections must be a positive integer (got 0)."));
    await expect(listen({ headersTimeoutInMs: 1.5 })).rejects.toThrow(/headersTimeoutInMs must be a positive integer/);
  });
});

describe("emulator bound to a non-loopback address", () => {
  it("tells loopback addresses from the others", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ["0.0.0.0", "::", "10.0.0.7", "192.168.1.2", "fd00::1", "::ffff:10.0.0.1", "localhost"]) expect(isLoopbackAddress(address)).toBe(false);
  });

  it("warns that the key and, with bearer tokens accepted, anyone can use it", () => {
    const warning = exposedHostWarning("0.0.0.0", false);
    expect(warning).toContain("listening on 0.0.0.0, which is not a loopback address");
    expect(warning).toContain("can use its key");
    expect(warning).not.toContain("bearer");
    expect(exposedHostWarning("::", true)).toContain("accepts ANY bearer token");
  });

  it("gives no warning on loopback", async () => {
    const warnings: string[] = [];
    await start({ host: "127.0.0.1", onWarning: (w) => warnings.push(w) });
    await start({ host: "::1", onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
  });
});
