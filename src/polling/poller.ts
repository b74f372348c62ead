import type { AbortSignalLike } from "@azure/abort-controller";
import { abortError, linkAbortSignals, raceAbort, throwIfAborted } from "../internal/abort.js";
import { isTransientPollError, retryAfterInMs } from "./retryAfter.js";
import type { Sleep } from "./sleep.js";
import { logger } from "../logger.js";
import { sleep as defaultSleep } from "./sleep.js";

/** One value seen by the poller. */
export interface PollObservation<T> {
  /** What `fetch` returned. */
  readonly value: T;
  /** When the request that returned `value` was sent, per the poller's clock (ms since the epoch). */
  readonly requestedAt: number;
}

/**
 * Why a poll stream ended without an error: a final value was yielded, the time limit passed, or
 * a poll at or after `expiresAt` was throttled while `canExpire()` held.
 */
export type PollEnd = "final" | "timedOut" | "expired";

/** Settings of {@link poll}; every duration is already validated. */
export interface PollerSettings<T> {
  /** Reads the current value. Must honour `abortSignal`; the poller also stops waiting for it on abort. */
  fetch: (abortSignal: AbortSignalLike) => Promise<T>;
  /** Whether a value ends the stream (checked before it is yielded, acted on after). */
  isFinal: (observation: PollObservation<T>) => boolean;
  /**
   * A fingerprint of a value; when it changes, the delay drops back to `intervalInMs`. It is
   * also what the verbose log shows of each polled value, so it must hold no secret.
   */
  progressKey?: (value: T) => string;
  /** What the verbose log calls the polled thing (e.g. `session <id>`). */
  logLabel?: string;
  /** Delay before the second poll. */
  intervalInMs: number;
  /** Longest delay produced by the backoff (a `Retry-After` may exceed it). */
  maxIntervalInMs: number;
  /** Factor the delay grows by after each poll. */
  backoffMultiplier: number;
  /** Overall limit from the first poll; the poll in flight is aborted and the stream ends with `"timedOut"`. */
  timeoutInMs?: number;
  /**
   * Without `timeoutInMs`: the limit from the first poll after which no poll is sent and the
   * stream ends with `"timedOut"` (a poll in flight then is left to finish; no timer is armed).
   */
  maxDurationInMs?: number;
  /** Longest sleep after a throttled poll, whatever its `Retry-After` asks. */
  maxThrottleDelayInMs?: number;
  /**
   * When the value may stop changing (poller clock, ms since the epoch): no sleep runs past it,
   * so a poll is sent then; a poll throttled at or after it ends the stream with `"expired"`
   * when `canExpire()` says so.
   */
  expiresAt?: number;
  /** Whether the stream may end `"expired"` now (see `expiresAt`). */
  canExpire?: () => boolean;
  /** Stops the stream with an `AbortError`. */
  abortSignal?: AbortSignalLike;
  /** Timer used for every wait, the timeout included. */
  sleep?: Sleep;
  /** Clock for `requestedAt` and `Retry-After` dates. */
  now?: () => number;
}

/**
 * Polls `fetch` until a value is final, the time limit passes or the signal aborts, yielding
 * every value. The first poll is sent at once. A 429 or 503 `RestError` is retried after at least
 * its `Retry-After` (at most `maxThrottleDelayInMs`); any other error is thrown. Nothing is sent after the signal aborts, and
 * returning early (`break` in `for await`) cancels every timer.
 *
 * All waiting goes through `settings.sleep` and all time through `settings.now`, so the engine
 * has no wall-clock assumptions of its own.
 *
 * @returns An async generator whose return value says why it ended.
 */
export async function* poll<T>(settings: PollerSettings<T>): AsyncGenerator<PollObservation<T>, PollEnd, undefined> {
  const sleep = settings.sleep ?? defaultSleep;
  const now = settings.now ?? Date.now;
  throwIfAborted(settings.abortSignal);
  const inner = linkAbortSignals(settings.abortSignal);
  let timedOut = false;
  if (settings.timeoutInMs !== undefined) {
    sleep(settings.timeoutInMs, inner.signal).then(
      () => {
        timedOut = true;
        inner.abort();
      },
      () => undefined,
    );
  }
  /** Called once `inner` aborted: the caller's abort wins over the time limit. */
  const stopped = (): PollEnd => {
    if (settings.abortSignal?.aborted || !timedOut) throw abortError(settings.abortSignal);
    return "timedOut";
  };
  /** Sleeps; false when `inner` aborted meanwhile. */
  const pause = (ms: number): Promise<boolean> => sleep(ms, inner.signal).then(
    () => true,
    () => false,
  );
  const grow = (ms: number): number => Math.min(ms * settings.backoffMultiplier, settings.maxIntervalInMs);
  const startedAt = now();
  const softEnd =
    settings.timeoutInMs === undefined && settings.maxDurationInMs !== undefined ? startedAt + settings.maxDurationInMs : undefined;
  /** Sleeps `ms`, but never past the expiry or the soft end; false when `inner` aborted meanwhile. */
  const pauseBefore = (ms: number): Promise<boolean> => {
    const at = now();
    let delay = ms;
    for (const limit of [settings.expiresAt, softEnd]) {
      if (limit !== undefined && at < limit) delay = Math.min(delay, limit - at);
    }
    return pause(delay);
  };
  const label = settings.logLabel ?? "poll";
  let polls = 0;
  try {
    let nextDelay = settings.intervalInMs;
    let lastKey: string | undefined;
    for (;;) {
      polls++;
      if (inner.signal.aborted) return stopped();
      const requestedAt = now();
      if (softEnd !== undefined && requestedAt >= softEnd) return "timedOut";
      let value: T;
      try {
        value = await raceAbort(settings.fetch(inner.signal), inner.signal);
      } catch (error) {
        if (inner.signal.aborted) return stopped();
        if (!isTransientPollError(error)) throw error;
        const at = now();
        if (settings.expiresAt !== undefined && at >= settings.expiresAt && settings.canExpire?.()) return "expired";
        // Throttled or busy: wait at least what the service asked for (up to the cap), and back off as usual.
        const asked = Math.max(nextDelay, retryAfterInMs(error, at) ?? 0);
        const delay = Math.min(asked, settings.maxThrottleDelayInMs ?? asked);
        nextDelay = grow(nextDelay);
        logger.verbose(`${label}: poll ${polls} throttled (${(error as { statusCode?: number }).statusCode}); next poll in ${delay} ms`);
        if (!(await pauseBefore(delay))) return stopped();
        continue;
      }
      const key = settings.progressKey?.(value);
      if (lastKey !== undefined && key !== lastKey) nextDelay = settings.intervalInMs;
      lastKey = key;
      const observation: PollObservation<T> = { value, requestedAt };
      const final = settings.isFinal(observation);
      logger.verbose(`${label}: poll ${polls} [${key ?? ""}]${final ? ": done" : `; next poll in ${nextDelay} ms`}`);
      yield observation;
      if (final) return "final";
      const delay = nextDelay;
      nextDelay = grow(nextDelay);
      if (!(await pauseBefore(delay))) return stopped();
    }
  } finally {
    inner.abort();
    inner.dispose();
  }
}
