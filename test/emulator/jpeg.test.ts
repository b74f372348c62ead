import * as jpeg from "jpeg-js";
import { describe, expect, it } from "vitest";
import { encodeJpeg } from "../../src/emulator/jpeg.js";

/** A deterministic gray picture with edges, gradients and flat areas. */
function picture(width: number, height: number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const flat = x < width / 3;
      pixels[y * width + x] = flat ? 0x60 : (x * 5 + y * 3) % 256 < 128 ? (x * y) % 256 : 255 - ((x + y) % 64);
    }
  }
  return pixels;
}

function largestError(width: number, height: number, quality: number): number {
  const pixels = picture(width, height);
  const bytes = encodeJpeg(width, height, pixels, quality);
  const decoded = jpeg.decode(Buffer.from(bytes), { useTArray: true });
  expect([decoded.width, decoded.height]).toEqual([width, height]);
  let worst = 0;
  for (let i = 0; i < width * height; i++) worst = Math.max(worst, Math.abs(decoded.data[i * 4]! - pixels[i]!));
  return worst;
}

describe("the emulator's baseline JPEG encoder", () => {
  it.each([
    [1, 1],
    [8, 8],
    [9, 17],
    [37, 21],
    [200, 210],
  ])("writes a %ix%i image an independent decoder reads back", (width, height) => {
    expect(largestError(width, height, 100)).toBeLessThanOrEqual(2);
  });

  it("trades accuracy for size with the quality, and keeps flat areas exact", () => {
    const pixels = picture(64, 64);
    const small = encodeJpeg(64, 64, pixels, 20).length;
    const large = encodeJpeg(64, 64, pixels, 100).length;
    expect(small).toBeLessThan(large);
    expect(largestError(64, 64, 20)).toBeGreaterThan(largestError(64, 64, 100));
    const flat = jpeg.decode(Buffer.from(encodeJpeg(16, 16, new Uint8Array(256).fill(0x60), 50)), { useTArray: true });
    expect(new Set(Array.from({ length: 256 }, (_, i) => flat.data[i * 4]))).toEqual(new Set([0x60]));
  });

  it("stuffs 0xFF bytes in the entropy-coded data (no marker appears inside the scan)", () => {
    const bytes = Buffer.from(encodeJpeg(200, 210, picture(200, 210), 100));
    const scan = bytes.indexOf(Buffer.from([0xff, 0xda]));
    const data = bytes.subarray(scan + 2 + bytes.readUInt16BE(scan + 2), bytes.length - 2);
    for (let i = 0; i < data.length - 1; i++) if (data[i] === 0xff) expect(data[i + 1]).toBe(0);
    expect([...bytes.subarray(bytes.length - 2)]).toEqual([0xff, 0xd9]);
  });

  it("refuses sizes JPEG cannot hold and pixel buffers of the wrong length", () => {
    expect(() => encodeJpeg(0, 10, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeJpeg(65536, 1, new Uint8Array(65536))).toThrow(RangeError);
    expect(() => encodeJpeg(2, 2, new Uint8Array(3))).toThrow("pixels must hold width * height gray levels.");
  });
});
