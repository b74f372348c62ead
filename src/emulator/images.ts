import { encodeJpeg } from "./jpeg.js";
import type { WireFaceRectangle } from "./wire/session.js";

/**
 * Image helpers of the emulator: recognising an uploaded image and reading its pixel size from its header,
 * and drawing the JPEG served as a session image (a plain "face" inside the attempt's face
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

/** Image formats the service documents for verify images. */
export type ImageFormatName = "jpeg" | "png" | "gif" | "bmp" | "webp";

/** The format of an image from its signature bytes; `undefined` for anything else. */
export function imageFormatOf(b: Uint8Array): ImageFormatName | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (/^GIF8[79]a$/.test(ascii(0, 6))) return "gif";
  if (b.length >= 6 && ascii(0, 2) === "BM") return "bmp";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return undefined;
}

/**
 * Reads the pixel size from the header of a JPEG, PNG, GIF, BMP or WEBP image; `undefined` when
 * the header is truncated or the format is none of them.
 */
export function readImageSize(b: Uint8Array): ImageSize | undefined {
  const format = imageFormatOf(b);
  let size: ImageSize | undefined;
  if (format === "jpeg") size = jpegSize(b);
  else if (format === "png" && b.length >= 24) size = { width: u32be(b, 16), height: u32be(b, 20) };
  else if (format === "gif" && b.length >= 10) size = { width: u16le(b, 6), height: u16le(b, 8) };
  else if (format === "bmp" && b.length >= 26) size = { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  else if (format === "webp" && b.length >= 16) size = webpSize(b);
  return size !== undefined && size.width > 0 && size.height > 0 ? size : undefined;
}

/** The face rectangle reported for a verify image when its size cannot be read. */
export const FALLBACK_REFERENCE_RECTANGLE: WireFaceRectangle = { top: 316, left: 131, width: 498, height: 677 };

/**
 * Where the emulator "finds" the face in a verify image: the centre half of its width and the
 * middle 60% of its height (or {@link FALLBACK_REFERENCE_RECTANGLE} when the size is unknown).
 */
export function referenceFaceRectangle(image: Uint8Array): WireFaceRectangle {
  const size = readImageSize(image);
  if (size === undefined) return FALLBACK_REFERENCE_RECTANGLE;
  return {
    top: Math.floor(size.height * 0.2),
    left: Math.floor(size.width * 0.25),
    width: Math.max(1, Math.round(size.width * 0.5)),
    height: Math.max(1, Math.round(size.height * 0.6)),
  };
}

/** Largest side, in pixels, of a rendered session image. */
export const MAX_RENDERED_SIDE = 4096;

/**
 * Draws the session image of an attempt: a gray JPEG as large as the face rectangle
 * plus the same margins on the right and bottom as on the left and top, with a light ellipse
 * (the "face") filling the rectangle and two dark "pupils". The service's session images are
 * JPEG too (recorded: `/9j/4AAQSkZJRg...`, a JFIF file).
 */
export function renderSessionImage(face: WireFaceRectangle): Uint8Array {
  const width = Math.min(MAX_RENDERED_SIDE, Math.max(1, face.left * 2 + face.width));
  const height = Math.min(MAX_RENDERED_SIDE, Math.max(1, face.top * 2 + face.height));
  const cx = face.left + face.width / 2;
  const cy = face.top + face.height / 2;
  const rx = face.width / 2;
  const ry = face.height / 2;
  const eyeY = face.top + face.height * 0.38;
  const eyeR = Math.max(1, face.width * 0.04);
  const eyes = [face.left + face.width * 0.3, face.left + face.width * 0.7];
  const pixels = new Uint8Array(width * height).fill(0x60);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const dy = (y + 0.5 - cy) / ry;
    if (dy * dy > 1) continue;
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - cx) / rx;
      if (dx * dx + dy * dy > 1) continue;
      const isPupil = eyes.some((ex) => (x + 0.5 - ex) ** 2 + (y + 0.5 - eyeY) ** 2 <= eyeR * eyeR);
      pixels[row + x] = isPupil ? 0x20 : 0xd8;
    }
  }
  return encodeJpeg(width, height, pixels);
}
