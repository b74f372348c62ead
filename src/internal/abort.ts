import type { AbortSignalLike } from "@azure/abort-controller";
import { AbortError } from "@azure/abort-controller";

/** The `reason` an aborted signal carries (`AbortSignalLike` does not declare it). */
function reasonOf(signal: AbortSignalLike | undefined): unknown {
  return (signal as { reason?: unknown } | undefined)?.reason;
}

/**
 * The error every operation rejects with when its signal aborts: an `AbortError` whose `cause`
 * is the signal's `reason` (e.g. the `TimeoutError` of `AbortSignal.timeout()`, or what was
 * passed to `controller.abort(reason)`), when it has one.
 */
export function abortError(signal?: AbortSignalLike): AbortError {
  const error = new AbortError("The operation was aborted.");
  const reason = reasonOf(signal);
  if (reason !== undefined) error.cause = reason;
  return error;
}

/** Gives an `AbortError` thrown for `signal` (e.g. by the HTTP client) the signal's reason as `cause`. */
export function withAbortReason(error: unknown, signal: AbortSignalLike | undefined): unknown {
  if (signal?.aborted && error instanceof Error && error.name === "AbortError" && error.cause === undefined) {
    const reason = reasonOf(signal);
    if (reason !== undefined) error.cause = reason;
  }
  return error;
}

/** Throws an `AbortError` when `signal` has already aborted. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw abortError(signal);
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
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      promise.catch(() => undefined);
      reject(abortError(signal));
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
  const linked = signals.filter((s): s is AbortSignalLike => s !== undefined);
  // The first signal to abort passes its reason on, so an AbortError made from the linked
  // signal carries it too.
  const listeners = linked.map((signal) => () => controller.abort(reasonOf(signal)));
  linked.forEach((signal, i) => {
    if (controller.signal.aborted) return;
    if (signal.aborted) controller.abort(reasonOf(signal));
    else signal.addEventListener("abort", listeners[i]!, { once: true });
  });
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    dispose: () => {
      linked.forEach((signal, i) => signal.removeEventListener("abort", listeners[i]!));
    },
  };
}
