import { abuseMonitoringResult, hasAbuseVerdict } from "../abuse.js";
import { isPreview, type EmulatorApiVersion } from "../apiVersions.js";
import type { EmulatorContext } from "../context.js";
import { sessionStatus } from "../sessionState.js";
import type { AttemptRecord, SessionRecord } from "../store.js";
import type { WireAttempt, WireSession, WireVerifyReference } from "./session.js";

/**
 * From a stored session to its wire body, for one API version and one of the two views the
 * recordings show: the create response and a read (GET). v1.3-preview.1 reads add
 * `isAbuseMonitoringEnabled`, `expectedClientIpAddress` (when set), and per attempt
 * `clientInformation` and `abuseMonitoringResult`.
 */

/** Which answer a session body is for: they differ (see {@link WireSession}). */
export type SessionView = "create" | "read";

/** The wire form of one attempt as `version` shows it. */
export function toWireAttempt(
  ctx: EmulatorContext,
  record: SessionRecord,
  attempt: AttemptRecord,
  version: EmulatorApiVersion,
): WireAttempt {
  const outcome = attempt.result !== undefined ? { result: attempt.result } : attempt.error !== undefined ? { error: attempt.error } : {};
  return {
    attemptId: attempt.attemptId,
    attemptStatus: attempt.attemptStatus,
    ...outcome,
    ...(isPreview(version)
      ? {
          clientInformation: attempt.clientIps.map((ip) => ({ ip })),
          ...(hasAbuseVerdict(record, attempt) ? { abuseMonitoringResult: abuseMonitoringResult(ctx, record, attempt) } : {}),
        }
      : {}),
  };
}

function isFinished(attempt: AttemptRecord): boolean {
  return attempt.attemptStatus === "Succeeded" || attempt.attemptStatus === "Failed";
}

/**
 * The wire form of a session. The create response: the token, `modelVersion`, no attempts and
 * `verifyReferences` with `referenceType`. A read: `authToken: ""`, `modelVersion` once an
 * attempt finished, the finished attempts newest first (a started attempt is not listed), and
 * `verifyReferences` without `referenceType`.
 */
export function toWireSession(ctx: EmulatorContext, record: SessionRecord, version: EmulatorApiVersion, view: SessionView): WireSession {
  const create = view === "create";
  const finished = record.attempts.filter(isFinished);
  const showModel = create || finished.length > 0;
  const expectedIp = record.settings.expectedClientIpAddress;
  const reference = record.verify?.reference;
  const verifyReferences: WireVerifyReference[] | undefined =
    reference === undefined
      ? undefined
      : [
          {
            ...(create ? { referenceType: reference.referenceType } : {}),
            faceRectangle: reference.faceRectangle,
            qualityForRecognition: reference.qualityForRecognition,
          },
        ];
  return {
    sessionId: record.sessionId,
    authToken: create ? record.authToken : "",
    status: sessionStatus(record, ctx.options.now()),
    ...(showModel ? { modelVersion: record.settings.livenessModelVersion } : {}),
    ...(isPreview(version) && !create
      ? {
          isAbuseMonitoringEnabled: record.isAbuseMonitoringEnabled,
          ...(expectedIp !== undefined ? { expectedClientIpAddress: expectedIp } : {}),
        }
      : {}),
    results: {
      attempts: finished.map((a) => toWireAttempt(ctx, record, a, version)).reverse(),
      ...(verifyReferences !== undefined ? { verifyReferences } : {}),
    },
  };
}
