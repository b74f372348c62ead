import { KnownLivenessDecision, KnownOperationState } from "../models/knownValues.js";
import type { LivenessDecision, OperationState } from "../models/knownValues.js";
import type {
  LivenessError,
  LivenessSession,
  LivenessSessionAttempt,
  LivenessWithVerifySession,
  LivenessWithVerifySessionAttempt,
} from "../models/session.js";
import { checkNumber } from "../internal/validation.js";
import { getLatestAttempt } from "./latestAttempt.js";

/** How to read a liveness result. */
export interface LivenessSessionPolicy {
  /**
   * What an `uncertain` decision counts as. Default `"failure"`: the model could not tell, so
   * the end user is not treated as live. `"success"` treats it as live (weaker assurance).
   */
  treatUncertainAs?: "failure" | "success";
}

/** How to read a liveness-with-verify result. */
export interface LivenessWithVerifySessionPolicy extends LivenessSessionPolicy {
  /**
   * Lowest `matchConfidence` (0 to 1) to accept, on top of the service's `isIdentical` (which
   * applies the session's `verifyConfidenceThreshold`). Default: `isIdentical` alone decides.
   */
  minMatchConfidence?: number;
}

/**
 * What a handler branches on: `"pending"` (no decision yet: wait or poll again), `"accepted"` or
 * `"rejected"` (final for this session); see {@link VerdictReason} for why.
 */
export type SessionVerdict = "pending" | "accepted" | "rejected";

/**
 * Why a verdict is pending or rejected (absent when accepted):
 *
 * - pending: `"notStarted"` (no attempt yet), `"attemptRunning"` (the end user is taking the
 *   check: an attempt is running, or the session is `Running` with no attempt listed yet, as the
 *   service shows a started session), `"retryAllowed"` (the latest attempt failed or was not live, and the session allows
 *   another attempt: it is still `Running`);
 * - rejected: `"spoofFace"`, `"uncertain"` (not live under the policy), `"unknownDecision"` (a
 *   `livenessDecision` this library does not know), `"attemptFailed"` (see `error`, e.g.
 *   `FaceWithMaskDetected`), `"notIdentical"` (verify: not the same person),
 *   `"matchConfidenceTooLow"` (verify: below `minMatchConfidence`), `"sessionEnded"` (the session
 *   ended, e.g. `Canceled`, without a finished attempt).
 */
export type VerdictReason =
  | "notStarted"
  | "attemptRunning"
  | "retryAllowed"
  | "spoofFace"
  | "uncertain"
  | "unknownDecision"
  | "attemptFailed"
  | "notIdentical"
  | "matchConfidenceTooLow"
  | "sessionEnded";

/** The facts of a liveness session an app server decides on, read from the latest attempt. */
export interface LivenessSessionSummary {
  /** Id of the session. */
  readonly sessionId: string;
  /** Status of the session as a whole; not the status of an attempt. */
  readonly status: OperationState;
  /** Number of attempts so far. */
  readonly attemptCount: number;
  /** `attemptId` of the latest attempt (highest id), when there is one. */
  readonly attemptId?: number;
  /** Status of the latest attempt. */
  readonly attemptStatus?: OperationState;
  /** The model's decision in the latest attempt (`realface`, `spoofface`, `uncertain`, ...). */
  readonly livenessDecision?: LivenessDecision;
  /** Whether the latest attempt succeeded with a live face, `uncertain` counted per the policy. */
  readonly isLive: boolean;
  /** Server digest of the latest attempt, to compare with the client's using {@link isDigestMatch}. */
  readonly digest?: string;
  /** Session image of the latest attempt, when the session stored one. */
  readonly sessionImageId?: string;
  /** Why the latest attempt failed, when it did (e.g. code `FaceWithMaskDetected`). */
  readonly error?: LivenessError;
  /**
   * The overall verdict: the latest attempt `Succeeded` and the face is live (and, with verify,
   * matches). False while no attempt has finished. It does not depend on the session `status`.
   */
  readonly accepted: boolean;
  /**
   * Three-way verdict: `"pending"` while the end user may still finish an attempt, else
   * `"accepted"` (same as `accepted`) or `"rejected"`.
   */
  readonly verdict: SessionVerdict;
  /** Why the verdict is `"pending"` or `"rejected"`; absent when accepted. */
  readonly reason?: VerdictReason;
}

/** The facts of a liveness-with-verify session, read from the latest attempt. */
export interface LivenessWithVerifySessionSummary extends LivenessSessionSummary {
  /** Whether the face matches the verify image, per the service's threshold. */
  readonly isIdentical?: boolean;
  /** Confidence (0 to 1) that the face matches the verify image. */
  readonly matchConfidence?: number;
  /** SHA-256 hash (hex) of the verify image, when the session asked for it. */
  readonly verifyImageHash?: string;
}

/** Checks a decision policy; throws `TypeError`/`RangeError` naming the option. */
export function checkPolicy(policy: LivenessWithVerifySessionPolicy): void {
  if (typeof policy !== "object" || policy === null) throw new TypeError("policy must be an object.");
  const uncertain = policy.treatUncertainAs;
  if (uncertain !== undefined && uncertain !== "failure" && uncertain !== "success") {
    throw new TypeError(`treatUncertainAs must be "failure" or "success" (got ${String(uncertain)}).`);
  }
  checkNumber("minMatchConfidence", policy.minMatchConfidence, 0, 1);
}

function summarize(
  session: LivenessSession | LivenessWithVerifySession,
  latest: LivenessSessionAttempt | LivenessWithVerifySessionAttempt | undefined,
  policy: LivenessSessionPolicy,
): LivenessSessionSummary {
  const result = latest?.result ?? undefined;
  const decision = result?.livenessDecision?.toLowerCase();
  const succeeded = latest?.attemptStatus === KnownOperationState.Succeeded && result !== undefined;
  const isLive =
    succeeded &&
    (decision === KnownLivenessDecision.RealFace ||
      (decision === KnownLivenessDecision.Uncertain && policy.treatUncertainAs === "success"));
  const summary: LivenessSessionSummary = {
    sessionId: session.sessionId,
    status: session.status,
    attemptCount: session.results.attempts.length,
    attemptId: latest?.attemptId,
    attemptStatus: latest?.attemptStatus,
    livenessDecision: result?.livenessDecision,
    isLive,
    digest: result?.digest,
    sessionImageId: result?.sessionImageId,
    error: latest?.error ?? undefined,
    accepted: isLive,
    ...verdictOf(session, latest, isLive ? undefined : notLiveReason(succeeded, decision)),
  };
  return summary;
}

/** Why a finished attempt is not live (an attempt that did not succeed failed). */
function notLiveReason(succeeded: boolean, decision: string | undefined): VerdictReason {
  if (!succeeded) return "attemptFailed";
  if (decision === KnownLivenessDecision.SpoofFace) return "spoofFace";
  if (decision === KnownLivenessDecision.Uncertain) return "uncertain";
  return "unknownDecision";
}

const OPEN_STATES: readonly string[] = [KnownOperationState.NotStarted, KnownOperationState.Running];

/**
 * The verdict given why the latest attempt is not accepted (`rejection`, undefined when it is):
 * pending while no attempt finished or another attempt may follow (the session is still open).
 */
function verdictOf(
  session: LivenessSession | LivenessWithVerifySession,
  latest: LivenessSessionAttempt | LivenessWithVerifySessionAttempt | undefined,
  rejection: VerdictReason | undefined,
): { verdict: SessionVerdict; reason?: VerdictReason } {
  const open = OPEN_STATES.includes(session.status);
  const finished = latest !== undefined && latest.attemptStatus !== KnownOperationState.NotStarted && latest.attemptStatus !== KnownOperationState.Running;
  if (!finished) {
    if (!open) return { verdict: "rejected", reason: "sessionEnded" };
    // A started session reads Running with attempts: [] until its attempt finishes (recorded).
    const started = latest !== undefined ? latest.attemptStatus !== KnownOperationState.NotStarted : session.status === KnownOperationState.Running;
    return { verdict: "pending", reason: started ? "attemptRunning" : "notStarted" };
  }
  if (rejection === undefined) return { verdict: "accepted" };
  return open ? { verdict: "pending", reason: "retryAllowed" } : { verdict: "rejected", reason: rejection };
}

function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/**
 * Reads the decision of a liveness session from its latest attempt (highest `attemptId`).
 * `accepted` is true only when that attempt `Succeeded` with a `realface` decision (`uncertain`
 * counts as not live unless the policy says otherwise).
 *
 * @param session - A session from `getLivenessSessionResult` or a wait method.
 * @param policy - How to count `uncertain`.
 *
 * @example
 * ```ts
 * const summary = summarizeLivenessSession(await client.getLivenessSessionResult(sessionId));
 * if (summary.verdict === "pending") pollAgainLater();
 * else if (summary.verdict === "rejected") console.log(summary.reason, summary.error?.code);
 * ```
 */
export function summarizeLivenessSession(
  session: LivenessSession,
  policy: LivenessSessionPolicy = {},
): LivenessSessionSummary {
  checkPolicy(policy);
  return compact(summarize(session, getLatestAttempt(session), policy));
}

/**
 * Reads the decision of a liveness-with-verify session from its latest attempt (highest
 * `attemptId`). `accepted` is true only when that attempt `Succeeded`, the face is live (as in
 * {@link summarizeLivenessSession}), `isIdentical` is true and, when `minMatchConfidence` is set,
 * `matchConfidence` is at least that.
 *
 * @param session - A session from `getLivenessWithVerifySessionResult` or a wait method.
 * @param policy - How to count `uncertain`, and the lowest match confidence to accept.
 *
 * @example
 * ```ts
 * const session = await client.getLivenessWithVerifySessionResult(sessionId);
 * const summary = summarizeLivenessWithVerifySession(session, { minMatchConfidence: 0.7 });
 * console.log(summary.accepted, summary.isLive, summary.isIdentical, summary.matchConfidence);
 * ```
 */
export function summarizeLivenessWithVerifySession(
  session: LivenessWithVerifySession,
  policy: LivenessWithVerifySessionPolicy = {},
): LivenessWithVerifySessionSummary {
  checkPolicy(policy);
  const latest = getLatestAttempt(session);
  const base = summarize(session, latest, policy);
  const verify = latest?.result?.verifyResult ?? undefined;
  // An absent isIdentical or (with minMatchConfidence) matchConfidence is not a match.
  const confidence = verify?.matchConfidence;
  const matches =
    verify?.isIdentical === true &&
    (policy.minMatchConfidence === undefined || (confidence !== undefined && confidence >= policy.minMatchConfidence));
  const mismatch: VerdictReason | undefined =
    !base.accepted || matches ? undefined : verify?.isIdentical === true ? "matchConfidenceTooLow" : "notIdentical";
  return compact({
    ...base,
    isIdentical: verify?.isIdentical,
    matchConfidence: verify?.matchConfidence,
    verifyImageHash: latest?.result?.verifyImageHash,
    accepted: base.accepted && matches,
    ...(mismatch === undefined ? {} : verdictOf(session, latest, mismatch)),
  });
}
