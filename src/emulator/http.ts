import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { EmulatorConsole, type EmulatorConsoleAccess } from "./console/server.js";
import { FaceLivenessEmulator } from "./core.js";
import { normalizeRemoteAddress } from "./ipAddress.js";
import type { FaceLivenessEmulatorOptions } from "./options.js";
import { errorResponse } from "./responses.js";

/** Options of {@link listen}: where to listen, and the emulator to serve (or its options). */
export interface ListenOptions extends FaceLivenessEmulatorOptions {
  /** TCP port; 0 (default) picks a free port. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
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
}

/** A running HTTP emulator. */
export interface RunningEmulator {
  /** `http://host:port`, to pass as the client's endpoint (no path). */
  readonly endpoint: string;
  /** The API key the emulator accepts. */
  readonly key: string;
  /** The emulator behind the server (faults, simulated device, ...). */
  readonly emulator: FaceLivenessEmulator;
  /** The console page and its one-time sign-in links; absent when `console: false`. */
  readonly console?: EmulatorConsoleAccess;
  /** Stops listening and closes every open connection, idle or not. */
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

/**
 * Serves a {@link FaceLivenessEmulator} over real HTTP (`node:http`), by default on
 * `127.0.0.1` and a free port. The `endpoint` works with `FaceSessionClient`, which allows
 * `http://` on loopback hosts.
 *
 * @example
 * ```ts
 * const running = await listen({ key: "test-key" });
 * const client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key));
 * // ...
 * await running.close();
 * ```
 */
export async function listen(options: ListenOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", emulator: given, console: withConsole = true, ...emulatorOptions } = options;
  if (given !== undefined && Object.values(emulatorOptions).some((v) => v !== undefined)) {
    throw new TypeError("Pass either an emulator or emulator options to listen(), not both.");
  }
  const emulator = given ?? new FaceLivenessEmulator(emulatorOptions);
  const consoleServer = withConsole ? new EmulatorConsole(emulator) : undefined;
  let origin = "http://127.0.0.1";
  const server: Server = createServer((req, res) => {
    void serve(emulator, origin, req, res, consoleServer).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://${formatHost(address)}:${address.port}`;
  consoleServer?.bind(origin);
  let closing: Promise<void> | undefined;
  return {
    endpoint: origin,
    key: emulator.key,
    emulator,
    ...(consoleServer !== undefined
      ? { console: { url: consoleServer.url, createLoginUrl: () => consoleServer.createLoginUrl() } }
      : {}),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}
