import type { AbortSignalLike } from "@azure/abort-controller";
import { throwIfAborted } from "./abort.js";
import type { VerifyImageInput } from "../models/verifyImage.js";
import { MAX_VERIFY_IMAGE_BYTES } from "./constants.js";
import { SNIFF_LENGTH, sniffImageFormat } from "./imageFormat.js";

/** A verify image checked and ready to be sent as a multipart part. */
export interface PreparedImage {
  readonly body: Uint8Array | Blob;
  readonly contentType: string;
  readonly filename: string;
  readonly size: number;
}

const SIZE_MESSAGE = `verifyImage must be at most ${MAX_VERIFY_IMAGE_BYTES} bytes (6 MB)`;

function isReadable(value: unknown): value is AsyncIterable<unknown> & { destroy?: () => void } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { pipe?: unknown }).pipe === "function" &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

function isWebStream(value: unknown): value is ReadableStream<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { getReader?: unknown }).getReader === "function";
}

/** A fetch `Response` (any runtime's): status, headers and a body stream or null. */
function isResponse(value: unknown): value is Response {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Response).status === "number" &&
    typeof (value as Response).arrayBuffer === "function" &&
    "body" in value &&
    typeof (value as Response).headers?.get === "function"
  );
}

/** Reads a web stream into memory, cancelling it as soon as it passes the size limit. */
async function readWebStream(stream: ReadableStream<unknown>, abortSignal?: AbortSignalLike): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      throwIfAborted(abortSignal);
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError("verifyImage stream must yield bytes (Uint8Array chunks).");
      total += value.byteLength;
      if (total > MAX_VERIFY_IMAGE_BYTES) throw new RangeError(`${SIZE_MESSAGE} (the stream was longer).`);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of a `Response` body: a 2xx only, refused early when Content-Length is too large. */
async function readResponse(response: Response, abortSignal?: AbortSignalLike): Promise<Uint8Array> {
  if (response.status < 200 || response.status > 299) {
    response.body?.cancel().catch(() => undefined);
    throw new TypeError(`verifyImage is a Response with HTTP status ${response.status}; pass a successful (2xx) response of the image.`);
  }
  const length = Number(response.headers.get("content-length"));
  if (Number.isFinite(length) && length > MAX_VERIFY_IMAGE_BYTES) {
    response.body?.cancel().catch(() => undefined);
    throw new RangeError(`${SIZE_MESSAGE} (the response's Content-Length is ${length}).`);
  }
  if (response.bodyUsed) throw new TypeError("verifyImage is a Response whose body has already been read.");
  return response.body === null ? new Uint8Array(0) : readWebStream(response.body, abortSignal);
}

/** Makes a filename safe for a Content-Disposition header. */
export function safeFilename(name: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f"\\/]/g, "_").trim().slice(0, 200);
  return cleaned === "" ? fallback : cleaned;
}

async function readStream(stream: AsyncIterable<unknown> & { destroy?: () => void }, abortSignal?: AbortSignalLike): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      throwIfAborted(abortSignal);
      const bytes =
        typeof chunk === "string" ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : undefined;
      if (bytes === undefined) throw new TypeError("verifyImage stream must yield bytes (Buffer or Uint8Array).");
      total += bytes.length;
      if (total > MAX_VERIFY_IMAGE_BYTES) throw new RangeError(`${SIZE_MESSAGE} (the stream was longer).`);
      chunks.push(bytes);
    }
  } finally {
    stream.destroy?.();
  }
  return Buffer.concat(chunks, total);
}

/**
 * Normalises every accepted verify-image form to bytes or a Blob, checks that it is a non-empty
 * JPEG, PNG, GIF, BMP or WEBP image of at most 6 MB, and picks the filename and content type.
 */
export async function prepareVerifyImage(input: VerifyImageInput, abortSignal?: AbortSignalLike): Promise<PreparedImage> {
  let body: Uint8Array | Blob;
  let head: Uint8Array;
  let name: string | undefined;
  let source: unknown = input;
  if (typeof source === "function") {
    source = (source as () => unknown)();
  }
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && source instanceof SharedArrayBuffer)) {
    source = new Uint8Array(source);
  } else if (ArrayBuffer.isView(source) && !(source instanceof Uint8Array)) {
    source = new Uint8Array(source.buffer, source.byteOffset, source.byteLength); // other typed arrays, DataView
  }
  if (source instanceof Uint8Array) {
    body = source;
    head = source.subarray(0, SNIFF_LENGTH);
  } else if (isResponse(source)) {
    body = await readResponse(source, abortSignal);
    head = body.subarray(0, SNIFF_LENGTH);
  } else if (isWebStream(source)) {
    body = await readWebStream(source, abortSignal);
    head = body.subarray(0, SNIFF_LENGTH);
  } else if (typeof Blob !== "undefined" && source instanceof Blob) {
    body = source;
    head = new Uint8Array(await source.slice(0, SNIFF_LENGTH).arrayBuffer());
    const fileName = (source as { name?: unknown }).name;
    if (typeof fileName === "string") name = fileName;
  } else if (isReadable(source)) {
    body = await readStream(source, abortSignal);
    head = body.subarray(0, SNIFF_LENGTH);
  } else {
    throw new TypeError(
      "verifyImage must be a Uint8Array/Buffer, an ArrayBuffer or typed array, a Blob/File, a Node or web readable stream, a fetch Response, or a function returning one.",
    );
  }
  const size = body instanceof Uint8Array ? body.byteLength : body.size;
  if (size === 0) throw new RangeError("verifyImage must not be empty.");
  if (size > MAX_VERIFY_IMAGE_BYTES) throw new RangeError(`${SIZE_MESSAGE} (got ${size} bytes).`);
  const format = sniffImageFormat(head);
  if (format === undefined) {
    throw new TypeError("verifyImage must be a JPEG, PNG, GIF, BMP or WEBP image (its first bytes match none of them).");
  }
  const fallback = `verify-image.${format.extension}`;
  return { body, contentType: format.contentType, filename: name === undefined ? fallback : safeFilename(name, fallback), size };
}
