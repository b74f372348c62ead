import { RestError, isRestError } from "@azure/core-rest-pipeline";

export { RestError, isRestError };

/**
 * The `RestError` this library throws for a failed service call. `code` is the service's error
 * code (`error.code`, else the gateway's `error.statusCode`, else the `x-ms-error-code` header,
 * else the HTTP status), `details` is the parsed error body, and `requestId` is the
 * `apim-request-id` header to quote in support requests.
 *
 * `request` and `response` are redacted copies, safe to log or serialize: no credential, no
 * request body, header values outside the log allow-list read `REDACTED`, and the body is kept
 * (first 2 KB) only for an error status. Any secret the client sent or received (API key, bearer
 * token, session and client-assets tokens) that the server echoes is replaced with `REDACTED` in
 * every field.
 *
 * Check errors with `isRestError(error)` or `error.name === "RestError"` rather than `instanceof`:
 * the CommonJS and ESM builds of a package hold different classes.
 */
export interface FaceRestError extends RestError {
  /** The `apim-request-id` response header, when the service sent one. */
  requestId?: string;
}
