import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import type {
  HttpClient,
  PipelineRequest,
  PipelineResponse,
  ProxySettings,
  TlsSettings,
} from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
import { createProxyResolver, TunnelingAgent } from "./proxy.js";
import type { TransportLimits } from "./transportParts.js";
import {
  abortError,
  bodyStreamError,
  bodyText,
  closedMidBodyError,
  decodeError,
  decompressorFor,
  isNodeStream,
  prepareRequest,
  startAttemptTimers,
  toHttpHeaders,
  tooLargeError,
  wantsStream,
} from "./transportParts.js";

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

/**
 * Our `HttpClient` over node:http and node:https with keep-alive agents: the transport for requests
 * through a proxy or a caller's `agent`, for runtimes other than Node, and while node:http is
 * intercepted (msw, nock); everything else goes through undici (see faceHttpClient.ts). What it
 * bounds, on every request:
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
  const proxyFor = createProxyResolver(options.proxyOptions);
  const agents = new WeakMap<TlsSettings, Map<string, http.Agent>>();
  const { maxBufferedBodyBytes, idleTimeoutInMs } = options.limits;

  function agentFor(key: string, tlsSettings: TlsSettings, create: () => http.Agent): http.Agent {
    let byKey = agents.get(tlsSettings);
    if (byKey === undefined) agents.set(tlsSettings, (byKey = new Map()));
    let agent = byKey.get(key);
    if (agent === undefined) byKey.set(key, (agent = create()));
    return agent;
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
    const proxy = proxyFor(request);
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
    let prepared: ReturnType<typeof prepareRequest>;
    try {
      prepared = prepareRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const { url, body } = prepared;
    const signal = request.abortSignal;
    const secure = url.protocol === "https:";
    const { transport, options: requestOptions } = route(request, url, secure);

    return new Promise<PipelineResponse>((resolve, reject) => {
      /** "pending" until resolved; "streaming" while a handed-out body is read; then "done". */
      let state: "pending" | "streaming" | "done" = "pending";
      let handedOut: Transform | undefined;
      let reading: Readable | undefined;
      let req: http.ClientRequest | undefined;

      const finish = (): void => {
        state = "done";
        timers.clear();
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
      const timers = startAttemptTimers(request, idleTimeoutInMs, fail);
      const closedMidBody = (): RestError => closedMidBodyError(request);

      try {
        req = transport.request(requestOptions);
      } catch (error) {
        // Node validates the head synchronously (e.g. a header value with a newline).
        const { message, code } = error as NodeJS.ErrnoException;
        return fail(new RestError(message, { code: code ?? RestError.REQUEST_SEND_ERROR, request }));
      }
      const sent = req;
      sent.on("finish", () => timers.refresh());
      sent.on("error", (error: NodeJS.ErrnoException) => {
        fail(
          state === "pending" && !(error instanceof RestError)
            ? new RestError(error.message, { code: error.code ?? RestError.REQUEST_SEND_ERROR, request })
            : error,
        );
      });
      sent.on("response", (res) => {
        if (state === "done") return void res.destroy();
        timers.refresh();
        const status = res.statusCode ?? 0;
        const response: PipelineResponse = { request, status, headers: toHttpHeaders(res.headers) };
        res.on("aborted", () => fail(closedMidBody()));
        res.on("error", () => fail(closedMidBody()));
        if (request.method === "HEAD") {
          res.resume();
          finish();
          return resolve(response);
        }
        const decompressor = decompressorFor(request, res.headers["content-encoding"]);
        const source: Readable = decompressor === undefined ? res : res.pipe(decompressor);
        reading = source;
        if (decompressor !== undefined) decompressor.on("error", (error: NodeJS.ErrnoException) => fail(decodeError(request, error)));
        if (wantsStream(request, status)) {
          handedOut = new Transform({
            transform(chunk, _encoding, callback) {
              timers.refresh();
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
        const tooLarge = (): RestError => tooLargeError(request, status, maxBufferedBodyBytes);
        if (declared > maxBufferedBodyBytes) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        source.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBufferedBodyBytes) return fail(tooLarge());
          timers.refresh();
          chunks.push(chunk);
        });
        source.on("end", () => {
          if (state === "done") return;
          finish();
          try {
            response.bodyAsText = bodyText(request, chunks, size);
          } catch (error) {
            return reject(error);
          }
          resolve(response);
        });
      });
      if (body === undefined) sent.end();
      else if (isNodeStream(body)) {
        body.on("error", (error: Error) => fail(bodyStreamError(request, error)));
        body.pipe(sent);
      } else sent.end(body);
    });
  }

  return { sendRequest };
}
