import { PassThrough, pipeline, type Readable } from "node:stream";
import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import type { SessionImage } from "../sessionImage.js";
import { abortError } from "./abort.js";
import { createRedactor } from "./redaction.js";
import { readStreamBody } from "./streams.js";

/**
 * Wraps a streamed session image response. The body is handed out through a `PassThrough`, so
 * the object the caller holds does not reference the HTTP request (whose raw head carries the
 * API key or bearer token, and would show in `console.log`). Errors and `destroy()` travel
 * both ways; when `abortSignal` aborts mid-download the stream fails with an `AbortError`.
 */
/** Shows the stream as `[Readable]` on inspect: its internals are noise, and reach the socket. */
const hideStream = createRedactor(["readableStreamBody"], "[Readable]");

export function toSessionImage(response: PipelineResponse, source: NodeJS.ReadableStream, abortSignal?: AbortSignalLike): SessionImage {
  const body = new PassThrough({ highWaterMark: 64 * 1024 });
  const onAbort = (): void => void body.destroy(abortError(abortSignal));
  abortSignal?.addEventListener("abort", onAbort, { once: true });
  pipeline(source as Readable, body, () => abortSignal?.removeEventListener("abort", onAbort));
  const length = Number(response.headers.get("content-length"));
  let consumed = false;
  const image: SessionImage = {
    contentType: response.headers.get("content-type") ?? "application/octet-stream",
    ...(response.headers.has("content-length") && Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
    readableStreamBody: body,
    bytes: async () => {
      if (consumed) throw new Error("The session image body has already been read.");
      consumed = true;
      return readStreamBody(body, image.contentLength);
    },
  };
  return hideStream(image);
}
