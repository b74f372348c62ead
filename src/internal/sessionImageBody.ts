import { PassThrough, Readable, pipeline } from "node:stream";
import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
import { RESPONSE_TOO_LARGE } from "../http/transportParts.js";
import type { SessionImage } from "../sessionImage.js";
import { abortError } from "./abort.js";
import { createRedactor } from "./redaction.js";
import { readStreamBody } from "./streams.js";

/** Shows the stream as `[Readable]` on inspect: its internals are noise, and reach the socket. */
const hideStream = createRedactor(["readableStreamBody"], "[Readable]");

/** Headers that describe one connection, not the image: never handed on. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie"]);

function imageHeaders(response: PipelineResponse): Headers {
  const headers = new Headers();
  for (const [name, value] of response.headers) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.set(name, value);
  }
  return headers;
}

/**
 * Wraps a streamed session image response. The body is handed out through a `PassThrough`, so
 * the object the caller holds does not reference the HTTP request (whose raw head carries the
 * API key or bearer token, and would show in `console.log`). Errors and `destroy()` travel
 * both ways; when `abortSignal` aborts mid-download the stream fails with an `AbortError`.
 * `bytes()` reads at most `maxBytes` (code `RESPONSE_TOO_LARGE` past it).
 */
export function toSessionImage(
  response: PipelineResponse,
  source: NodeJS.ReadableStream,
  maxBytes: number,
  abortSignal?: AbortSignalLike,
): SessionImage {
  const body = new PassThrough({ highWaterMark: 64 * 1024 });
  const onAbort = (): void => void body.destroy(abortError(abortSignal));
  abortSignal?.addEventListener("abort", onAbort, { once: true });
  pipeline(source as Readable, body, () => abortSignal?.removeEventListener("abort", onAbort));
  const length = Number(response.headers.get("content-length"));
  let consumed = false;
  const takeBody = (): void => {
    if (consumed) throw new Error("The session image body has already been read.");
    consumed = true;
  };
  const image: SessionImage = {
    contentType: response.headers.get("content-type") ?? "application/octet-stream",
    ...(response.headers.has("content-length") && Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
    headers: imageHeaders(response),
    readableStreamBody: body,
    stream: () => {
      takeBody();
      return Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>;
    },
    bytes: async () => {
      takeBody();
      return readStreamBody(body, image.contentLength, {
        maxBytes,
        tooLarge: () =>
          new RestError(
            `The session image is larger than limits.maxSessionImageBytes (${maxBytes} bytes); the download was stopped.`,
            { code: RESPONSE_TOO_LARGE, statusCode: response.status },
          ),
      });
    },
  };
  return hideStream(image);
}
