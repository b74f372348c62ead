import type { PipelinePolicy, PipelineRetryOptions, RetryStrategy } from "@azure/core-rest-pipeline";
import { retryPolicy } from "@azure/core-rest-pipeline";
import { backoffDelay, retryDelays, throttledRetryDelay } from "../retryDelay.js";

/** Name of the retry policy used for session creation. */
export const createRetryPolicyName = "faceCreateRetryPolicy";

/**
 * Errors raised before a connection existed, so the request cannot have reached the service.
 * `ECONNRESET` and timeouts are deliberately absent: they can happen after the body was sent.
 */
const NOT_SENT_ERROR_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * Retry rules for the two create operations, which are not idempotent on the service: each
 * successful POST makes a new session with a live `authToken`. A create is retried only when the
 * service cannot have made a session:
 *
 * - a 429 or 503 answer (throttled or unavailable: the request was refused, not processed),
 *   after `Retry-After` or the gateway's "Try again in N seconds" when given (no retry when that
 *   is longer than `maxRetryDelayInMs`), else after an exponential delay;
 * - a connection that was never established (`ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`).
 *
 * Anything else is returned or thrown at once, never retried: a reset or timeout after the body
 * was sent, a 500, 502 or 504 (the session may exist), and every other status. Those surface to
 * the caller, who can decide, rather than risk an orphan session whose token nobody revokes.
 * Reads (GET), deletes (DELETE) and detect follow `readRetryPolicy`.
 */
export function createRetryPolicy(options: PipelineRetryOptions = {}): PipelinePolicy {
  const delays = retryDelays(options);
  const strategy: RetryStrategy = {
    name: "faceCreateRetryStrategy",
    retry({ retryCount, response, responseError }) {
      const throttled = response === undefined ? undefined : throttledRetryDelay(response, retryCount, delays);
      // A wait longer than the caller allows is theirs to decide: hand back the response.
      if (throttled === "giveUp") return { skipStrategy: true };
      if (throttled !== undefined) return { retryAfterInMs: throttled };
      if (responseError !== undefined) {
        if (responseError.code !== undefined && NOT_SENT_ERROR_CODES.has(responseError.code)) {
          return { retryAfterInMs: backoffDelay(retryCount, delays) };
        }
        return { errorToThrow: responseError };
      }
      return { skipStrategy: true };
    },
  };
  const policy = retryPolicy([strategy], { maxRetries: delays.maxRetries });
  return { name: createRetryPolicyName, sendRequest: policy.sendRequest };
}
