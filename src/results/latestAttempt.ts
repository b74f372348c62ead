import { KnownOperationState } from "../models/knownValues.js";
import type { LivenessAttemptBase } from "../models/session.js";

/** Anything with attempts, i.e. either session kind. */
export interface SessionWithAttempts<TAttempt extends LivenessAttemptBase> {
  /** The session results. */
  readonly results: {
    /** The attempts, in any order. */
    readonly attempts: readonly TAttempt[];
  };
}

const FINISHED_STATES: ReadonlySet<string> = new Set([
  KnownOperationState.Succeeded,
  KnownOperationState.Failed,
  KnownOperationState.Canceled,
]);

function newest<TAttempt extends LivenessAttemptBase>(attempts: Iterable<TAttempt>): TAttempt | undefined {
  let latest: TAttempt | undefined;
  for (const attempt of attempts) {
    if (latest === undefined || attempt.attemptId > latest.attemptId) latest = attempt;
  }
  return latest;
}

/**
 * The latest attempt of a session: the one with the highest `attemptId`. The service lists
 * attempts newest first, but this does not rely on the order of the array.
 *
 * @param session - A liveness or liveness-with-verify session.
 * @returns The latest attempt, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * const latest = getLatestAttempt(await client.getLivenessSessionResult(sessionId));
 * if (latest?.error) console.log(latest.error.code);
 * ```
 */
export function getLatestAttempt<TAttempt extends LivenessAttemptBase>(
  session: SessionWithAttempts<TAttempt>,
): TAttempt | undefined {
  return newest(session.results.attempts);
}

/** Whether an attempt is over: a terminal status, or a result or an error already present. */
export function isAttemptFinished(attempt: LivenessAttemptBase & { result?: unknown; error?: unknown }): boolean {
  return FINISHED_STATES.has(attempt.attemptStatus) || attempt.result != null || attempt.error != null;
}

/** The finished attempt with the highest `attemptId`, or `undefined`. */
export function latestFinishedAttempt<TAttempt extends LivenessAttemptBase & { result?: unknown; error?: unknown }>(
  session: SessionWithAttempts<TAttempt>,
): TAttempt | undefined {
  return newest(session.results.attempts.filter(isAttemptFinished));
}
