import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { EmulatorConsole, type EmulatorConsoleAccess } from "./console/server.js";
import { FaceLivenessEmulator } from "./core.js";
import { ConnectionCap } from "./connections.js";
import { exposedHostWarning, isLoopbackAddress } from "./exposure.js";
import { normalizeRemoteAddress } from "./ipAddress.js";
import type { FaceLivenessEmulatorOptions } from "./options.js";
import { errorResponse } from "./responses.js";
import { createDevelopmentCertificates } from "./tls/certificates.js";

/** HTTPS settings of {@link listen}. */
export interface ListenTlsOptions {
  /**
   * Host names or IP addresses the certificate names besides `localhost`, `127.0.0.1`, `::1`
   * and the bound host, e.g. a docker-compose service name (`face-emulator`).
   */
  hostnames?: readonly string[];
  /**
   * Where to write the certificate authority (PEM). Default: `ca.pem` in a new temporary
   * directory, removed by `close()`. A given file is overwritten and left in place.
   */
  caCertificateFile?: string;
}

/** Options of {@link listen}: where to listen, how, and the emulator to serve (or its options). */
export interface ListenOptions extends FaceLivenessEmulatorOptions {
  /** TCP port; 0 (default) picks a free port. */
  port?: number;
  /**
   * Interface to bind. Default `127.0.0.1` (loopback only). Any other address warns through
   * `onWarning`: everyone who can reach it can use the key (and any bearer token, with
   * `acceptBearerTokens`).
   */
  host?: string;
  /**
   * An existing emulator to serve. When set, leave the emulator options (`key`, `now`, ...)
   * unset: they belong to that emulator.
   */
  emulator?: FaceLivenessEmulator;
  /**
   * Serve the console page at `/emulator/console/` (sign-in with the key or a one-time link from
   * {@link RunningEmulator.console}). Default true.
   */
  console?: boolean;
  /**
   * Serve HTTPS with a certificate made at start (see {@link RunningEmulator.caCertificateFile}).
   * `true` or the TLS settings. Default false (plain HTTP).
   */
  tls?: boolean | ListenTlsOptions;
  /** Most TCP connections open at once; see {@link DEFAULT_SERVER_LIMITS}. */
  maxConnections?: number;
  /** Time a connection has to send a complete request head (and, with TLS, to finish the handshake). */
  headersTimeoutInMs?: number;
  /** Time a connection has to send a complete request, body included. */
  requestTimeoutInMs?: number;
  /** Time an idle keep-alive connection stays open. */
  keepAliveTimeoutInMs?: number;
  /** Receives the warning for a non-loopback host. Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
}

/**
 * Defaults of the server limits of {@link listen}. A connection must send its request head within
 * 10 s and its whole request (at most `maxRequestBodyBytes`) within 60 s; idle keep-alive
 * connections close after 5 s; at most 512 connections are open at once, and at the cap the
 * oldest connection without a request in progress is closed to admit a new one.
 */
export const DEFAULT_SERVER_LIMITS = {
  /** Most TCP connections open at once. */
  maxConnections: 512,
  /** Time to send a complete request head (and finish a TLS handshake), in ms. */
  headersTimeoutInMs: 10_000,
  /** Time to send a complete request, in ms. */
  requestTimeoutInMs: 60_000,
  /** Time an idle keep-alive connection stays open, in ms. */
  keepAliveTimeoutInMs: 5_000,
} as const;

/** A running HTTP or HTTPS emulator. */
export interface RunningEmulator {
  /** `http://host:port` or `https://host:port`, to pass as the client's endpoint (no path). */
  readonly endpoint: string;
  /** The API key the emulator accepts. */
  readonly key: string;
  /** The emulator behind the server (faults, simulated device, ...). */
  readonly emulator: FaceLivenessEmulator;
  /** The console page and its one-time sign-in links; absent when `console: false`. */
  readonly console?: EmulatorConsoleAccess;
  /**
   * With `tls`: the file holding the certificate authority of the server's certificate (PEM).
   * Trust it in another Node process with `NODE_EXTRA_CA_CERTS=<file>` set before it starts.
   */
  readonly caCertificateFile?: string;
  /** With `tls`: the certificate authority itself (PEM), e.g. for an `https.Agent`'s `ca`. */
  readonly caCertificate?: string;
  /** Stops listening, closes every open connection, idle or not, and removes a temporary CA file. */
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (hasBody) {
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = "half";
  }
  return new Request(new URL(req.url ?? "/", origin), init);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (body !== undefined) res.setHeader("content-length", body.length);
  res.end(body);
}

async function serve(
  emulator: FaceLivenessEmulator,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
  consoleServer?: EmulatorConsole,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new Error("The client closed the connection."));
  });
  let response: Response;
  try {
    const remote = req.socket.remoteAddress;
    const request = toRequest(req, origin, controller.signal);
    response =
      consoleServer?.owns(new URL(request.url).pathname) === true
        ? await consoleServer.handle(request)
        : await emulator.handle(request, remote !== undefined ? { clientIp: normalizeRemoteAddress(remote) } : {});
  } catch {
    // Only reached when the incoming message cannot become a WHATWG Request.
    response = errorResponse(400, "BadArgument", "The request could not be read.", { "apim-request-id": randomUUID() });
  }
  if (response.type === "error" || controller.signal.aborted) {
    req.socket.destroy();
    return;
  }
  await writeResponse(response, res);
  if (!req.complete) req.resume(); // drain a body the operation did not need
}

function formatHost(address: AddressInfo): string {
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}

function limit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${String(value)}).`);
  return value;
}

interface ServerTls {
  readonly key: string;
  readonly cert: string;
  readonly caCertificate: string;
  readonly caCertificateFile: string;
  readonly temporaryDirectory?: string;
}

function prepareTls(tls: ListenOptions["tls"], host: string): ServerTls | undefined {
  if (tls === undefined || tls === false) return undefined;
  const settings: ListenTlsOptions = tls === true ? {} : tls;
  const certificates = createDevelopmentCertificates([host, ...(settings.hostnames ?? [])]);
  const temporaryDirectory = settings.caCertificateFile === undefined ? mkdtempSync(join(tmpdir(), "azure-face-liveness-emulator-")) : undefined;
  const caCertificateFile = settings.caCertificateFile ?? join(temporaryDirectory!, "ca.pem");
  writeFileSync(caCertificateFile, certificates.caCertificate, { mode: 0o644 });
  return {
    key: certificates.privateKey,
    cert: certificates.certificateChain,
    caCertificate: certificates.caCertificate,
    caCertificateFile,
    ...(temporaryDirectory !== undefined ? { temporaryDirectory } : {}),
  };
}

/**
 * Serves a {@link FaceLivenessEmulator} over real HTTP (`node:http`), or HTTPS with `tls`
 * (`node:https`, a certificate made at start), by default on `127.0.0.1` and a free port. The
 * `endpoint` works with `FaceSessionClient` (which allows `http://` on loopback hosts) and, over
 * HTTPS, with any client that trusts {@link RunningEmulator.caCertificateFile}. The server bounds
 * connections and waits (see {@link DEFAULT_SERVER_LIMITS}).
 *
 * @example
 * ```ts
 * const running = await listen({ key: "test-key" });
 * const client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key));
 * // ...
 * await running.close();
 * ```
 *
 * @example HTTPS, for Entra ID (bearer tokens need https) and unmodified code
 * ```ts
 * const running = await listen({ tls: true, acceptBearerTokens: true });
 * // In another process: NODE_EXTRA_CA_CERTS=<running.caCertificateFile> node app.js
 * console.log(running.endpoint, running.caCertificateFile);
 * ```
 */
export async function listen(options: ListenOptions = {}): Promise<RunningEmulator> {
  const {
    port = 0,
    host = "127.0.0.1",
    emulator: given,
    console: withConsole = true,
    tls,
    maxConnections,
    headersTimeoutInMs,
    requestTimeoutInMs,
    keepAliveTimeoutInMs,
    onWarning,
    ...emulatorOptions
  } = options;
  if (given !== undefined && Object.values(emulatorOptions).some((v) => v !== undefined)) {
    throw new TypeError("Pass either an emulator or emulator options to listen(), not both.");
  }
  const cap = new ConnectionCap(limit("maxConnections", maxConnections, DEFAULT_SERVER_LIMITS.maxConnections));
  const headersTimeout = limit("headersTimeoutInMs", headersTimeoutInMs, DEFAULT_SERVER_LIMITS.headersTimeoutInMs);
  const requestTimeout = limit("requestTimeoutInMs", requestTimeoutInMs, DEFAULT_SERVER_LIMITS.requestTimeoutInMs);
  const keepAliveTimeout = limit("keepAliveTimeoutInMs", keepAliveTimeoutInMs, DEFAULT_SERVER_LIMITS.keepAliveTimeoutInMs);
  const emulator = given ?? new FaceLivenessEmulator(emulatorOptions);
  const consoleServer = withConsole ? new EmulatorConsole(emulator) : undefined;
  const secure = prepareTls(tls, host);
  let origin = "http://127.0.0.1";
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(emulator, origin, req, res, consoleServer).catch(() => req.socket.destroy());
  };
  const serverOptions = {
    headersTimeout: Math.min(headersTimeout, requestTimeout),
    requestTimeout,
    keepAliveTimeout,
    // How often Node checks the two timeouts above (its default, 30 s, would let them run long).
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
  const server: Server =
    secure === undefined
      ? createServer(serverOptions, handler)
      : createHttpsServer({ ...serverOptions, key: secure.key, cert: secure.cert, handshakeTimeout: headersTimeout }, handler);
  server.keepAliveTimeout = keepAliveTimeout;
  cap.attach(server);
  // Failed handshakes and malformed requests only concern their own connection.
  server.on("tlsClientError", (_error: Error, socket: Socket) => socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    if (secure?.temporaryDirectory !== undefined) rmSync(secure.temporaryDirectory, { recursive: true, force: true });
    throw error;
  }
  const address = server.address() as AddressInfo;
  origin = `${secure === undefined ? "http" : "https"}://${formatHost(address)}:${address.port}`;
  consoleServer?.bind(origin);
  if (!isLoopbackAddress(address.address)) {
    const warning = exposedHostWarning(address.address, emulator.acceptsBearerTokens);
    if (onWarning !== undefined) onWarning(warning);
    else process.emitWarning(warning, { code: "AZURE_FACE_EMULATOR_EXPOSED" });
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint: origin,
    key: emulator.key,
    emulator,
    ...(consoleServer !== undefined
      ? { console: { url: consoleServer.url, createLoginUrl: () => consoleServer.createLoginUrl() } }
      : {}),
    ...(secure !== undefined ? { caCertificateFile: secure.caCertificateFile, caCertificate: secure.caCertificate } : {}),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (secure?.temporaryDirectory !== undefined) rmSync(secure.temporaryDirectory, { recursive: true, force: true });
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
        cap.closeAll();
      })),
  };
}
