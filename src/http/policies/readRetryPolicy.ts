import type { PipelinePolicy, PipelineRetryOptions, RetryStrategy } from "@azure/core-rest-pipeline";
import { retryPolicy } from "@azure/core-rest-pipeline";
import { backoffDelay, retryDelays, throttledRetryDelay } from "../retryDelay.js";

/** Name of the retry policy of every operation but session creation. */
export const readRetryPolicyName = "faceReadRetryPolicy";

/** Transport failures worth another attempt of an idempotent request. */
const TRANSIENT_ERROR_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNREFUSED", "ECONNRESET", "ENOENT", "ENOTFOUND", "EAI_AGAIN"]);

/** Statuses retried after a backoff (429 and 503 follow their `Retry-After`). */
function isRetriedStatus(status: number): boolean {
  return status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Retry rules for reads, deletes and detect (idempotent on the service), replacing core's
 * default policy, whose throttling strategy waits for any `Retry-After` however long (an hour, or
 * past Node's timer limit):
 *
 * - 429 and 503: after `Retry-After` (or the gateway's "Try again in N seconds", else the
 *   backoff), and not at all when that is longer than `maxRetryDelayInMs`: the 429 is then thrown;
 * - 408 and other 5xx (not 501/505): after the exponential backoff;
 * - `ETIMEDOUT`, `ECONNRESET`, `ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`, ...: after the backoff.
 *
 * Every wait is at most `maxRetryDelayInMs`, so an operation waits at most
 * `maxRetries × maxRetryDelayInMs` between its attempts (3 × 64 s by default).
 */
export function readRetryPolicy(options: PipelineRetryOptions = {}): PipelinePolicy {
  const delays = retryDelays(options);
  const strategy: RetryStrategy = {
    name: "faceReadRetryStrategy",
    retry({ retryCount, response, responseError }) {
      if (responseError !== undefined) {
        if (responseError.code !== undefined && TRANSIENT_ERROR_CODES.has(responseError.code)) {
          return { retryAfterInMs: backoffDelay(retryCount, delays) };
        }
        return { errorToThrow: responseError };
      }
      if (response === undefined) return { skipStrategy: true };
      const throttled = throttledRetryDelay(response, retryCount, delays);
      if (throttled === "giveUp") return { skipStrategy: true };
      if (throttled !== undefined) return { retryAfterInMs: throttled };
      return isRetriedStatus(response.status) ? { retryAfterInMs: backoffDelay(retryCount, delays) } : { skipStrategy: true };
    },
  };
  const policy = retryPolicy([strategy], { maxRetries: delays.maxRetries });
  return { name: readRetryPolicyName, sendRequest: policy.sendRequest };
}
