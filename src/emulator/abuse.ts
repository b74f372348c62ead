import type { EmulatorContext } from "./context.js";
import type { AttemptRecord, SessionRecord } from "./store.js";
import type { WireAbuseMonitoringResult, WireSessionReference } from "./wire/session.js";

/**
 * Simulated liveness abuse monitoring (v1.3-preview.1). An attempt is flagged when the device
 * said so (`abuseDetected: true`), when one of its client IPs lies outside the session's
 * `expectedClientIpAddress`, or when the session was flagged with `emulator.flagAbuse()`. Only
 * sessions created while the resource's monitoring was on report it, and only on attempts that
 * succeeded (as in the service's examples, where the failed attempt has no verdict).
 */

/** Whether `attempt` of `record` is reported as abuse. */
export function isAbuseDetected(record: SessionRecord, attempt: AttemptRecord): boolean {
  return record.abuseFlagged || attempt.abuseDetected;
}

/** Whether the attempt carries an `abuseMonitoringResult` on the wire. */
export function hasAbuseVerdict(record: SessionRecord, attempt: AttemptRecord): boolean {
  return record.isAbuseMonitoringEnabled && attempt.attemptStatus === "Succeeded";
}

/**
 * Flagged attempts of the other stored sessions that share `record`'s (server-side)
 * `userCorrelationId`, oldest session first; empty when the session has no such id.
 */
function otherFlaggedSessions(ctx: EmulatorContext, record: SessionRecord): WireSessionReference[] {
  const user = record.settings.userCorrelationId;
  if (user === undefined) return [];
  const now = ctx.options.now();
  const lifetimeMs = ctx.options.sessionLifetimeSeconds * 1000;
  const flagged: WireSessionReference[] = [];
  for (const other of ctx.store.sessions()) {
    if (other === record || other.settings.userCorrelationId !== user || now - other.createdAt >= lifetimeMs) continue;
    for (const attempt of other.attempts) {
      if (!hasAbuseVerdict(other, attempt) || !isAbuseDetected(other, attempt)) continue;
      const sessionImageId = attempt.result?.sessionImageId;
      flagged.push({
        attemptId: attempt.attemptId,
        sessionId: other.sessionId,
        ...(sessionImageId !== undefined ? { sessionImageId } : {}),
      });
    }
  }
  return flagged;
}

/** The `abuseMonitoringResult` of an attempt, computed when the session is read. */
export function abuseMonitoringResult(ctx: EmulatorContext, record: SessionRecord, attempt: AttemptRecord): WireAbuseMonitoringResult {
  const detected = isAbuseDetected(record, attempt);
  return { isAbuseDetected: detected, otherFlaggedSessions: detected ? otherFlaggedSessions(ctx, record) : [] };
}
