import type { LivenessSession, LivenessWithVerifySession } from "../models/session.js";

/** Either session kind. */
export type AnyLivenessSession = LivenessSession | LivenessWithVerifySession;

/** The attempt type of a session kind. */
export type SessionAttemptOf<TSession extends AnyLivenessSession> = TSession["results"]["attempts"][number];

/** The session reached a terminal status: `Succeeded`, `Failed` or `Canceled`. */
export interface SessionEndedOutcome<TSession extends AnyLivenessSession> {
  /** The session status, in lower case. */
  readonly reason: "succeeded" | "failed" | "canceled";
  /** The last session observed. */
  readonly session: TSession;
}

/** With `until: "firstAttempt"`: an attempt finished (its status is terminal, or it has a result or error). */
export interface SessionAttemptFinishedOutcome<TSession extends AnyLivenessSession> {
  /** Why the wait stopped. */
  readonly reason: "attemptFinished";
  /** The last session observed. */
  readonly session: TSession;
  /** The finished attempt with the highest `attemptId` (not the first in the array). */
  readonly attempt: SessionAttemptOf<TSession>;
}

/**
 * The end user never started (status `NotStarted`, no attempts) and the session's `authToken`
 * has expired, so nobody can start it any more. Delete the session and create a new one.
 */
export interface SessionExpiredOutcome<TSession extends AnyLivenessSession> {
  /** Why the wait stopped. */
  readonly reason: "expired";
  /** The last session observed. */
  readonly session: TSession;
}

/** `timeoutInMs` passed before any other outcome. */
export interface SessionTimedOutOutcome<TSession extends AnyLivenessSession> {
  /** Why the wait stopped. */
  readonly reason: "timedOut";
  /** The last session observed; `undefined` when no poll completed in time. */
  readonly session: TSession | undefined;
}

/** Why a wait stopped, and the session it last saw. Narrow on `reason`. */
export type SessionWaitOutcome<TSession extends AnyLivenessSession> =
  | SessionEndedOutcome<TSession>
  | SessionAttemptFinishedOutcome<TSession>
  | SessionExpiredOutcome<TSession>
  | SessionTimedOutOutcome<TSession>;

/** Result of {@link FaceSessionClient.waitForLivenessSessionResult}. */
export type LivenessSessionWaitOutcome = SessionWaitOutcome<LivenessSession>;

/** Result of {@link FaceSessionClient.waitForLivenessWithVerifySessionResult}. */
export type LivenessWithVerifySessionWaitOutcome = SessionWaitOutcome<LivenessWithVerifySession>;
