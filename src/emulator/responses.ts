/**
 * Response builders shared by every operation of the emulator: JSON bodies, Face error bodies
 * (`{"error":{"code","message"}}`; recorded error answers carry no `x-ms-error-code` header) and
 * the error class the operations throw to produce them.
 */

import { JSON_CONTENT_TYPE } from "./wire/headers.js";

/** Message of the gateway's 401 response, as the real service words it. */
export const ACCESS_DENIED_MESSAGE =
  "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

/**
 * An error an operation throws to answer with a Face error response. The core turns it into
 * `status` with body `{"error":{"code","message"}}`.
 */
export class EmulatorHttpError extends Error {
  /** HTTP status of the response. */
  readonly status: number;
  /** `error.code` of the body. */
  readonly code: string;
  /** Extra response headers, e.g. `Allow` or `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param status - HTTP status of the response.
   * @param code - Face error code, e.g. `BadArgument`.
   * @param message - Human-readable message (never contains a secret).
   * @param headers - Extra response headers.
   */
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "EmulatorHttpError";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** A 400 `BadArgument` error with `message`. */
export function badArgument(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, "BadArgument", message);
}

/** The 415 error the service sends for a wrong `Content-Type`. */
export function invalidMediaType(): EmulatorHttpError {
  return new EmulatorHttpError(415, "BadArgument", "Invalid Media Type.");
}

/** The 404 error for an unknown or expired session id. */
export function sessionNotFound(): EmulatorHttpError {
  return new EmulatorHttpError(404, "SessionNotFound", "Session Id is not found. The session id is expired or does not exist.");
}

/** A JSON response with `status` and `body`. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
  });
}

/**
 * A Face error response: `{"error":{"code","message"}}`, without `x-ms-error-code` (the recorded
 * 404 `SessionNotFound` and gateway 429 answers have none).
 */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { error: { code, message } }, headers);
}

/** The response for a thrown {@link EmulatorHttpError}. */
export function responseForError(error: EmulatorHttpError): Response {
  return errorResponse(error.status, error.code, error.message, { ...error.headers });
}
