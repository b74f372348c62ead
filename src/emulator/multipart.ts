import { badArgument } from "./responses.js";

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  /** Field name from `Content-Disposition: form-data; name="..."`. */
  readonly name: string;
  /** File name from the `filename` (or `filename*`) parameter, when present. */
  readonly filename?: string;
  /** The part's `Content-Type`, when present. */
  readonly contentType?: string;
  /** The raw part content. */
  readonly data: Uint8Array;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** The `boundary` parameter of a `multipart/form-data` content type, or `undefined`. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary !== undefined && boundary.length <= 200 ? boundary : undefined;
}

function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([A-Za-z0-9_*.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let match = pattern.exec(value); match !== null; match = pattern.exec(value)) {
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "").trim();
    params.set(match[1]!.toLowerCase(), raw);
  }
  return params;
}

function decodeExtended(value: string): string | undefined {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[2]!);
  } catch {
    return undefined;
  }
}

function parseHeaders(block: string): { name: string; filename?: string; contentType?: string } {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === "content-disposition") disposition = value;
    else if (header === "content-type") contentType = value;
  }
  if (disposition === undefined || !/^form-data\s*(;|$)/i.test(disposition)) {
    throw badArgument("Every multipart part must have a 'Content-Disposition: form-data; name=\"...\"' header.");
  }
  const params = dispositionParams(disposition);
  const name = params.get("name");
  if (name === undefined || name === "") throw badArgument("A multipart part has no name in its Content-Disposition header.");
  const extended = params.get("filename*");
  const filename = (extended !== undefined ? decodeExtended(extended) : undefined) ?? params.get("filename");
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType !== undefined ? { contentType } : {}) };
}

/**
 * Parses a `multipart/form-data` body (RFC 7578). Throws a 400 `BadArgument` error when the body
 * does not follow the format.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const malformed = () => badArgument("The multipart/form-data body is malformed (boundary not found or part truncated).");
  let position = bytes.indexOf(delimiter);
  if (position < 0) throw malformed();
  const parts: MultipartPart[] = [];
  for (;;) {
    position += delimiter.length;
    if (bytes[position] === 0x2d && bytes[position + 1] === 0x2d) return parts; // closing "--"
    while (bytes[position] === 0x20 || bytes[position] === 0x09) position++;
    if (!bytes.subarray(position, position + 2).equals(CRLF)) throw malformed();
    position += 2;
    const headerEnd = bytes.indexOf(HEADER_END, position);
    if (headerEnd < 0) throw malformed();
    const headers = parseHeaders(bytes.subarray(position, headerEnd).toString("utf8"));
    const dataStart = headerEnd + HEADER_END.length;
    const next = bytes.indexOf(Buffer.concat([CRLF, delimiter]), dataStart);
    if (next < 0) throw malformed();
    parts.push({ ...headers, data: new Uint8Array(bytes.subarray(dataStart, next)) });
    position = next + CRLF.length;
  }
}
