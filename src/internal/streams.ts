/**
 * Reads a whole Node readable stream into one `Uint8Array` that owns its memory. (A
 * `Buffer.concat` result must not be re-wrapped via `.buffer` from offset 0: bodies under 4 KB
 * are carved from Node's shared buffer pool at a non-zero offset.)
 */
export async function readStreamBody(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
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
