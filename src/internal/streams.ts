import type { Readable } from "node:stream";

/** Yields the stream's chunks, calling `overflow` (which throws) once more than `maxBytes` arrived. */
async function* cappedChunks(stream: NodeJS.ReadableStream, maxBytes: number, overflow: () => never): AsyncGenerator<Buffer | string> {
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    total += chunk.length;
    if (total > maxBytes) overflow();
    yield chunk;
  }
}

function capped(stream: NodeJS.ReadableStream, maxBytes: number, overflow: () => never): NodeJS.ReadableStream {
  return { [Symbol.asyncIterator]: () => cappedChunks(stream, maxBytes, overflow) } as unknown as NodeJS.ReadableStream;
}

/** A cap on {@link readStreamBody}: past `maxBytes` the stream is destroyed and `tooLarge()` thrown. */
export interface ReadLimit {
  readonly maxBytes: number;
  readonly tooLarge: () => Error;
}

/** Largest `Content-Length` trusted for preallocation; larger bodies are collected in chunks. */
const MAX_PREALLOCATED_BYTES = 256 * 1024 * 1024;

/**
 * Reads a whole Node readable stream into one `Uint8Array` that owns its memory. With the
 * expected length (from `Content-Length`) the bytes go straight into one buffer of that size;
 * otherwise the chunks are collected and copied once at the end. (A `Buffer.concat` result must
 * not be re-wrapped via `.buffer` from offset 0: bodies under 4 KB are carved from Node's shared
 * buffer pool at a non-zero offset.) With `limit`, more than `limit.maxBytes` (announced or
 * received) destroys the stream and throws `limit.tooLarge()`.
 */
export async function readStreamBody(stream: NodeJS.ReadableStream, expectedLength?: number, limit?: ReadLimit): Promise<Uint8Array> {
  if (limit !== undefined) {
    const overflow = (): never => {
      (stream as Partial<Readable>).destroy?.();
      throw limit.tooLarge();
    };
    if (expectedLength !== undefined && expectedLength > limit.maxBytes) overflow();
    stream = capped(stream, limit.maxBytes, overflow);
  }
  if (expectedLength !== undefined && Number.isSafeInteger(expectedLength) && expectedLength >= 0 && expectedLength <= MAX_PREALLOCATED_BYTES) {
    let out = new Uint8Array(expectedLength);
    let offset = 0;
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (offset + bytes.length > out.length) {
        // The server sent more than it announced: grow rather than lose bytes.
        const grown = new Uint8Array(Math.max(out.length * 2, offset + bytes.length));
        grown.set(out.subarray(0, offset));
        out = grown;
      }
      out.set(bytes, offset);
      offset += bytes.length;
    }
    return offset === out.length ? out : out.slice(0, offset);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    total += bytes.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
