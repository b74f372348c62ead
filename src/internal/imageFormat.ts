/** An image format recognised from its first bytes. */
export interface ImageFormat {
  /** MIME type sent as the part's content type. */
  readonly contentType: string;
  /** File extension used in the default filename. */
  readonly extension: string;
}

const JPEG: ImageFormat = { contentType: "image/jpeg", extension: "jpg" };
const PNG: ImageFormat = { contentType: "image/png", extension: "png" };
const GIF: ImageFormat = { contentType: "image/gif", extension: "gif" };
const BMP: ImageFormat = { contentType: "image/bmp", extension: "bmp" };
const WEBP: ImageFormat = { contentType: "image/webp", extension: "webp" };

/** Bytes needed by {@link sniffImageFormat}. */
export const SNIFF_LENGTH = 12;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

/** Recognises JPEG, PNG, GIF, BMP and WEBP from magic bytes; `undefined` for anything else. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return GIF;
  if (startsWith(head, [0x42, 0x4d]) && head.length >= 6) return BMP;
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return WEBP;
  return undefined;
}
