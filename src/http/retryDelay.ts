import type { PipelineResponse, PipelineRetryOptions } from "@azure/core-rest-pipeline";
import { getRetryAfterHintInMs, getRetryAfterInMs } from "../internal/retryAfter.js";

/** Default `retryOptions.maxRetries`. */
export const DEFAULT_MAX_RETRIES = 3;
/** Default `retryOptions.retryDelayInMs`: the first backoff delay. */
export const DEFAULT_RETRY_DELAY_IN_MS = 1000;
/**
 * Default `retryOptions.maxRetryDelayInMs`: the longest wait before a retry. A `Retry-After`
 * longer than this is not waited for: the throttled response is returned (thrown) instead.
 */
export const DEFAULT_MAX_RETRY_DELAY_IN_MS = 64_000;

/** The retry options with their defaults applied. */
export interface RetryDelays {
  readonly maxRetries: number;
  readonly retryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
}

/** Applies the defaults to `retryOptions` (already validated by the client). */
export function retryDelays(options: PipelineRetryOptions = {}): RetryDelays {
  return {
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    retryDelayInMs: options.retryDelayInMs ?? DEFAULT_RETRY_DELAY_IN_MS,
    maxRetryDelayInMs: options.maxRetryDelayInMs ?? DEFAULT_MAX_RETRY_DELAY_IN_MS,
  };
}

/** Exponential backoff: `retryDelayInMs × 2^retryCount`, ±20 % jitter, never above `maxRetryDelayInMs`. */
export function backoffDelay(retryCount: number, delays: RetryDelays): number {
  const exponential = delays.retryDelayInMs * 2 ** Math.min(retryCount, 30);
  return Math.min(delays.maxRetryDelayInMs, Math.round(exponential * (0.8 + Math.random() * 0.4)));
}

/**
 * The wait before retrying a 429 or 503: the response's `Retry-After` (`retry-after-ms`,
 * `x-ms-retry-after-ms`, seconds or an HTTP date), else the gateway's "Try again in N seconds",
 * else the backoff. `"giveUp"` when the service asks for more than `maxRetryDelayInMs`: the
 * caller gets the throttled response rather than a timer it did not allow (and never one over
 * Node's 2^31-1 ms limit). `undefined` for any other status.
 */
export function throttledRetryDelay(response: PipelineResponse, retryCount: number, delays: RetryDelays): number | "giveUp" | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const asked = getRetryAfterInMs(response.headers) ?? getRetryAfterHintInMs(response.bodyAsText ?? undefined);
  if (asked === undefined) return backoffDelay(retryCount, delays);
  return asked > delays.maxRetryDelayInMs ? "giveUp" : asked;
}
