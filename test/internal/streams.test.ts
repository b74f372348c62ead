import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readStreamBody } from "../../src/internal/streams.js";

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed) % 256);
const chunked = (data: Uint8Array, size: number) =>
  Readable.from(Array.from({ length: Math.ceil(data.length / size) }, (_, i) => Buffer.from(data.subarray(i * size, (i + 1) * size))));

describe("readStreamBody", () => {
  it.each([
    ["without a length", undefined],
    ["with the exact length", 100_000],
    ["with a length that is too small", 1_000],
    ["with a length that is too large", 150_000],
    ["with an absurd length", 2 ** 40],
  ])("returns exactly the streamed bytes %s", async (_name, expectedLength) => {
    const data = bytes(100_000);
    const out = await readStreamBody(chunked(data, 7_000), expectedLength);
    expect(out).toEqual(data);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(out.byteLength); // owns its memory, no pooled slab
  });

  it("returns small bodies in memory of their own", async () => {
    const data = bytes(300, 9);
    const out = await readStreamBody(chunked(data, 100));
    expect(out).toEqual(data);
    expect(out.buffer.byteLength).toBe(300);
  });
});
