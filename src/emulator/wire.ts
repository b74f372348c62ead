import type { LivenessSession, LivenessWithVerifySession, LivenessWithVerifySessionAttempt } from "../models/index.js";
import { abuseMonitoringResult, hasAbuseVerdict } from "./abuse.js";
import { isPreview, type EmulatorApiVersion } from "./apiVersions.js";
import type { EmulatorContext } from "./context.js";
import { sessionStatus } from "./sessionState.js";
import type { AttemptRecord, SessionRecord } from "./store.js";

/**
 * Wire serialisation of sessions and attempts for one API version. v1.2 shows exactly the v1.2
 * fields; v1.3-preview.1 adds `isAbuseMonitoringEnabled`, `expectedClientIpAddress` (when set),
 * and per attempt `clientInformation` and `abuseMonitoringResult`.
 */

/** The wire form of one attempt as `version` shows it. */
export function toWireAttempt(
  ctx: EmulatorContext,
  record: SessionRecord,
  attempt: AttemptRecord,
  version: EmulatorApiVersion,
): LivenessWithVerifySessionAttempt {
  const base = { attemptId: attempt.attemptId, attemptStatus: attempt.attemptStatus };
  const outcome = attempt.result !== undefined ? { result: attempt.result } : attempt.error !== undefined ? { error: attempt.error } : {};
  if (!isPreview(version)) return { ...base, ...outcome } as LivenessWithVerifySessionAttempt;
  return {
    ...base,
    ...outcome,
    clientInformation: attempt.clientIps.map((ip) => ({ ip })),
    ...(hasAbuseVerdict(record, attempt) ? { abuseMonitoringResult: abuseMonitoringResult(ctx, record, attempt) } : {}),
  } as LivenessWithVerifySessionAttempt;
}

/**
 * The wire form of a session as `version` shows it: `LivenessSession` or
 * `LivenessWithVerifySession`, attempts newest first.
 */
export function toWireSession(
  ctx: EmulatorContext,
  record: SessionRecord,
  version: EmulatorApiVersion,
): LivenessSession | LivenessWithVerifySession {
  const attempts = record.attempts.map((a) => toWireAttempt(ctx, record, a, version)).reverse();
  const expectedIp = record.settings.expectedClientIpAddress;
  const header = {
    sessionId: record.sessionId,
    authToken: record.authToken,
    status: sessionStatus(record, ctx.options.now()),
    modelVersion: record.settings.livenessModelVersion,
    ...(isPreview(version)
      ? {
          isAbuseMonitoringEnabled: record.isAbuseMonitoringEnabled,
          ...(expectedIp !== undefined ? { expectedClientIpAddress: expectedIp } : {}),
        }
      : {}),
  };
  if (record.verify === undefined) return { ...header, results: { attempts } };
  return { ...header, results: { attempts, verifyReferences: [record.verify.reference] } };
}
