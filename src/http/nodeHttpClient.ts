import http from "node:http";
import https from "node:https";
import { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { AbortError } from "@azure/abort-controller";
import type {
  HttpClient,
  PipelineRequest,
  PipelineResponse,
  ProxySettings,
  RawHttpHeadersInput,
  TlsSettings,
} from "@azure/core-rest-pipeline";
import { createHttpHeaders, RestError } from "@azure/core-rest-pipeline";
import type { ProxyRoute } from "./proxy.js";
import { isBypassed, readEnvironmentProxy, routeFromSettings, TunnelingAgent } from "./proxy.js";

/** Code of the `RestError` thrown when a response body is larger than the client allows. */
export const RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

/** What the transport bounds on every request. */
export interface TransportLimits {
  /** Largest buffered (non-streamed) response body, counted after decompression. */
  readonly maxBufferedBodyBytes: number;
  /** Longest wait for the next bytes of a response (head or body, streamed or not); 0: none. */
  readonly idleTimeoutInMs: number;
}

/** Options of {@link createNodeHttpClient}: the pipeline options it takes over from core's policies. */
export interface NodeHttpClientOptions {
  /** An `http.Agent` / `https.Agent` used for every request instead of the client's own. */
  readonly agent?: http.Agent;
  /** TLS settings (custom CA, client certificate) for the client's own HTTPS agents. */
  readonly tlsOptions?: TlsSettings;
  /** A proxy for every request; otherwise `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` apply. */
  readonly proxyOptions?: ProxySettings;
  readonly limits: TransportLimits;
}

const DEFAULT_TLS: TlsSettings = {};

function abortError(): AbortError {
  return new AbortError("The operation was aborted.");
}

function isNodeStream(body: unknown): body is NodeJS.ReadableStream {
  return typeof (body as NodeJS.ReadableStream | undefined)?.pipe === "function";
}

/** The request body as bytes, or as a Node stream to pipe; `undefined` when there is none. */
function toWireBody(request: PipelineRequest): string | Uint8Array | NodeJS.ReadableStream | undefined {
  const body = typeof request.body === "function" ? request.body() : request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array || isNodeStream(body)) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof (body as Blob).stream === "function") return Readable.fromWeb((body as Blob).stream() as never);
  if (typeof (body as ReadableStream).getReader === "function") return Readable.fromWeb(body as never);
  throw new RestError("The request body type is not supported by this transport.", { code: RestError.REQUEST_SEND_ERROR, request });
}

function responseHeaders(raw: http.IncomingHttpHeaders): PipelineResponse["headers"] {
  const flat: RawHttpHeadersInput = {};
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return createHttpHeaders(flat);
}

/** The decoded body stream, when the caller asked for compression and the server used it. */
function decoded(request: PipelineRequest, response: http.IncomingMessage): Readable {
  const encoding = response.headers["content-encoding"];
  if (encoding === undefined) return response;
  const accepted = request.headers.get("accept-encoding") ?? "";
  if (encoding === "gzip" && accepted.includes("gzip")) return response.pipe(zlib.createGunzip());
  if (encoding === "deflate" && accepted.includes("deflate")) return response.pipe(zlib.createInflate());
  if (encoding === "br" && accepted.includes("br")) return response.pipe(zlib.createBrotliDecompress());
  return response;
}

function wantsStream(request: PipelineRequest, status: number): boolean {
  const codes = request.streamResponseStatusCodes;
  return codes !== undefined && (codes.has(status) || codes.has(Number.POSITIVE_INFINITY));
}

/**
 * Our `HttpClient` over node:http and node:https with keep-alive agents (chosen over undici by
 * measurement; see bench/RESULTS.md). What it bounds, on every request:
 *
 * - `request.timeout` (the operation's `requestOptions.timeout`, or the client default) covers the
 *   whole attempt: connection, head, and the body, streamed bodies included. Past it the
 *   request fails (or the handed-out stream errors) with code `ETIMEDOUT`;
 * - `limits.idleTimeoutInMs`: no bytes for that long fails with `ETIMEDOUT` too;
 * - a buffered body larger than `limits.maxBufferedBodyBytes` (decompressed size) fails with
 *   `RESPONSE_TOO_LARGE` as soon as the cap is passed, or at once when `Content-Length` says so.
 *
 * Every failure closes the connection (it never goes back to the pool) and rejects with a
 * `RestError` carrying a code: the socket's own (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, ...),
 * `ECONNRESET` for a connection closed mid-body, `ETIMEDOUT`, `RESPONSE_TOO_LARGE`, `EPROXY`
 * (tunnel refused), a zlib code for a corrupt compressed body; an abort rejects with
 * `AbortError`. Nothing here logs: agents, sockets and raw heads never reach a log.
 */
export function createNodeHttpClient(options: NodeHttpClientOptions): HttpClient {
  const environment = readEnvironmentProxy();
  const configuredProxy = options.proxyOptions === undefined ? undefined : routeFromSettings(options.proxyOptions);
  const agents = new WeakMap<TlsSettings, Map<string, http.Agent>>();
  const { maxBufferedBodyBytes, idleTimeoutInMs } = options.limits;

  function agentFor(key: string, tlsSettings: TlsSettings, create: () => http.Agent): http.Agent {
    let byKey = agents.get(tlsSettings);
    if (byKey === undefined) agents.set(tlsSettings, (byKey = new Map()));
    let agent = byKey.get(key);
    if (agent === undefined) byKey.set(key, (agent = create()));
    return agent;
  }

  function proxyFor(request: PipelineRequest, url: URL): ProxyRoute | undefined {
    if (request.proxySettings !== undefined) return routeFromSettings(request.proxySettings);
    if (configuredProxy !== undefined) return configuredProxy;
    return environment.route !== undefined && !isBypassed(url, environment.noProxy) ? environment.route : undefined;
  }

  /** Where the request goes: the agent, and the request options for node:http(s). */
  function route(request: PipelineRequest, url: URL, secure: boolean): { transport: typeof http | typeof https; options: https.RequestOptions } {
    const keepAlive = request.disableKeepAlive !== true;
    const tlsSettings = request.tlsSettings ?? options.tlsOptions ?? DEFAULT_TLS;
    const base: https.RequestOptions = {
      method: request.method,
      headers: request.headers.toJSON({ preserveCase: true }),
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
    };
    const explicit = (request.agent as http.Agent | undefined) ?? options.agent;
    if (explicit !== undefined) return { transport: secure ? https : http, options: { ...base, agent: explicit } };
    const proxy = proxyFor(request, url);
    if (proxy !== undefined && secure) {
      const agent = agentFor(`tunnel|${keepAlive}|${proxy.url.href}|${proxy.authorization ?? ""}`, tlsSettings, () =>
        new TunnelingAgent(proxy, { keepAlive, ...tlsSettings }, idleTimeoutInMs),
      );
      return { transport: https, options: { ...base, agent } };
    }
    if (proxy !== undefined) {
      const proxySecure = proxy.url.protocol === "https:";
      const agent = agentFor(`forward|${keepAlive}|${proxySecure}`, tlsSettings, () =>
        proxySecure ? new https.Agent({ keepAlive, ...tlsSettings }) : new http.Agent({ keepAlive }),
      );
      const headers = { ...base.headers, host: url.host, ...(proxy.authorization ? { "proxy-authorization": proxy.authorization } : {}) };
      return {
        transport: proxySecure ? https : http,
        options: {
          ...base,
          host: proxy.url.hostname.replace(/^\[|\]$/g, ""),
          port: proxy.url.port || (proxySecure ? 443 : 80),
          path: url.href,
          headers,
          agent,
        },
      };
    }
    const agent = agentFor(`direct|${keepAlive}|${secure}`, tlsSettings, () =>
      secure ? new https.Agent({ keepAlive, ...tlsSettings }) : new http.Agent({ keepAlive }),
    );
    return { transport: secure ? https : http, options: { ...base, agent } };
  }

  function sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    if (!secure && !request.allowInsecureConnection) {
      return Promise.reject(new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`));
    }
    const signal = request.abortSignal;
    if (signal?.aborted) return Promise.reject(abortError());
    let body: ReturnType<typeof toWireBody>;
    try {
      body = toWireBody(request);
    } catch (error) {
      return Promise.reject(error);
    }
    if (body !== undefined && !isNodeStream(body) && !request.headers.has("content-length")) {
      request.headers.set("Content-Length", typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    }
    const { transport, options: requestOptions } = route(request, url, secure);

    return new Promise<PipelineResponse>((resolve, reject) => {
      /** "pending" until resolved; "streaming" while a handed-out body is read; then "done". */
      let state: "pending" | "streaming" | "done" = "pending";
      let handedOut: Transform | undefined;
      let reading: Readable | undefined;
      let req: http.ClientRequest | undefined;
      let deadline: NodeJS.Timeout | undefined;
      let idle: NodeJS.Timeout | undefined;

      const finish = (): void => {
        state = "done";
        if (deadline !== undefined) clearTimeout(deadline);
        if (idle !== undefined) clearTimeout(idle);
        signal?.removeEventListener("abort", onAbort);
      };
      /** Fails the attempt wherever it is: before the response, or while a streamed body is read. */
      const fail = (error: Error): void => {
        if (state === "done") return;
        const streaming = state === "streaming";
        finish();
        req?.destroy();
        reading?.destroy();
        if (streaming) handedOut?.destroy(error);
        else reject(error);
      };
      const onAbort = (): void => fail(abortError());
      signal?.addEventListener("abort", onAbort, { once: true });
      if (request.timeout > 0) {
        deadline = setTimeout(
          () => fail(new RestError(`The request timed out after ${request.timeout} ms (requestOptions.timeout).`, { code: "ETIMEDOUT", request })),
          request.timeout,
        );
      }
      if (idleTimeoutInMs > 0) {
        idle = setTimeout(
          () => fail(new RestError(`No response data arrived for ${idleTimeoutInMs} ms (limits.idleTimeoutInMs).`, { code: "ETIMEDOUT", request })),
          idleTimeoutInMs,
        );
      }
      const closedMidBody = (): RestError =>
        new RestError("The connection was closed while the response was read.", { code: "ECONNRESET", request });

      try {
        req = transport.request(requestOptions);
      } catch (error) {
        // Node validates the head synchronously (e.g. a header value with a newline).
        const { message, code } = error as NodeJS.ErrnoException;
        return fail(new RestError(message, { code: code ?? RestError.REQUEST_SEND_ERROR, request }));
      }
      const sent = req;
      sent.on("finish", () => idle?.refresh());
      sent.on("error", (error: NodeJS.ErrnoException) => {
        fail(
          state === "pending" && !(error instanceof RestError)
            ? new RestError(error.message, { code: error.code ?? RestError.REQUEST_SEND_ERROR, request })
            : error,
        );
      });
      sent.on("response", (res) => {
        if (state === "done") return void res.destroy();
        idle?.refresh();
        const status = res.statusCode ?? 0;
        const response: PipelineResponse = { request, status, headers: responseHeaders(res.headers) };
        res.on("aborted", () => fail(closedMidBody()));
        res.on("error", () => fail(closedMidBody()));
        if (request.method === "HEAD") {
          res.resume();
          finish();
          return resolve(response);
        }
        const source = decoded(request, res);
        reading = source;
        if (source !== res) source.on("error", (error: NodeJS.ErrnoException) =>
          fail(new RestError(`The compressed response body could not be decoded: ${error.message}`, { code: error.code ?? RestError.PARSE_ERROR, request })),
        );
        if (wantsStream(request, status)) {
          handedOut = new Transform({
            transform(chunk, _encoding, callback) {
              idle?.refresh();
              callback(null, chunk);
            },
          });
          handedOut.on("close", () => {
            if (state !== "done") {
              // The reader stopped early (destroy): drop the connection rather than drain it.
              finish();
              sent.destroy();
            }
          });
          handedOut.on("end", finish);
          source.pipe(handedOut);
          state = "streaming";
          response.readableStreamBody = handedOut;
          return resolve(response);
        }
        const declared = Number(res.headers["content-length"]);
        const tooLarge = (): RestError =>
          new RestError(
            `The response body is larger than limits.maxResponseBodyBytes (${maxBufferedBodyBytes} bytes); the connection was closed.`,
            { code: RESPONSE_TOO_LARGE, statusCode: status, request },
          );
        if (declared > maxBufferedBodyBytes) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        source.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBufferedBodyBytes) return fail(tooLarge());
          idle?.refresh();
          chunks.push(chunk);
        });
        source.on("end", () => {
          if (state === "done") return;
          finish();
          try {
            response.bodyAsText = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8");
          } catch (error) {
            return reject(new RestError(`The response body could not be read as text: ${(error as Error).message}`, { code: RestError.PARSE_ERROR, request }));
          }
          resolve(response);
        });
      });
      if (body === undefined) sent.end();
      else if (isNodeStream(body)) {
        body.on("error", (error: Error) => fail(new RestError(`The request body stream failed: ${error.message}`, { code: RestError.REQUEST_SEND_ERROR, request })));
        body.pipe(sent);
      } else sent.end(body);
    });
  }

  return { sendRequest };
}
