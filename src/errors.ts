import { AbortError } from "@azure/abort-controller";
import { RestError, isRestError } from "@azure/core-rest-pipeline";

export { AbortError, RestError, isRestError };

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
 * Check errors with {@link isFaceRestError} (or `isRestError`, or `error.name === "RestError"`)
 * rather than `instanceof`: the CommonJS and ESM builds of a package hold different classes.
 */
export interface FaceRestError extends RestError {
  /** The `apim-request-id` response header, when the service sent one. */
  requestId?: string;
}

/**
 * Whether `error` is a `RestError` (recognised by name, so it works across the ESM and CommonJS
 * builds), narrowed to {@link FaceRestError} so that `error.requestId` type-checks.
 *
 * @param error - Anything caught.
 *
 * @example
 * ```ts
 * try {
 *   await client.getLivenessSessionResult(sessionId);
 * } catch (error) {
 *   if (isFaceRestError(error)) console.error(error.statusCode, error.code, error.requestId);
 *   else throw error;
 * }
 * ```
 */
export function isFaceRestError(error: unknown): error is FaceRestError {
  return isRestError(error);
}

/**
 * Whether `error` is the `AbortError` an operation rejects with when its `abortSignal` aborts
 * (recognised by name, so it also matches a platform `DOMException` named `AbortError`). The
 * signal's `reason`, when it has one (e.g. the `TimeoutError` of `AbortSignal.timeout()`), is
 * the error's `cause`.
 *
 * @param error - Anything caught.
 *
 * @example
 * ```ts
 * try {
 *   await client.getLivenessSessionResult(sessionId, { abortSignal: AbortSignal.timeout(5_000) });
 * } catch (error) {
 *   if (isAbortError(error)) console.log("gave up:", error.cause); // the TimeoutError
 *   else throw error;
 * }
 * ```
 */
export function isAbortError(error: unknown): error is AbortError {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}
