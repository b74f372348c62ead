/**
 * The few DER (ASN.1 Distinguished Encoding Rules, ITU-T X.690) encoders an X.509 certificate
 * needs. Every function returns one complete TLV (tag, length, value).
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A TLV with the given tag byte around `content`. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Buffer {
  const value = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** `SEQUENCE { ...items }`. */
export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(0x30, ...items);

/** `SET { ...items }` (callers pass a single item, so no sorting is needed). */
export const set = (...items: readonly Uint8Array[]): Buffer => tlv(0x31, ...items);

/** `[n] EXPLICIT` around one encoded value. */
export const explicit = (n: number, value: Uint8Array): Buffer => tlv(0xa0 | n, value);

/** `[n] IMPLICIT` primitive value (e.g. a `GeneralName` or a key identifier). */
export const implicit = (n: number, value: Uint8Array): Buffer => tlv(0x80 | n, value);

/** `BOOLEAN`. */
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));

/** `INTEGER` from unsigned big-endian bytes (leading zeros dropped, a 0x00 added when the high bit is set). */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = Buffer.from(bytes.subarray(start));
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** `INTEGER` from a small non-negative number. */
export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** `OBJECT IDENTIFIER` from dotted text, e.g. `"2.5.4.3"`. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const body: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    body.push(...chunk);
  }
  return tlv(0x06, Buffer.from(body));
}

/** `OCTET STRING`. */
export const octetString = (value: Uint8Array): Buffer => tlv(0x04, value);

/** `BIT STRING`; `unusedBits` is the number of unused low bits of the last byte (named-bit lists drop trailing zeros). */
export const bitString = (value: Uint8Array, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), value);

/** `UTF8String`. */
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));

/**
 * A certificate validity time: `UTCTime` (YYMMDDHHMMSSZ) for 1950–2049, else `GeneralizedTime`
 * (YYYYMMDDHHMMSSZ), as RFC 5280 §4.1.2.5 requires.
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), "ascii")) : tlv(0x18, Buffer.from(digits, "ascii"));
}
