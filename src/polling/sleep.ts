import type { AbortSignalLike } from "@azure/abort-controller";
import { abortError } from "../internal/abort.js";
import { MAX_TIMER_DELAY_IN_MS } from "../internal/constants.js";

/**
 * Waits `ms` milliseconds; rejects with an `AbortError` (and clears its timer) as soon as
 * `abortSignal` aborts. The poller takes one as a parameter so tests can replace it.
 * Delays are clamped to what `setTimeout` supports (about 24.8 days).
 */
export type Sleep = (ms: number, abortSignal?: AbortSignalLike) => Promise<void>;

/**
 * The default {@link Sleep}: one `setTimeout`, looked up on every call so test fake timers
 * (`vi.useFakeTimers()`) control it. No timer or listener survives the returned promise.
 */
export const sleep: Sleep = (ms, abortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (abortSignal?.aborted) {
      reject(abortError(abortSignal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(abortSignal));
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.min(Math.max(ms, 0), MAX_TIMER_DELAY_IN_MS));
    abortSignal?.addEventListener("abort", onAbort, { once: true });
  });
