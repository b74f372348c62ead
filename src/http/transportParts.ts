import { Readable } from "node:stream";
import zlib from "node:zlib";
import { AbortError } from "@azure/abort-controller";
import type { HttpHeaders, PipelineRequest, RawHttpHeadersInput } from "@azure/core-rest-pipeline";
import { createHttpHeaders, RestError } from "@azure/core-rest-pipeline";

/** Code of the `RestError` thrown when a response body is larger than the client allows. */
export const RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

/** What a transport bounds on every request. */
export interface TransportLimits {
  /** Largest buffered (non-streamed) response body, counted after decompression. */
  readonly maxBufferedBodyBytes: number;
  /** Longest wait for the next bytes of a response (head or body, streamed or not); 0: none. */
  readonly idleTimeoutInMs: number;
}

export function abortError(): AbortError {
  return new AbortError("The operation was aborted.");
}

export function isNodeStream(body: unknown): body is NodeJS.ReadableStream {
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

/**
 * What every transport checks before sending: the URL (plain http only with
 * `allowInsecureConnection`), the abort signal and the body, which it returns as bytes or a stream,
 * with `Content-Length` set for a body of known size (a stream is sent chunked).
 * @throws the error the request rejects with, nothing having been sent.
 */
export function prepareRequest(request: PipelineRequest): { url: URL; body: ReturnType<typeof toWireBody> } {
  const url = new URL(request.url);
  if (url.protocol !== "https:" && !request.allowInsecureConnection) {
    throw new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`);
  }
  if (request.abortSignal?.aborted) throw abortError();
  const body = toWireBody(request);
  if (body !== undefined && !isNodeStream(body) && !request.headers.has("content-length")) {
    request.headers.set("Content-Length", typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  }
  return { url, body };
}

/** Response headers as core's `HttpHeaders`; repeated headers are joined with `, `. */
export function toHttpHeaders(raw: Record<string, string | string[] | undefined>): HttpHeaders {
  const flat: RawHttpHeadersInput = {};
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return createHttpHeaders(flat);
}

/**
 * A decompressor for the response body, when the caller asked for compression (`Accept-Encoding`)
 * and the server used it; `undefined` when the body is to be read as it came.
 */
export function decompressorFor(request: PipelineRequest, encoding: string | string[] | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  if (encoding === undefined) return undefined;
  const accepted = request.headers.get("accept-encoding") ?? "";
  if (encoding === "gzip" && accepted.includes("gzip")) return zlib.createGunzip();
  if (encoding === "deflate" && accepted.includes("deflate")) return zlib.createInflate();
  if (encoding === "br" && accepted.includes("br")) return zlib.createBrotliDecompress();
  return undefined;
}

/** Whether the response body is handed out as a stream (`streamResponseStatusCodes`). */
export function wantsStream(request: PipelineRequest, status: number): boolean {
  const codes = request.streamResponseStatusCodes;
  return codes !== undefined && (codes.has(status) || codes.has(Number.POSITIVE_INFINITY));
}

/** The two timers of an attempt: the whole-attempt deadline and the idle timer. */
export interface AttemptTimers {
  /** Restarts the idle timer (bytes arrived, or the request body was sent). */
  refresh(): void;
  clear(): void;
}

/**
 * Starts `request.timeout` (the whole attempt, body included) and `idleTimeoutInMs` (restarted by
 * `refresh`); either calls `fail` with an `ETIMEDOUT` `RestError`. 0 turns a timer off.
 */
export function startAttemptTimers(request: PipelineRequest, idleTimeoutInMs: number, fail: (error: Error) => void): AttemptTimers {
  const deadline = request.timeout > 0 ? setTimeout(() => fail(deadlineError(request)), request.timeout) : undefined;
  const idle = idleTimeoutInMs > 0 ? setTimeout(() => fail(idleError(request, idleTimeoutInMs)), idleTimeoutInMs) : undefined;
  return {
    refresh: () => void idle?.refresh(),
    clear: () => {
      clearTimeout(deadline);
      clearTimeout(idle);
    },
  };
}

function deadlineError(request: PipelineRequest): RestError {
  return new RestError(`The request timed out after ${request.timeout} ms (requestOptions.timeout).`, { code: "ETIMEDOUT", request });
}

function idleError(request: PipelineRequest, idleTimeoutInMs: number): RestError {
  return new RestError(`No response data arrived for ${idleTimeoutInMs} ms (limits.idleTimeoutInMs).`, { code: "ETIMEDOUT", request });
}

export function closedMidBodyError(request: PipelineRequest): RestError {
  return new RestError("The connection was closed while the response was read.", { code: "ECONNRESET", request });
}

export function tooLargeError(request: PipelineRequest, status: number, maxBufferedBodyBytes: number): RestError {
  return new RestError(
    `The response body is larger than limits.maxResponseBodyBytes (${maxBufferedBodyBytes} bytes); the connection was closed.`,
    { code: RESPONSE_TOO_LARGE, statusCode: status, request },
  );
}

export function decodeError(request: PipelineRequest, error: NodeJS.ErrnoException): RestError {
  return new RestError(`The compressed response body could not be decoded: ${error.message}`, { code: error.code ?? RestError.PARSE_ERROR, request });
}

export function bodyStreamError(request: PipelineRequest, error: Error): RestError {
  return new RestError(`The request body stream failed: ${error.message}`, { code: RestError.REQUEST_SEND_ERROR, request });
}

/** The buffered body as text; a body too large for a string fails as a parse error, never a crash. */
export function bodyText(request: PipelineRequest, chunks: Buffer[], size: number): string {
  try {
    return (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8");
  } catch (error) {
    throw new RestError(`The response body could not be read as text: ${(error as Error).message}`, { code: RestError.PARSE_ERROR, request });
  }
}
