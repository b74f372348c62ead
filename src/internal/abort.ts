import type { AbortSignalLike } from "@azure/abort-controller";
import { AbortError } from "@azure/abort-controller";

/** The error every long-running helper rejects with when its signal aborts. */
export function abortError(): AbortError {
  return new AbortError("The operation was aborted.");
}

/** Throws an `AbortError` when `signal` has already aborted. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw abortError();
}

/**
 * Settles like `promise`, but rejects with an `AbortError` as soon as `signal` aborts, even when
 * the work behind `promise` ignores the signal. A later rejection of `promise` is swallowed, so
 * abandoning it never produces an unhandled rejection.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignalLike | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      promise.catch(() => undefined);
      reject(abortError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** An `AbortController` that also aborts when any of the given signals does. */
export interface LinkedAbortController {
  /** Aborts when `abort()` is called or any linked signal aborts. */
  readonly signal: AbortSignal;
  /** Aborts the linked signal. */
  abort(): void;
  /** Stops listening to the linked signals (call it when done, so no listener leaks). */
  dispose(): void;
}

/** Creates an `AbortController` linked to every defined signal in `signals`. */
export function linkAbortSignals(...signals: (AbortSignalLike | undefined)[]): LinkedAbortController {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const linked = signals.filter((s): s is AbortSignalLike => s !== undefined);
  for (const signal of linked) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener("abort", abort, { once: true });
  }
  return {
    signal: controller.signal,
    abort,
    dispose: () => {
      for (const signal of linked) signal.removeEventListener("abort", abort);
    },
  };
}
