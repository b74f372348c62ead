import type { AbortSignalLike } from "@azure/abort-controller";
import type { FaceDetectionResult } from "../models/detection.js";
import type { LivenessSession, LivenessWithVerifySession } from "../models/session.js";
import type { DetectFromSessionImageOptions, FaceOperationOptions } from "../options.js";
import type {
  WaitForLivenessSessionResultOptions,
  WaitForLivenessWithVerifySessionResultOptions,
} from "../polling/options.js";
import type { AnyLivenessSession, SessionWaitOutcome } from "../polling/outcome.js";
import type {
  LivenessSessionPolicy,
  LivenessSessionSummary,
  LivenessWithVerifySessionPolicy,
  LivenessWithVerifySessionSummary,
} from "../results/summary.js";

/**
 * Options of the finalize methods, for either session kind. `requestOptions`, `tracingOptions`
 * and `onResponse` apply to every request; `abortSignal` to every step except the delete.
 */
export interface FinalizeSessionOptions<TWaitOptions, TPolicy> extends FaceOperationOptions {
  /**
   * Wait for the result first: `true` with the default wait options, or the options. Default
   * `false`: read the current result with one GET (the usual case once the front end reports it
   * is done). The wait's `abortSignal` is linked with the finalize's.
   */
  wait?: boolean | TWaitOptions;
  /** How the summary reads the result. */
  policy?: TPolicy;
  /**
   * Download the session image of the latest attempt into `sessionImage`. Skipped (no
   * `sessionImage`) when that attempt has no `sessionImageId`, e.g. it failed or the session was
   * created without `enableSessionImage`.
   */
  downloadSessionImage?: boolean;
  /**
   * Detect faces on the session image of the latest attempt into `faces`: `true` for the default
   * detection options, or the options. Skipped like `downloadSessionImage`.
   */
  detectFaces?: boolean | DetectFromSessionImageOptions;
  /** Do not delete the session. Default `false`: the session is always deleted, even on failure or abort. */
  keepSession?: boolean;
  /**
   * Signal for the DELETE only. `abortSignal` is never passed to the delete, so an aborted
   * finalize still cleans up; use this (or `requestOptions.timeout`) to bound the delete itself.
   */
  deleteAbortSignal?: AbortSignalLike;
}

/** Options for {@link FaceSessionClient.finalizeLivenessSession}. */
export interface FinalizeLivenessSessionOptions
  extends FinalizeSessionOptions<WaitForLivenessSessionResultOptions, LivenessSessionPolicy> {}

/** Options for {@link FaceSessionClient.finalizeLivenessWithVerifySession}. */
export interface FinalizeLivenessWithVerifySessionOptions
  extends FinalizeSessionOptions<WaitForLivenessWithVerifySessionResultOptions, LivenessWithVerifySessionPolicy> {}

/** What a finalize method read, and whether it deleted the session. */
export interface FinalizeSessionResult<TSession extends AnyLivenessSession, TSummary extends LivenessSessionSummary> {
  /** The final session as last read from the service. */
  readonly session: TSession;
  /** The decision, read from the latest attempt. */
  readonly summary: TSummary;
  /** Why the wait stopped, when `wait` was used. */
  readonly waitOutcome?: SessionWaitOutcome<TSession>;
  /** The session image bytes, with `downloadSessionImage` and a `sessionImageId`. */
  readonly sessionImage?: Uint8Array;
  /** Faces detected on the session image, with `detectFaces` and a `sessionImageId`. */
  readonly faces?: FaceDetectionResult[];
  /**
   * Whether the session is gone: the DELETE succeeded, or answered 404 because it was already
   * deleted. False with `keepSession`, or when the delete failed (see `deleteError`).
   */
  readonly deleted: boolean;
  /** Why the delete failed, when it did; the rest of the result is still valid. */
  readonly deleteError?: unknown;
}

/** Result of {@link FaceSessionClient.finalizeLivenessSession}. */
export interface FinalizeLivenessSessionResult extends FinalizeSessionResult<LivenessSession, LivenessSessionSummary> {}

/** Result of {@link FaceSessionClient.finalizeLivenessWithVerifySession}. */
export interface FinalizeLivenessWithVerifySessionResult
  extends FinalizeSessionResult<LivenessWithVerifySession, LivenessWithVerifySessionSummary> {}
