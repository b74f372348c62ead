import type { LivenessSession, LivenessWithVerifySession } from "../models/session.js";
import type { FaceOperationOptions } from "../options.js";

/**
 * Default delay, in ms, between the first and the second poll. The end user typically needs 5 to
 * 60 s to finish a check, so polling faster than every 2 s buys little: the result is rarely ready
 * sooner, and every GET counts against the Face resource's rate limit (the free tier allows 20
 * calls a minute, shared by every session and operation of the resource).
 */
export const DEFAULT_POLL_INTERVAL_IN_MS = 2_000;

/**
 * Default factor the delay grows by after each poll that shows no progress: 2 s, 3 s, 4.5 s,
 * 6.75 s, then the cap. That is 4 polls in the first 16 s, where most checks finish, and then one
 * every 10 s for end users who take longer or walk away.
 */
export const DEFAULT_POLL_BACKOFF_MULTIPLIER = 1.5;

/**
 * Default longest delay between polls, in ms. Caps the extra latency after the end user finishes
 * at 10 s while keeping an idle session to 6 GETs a minute (about 9 in the first minute), so one
 * waiting server stays well inside even the free tier's rate limit.
 */
export const DEFAULT_POLL_MAX_INTERVAL_IN_MS = 10_000;

/**
 * How long a wait or observe stream polls when no `timeoutInMs` is given: 25 hours, longer than
 * the longest token lifetime (`authTokenTimeToLiveInSeconds` up to 86400) plus an hour for an
 * attempt started at its last moment, so it never ends while the session can still change. After
 * it no poll is sent and the wait resolves `"timedOut"`.
 */
export const DEFAULT_POLL_TIMEOUT_IN_MS = 90_000_000;

/**
 * Longest sleep after a throttled poll (429/503), whatever its `Retry-After` asks (or
 * `maxIntervalInMs` when that is larger): the gateway's quota window is a minute, and a longer
 * sleep could pass the token expiry or the time limit unobserved.
 */
export const MAX_POLL_THROTTLE_DELAY_IN_MS = 60_000;

/**
 * Polling options shared by the wait and observe methods. The per-request options of
 * {@link FaceOperationOptions} (`requestOptions`, `tracingOptions`, `onResponse`) apply to every
 * poll; `abortSignal` stops the whole wait.
 *
 * The delay between polls starts at `intervalInMs` and is multiplied by `backoffMultiplier` after
 * each poll, up to `maxIntervalInMs`. It drops back to `intervalInMs` whenever the session shows
 * progress (its status or an attempt changed), because a result is then likely within seconds.
 * A poll throttled with 429 or answered 503 is repeated after the service's `Retry-After`, at
 * most {@link MAX_POLL_THROTTLE_DELAY_IN_MS} later; any other error rejects.
 */
export interface SessionPollingOptions extends FaceOperationOptions {
  /**
   * Delay before the second poll, in ms (the first poll is sent at once). Default
   * {@link DEFAULT_POLL_INTERVAL_IN_MS} (2 s): the end user needs 5 to 60 s, and every GET counts
   * against the resource's rate limit.
   */
  intervalInMs?: number;
  /**
   * Longest delay between polls, in ms. Default {@link DEFAULT_POLL_MAX_INTERVAL_IN_MS} (10 s),
   * or `intervalInMs` when that is larger. A `Retry-After` from the service may exceed it, up to
   * {@link MAX_POLL_THROTTLE_DELAY_IN_MS} (or this value, when larger).
   */
  maxIntervalInMs?: number;
  /**
   * Factor (1 to 10) the delay grows by after each poll. Default
   * {@link DEFAULT_POLL_BACKOFF_MULTIPLIER} (1.5); 1 polls at a fixed interval.
   */
  backoffMultiplier?: number;
  /**
   * Overall time limit in ms, counted from the first poll. When it passes, the poll in flight is
   * aborted and the wait resolves with reason `"timedOut"` (an observe stream just ends). Without
   * it, no poll is sent after {@link DEFAULT_POLL_TIMEOUT_IN_MS} (25 h) and the wait then resolves
   * `"timedOut"`; set one that fits your front end.
   */
  timeoutInMs?: number;
  /**
   * When the session's `authToken` expires. Defaults to `authTokenExpiresOn` of the session
   * object passed in (set by the create methods); give it when you pass only a session id. A
   * session that is still `NotStarted` without attempts after this time can never start, so the
   * wait resolves with reason `"expired"` instead of polling on. A poll is sent at this time; if it
   * is throttled (429/503) and the last session seen (or the one passed in) was untouched, the
   * wait resolves `"expired"` at once (with only an id and no poll answered, it rejects with the
   * throttling error).
   */
  authTokenExpiresOn?: Date;
}

/**
 * When a wait resolves:
 * - `"terminal"`: the session status is `Succeeded`, `Failed` or `Canceled`.
 * - `"firstAttempt"`: as soon as an attempt has finished (or the session is terminal), which is
 *   what a front end that makes a single attempt needs.
 */
export type WaitUntil = "terminal" | "firstAttempt";

/** Options of the wait methods, for either session kind. */
export interface WaitForSessionResultOptions<TSession> extends SessionPollingOptions {
  /** When to stop; see {@link WaitUntil}. Default `"terminal"`. */
  until?: WaitUntil;
  /**
   * Called with every session observed, in order, before the wait decides whether to stop. An
   * exception thrown here rejects the wait. The session holds the `authToken`: do not log it whole.
   */
  onProgress?: (session: TSession) => void;
}

/** Options for {@link FaceSessionClient.waitForLivenessSessionResult}. */
export interface WaitForLivenessSessionResultOptions extends WaitForSessionResultOptions<LivenessSession> {}

/** Options for {@link FaceSessionClient.waitForLivenessWithVerifySessionResult}. */
export interface WaitForLivenessWithVerifySessionResultOptions
  extends WaitForSessionResultOptions<LivenessWithVerifySession> {}

/** Options for {@link FaceSessionClient.observeLivenessSession}. */
export interface ObserveLivenessSessionOptions extends SessionPollingOptions {}

/** Options for {@link FaceSessionClient.observeLivenessWithVerifySession}. */
export interface ObserveLivenessWithVerifySessionOptions extends SessionPollingOptions {}
