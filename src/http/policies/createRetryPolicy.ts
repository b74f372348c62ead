import type { PipelinePolicy, PipelineRetryOptions, RetryStrategy } from "@azure/core-rest-pipeline";
import { retryPolicy } from "@azure/core-rest-pipeline";
import { getRetryAfterInMs } from "../../internal/retryAfter.js";

/** Name of the retry policy used for session creation. */
export const createRetryPolicyName = "faceCreateRetryPolicy";

/**
 * Errors raised before a connection existed, so the request cannot have reached the service.
 * `ECONNRESET` and timeouts are deliberately absent: they can happen after the body was sent.
 */
const NOT_SENT_ERROR_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_RETRY_DELAY_IN_MS = 1000;
const DEFAULT_MAX_RETRY_DELAY_IN_MS = 64_000;

/**
 * Retry rules for the two create operations, which are not idempotent on the service: each
 * successful POST makes a new session with a live `authToken`. A create is retried only when the
 * service cannot have made a session:
 *
 * - a 429 or 503 answer (throttled or unavailable: the request was refused, not processed),
 *   after `Retry-After` when given (no retry when that is longer than `maxRetryDelayInMs`),
 *   else after an exponential delay;
 * - a connection that was never established (`ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`).
 *
 * Anything else is returned or thrown at once, never retried: a reset or timeout after the body
 * was sent, a 500, 502 or 504 (the session may exist), and every other status. Those surface to
 * the caller, who can decide, rather than risk an orphan session whose token nobody revokes.
 * Reads (GET), deletes (DELETE) and detect keep the pipeline's default retries.
 */
export function createRetryPolicy(options: PipelineRetryOptions = {}): PipelinePolicy {
  const retryDelayInMs = options.retryDelayInMs ?? DEFAULT_RETRY_DELAY_IN_MS;
  const maxRetryDelayInMs = options.maxRetryDelayInMs ?? DEFAULT_MAX_RETRY_DELAY_IN_MS;
  const backoff = (retryCount: number): number => {
    const exponential = Math.min(maxRetryDelayInMs, retryDelayInMs * 2 ** retryCount);
    return Math.round(exponential * (0.8 + Math.random() * 0.4));
  };
  const strategy: RetryStrategy = {
    name: "faceCreateRetryStrategy",
    retry({ retryCount, response, responseError }) {
      if (response !== undefined && (response.status === 429 || response.status === 503)) {
        const retryAfterInMs = getRetryAfterInMs(response.headers) ?? backoff(retryCount);
        // A wait longer than the caller allows is theirs to decide: hand back the response.
        return retryAfterInMs > maxRetryDelayInMs ? { skipStrategy: true } : { retryAfterInMs };
      }
      if (responseError !== undefined) {
        if (responseError.code !== undefined && NOT_SENT_ERROR_CODES.has(responseError.code)) {
          return { retryAfterInMs: backoff(retryCount) };
        }
        return { errorToThrow: responseError };
      }
      return { skipStrategy: true };
    },
  };
  const policy = retryPolicy([strategy], { maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES });
  return { name: createRetryPolicyName, sendRequest: policy.sendRequest };
}
