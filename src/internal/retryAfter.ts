import type { HttpHeaders } from "@azure/core-rest-pipeline";

/**
 * Reads how long the service asked to wait, in milliseconds: `retry-after-ms`,
 * `x-ms-retry-after-ms`, or `Retry-After` as seconds or an HTTP date. `undefined` when absent or
 * unreadable; never negative.
 */
export function getRetryAfterInMs(headers: HttpHeaders | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers.get(name);
    if (value !== undefined && /^\d+(\.\d+)?$/.test(value.trim())) return Math.max(0, Number(value));
  }
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter === undefined || retryAfter === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The gateway's 429 message carries the only throttling hint the contract documents. */
const TRY_AGAIN_PATTERN = /try again in (\d{1,9}(?:\.\d{1,3})?) seconds?/i;

/** The wait in the gateway's "Try again in N seconds" (an error message or body), in ms. */
export function getRetryAfterHintInMs(text: string | undefined): number | undefined {
  const hint = text === undefined ? null : TRY_AGAIN_PATTERN.exec(text.slice(0, 4096));
  return hint ? Number(hint[1]) * 1000 : undefined;
}
