/**
 * A small baseline JPEG encoder (ITU T.81) for gray pictures, written in the layout of the
 * service's recorded session images: a JFIF file, baseline DCT (SOF0), three components
 * (Y, Cb, Cr) with 4:2:0 sampling and two quantisation tables (Annex K), here with neutral
 * chroma. Huffman tables are the standard luminance ones of Annex K, used for all components.
 * Blocks of one flat level, which make up most of a rendered session image, skip the DCT.
 */

/** Natural (row-major) index of each zig-zag position. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42,
  49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** Annex K.1 luminance quantisation table, natural order. */
const LUMINANCE_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18,
  22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100,
  103, 99,
];

/** Annex K.1 chrominance quantisation table, natural order. */
const CHROMINANCE_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...new Array<number>(32).fill(99),
];

/** Annex K.3 luminance DC table: code counts per length 1..16, then the symbols. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** Annex K.3 luminance AC table. */
const AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_VALUES = Buffer.from(
  "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa",
  "hex",
);

interface HuffmanCode {
  readonly code: number;
  readonly length: number;
}

/** Annex C: the code of every symbol of a table given as counts per length and symbols. */
function huffmanCodes(bits: readonly number[], values: ArrayLike<number>): HuffmanCode[] {
  const codes: HuffmanCode[] = [];
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]!; i++) codes[values[k++]!] = { code: code++, length };
    code <<= 1;
  }
  return codes;
}

const DC_CODES = huffmanCodes(DC_BITS, DC_VALUES);
const AC_CODES = huffmanCodes(AC_BITS, AC_VALUES);

/** cos((2x+1)uπ/16) scaled by C(u)/2, indexed [u * 8 + x]. */
const COSINES = (() => {
  const table = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    for (let x = 0; x < 8; x++) table[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return table;
})();

/** Entropy-coded data: bits packed most significant first, `FF` stuffed with `00`. */
class BitWriter {
  readonly #bytes: number[] = [];
  #buffer = 0;
  #count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.#buffer = (this.#buffer << 1) | ((value >>> i) & 1);
      if (++this.#count === 8) this.#flushByte();
    }
  }

  #flushByte(): void {
    this.#bytes.push(this.#buffer);
    if (this.#buffer === 0xff) this.#bytes.push(0);
    this.#buffer = 0;
    this.#count = 0;
  }

  /** Pads the last byte with 1 bits and returns everything written. */
  finish(): Buffer {
    if (this.#count > 0) this.write(0xff, 8 - this.#count);
    return Buffer.from(this.#bytes);
  }
}

/** Bits needed for |value| (the JPEG "category"). */
function category(value: number): number {
  let magnitude = Math.abs(value);
  let bits = 0;
  while (magnitude > 0) {
    bits++;
    magnitude >>= 1;
  }
  return bits;
}

function writeValue(out: BitWriter, value: number, bits: number): void {
  if (bits > 0) out.write(value < 0 ? value - 1 + (1 << bits) : value, bits);
}

function writeCode(out: BitWriter, code: HuffmanCode): void {
  out.write(code.code, code.length);
}

/** `table` scaled for `quality` (1-100, IJG scaling), natural order. */
function quantTable(table: readonly number[], quality: number): number[] {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return table.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

/** Forward DCT and quantisation of one level-shifted block into zig-zag order. */
function transform(block: Float64Array, quant: readonly number[], out: Int32Array): void {
  const rows = new Float64Array(64);
  for (let y = 0; y < 8; y++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let x = 0; x < 8; x++) sum += block[y * 8 + x]! * COSINES[u * 8 + x]!;
      rows[y * 8 + u] = sum;
    }
  }
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) sum += rows[y * 8 + u]! * COSINES[v * 8 + y]!;
      const natural = v * 8 + u;
      out[natural] = Math.round(sum / quant[natural]!);
    }
  }
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

function huffmanSegmentBody(tableClass: number, bits: readonly number[], values: ArrayLike<number>): Buffer {
  return Buffer.concat([Buffer.from([tableClass << 4]), Buffer.from(bits), Buffer.from(Array.from(values))]);
}

/** Writes one block's coefficients (natural order); returns its DC value, the next predictor. */
function writeBlock(out: BitWriter, coefficients: Int32Array, previousDc: number): number {
  const diff = coefficients[0]! - previousDc;
  const dcBits = category(diff);
  writeCode(out, DC_CODES[dcBits]!);
  writeValue(out, diff, dcBits);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const value = coefficients[ZIGZAG[k]!]!;
    if (value === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      writeCode(out, AC_CODES[0xf0]!);
      run -= 16;
    }
    const bits = category(value);
    writeCode(out, AC_CODES[(run << 4) | bits]!);
    writeValue(out, value, bits);
    run = 0;
  }
  if (run > 0) writeCode(out, AC_CODES[0x00]!);
  return coefficients[0]!;
}

/** Reads the 8x8 luma block at (`bx`, `by`), edges repeated, and quantises its DCT into `out`. */
function lumaBlock(pixels: Uint8Array, width: number, height: number, bx: number, by: number, quant: readonly number[], block: Float64Array, out: Int32Array): void {
  let flat = true;
  const first = pixels[Math.min(by, height - 1) * width + Math.min(bx, width - 1)]!;
  for (let y = 0; y < 8; y++) {
    const row = Math.min(by + y, height - 1) * width;
    for (let x = 0; x < 8; x++) {
      const value = pixels[row + Math.min(bx + x, width - 1)]!;
      if (value !== first) flat = false;
      block[y * 8 + x] = value - 128;
    }
  }
  if (!flat) {
    transform(block, quant, out);
    return;
  }
  out.fill(0);
  out[0] = Math.round(((first - 128) * 8) / quant[0]!);
}

/**
 * Encodes `pixels` (`width * height` gray levels, row by row) as a baseline JPEG.
 *
 * @param quality - 1 (smallest) to 100 (best), IJG scaling of the standard tables. Default 90.
 */
export function encodeJpeg(width: number, height: number, pixels: Uint8Array, quality = 90): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65535 || height > 65535) {
    throw new RangeError("JPEG width and height must be integers from 1 to 65535.");
  }
  if (pixels.length !== width * height) throw new RangeError("pixels must hold width * height gray levels.");
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const luma = quantTable(LUMINANCE_QUANT, q);
  const chroma = quantTable(CHROMINANCE_QUANT, q);
  const out = new BitWriter();
  const block = new Float64Array(64);
  const coefficients = new Int32Array(64);
  const neutral = new Int32Array(64); // Cb = Cr = 128: every coefficient 0
  let dcY = 0;
  // Minimum coded units of 16x16 pixels: four Y blocks, then one Cb and one Cr block.
  for (let my = 0; my < height; my += 16) {
    for (let mx = 0; mx < width; mx += 16) {
      for (const [dx, dy] of [[0, 0], [8, 0], [0, 8], [8, 8]] as const) {
        lumaBlock(pixels, width, height, mx + dx, my + dy, luma, block, coefficients);
        dcY = writeBlock(out, coefficients, dcY);
      }
      writeBlock(out, neutral, 0);
      writeBlock(out, neutral, 0);
    }
  }
  const size = Buffer.alloc(4);
  size.writeUInt16BE(height, 0);
  size.writeUInt16BE(width, 2);
  const table = (id: number, values: readonly number[]) => [id, ...ZIGZAG.map((natural) => values[natural]!)];
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xffe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])), // JFIF 1.01, 1:1, no thumbnail
      segment(0xffdb, Buffer.from(table(0, luma))),
      segment(0xffdb, Buffer.from(table(1, chroma))),
      segment(0xffc0, Buffer.concat([Buffer.from([8]), size, Buffer.from([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])])),
      segment(0xffc4, Buffer.concat([huffmanSegmentBody(0, DC_BITS, DC_VALUES), huffmanSegmentBody(1, AC_BITS, AC_VALUES)])),
      segment(0xffda, Buffer.from([3, 1, 0, 2, 0, 3, 0, 0, 63, 0])),
      out.finish(),
      Buffer.from([0xff, 0xd9]),
    ]),
  );
}
