/**
 * Shared helpers of the reliability suite: raw `node:http` servers with byte-level control,
 * socket and timer leak probes, an unhandled-rejection tracker, a client-side socket-tracking
 * agent, a recording transport and a TCP proxy that loses responses.
 *
 * Nothing here depends on wall-clock speed for pass/fail: waits poll a condition with a generous
 * deadline, and timing assertions elsewhere are lower bounds only.
 */
import { createServer as createHttpsServer } from "node:https";
import { Agent as HttpAgent, createServer, type ClientRequestArgs, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
  type PipelineRetryOptions,
} from "@azure/core-rest-pipeline";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { AzureKeyCredential, FaceSessionClient, type FaceSessionClientOptions } from "../../src/index.js";
import { resolveLimits } from "../../src/http/limits.js";
import { createNodeHttpClient } from "../../src/http/nodeHttpClient.js";

/** Fast retries used by every reliability test: 1 + 3 attempts, delays of at most 20 ms. */
export const FAST_RETRY = { retryDelayInMs: 1, maxRetryDelayInMs: 20, maxRetries: 3 } as const;
/** Attempts of an operation that is retried to exhaustion with {@link FAST_RETRY}. */
export const MAX_ATTEMPTS = FAST_RETRY.maxRetries + 1;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every few ms until it holds; throws after `timeoutMs` (a generous deadline, never a speed assertion). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Settles `promise` and returns its rejection reason; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

/** Calls `fn` and returns what it threw synchronously or as a rejection; fails when it succeeds. */
export async function failureOf(fn: () => unknown): Promise<any> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

// ---------------------------------------------------------------------------------------------
// Leak probes
// ---------------------------------------------------------------------------------------------

/** Ref'ed timers (`setTimeout`/`setInterval`) currently keeping the event loop alive. */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
}

interface TrackedTimer {
  timer?: NodeJS.Timeout;
  readonly stack: string;
  fired: boolean;
}

/**
 * Records every timer created through the global `setTimeout` / `setInterval` (which is what the
 * client, core's transport and its retry delays use) until `stop()`. `pending()` lists those still
 * armed and ref'ed, with the stack that created them.
 *
 * Why not only `process.getActiveResourcesInfo()`: vitest arms a short-lived timer of its own at
 * the start of every test, so a baseline taken there is one too high and would hide one leaked
 * timer. Vitest keeps its own (unpatched) timer functions, so they never show up here.
 */
export function trackTimers(): { pending(): string[]; stop(): void } {
  const real = {
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
  };
  const tracked: TrackedTimer[] = [];
  const wrap = (create: typeof globalThis.setTimeout | typeof globalThis.setInterval, repeat: boolean) =>
    Object.assign(
      (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
        const entry: TrackedTimer = { stack: new Error("timer created at").stack ?? "", fired: false };
        const timer = (create as (cb: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => NodeJS.Timeout)(
          (...callArgs: unknown[]) => {
            if (!repeat) entry.fired = true;
            callback(...callArgs);
          },
          ms,
          ...args,
        );
        entry.timer = timer;
        tracked.push(entry);
        return timer;
      },
      create,
    );
  (globalThis as { setTimeout: unknown }).setTimeout = wrap(real.setTimeout, false);
  (globalThis as { setInterval: unknown }).setInterval = wrap(real.setInterval, true);
  return {
    pending: () =>
      tracked
        .filter((t) => {
          const timer = t.timer as (NodeJS.Timeout & { _destroyed?: boolean }) | undefined;
          return timer !== undefined && !t.fired && timer._destroyed !== true && timer.hasRef();
        })
        .map((t) => t.stack.split("\n").slice(1, 6).join("\n")),
    stop: () => {
      globalThis.setTimeout = real.setTimeout;
      globalThis.setInterval = real.setInterval;
    },
  };
}

/**
 * Waits up to `settleMs` for the timers the test created to be fired or cleared, then asserts none
 * is left, and that `process.getActiveResourcesInfo()` has no more "Timeout" entries than
 * `baseline`.
 */
export async function expectNoExtraTimers(
  baseline: number,
  timers?: { pending(): string[] },
  settleMs = 300,
): Promise<void> {
  const deadline = Date.now() + settleMs;
  const leaking = (): boolean => activeTimeouts() > baseline || (timers?.pending().length ?? 0) > 0;
  while (leaking() && Date.now() < deadline) await sleep(10);
  expect(timers?.pending() ?? [], "timers created during the test and still armed").toEqual([]);
  expect(activeTimeouts(), "ref'ed timers left behind (getActiveResourcesInfo)").toBeLessThanOrEqual(baseline);
}

/**
 * Wraps a test body: tracks the timers it creates and the ref'ed timer count before it, runs it,
 * and asserts that no timer is left armed afterwards (after a short settle).
 */
export function leakChecked(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    const baseline = activeTimeouts();
    const timers = trackTimers();
    try {
      await body();
      await expectNoExtraTimers(baseline, timers);
    } finally {
      timers.stop();
    }
  };
}

/**
 * Registers a `process.on("unhandledRejection")` listener for the file and asserts after each test
 * that no rejection went unhandled. Returns the live list.
 */
export function trackUnhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  beforeAll(() => {
    process.on("unhandledRejection", listener);
  });
  afterEach(async () => {
    // Unhandled rejections are reported after the microtask queue drains: give it a few turns.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    const found = seen.splice(0);
    expect(found, "unhandled rejections during the test").toEqual([]);
  });
  afterAll(() => {
    process.off("unhandledRejection", listener);
  });
  return seen;
}

// ---------------------------------------------------------------------------------------------
// Client-side socket tracking
// ---------------------------------------------------------------------------------------------

/**
 * A keep-alive `http.Agent` (what the default Node transport uses) that records every socket it
 * opens. `busy()` counts sockets still assigned to a request; idle pooled sockets are unref'ed by
 * Node and are not leaks.
 */
export class TrackingAgent extends HttpAgent {
  /** Sockets opened so far. */
  created = 0;
  /** Sockets closed so far. */
  closed = 0;
  readonly #open = new Set<Duplex>();

  constructor() {
    super({ keepAlive: true });
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket) {
      this.created++;
      this.#open.add(socket);
      socket.once("close", () => {
        this.closed++;
        this.#open.delete(socket);
      });
    }
    return socket;
  }

  /** Sockets not closed yet (busy or idle in the pool). */
  get open(): number {
    return this.#open.size;
  }

  /** Sockets currently assigned to a request (not idle in the pool). */
  busy(): number {
    let count = 0;
    for (const list of Object.values(this.sockets)) count += list?.length ?? 0;
    return count;
  }

  /** Closes every socket (afterEach only). */
  override destroy(): void {
    super.destroy();
    for (const socket of this.#open) socket.destroy();
  }
}

/** Asserts that no socket of `agent` is still held by a request once the call settled. */
export async function expectNoBusySockets(agent: TrackingAgent): Promise<void> {
  const deadline = Date.now() + 1000;
  while (agent.busy() > 0 && Date.now() < deadline) await sleep(5);
  expect(agent.busy(), "client sockets still held by a request").toBe(0);
}

// ---------------------------------------------------------------------------------------------
// Raw node:http server
// ---------------------------------------------------------------------------------------------

/** A request as a raw server saw it. */
export interface SeenRequest {
  readonly method: string;
  /** The request target as sent on the wire (path and query). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** Handles one request; `index` counts requests seen by the server from 0. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, index: number) => void | Promise<void>;

/**
 * A `node:http` server on 127.0.0.1, port 0, whose handler a test sets. Records every request
 * and tracks every connection (`server.on("connection")`), so tests can check that the client
 * closed its sockets without the server's help.
 */
export class RawServer {
  readonly requests: SeenRequest[] = [];
  /** Connections accepted so far. */
  connections = 0;
  handler: RawHandler = (_req, res) => {
    res.writeHead(500);
    res.end();
  };
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  #port = 0;

  readonly #scheme: "http" | "https";

  private constructor(tls?: { key: Buffer; cert: Buffer }) {
    this.#scheme = tls ? "https" : "http";
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      const index = this.requests.length;
      this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      Promise.resolve(this.handler(req, res, index)).catch(() => req.socket.destroy());
    };
    this.#server = tls ? createHttpsServer(tls, onRequest) : createServer(onRequest);
    this.#server.on(tls ? "secureConnection" : "connection", (socket: Socket) => {
      this.connections++;
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  /** Starts a server on 127.0.0.1 and a free port (HTTPS when `tls` is given). */
  static async start(handler?: RawHandler, tls?: { key: Buffer; cert: Buffer }): Promise<RawServer> {
    const server = new RawServer(tls);
    if (handler) server.handler = handler;
    await new Promise<void>((resolve, reject) => {
      server.#server.once("error", reject);
      server.#server.listen(0, "127.0.0.1", () => resolve());
    });
    server.#port = (server.#server.address() as AddressInfo).port;
    return server;
  }

  get port(): number {
    return this.#port;
  }

  get endpoint(): string {
    return `${this.#scheme}://127.0.0.1:${this.#port}`;
  }

  /** Connections still open (the client's or the server's side has not closed them). */
  get open(): number {
    return this.#sockets.size;
  }

  /** Requests seen, optionally only those with `method` whose path starts with `pathPrefix`. */
  count(method?: string, pathPrefix?: string): number {
    return this.requests.filter(
      (r) => (method === undefined || r.method === method) && (pathPrefix === undefined || r.url.startsWith(pathPrefix)),
    ).length;
  }

  /** Waits until every connection is closed, without closing any itself. */
  async expectClientClosedAll(what = "the client to close its connection"): Promise<void> {
    await waitUntil(() => this.open === 0, what);
  }

  /** Forgets requests, restores the default handler and closes every connection (afterEach only). */
  reset(): void {
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    this.requests.length = 0;
    this.connections = 0;
    this.handler = (_req, res) => {
      res.writeHead(500);
      res.end();
    };
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Reads a whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Answers with a complete body (Content-Length set). */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer = "",
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  res.end(bytes);
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { "content-type": "application/json; charset=utf-8", ...headers });
}

/** Reads the whole request body, then destroys the connection without answering. */
export async function resetAfterBody(req: IncomingMessage): Promise<void> {
  await readBody(req);
  req.socket.destroy();
}

/** Sends the status line, headers (with the full Content-Length) and half of `body`, then destroys the connection. */
export async function resetMidResponse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: Buffer,
  contentType: string,
): Promise<void> {
  await readBody(req);
  res.writeHead(status, { "content-type": contentType, "content-length": String(body.length) });
  res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => {
    setImmediate(() => req.socket.destroy());
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Transports
// ---------------------------------------------------------------------------------------------

/** One request as a recording transport saw it. */
export interface RecordedCall {
  readonly method: string;
  readonly url: string;
  /** The body when it is a string (JSON requests). */
  readonly body?: string;
}

/**
 * The client's own transport (default limits), recording every request (method and URL) before
 * sending it; `calls.length` counts attempts as the transport saw them (retries included).
 */
export function recordingHttpClient(inner: HttpClient = defaultTransport()): { httpClient: HttpClient; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    httpClient: {
      sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
        calls.push({ method: request.method, url: request.url, ...(typeof request.body === "string" ? { body: request.body } : {}) });
        return inner.sendRequest(request);
      },
    },
  };
}

/** The transport a client builds for itself when no `httpClient` is given. */
export function defaultTransport(): HttpClient {
  const limits = resolveLimits();
  return createNodeHttpClient({ limits: { maxBufferedBodyBytes: limits.maxResponseBodyBytes, idleTimeoutInMs: limits.idleTimeoutInMs } });
}

/**
 * A transport that never touches the network: records every request and answers 404
 * `SessionNotFound`. For property tests that send thousands of requests.
 */
export function stubHttpClient(): { httpClient: HttpClient; calls: RecordedCall[] } {
  return recordingHttpClient({
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      return {
        request,
        status: 404,
        headers: createHttpHeaders({ "content-type": "application/json" }),
        bodyAsText: '{"error":{"code":"SessionNotFound","message":"Session does not exist."}}',
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy that loses responses
// ---------------------------------------------------------------------------------------------

/**
 * A TCP proxy to `127.0.0.1:targetPort`. For the connections `drop(index)` selects (index counts
 * accepted connections from 0), the request goes through to the target, which handles it fully;
 * as soon as the first response byte comes back, both sockets are destroyed and the client never
 * sees an answer: a reset after the request was sent and processed.
 */
export class ResponseLosingProxy {
  connections = 0;
  droppedResponses = 0;
  drop: (index: number) => boolean = () => false;
  readonly #server: TcpServer;
  readonly #sockets = new Set<Socket>();
  #port = 0;

  private constructor(targetPort: number) {
    this.#server = createTcpServer((client) => {
      const index = this.connections++;
      const upstream = connect(targetPort, "127.0.0.1");
      this.#sockets.add(client).add(upstream);
      client.once("close", () => this.#sockets.delete(client));
      upstream.once("close", () => this.#sockets.delete(upstream));
      const dropThis = this.drop(index);
      client.pipe(upstream);
      if (dropThis) {
        upstream.once("data", () => {
          this.droppedResponses++;
          client.destroy();
          upstream.destroy();
        });
      } else {
        upstream.pipe(client);
      }
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
  }

  static async start(targetPort: number): Promise<ResponseLosingProxy> {
    const proxy = new ResponseLosingProxy(targetPort);
    await new Promise<void>((resolve) => proxy.#server.listen(0, "127.0.0.1", () => resolve()));
    proxy.#port = (proxy.#server.address() as AddressInfo).port;
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  reset(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.connections = 0;
    this.droppedResponses = 0;
    this.drop = () => false;
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * A raw server for the whole file and a fresh tracking agent per test, with the hooks that start,
 * reset and close them. `clientFor()` builds a client with fast retries (overridable) on that agent.
 */
export function useRawServer(key: string) {
  const fixture = {
    server: undefined as unknown as RawServer,
    agent: undefined as unknown as TrackingAgent,
    clientFor: (retryOptions: PipelineRetryOptions = {}): FaceSessionClient =>
      new FaceSessionClient(fixture.server.endpoint, new AzureKeyCredential(key), {
        retryOptions: { ...FAST_RETRY, ...retryOptions },
        agent: fixture.agent,
      }),
  };
  beforeAll(async () => {
    fixture.server = await RawServer.start();
  });
  afterAll(async () => {
    await fixture.server.close();
  });
  beforeEach(() => {
    fixture.agent = new TrackingAgent();
  });
  afterEach(() => {
    fixture.server.reset();
    fixture.agent.destroy();
  });
  return fixture;
}

/**
 * The client's two transports, each held to the same tests: undici (every direct request) and
 * node:http (taken when the caller passes an `agent`, a proxy applies, or node:http is intercepted).
 * Each entry gives the client options that select it.
 */
export const TRANSPORTS: ReadonlyArray<readonly [string, () => FaceSessionClientOptions]> = [
  ["undici (direct requests)", () => ({})],
  ["node:http (a caller's keep-alive agent)", () => ({ agent: new HttpAgent({ keepAlive: true }) })],
];
