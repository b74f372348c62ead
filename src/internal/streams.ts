/** Reads a whole Node readable stream into one `Uint8Array`. */
export async function readStreamBody(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    total += bytes.length;
  }
  return new Uint8Array(Buffer.concat(chunks, total).buffer, 0, total);
}
