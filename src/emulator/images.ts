import { deflateSync } from "node:zlib";
import type { FaceRectangle } from "../models/session.js";

/**
 * Image helpers of the emulator: reading the pixel size of an uploaded image from its header,
 * and drawing the PNG served as a session image (a plain "face" inside the attempt's face
 * rectangle, so the image and the rectangles the emulator reports agree).
 */

/** Width and height of an image, in pixels. */
export interface ImageSize {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

function u16be(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}
function u16le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8);
}
function u24le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
}
function u32be(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}
function i32le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function jpegSize(b: Uint8Array): ImageSize | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    i += 2 + u16be(b, i + 2);
  }
  return undefined;
}

function webpSize(b: Uint8Array): ImageSize | undefined {
  const chunk = String.fromCharCode(...b.subarray(12, 16));
  if (chunk === "VP8X" && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === "VP8 " && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === "VP8L" && b.length >= 25) {
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

/**
 * Reads the pixel size from the header of a JPEG, PNG, GIF, BMP or WEBP image; `undefined` when
 * the header is truncated or the format is none of them.
 */
export function readImageSize(b: Uint8Array): ImageSize | undefined {
  let size: ImageSize | undefined;
  if (b[0] === 0xff && b[1] === 0xd8) size = jpegSize(b);
  else if (b[0] === 0x89 && b[1] === 0x50 && b.length >= 24) size = { width: u32be(b, 16), height: u32be(b, 20) };
  else if (b[0] === 0x47 && b[1] === 0x49 && b.length >= 10) size = { width: u16le(b, 6), height: u16le(b, 8) };
  else if (b[0] === 0x42 && b[1] === 0x4d && b.length >= 26) size = { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  else if (b[0] === 0x52 && b[1] === 0x49 && b.length >= 16) size = webpSize(b);
  return size !== undefined && size.width > 0 && size.height > 0 ? size : undefined;
}

/** The face rectangle reported for a verify image when its size cannot be read. */
export const FALLBACK_REFERENCE_RECTANGLE: FaceRectangle = { top: 316, left: 131, width: 498, height: 677 };

/**
 * Where the emulator "finds" the face in a verify image: the centre half of its width and the
 * middle 60% of its height (or {@link FALLBACK_REFERENCE_RECTANGLE} when the size is unknown).
 */
export function referenceFaceRectangle(image: Uint8Array): FaceRectangle {
  const size = readImageSize(image);
  if (size === undefined) return FALLBACK_REFERENCE_RECTANGLE;
  return {
    top: Math.floor(size.height * 0.2),
    left: Math.floor(size.width * 0.25),
    width: Math.max(1, Math.round(size.width * 0.5)),
    height: Math.max(1, Math.round(size.height * 0.6)),
  };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}

/** Largest side, in pixels, of a rendered session image. */
export const MAX_RENDERED_SIDE = 4096;

/**
 * Draws the session image of an attempt: an 8-bit grayscale PNG as large as the face rectangle
 * plus the same margins on the right and bottom as on the left and top, with a light ellipse
 * (the "face") filling the rectangle and two dark "pupils".
 */
export function renderSessionImage(face: FaceRectangle): Uint8Array {
  const width = Math.min(MAX_RENDERED_SIDE, Math.max(1, face.left * 2 + face.width));
  const height = Math.min(MAX_RENDERED_SIDE, Math.max(1, face.top * 2 + face.height));
  const cx = face.left + face.width / 2;
  const cy = face.top + face.height / 2;
  const rx = face.width / 2;
  const ry = face.height / 2;
  const eyeY = face.top + face.height * 0.38;
  const eyeR = Math.max(1, face.width * 0.04);
  const eyes = [face.left + face.width * 0.3, face.left + face.width * 0.7];
  const raw = Buffer.alloc((width + 1) * height, 0x60);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    raw[row] = 0; // filter type "None"
    const dy = (y + 0.5 - cy) / ry;
    if (dy * dy > 1) continue;
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - cx) / rx;
      if (dx * dx + dy * dy > 1) continue;
      const isPupil = eyes.some((ex) => (x + 0.5 - ex) ** 2 + (y + 0.5 - eyeY) ** 2 <= eyeR * eyeR);
      raw[row + 1 + x] = isPupil ? 0x20 : 0xd8;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", header),
      pngChunk("IDAT", deflateSync(raw)),
      pngChunk("IEND", new Uint8Array(0)),
    ]),
  );
}
