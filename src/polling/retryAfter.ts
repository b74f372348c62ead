import { isRestError } from "@azure/core-rest-pipeline";
import { getRetryAfterHintInMs, getRetryAfterInMs } from "../internal/retryAfter.js";

/**
 * Statuses after which a poll is retried instead of failing the wait: 429 (the resource's rate
 * limit) and 503 (service busy). They reach the poller only after the pipeline's own retries gave
 * up (or were disabled with `retryOptions.maxRetries: 0`). Every other error ends the wait.
 */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Whether a failed poll is worth repeating (a throttled or busy service). */
export function isTransientPollError(error: unknown): boolean {
  return isRestError(error) && error.statusCode !== undefined && TRANSIENT_STATUSES.has(error.statusCode);
}

/**
 * How long the service asked us to wait, in ms, or `undefined` when it did not say: the
 * response headers (`retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After` as seconds or an HTTP
 * date), then the gateway's message "Try again in N seconds".
 *
 * @param error - The error of the failed poll.
 * @param nowInMs - The current time, for `Retry-After` dates.
 */
export function retryAfterInMs(error: unknown, nowInMs: number): number | undefined {
  if (!isRestError(error)) return undefined;
  const fromHeaders = getRetryAfterInMs(error.response?.headers, nowInMs);
  if (fromHeaders !== undefined) return fromHeaders;
  return getRetryAfterHintInMs(error.message);
}
