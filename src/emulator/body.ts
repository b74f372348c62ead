import { EmulatorHttpError, badArgument, invalidMediaType } from "./responses.js";

/**
 * Reading request bodies: content-type checks, size limit and JSON parsing, shared by the
 * operations that take a body.
 */

/** The media type of a request (`type/subtype`, lower case), or `""` when absent. */
export function mediaType(request: Request): string {
  const value = request.headers.get("content-type") ?? "";
  return value.split(";", 1)[0]!.trim().toLowerCase();
}

/** Throws the service's 415 error unless the request's media type is `expected`. */
export function requireMediaType(request: Request, expected: string): void {
  if (mediaType(request) !== expected) throw invalidMediaType();
}

/**
 * Reads the whole request body, refusing more than `limit` bytes with 413 (reading stops at the
 * limit, so a huge body is never buffered).
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new EmulatorHttpError(413, "BadArgument", `Request body is too large (the emulator accepts at most ${limit} bytes).`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads a JSON object body: 415 unless the content type is `application/json`, 400 for an empty
 * body, invalid JSON or a value that is not an object.
 */
export async function readJsonObject(request: Request, limit: number): Promise<Record<string, unknown>> {
  requireMediaType(request, "application/json");
  const bytes = await readBody(request, limit);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") throw badArgument("Request body is empty; a JSON object is required.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badArgument("Request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badArgument("Request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}
