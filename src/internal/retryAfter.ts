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
