import type { Readable } from "node:stream";

/**
 * A verify image. Accepted forms:
 *
 * - `Uint8Array` (and so `Buffer`);
 * - `Blob` or `File` (a `File` keeps its name as the part's filename);
 * - a Node readable stream, or a function returning one.
 *
 * Streams are read into memory (stopping as soon as the 6 MB limit is passed) so that the format
 * and size are checked before anything is sent and a retry re-sends the same bytes.
 */
export type VerifyImageInput = Uint8Array | Blob | NodeJS.ReadableStream | Readable | (() => NodeJS.ReadableStream | Readable);
