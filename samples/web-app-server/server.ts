/**
 * A web-standard app server (`Request → Response`, here with Hono) that runs unchanged on
 * Node.js, Bun and Deno. The front end calls it; it calls the Face service with the API key,
 * which never leaves the server.
 *
 *   POST /liveness/sessions                 { mode?: "Passive" | "PassiveActive" } → 201 { sessionId, authToken, expiresOn }
 *   POST /liveness/verify-sessions          body: the reference image (JPEG/PNG/...) → 201 { sessionId, authToken, expiresOn }
 *   GET  /liveness/sessions/:id             → 202 { verdict: "pending", reason } until the end user finished,
 *                                             then 200 { verdict: "accepted" | "rejected", reason?, decision, sessionImageId? }
 *                                             once, and the session is deleted
 *   GET  /liveness/verify-sessions/:id      the same for a liveness-with-verify session (adds isIdentical)
 *   GET  /liveness/images/:imageId          the session image, streamed through (Content-Type, Content-Length)
 *
 * Usage (against the emulator unless FACE_ENDPOINT and FACE_APIKEY are set):
 *   npx ts-node samples/web-app-server/server.ts --serve       (Node; or: bun …/server.ts --serve, deno run -A …/server.ts --serve)
 *   npx ts-node samples/web-app-server/server.ts --self-test   starts it on a free loopback port, drives one round as a front end would
 */
import { Hono } from "hono";
import {
  AzureKeyCredential,
  FaceSessionClient,
  isFaceRestError,
  summarizeLivenessSession,
  summarizeLivenessWithVerifySession,
  type LivenessSessionSummary,
} from "azure-face-liveness";
import { listen } from "azure-face-liveness/emulator";

const MAX_REFERENCE_IMAGE_BYTES = 6 * 1024 * 1024;

/** The app: every route a front end needs, on one client. */
export function createApp(client: FaceSessionClient): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    // Log what support needs (code and request id), never the message of an unknown error.
    if (isFaceRestError(error)) {
      console.error(`face service error: ${error.statusCode} ${error.code} requestId=${error.requestId}`);
      if (error.statusCode === 404) return c.json({ error: "not found" }, 404);
      return c.json({ error: "the face service failed" }, 502);
    }
    if (error instanceof TypeError || error instanceof RangeError) return c.json({ error: error.message }, 400);
    console.error(`unexpected error: ${error.name}`);
    return c.json({ error: "internal error" }, 500);
  });

  app.post("/liveness/sessions", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { mode?: unknown };
    const mode = body.mode ?? "PassiveActive";
    if (typeof mode !== "string") return c.json({ error: "mode must be a string" }, 400);
    // "passive" is sent as the service's "Passive".
    const session = await client.createLivenessSession({ livenessOperationMode: mode, enableSessionImage: true });
    return c.json({ sessionId: session.sessionId, authToken: session.authToken, expiresOn: session.authTokenExpiresOn }, 201);
  });

  app.post("/liveness/verify-sessions", async (c) => {
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > MAX_REFERENCE_IMAGE_BYTES) return c.json({ error: "the reference image is larger than 6 MB" }, 413);
    const image = c.req.raw.body;
    if (image === null) return c.json({ error: "send the reference image as the request body" }, 400);
    // The request's own web ReadableStream goes straight in: no Buffer, no temporary file.
    const session = await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: image });
    return c.json({ sessionId: session.sessionId, authToken: session.authToken, expiresOn: session.authTokenExpiresOn }, 201);
  });

  /** The answer once a summary is there: pending (202) or the decision (200, then the session is deleted). */
  const decide = async (summary: LivenessSessionSummary, remove: () => Promise<unknown>, extra: object = {}) => {
    if (summary.verdict === "pending") {
      return { status: 202 as const, body: { verdict: "pending", reason: summary.reason } };
    }
    await remove(); // revokes the token; the result is read once
    return {
      status: 200 as const,
      body: { verdict: summary.verdict, reason: summary.reason, decision: summary.livenessDecision ?? null, sessionImageId: summary.sessionImageId, ...extra },
    };
  };

  app.get("/liveness/sessions/:id", async (c) => {
    const id = c.req.param("id");
    const summary = summarizeLivenessSession(await client.getLivenessSessionResult(id));
    const { status, body } = await decide(summary, () => client.deleteLivenessSession(id));
    return c.json(body, status);
  });

  app.get("/liveness/verify-sessions/:id", async (c) => {
    const id = c.req.param("id");
    const summary = summarizeLivenessWithVerifySession(await client.getLivenessWithVerifySessionResult(id));
    const { status, body } = await decide(summary, () => client.deleteLivenessWithVerifySession(id), { isIdentical: summary.isIdentical });
    return c.json(body, status);
  });

  app.get("/liveness/images/:imageId", async (c) => {
    const image = await client.getSessionImage(c.req.param("imageId"), { abortSignal: c.req.raw.signal });
    // The image's web stream and headers make the Response directly.
    return new Response(image.stream(), { headers: image.headers });
  });

  return app;
}

/** A client for FACE_ENDPOINT / FACE_APIKEY, or for a fresh emulator (returned to be closed). */
async function connect() {
  const endpoint = process.env.FACE_ENDPOINT;
  if (endpoint) {
    return { client: new FaceSessionClient(endpoint, new AzureKeyCredential(process.env.FACE_APIKEY ?? "")), emulator: undefined };
  }
  const emulator = await listen();
  return { client: new FaceSessionClient(emulator.endpoint, new AzureKeyCredential(emulator.key)), emulator };
}

interface Served {
  readonly url: string;
  close(): Promise<void>;
}

declare const Bun: { serve(o: { port: number; hostname: string; fetch: (r: Request) => Response | Promise<Response> }): { port: number; stop(force?: boolean): void } } | undefined;
declare const Deno: {
  serve(o: { port: number; hostname: string; onListen?: (a: { port: number }) => void }, fetch: (r: Request) => Response | Promise<Response>): { addr: { port: number }; shutdown(): Promise<void> };
  exit(code: number): never;
} | undefined;

/** Serves `fetch` on loopback with the runtime's own server (Node: @hono/node-server). */
async function serve(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<Served> {
  const hostname = "127.0.0.1";
  if (typeof Bun !== "undefined") {
    const server = Bun.serve({ port, hostname, fetch });
    return { url: `http://${hostname}:${server.port}`, close: async () => server.stop(true) };
  }
  if (typeof Deno !== "undefined") {
    const server = Deno.serve({ port, hostname, onListen: () => undefined }, fetch);
    return { url: `http://${hostname}:${server.addr.port}`, close: () => server.shutdown() };
  }
  const { serve: serveNode } = await import("@hono/node-server");
  return new Promise((resolve) => {
    const server = serveNode({ fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

function runtimeName(): string {
  if (typeof Bun !== "undefined") return "Bun";
  if (typeof Deno !== "undefined") return "Deno";
  return `Node.js ${process.version}`;
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`self-test failed: ${what}`);
  console.log(`  ok: ${what}`);
}

/** One round as a front end would drive it, against the emulator. */
async function selfTest(): Promise<void> {
  const { client, emulator } = await connect();
  if (emulator === undefined) throw new Error("--self-test runs against the emulator: unset FACE_ENDPOINT.");
  const server = await serve(createApp(client).fetch, 0);
  console.log(`web app server on ${runtimeName()} at ${server.url}`);
  try {
    const created = await fetch(`${server.url}/liveness/sessions`, { method: "POST", body: JSON.stringify({ mode: "passive" }), headers: { "content-type": "application/json" } });
    const session = (await created.json()) as { sessionId: string; authToken: string };
    expect(created.status === 201 && typeof session.authToken === "string", "POST /liveness/sessions → 201 with an authToken");
    const pending = await fetch(`${server.url}/liveness/sessions/${session.sessionId}`);
    expect(pending.status === 202 && ((await pending.json()) as { reason: string }).reason === "notStarted", "202 pending (notStarted) before the end user acts");

    emulator.emulator.simulateDevice(session.authToken, "realface"); // the end user takes the check
    const done = await fetch(`${server.url}/liveness/sessions/${session.sessionId}`);
    const result = (await done.json()) as { verdict: string; decision: string; sessionImageId?: string };
    expect(done.status === 200 && result.verdict === "accepted" && result.decision === "realface", "200 accepted (realface)");
    const gone = await fetch(`${server.url}/liveness/sessions/${session.sessionId}`);
    expect(gone.status === 404, "the session was deleted once its result was read (404)");

    const image = await fetch(`${server.url}/liveness/images/${result.sessionImageId}`);
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(image.status === 200 && bytes.length > 0 && Number(image.headers.get("content-length")) === bytes.length, "the session image streams through with its length");

    const reference = await fetch(`${server.url}/liveness/images/${result.sessionImageId}`); // any face image will do as a reference
    const verify = await fetch(`${server.url}/liveness/verify-sessions`, { method: "POST", body: await reference.arrayBuffer(), headers: { "content-type": "image/png" } });
    const verifySession = (await verify.json()) as { sessionId: string; authToken: string };
    expect(verify.status === 201, "POST /liveness/verify-sessions with the image as the body → 201");
    emulator.emulator.simulateDevice(verifySession.authToken, { outcome: "realface", matchConfidence: 0.2 });
    const verified = (await (await fetch(`${server.url}/liveness/verify-sessions/${verifySession.sessionId}`)).json()) as { verdict: string; reason: string };
    expect(verified.verdict === "rejected" && verified.reason === "notIdentical", "rejected (notIdentical) for a low match confidence");
    console.log("Self-test passed.");
  } finally {
    await server.close();
    await emulator.close();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--self-test")) {
    await selfTest();
  } else if (process.argv.includes("--serve")) {
    const { client } = await connect();
    const server = await serve(createApp(client).fetch, Number(process.env.PORT ?? 3000));
    console.log(`web app server on ${runtimeName()} at ${server.url}`);
    return;
  } else {
    return; // imported (e.g. by a test): createApp only
  }
  // Some runtimes keep the process alive after the servers closed (Deno with open handles): exit.
  if (typeof Deno !== "undefined") Deno.exit(0);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
