/**
 * Starts the Express app server of ./app.ts. Offline by default: it starts the local emulator
 * (see samples/shared/connect.ts); with FACE_ENDPOINT (and FACE_APIKEY) set it uses your Face
 * resource.
 *
 *   npx ts-node samples/express-app-server/server.ts               # serves on 127.0.0.1:3000 (PORT, HOST)
 *   npx ts-node samples/express-app-server/server.ts --self-test   # one round over HTTP, exits 0 or 1
 *
 * Try it by hand against the emulator (the emulator's endpoint is printed at start):
 *
 *   curl -s -X POST localhost:3000/liveness/sessions -H 'content-type: application/json' -d '{"mode":"Passive"}'
 *   curl -s -X POST <emulator>/face/v1.2/emulator/device/attempts \
 *        -H 'authorization: Bearer <authToken>' -H 'content-type: application/json' -d '{"outcome":"realface"}'
 *   curl -s localhost:3000/liveness/sessions/<sessionId>
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { connect, playDevice, run, type SampleConnection } from "../shared/connect";
import { createApp } from "./app";

function listenOn(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`self-test failed: ${what}`);
  console.log(`  ok: ${what}`);
}

/** One create + result round through the app's HTTP endpoints, as a front end would drive it. */
async function selfTest(connection: SampleConnection, base: string): Promise<void> {
  const created = await fetch(`${base}/liveness/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode: "Passive", deviceCorrelationId: "5b0a0b4e-2d64-4c55-8f0e-6a5c0e3b9a11" }),
  });
  const session = (await created.json()) as Record<string, string>;
  expect(created.status === 201, "POST /liveness/sessions answers 201");
  expect(
    JSON.stringify(Object.keys(session).sort()) === JSON.stringify(["authToken", "expiresOn", "sessionId"]),
    "the answer holds only sessionId, authToken and expiresOn",
  );

  const pending = await fetch(`${base}/liveness/sessions/${session.sessionId}`);
  expect(pending.status === 202 && (await pending.json()).status === "pending", "GET before the device acts answers 202 pending");

  if (!connection.emulator) {
    // On Azure a person has to do the check; clean up instead of waiting.
    await connection.client.deleteLivenessSession(session.sessionId);
    console.log("  (Azure: the device step needs a person; the session was deleted.)");
    return;
  }
  await playDevice(connection, session.authToken, "realface");

  const completed = await fetch(`${base}/liveness/sessions/${session.sessionId}`);
  const result = (await completed.json()) as Record<string, unknown>;
  console.log(`  result: ${JSON.stringify(result)}`);
  expect(completed.status === 200 && result.status === "completed", "GET after the device acts answers 200 completed");
  expect(result.decision === "realface" && result.isLive === true && result.accepted === true, "the end user is accepted as live");

  const again = await fetch(`${base}/liveness/sessions/${session.sessionId}`);
  expect(again.status === 404, "the session was deleted once its result was read (404)");
}

run(async () => {
  const selfTesting = process.argv.includes("--self-test");
  const connection = await connect();
  const app = createApp(connection.client);
  const host = selfTesting ? "127.0.0.1" : (process.env.HOST ?? "127.0.0.1");
  const port = selfTesting ? 0 : Number(process.env.PORT ?? 3000);
  let server: Server;
  try {
    server = await listenOn(app, port, host);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const { port: actualPort } = server.address() as AddressInfo;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  console.log(`App server listening on ${base}`);

  const stop = async (): Promise<void> => {
    await closeServer(server);
    await connection.close();
  };
  if (selfTesting) {
    try {
      await selfTest(connection, base);
      console.log("Self-test passed.");
    } finally {
      await stop();
    }
    return;
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.log(`${signal}: shutting down.`);
      void stop();
    });
  }
});
