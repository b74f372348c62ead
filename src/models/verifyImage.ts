import type { Readable } from "node:stream";

/**
 * A verify image. Accepted forms:
 *
 * - `Uint8Array` (and so `Buffer`), `ArrayBuffer`, any other typed array or `DataView`;
 * - `Blob` or `File` (a `File` keeps its name as the part's filename);
 * - a Node readable stream or a web `ReadableStream` (e.g. `request.body` in a
 *   `Request → Response` handler);
 * - a fetch `Response` (e.g. `await fetch(imageUrl)`), which must be a 2xx;
 * - a function returning any of these.
 *
 * Streams and responses are read into memory (stopping as soon as the 6 MB limit is passed) so that the format
 * and size are checked before anything is sent and a retry re-sends the same bytes.
 */
export type VerifyImageInput = VerifyImageSource | (() => VerifyImageSource);

/** A verify image itself: see {@link VerifyImageInput}. */
export type VerifyImageSource =
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | NodeJS.ReadableStream
  | Readable
  | ReadableStream<Uint8Array>
  | Response;
