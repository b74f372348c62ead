import type { Duplex } from "node:stream";
import { Readable } from "node:stream";
import type { HttpClient, PipelineRequest, PipelineResponse, TlsSettings } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
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

/** The part of undici's dispatch controller this transport uses. */
interface DispatchController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

/** undici's handler interface (v7): the callbacks of one request. */
interface DispatchHandler {
  onRequestStart(controller: DispatchController, context: unknown): void;
  onResponseStart(controller: DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void;
  onResponseData(controller: DispatchController, chunk: Buffer): void;
  onResponseEnd(controller: DispatchController, trailers: unknown): void;
  onResponseError(controller: DispatchController, error: Error): void;
}

interface DispatchOptions {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | NodeJS.ReadableStream | undefined;
  reset?: boolean;
}

/** The part of undici's `Agent` this transport uses. */
export interface UndiciAgent {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean;
  close(): Promise<void>;
}

/** undici's `Agent` class, as {@link loadUndiciAgent} returns it. */
export type UndiciAgentClass = new (options: {
  connect?: TlsSettings;
  headersTimeout?: number;
  bodyTimeout?: number;
}) => UndiciAgent;

/**
 * Loads undici's connection pool (`undici/lib/dispatcher/agent.js`): only the HTTP/1.1 client
 * and its pools, not undici's fetch, WebSocket, cache or mocks, so the first request costs about a
 * third of `require("undici")`. Loaded on the first request, never at import.
 */
export async function loadUndiciAgent(): Promise<UndiciAgentClass> {
  const loaded: unknown = await import("undici/lib/dispatcher/agent.js");
  return (typeof loaded === "function" ? loaded : (loaded as { default: unknown }).default) as UndiciAgentClass;
}

/** Options of {@link createUndiciHttpClient}. */
export interface UndiciHttpClientOptions {
  /** undici's `Agent` class (from {@link loadUndiciAgent}). */
  readonly Agent: UndiciAgentClass;
  /** TLS settings (custom CA, client certificate) for every connection. */
  readonly tlsOptions?: TlsSettings;
  readonly limits: TransportLimits;
}

const DEFAULT_TLS: TlsSettings = {};

/** undici's error codes, as the codes this client's errors carry (node:http's, where it has one). */
function codeOf(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "UND_ERR_SOCKET":
    case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
    case "UND_ERR_CLOSED":
    case "UND_ERR_DESTROYED":
      return "ECONNRESET";
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return "ETIMEDOUT";
    case undefined:
    case "UND_ERR_INVALID_ARG":
    case "UND_ERR_NOT_SUPPORTED":
    case "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH":
      return RestError.REQUEST_SEND_ERROR;
    default:
      return error.code;
  }
}

/**
 * Our `HttpClient` over undici's keep-alive connection pools: direct requests (no proxy, no
 * caller's agent) on Node. It bounds every request exactly as the node:http transport does
 * (`nodeHttpClient.ts`):
 *
 * - `request.timeout` covers the whole attempt, streamed bodies included (`ETIMEDOUT`);
 * - `limits.idleTimeoutInMs`: no bytes for that long fails with `ETIMEDOUT` (undici's own head and
 *   body timeouts are off: this one covers both, and connecting);
 * - a buffered body larger than `limits.maxBufferedBodyBytes` (decompressed) fails with
 *   `RESPONSE_TOO_LARGE` at once.
 *
 * Every failure aborts the request, which closes its connection; errors carry node:http's codes
 * (`ECONNRESET` for a socket closed early, `ECONNREFUSED`, TLS codes, ...); an abort rejects with
 * `AbortError`. Nothing here logs.
 */
export function createUndiciHttpClient(options: UndiciHttpClientOptions): HttpClient {
  const { maxBufferedBodyBytes, idleTimeoutInMs } = options.limits;
  const agents = new WeakMap<TlsSettings, UndiciAgent>();

  function agentFor(tlsSettings: TlsSettings): UndiciAgent {
    let agent = agents.get(tlsSettings);
    if (agent === undefined) {
      agent = new options.Agent({ connect: { ...tlsSettings }, headersTimeout: 0, bodyTimeout: 0 });
      agents.set(tlsSettings, agent);
    }
    return agent;
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
    const agent = agentFor(request.tlsSettings ?? options.tlsOptions ?? DEFAULT_TLS);

    return new Promise<PipelineResponse>((resolve, reject) => {
      /** "pending" until resolved; "streaming" while a handed-out body is read; then "done". */
      let state: "pending" | "streaming" | "done" = "pending";
      let controller: DispatchController | undefined;
      let response: PipelineResponse | undefined;
      /** Where body chunks go: the buffer (plain bodies), or a stream (decompressed or handed out). */
      let sink: Readable | Duplex | undefined;
      let handedOut: Readable | undefined;
      const chunks: Buffer[] = [];
      let size = 0;

      const finish = (): void => {
        state = "done";
        timers.clear();
        signal?.removeEventListener("abort", onAbort);
      };
      /** Fails the attempt wherever it is; the request is aborted, which drops its connection. */
      const fail = (error: Error): void => {
        if (state === "done") return;
        const streaming = state === "streaming";
        finish();
        controller?.abort(error);
        if (sink !== handedOut) sink?.destroy();
        if (streaming) handedOut?.destroy(error);
        else reject(error);
      };
      const onAbort = (): void => fail(abortError());
      signal?.addEventListener("abort", onAbort, { once: true });
      const timers = startAttemptTimers(request, idleTimeoutInMs, fail);
      const tooLarge = (status: number): RestError => tooLargeError(request, status, maxBufferedBodyBytes);


      /** Buffers a body chunk (as received, or decompressed), failing past the cap. */
      const buffer = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > maxBufferedBodyBytes) return fail(tooLarge(response!.status));
        chunks.push(chunk);
      };
      const complete = (): void => {
        finish();
        try {
          response!.bodyAsText = bodyText(request, chunks, size);
        } catch (error) {
          return reject(error);
        }
        resolve(response!);
      };

      const handler: DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (state === "done") c.abort(abortError());
        },
        onResponseStart(c, status, headers) {
          if (state === "done") return c.abort(abortError());
          timers.refresh();
          response = { request, status, headers: toHttpHeaders(headers) };
          if (request.method === "HEAD") return;
          const decompressor = decompressorFor(request, headers["content-encoding"]);
          if (decompressor !== undefined) {
            decompressor.on("error", (error: NodeJS.ErrnoException) => fail(decodeError(request, error)));
            sink = decompressor;
          }
          if (wantsStream(request, status)) {
            // Handed out: backpressure pauses the connection; a reader that stops early drops it.
            handedOut = new Readable({
              read: () => c.resume(),
              destroy: (error, callback) => {
                if (state !== "done") {
                  finish();
                  c.abort(error ?? abortError());
                }
                callback(error);
              },
            });
            if (sink === undefined) sink = handedOut;
            else sink.on("data", (chunk: Buffer) => handedOut!.push(chunk) || c.pause()).on("end", () => handedOut!.push(null));
            state = "streaming";
            response.readableStreamBody = handedOut;
            return resolve(response);
          }
          if (Number(headers["content-length"]) > maxBufferedBodyBytes) return fail(tooLarge(status));
          sink?.on("data", buffer).on("end", () => state !== "done" && complete());
        },
        onResponseData(c, chunk) {
          if (state === "done") return;
          timers.refresh();
          if (sink === undefined) buffer(chunk);
          else if (sink === handedOut) {
            if (!handedOut.push(chunk)) c.pause();
          } else if (!(sink as Duplex).write(chunk)) {
            c.pause();
            sink.once("drain", () => c.resume());
          }
        },
        onResponseEnd() {
          if (state === "done") return;
          if (request.method === "HEAD") {
            finish();
            return resolve(response!);
          }
          if (sink === handedOut && handedOut !== undefined) {
            finish();
            handedOut.push(null);
          } else if (sink !== undefined) (sink as Duplex).end();
          else complete();
        },
        onResponseError(_c, error: NodeJS.ErrnoException) {
          if (state === "done") return;
          if (response !== undefined) return fail(closedMidBodyError(request));
          fail(new RestError(error.message, { code: codeOf(error), request }));
        },
      };

      if (body !== undefined && isNodeStream(body)) {
        (body as Readable).on("error", (error: Error) => fail(bodyStreamError(request, error)));
      }
      agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers.toJSON({ preserveCase: true }),
          body,
          reset: request.disableKeepAlive === true,
        },
        handler,
      );
    });
  }

  return { sendRequest };
}
