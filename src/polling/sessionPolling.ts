import type { AbortSignalLike } from "@azure/abort-controller";
import { KnownOperationState } from "../models/knownValues.js";
import type { FaceOperationOptions } from "../options.js";
import { checkId, checkNumber } from "../internal/validation.js";
import { latestFinishedAttempt } from "../results/latestAttempt.js";
import type { SessionPollingOptions, WaitForSessionResultOptions, WaitUntil } from "./options.js";
import {
  DEFAULT_POLL_BACKOFF_MULTIPLIER,
  DEFAULT_POLL_INTERVAL_IN_MS,
  DEFAULT_POLL_MAX_INTERVAL_IN_MS,
  DEFAULT_POLL_TIMEOUT_IN_MS,
  MAX_POLL_THROTTLE_DELAY_IN_MS,
} from "./options.js";
import type { AnyLivenessSession, SessionWaitOutcome } from "./outcome.js";
import type { PollerSettings, PollObservation } from "./poller.js";
import { poll } from "./poller.js";
import type { Sleep } from "./sleep.js";
import { MAX_TIMER_DELAY_IN_MS } from "../internal/constants.js";

/** Reads one session by id (a client's `get...SessionResult` method). */
export type GetSession<TSession> = (sessionId: string, options: FaceOperationOptions) => Promise<TSession>;

/** Test seams of the session pollers. */
export interface SessionPollingDependencies {
  /** Replaces `setTimeout`-based waiting. */
  sleep?: Sleep;
  /** Replaces `Date.now`. */
  now?: () => number;
}

const TERMINAL_REASONS: Readonly<Record<string, "succeeded" | "failed" | "canceled">> = {
  [KnownOperationState.Succeeded]: "succeeded",
  [KnownOperationState.Failed]: "failed",
  [KnownOperationState.Canceled]: "canceled",
};

function sessionIdOf(sessionOrId: AnyLivenessSession | string): string {
  const id = typeof sessionOrId === "string" ? sessionOrId : sessionOrId?.sessionId;
  checkId("sessionId", id);
  return id as string;
}

function expiryOf(sessionOrId: AnyLivenessSession | string, option: Date | undefined): number | undefined {
  const expiresOn = option ?? (typeof sessionOrId === "string" ? undefined : sessionOrId?.authTokenExpiresOn);
  if (expiresOn === undefined) return undefined;
  if (!(expiresOn instanceof Date) || Number.isNaN(expiresOn.getTime())) {
    throw new TypeError("authTokenExpiresOn must be a valid Date.");
  }
  return expiresOn.getTime();
}

/** Checks polling options before anything is sent; throws `TypeError`/`RangeError` naming the option. */
export function checkPollingOptions(options: SessionPollingOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object.");
  checkNumber("intervalInMs", options.intervalInMs, 1, MAX_TIMER_DELAY_IN_MS);
  checkNumber("maxIntervalInMs", options.maxIntervalInMs, 1, MAX_TIMER_DELAY_IN_MS);
  checkNumber("backoffMultiplier", options.backoffMultiplier, 1, 10);
  checkNumber("timeoutInMs", options.timeoutInMs, 1, MAX_TIMER_DELAY_IN_MS);
  const intervalInMs = options.intervalInMs ?? DEFAULT_POLL_INTERVAL_IN_MS;
  const maxIntervalInMs = options.maxIntervalInMs ?? Math.max(DEFAULT_POLL_MAX_INTERVAL_IN_MS, intervalInMs);
  if (maxIntervalInMs < intervalInMs) {
    throw new RangeError(`maxIntervalInMs (${maxIntervalInMs}) must not be less than intervalInMs (${intervalInMs}).`);
  }
}

/** A session nobody started: it can never start once its token expired. */
function isUntouched(session: AnyLivenessSession): boolean {
  return session.status === KnownOperationState.NotStarted && session.results.attempts.length === 0;
}

/** What a wait knows of its session so far. */
interface PollState<TSession> {
  /** The last session observed, else the session object passed in. */
  known: TSession | undefined;
  /** The error of the last failed poll. */
  lastError: unknown;
}

/** Checks the options and builds the poller settings around `get`. */
function pollerSettings<TSession extends AnyLivenessSession>(
  sessionOrId: TSession | string,
  options: SessionPollingOptions,
  get: GetSession<TSession>,
  isFinal: PollerSettings<TSession>["isFinal"],
  deps: SessionPollingDependencies,
  expiresOnMs: number | undefined,
): { settings: PollerSettings<TSession>; state: PollState<TSession> } {
  checkPollingOptions(options);
  const sessionId = sessionIdOf(sessionOrId);
  const intervalInMs = options.intervalInMs ?? DEFAULT_POLL_INTERVAL_IN_MS;
  const maxIntervalInMs = options.maxIntervalInMs ?? Math.max(DEFAULT_POLL_MAX_INTERVAL_IN_MS, intervalInMs);
  const { abortSignal, requestOptions, tracingOptions, onResponse } = options;
  const state: PollState<TSession> = { known: typeof sessionOrId === "string" ? undefined : sessionOrId, lastError: undefined };
  const settings: PollerSettings<TSession> = {
    fetch: (signal: AbortSignalLike) =>
      get(sessionId, { abortSignal: signal, requestOptions, tracingOptions, onResponse }).then(
        (session) => (state.known = session),
        (error: unknown) => {
          state.lastError = error;
          throw error;
        },
      ),
    isFinal,
    progressKey: (session) =>
      `${session.status}|${session.results.attempts.map((a) => `${a.attemptId}:${a.attemptStatus}`).join(",")}`,
    logLabel: `session ${sessionId}`,
    intervalInMs,
    maxIntervalInMs,
    backoffMultiplier: options.backoffMultiplier ?? DEFAULT_POLL_BACKOFF_MULTIPLIER,
    timeoutInMs: options.timeoutInMs,
    maxDurationInMs: DEFAULT_POLL_TIMEOUT_IN_MS,
    maxThrottleDelayInMs: Math.max(MAX_POLL_THROTTLE_DELAY_IN_MS, maxIntervalInMs),
    expiresAt: expiresOnMs,
    // Throttled at the expiry: expired if the last session seen was untouched (with only an id
    // and no poll answered, the throttling error is all there is to report).
    canExpire: () => (state.known !== undefined ? isUntouched(state.known) : state.lastError !== undefined),
    abortSignal,
    sleep: deps.sleep,
    now: deps.now,
  };
  return { settings, state };
}

/** The outcome of a stream that ended `"expired"` without a classified observation. */
function expiredOutcome<TSession extends AnyLivenessSession>(state: PollState<TSession>): SessionWaitOutcome<TSession> {
  if (state.known === undefined) throw state.lastError;
  return { reason: "expired", session: state.known };
}

/**
 * Decides whether an observed session ends the wait, and why. Attempt before status with
 * `until: "firstAttempt"`; expiry only for a session nobody started, judged by the time the poll
 * was sent (a session still untouched after the token expired can never start).
 */
export function classifySession<TSession extends AnyLivenessSession>(
  observation: PollObservation<TSession>,
  until: WaitUntil,
  expiresOnMs: number | undefined,
): SessionWaitOutcome<TSession> | undefined {
  const session = observation.value;
  if (until === "firstAttempt") {
    const attempt = latestFinishedAttempt(session);
    if (attempt !== undefined) return { reason: "attemptFinished", session, attempt };
  }
  const reason = Object.hasOwn(TERMINAL_REASONS, session.status) ? TERMINAL_REASONS[session.status] : undefined;
  if (reason !== undefined) return { reason, session };
  if (expiresOnMs !== undefined && isUntouched(session) && observation.requestedAt >= expiresOnMs) {
    return { reason: "expired", session };
  }
  return undefined;
}

/**
 * Polls a session until {@link classifySession} gives an outcome or the time limit passes.
 * Rejects with an `AbortError` when the signal aborts and with the error of a failed poll other
 * than 429/503.
 */
export async function waitForSessionResult<TSession extends AnyLivenessSession>(
  sessionOrId: TSession | string,
  options: WaitForSessionResultOptions<TSession>,
  get: GetSession<TSession>,
  deps: SessionPollingDependencies = {},
): Promise<SessionWaitOutcome<TSession>> {
  const until = options?.until ?? "terminal";
  if (until !== "terminal" && until !== "firstAttempt") {
    throw new TypeError(`until must be "terminal" or "firstAttempt" (got ${String(until)}).`);
  }
  const onProgress = options?.onProgress;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new TypeError("onProgress must be a function.");
  }
  const expiresOnMs = expiryOf(sessionOrId, options?.authTokenExpiresOn);
  const classify = (observation: PollObservation<TSession>): SessionWaitOutcome<TSession> | undefined =>
    classifySession(observation, until, expiresOnMs);
  const { settings, state } = pollerSettings(sessionOrId, options, get, (observation) => classify(observation) !== undefined, deps, expiresOnMs);
  const observations = poll(settings);
  let last: TSession | undefined;
  try {
    for (;;) {
      const step = await observations.next();
      if (step.done) return step.value === "expired" ? expiredOutcome(state) : { reason: "timedOut", session: last };
      last = step.value.value;
      onProgress?.(last);
      const outcome = classify(step.value);
      if (outcome !== undefined) return outcome;
    }
  } finally {
    await observations.return("final");
  }
}

/**
 * The raw stream of observed sessions: ends after a terminal or expired session, or when
 * `timeoutInMs` passes; throws like {@link waitForSessionResult}. Options are checked at once.
 */
export function observeSession<TSession extends AnyLivenessSession>(
  sessionOrId: TSession | string,
  options: SessionPollingOptions,
  get: GetSession<TSession>,
  deps: SessionPollingDependencies = {},
): AsyncIterableIterator<TSession> {
  const expiresOnMs = expiryOf(sessionOrId, options?.authTokenExpiresOn);
  const { settings } = pollerSettings(
    sessionOrId,
    options,
    get,
    (observation) => classifySession(observation, "terminal", expiresOnMs) !== undefined,
    deps,
    expiresOnMs,
  );
  return (async function* sessions(): AsyncGenerator<TSession, void, undefined> {
    for await (const observation of poll(settings)) yield observation.value;
  })();
}
