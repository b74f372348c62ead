import type { EmulatorContext } from "../context.js";
import type { EmulatorFault, QueuedEmulatorFault } from "../faults.js";
import { attemptsLeft, sessionStatus } from "../sessionState.js";
import type { AttemptRecord, Removal, SessionRecord } from "../store.js";

/**
 * What the console page shows, read from the emulator's own records: sessions newest first
 * (deleted ones included) and the fault queue. Secrets never leave: an auth token is shown as
 * its last four characters and its length, and the key is not part of the view.
 */

/** How many sessions the view lists (newest first); the rest are only counted. */
export const MAX_VIEWED_SESSIONS = 100;

/** One attempt as the console shows it. */
export interface AttemptView {
  readonly attemptId: number;
  readonly status: string;
  /** `realface`, `spoofface` or `uncertain` when the attempt succeeded. */
  readonly decision?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly matchConfidence?: number;
  readonly isIdentical?: boolean;
  readonly sessionImageId?: string;
  readonly clientIps: readonly string[];
}

/** One session as the console shows it. */
export interface SessionView {
  readonly sessionId: string;
  readonly kind: "liveness" | "livenessWithVerify";
  readonly apiVersion: string;
  readonly mode: string;
  readonly status: string;
  /** Epoch ms (emulator clock). */
  readonly createdAt: number;
  readonly tokenExpiresAt: number;
  /** The auth token, masked: `…` + its last four characters + its length. */
  readonly authToken: string;
  readonly deviceCorrelationId?: string;
  readonly deviceCorrelationIdSetInClient: boolean;
  readonly enableSessionImage: boolean;
  readonly attemptsAllowed: number;
  readonly attemptsLeft: number;
  /** With-verify sessions: the confidence threshold and whether the reference image is kept. */
  readonly verify?: { readonly threshold: number; readonly hasImage: boolean };
  readonly attempts: readonly AttemptView[];
  readonly removed?: Removal;
}

/** One queued fault as the console shows it. */
export interface FaultView {
  readonly kind: EmulatorFault["kind"];
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly ms?: number;
  readonly method?: string;
  readonly path?: string;
  /** Uses left; `null` for "every request". */
  readonly remaining: number | null;
}

/** The whole console state. */
export interface ConsoleView {
  /** Emulator clock, epoch ms. */
  readonly now: number;
  /** Stored sessions plus remembered removed ones. */
  readonly sessionTotal: number;
  readonly sessions: readonly SessionView[];
  readonly faults: readonly FaultView[];
  /** Whether sessions created now are monitored for abuse (v1.3-preview.1). */
  readonly abuseMonitoringEnabled: boolean;
}

/** `…` + the last four characters + the length: enough to tell tokens apart, never the token. */
export function maskSecret(secret: string): string {
  return `…${secret.slice(-4)} (${secret.length} chars)`;
}

function attemptView(attempt: AttemptRecord): AttemptView {
  const { result, error } = attempt;
  return {
    attemptId: attempt.attemptId,
    status: attempt.attemptStatus,
    ...(result !== undefined ? { decision: result.livenessDecision } : {}),
    ...(result?.verifyResult !== undefined
      ? { matchConfidence: result.verifyResult.matchConfidence, isIdentical: result.verifyResult.isIdentical }
      : {}),
    ...(result?.sessionImageId !== undefined ? { sessionImageId: result.sessionImageId } : {}),
    ...(error !== undefined ? { errorCode: error.code, errorMessage: error.message } : {}),
    clientIps: [...attempt.clientIps],
  };
}

function sessionView(record: SessionRecord, now: number, removed?: Removal): SessionView {
  const s = record.settings;
  return {
    sessionId: record.sessionId,
    kind: record.kind === "detectLiveness" ? "liveness" : "livenessWithVerify",
    apiVersion: record.apiVersion,
    mode: s.livenessOperationMode,
    status: sessionStatus(record, removed?.at ?? now),
    createdAt: record.createdAt,
    tokenExpiresAt: record.tokenExpiresAt,
    authToken: maskSecret(record.authToken),
    ...(s.deviceCorrelationId !== undefined ? { deviceCorrelationId: s.deviceCorrelationId } : {}),
    deviceCorrelationIdSetInClient: s.deviceCorrelationIdSetInClient,
    enableSessionImage: s.enableSessionImage,
    attemptsAllowed: s.numberOfClientAttemptsAllowed,
    attemptsLeft: removed !== undefined ? 0 : attemptsLeft(record),
    ...(record.verify !== undefined
      ? { verify: { threshold: record.verify.threshold, hasImage: record.verify.image !== undefined } }
      : {}),
    attempts: record.attempts.map(attemptView).reverse(),
    ...(removed !== undefined ? { removed: { reason: removed.reason, at: removed.at } } : {}),
  };
}

function faultView({ fault, remaining }: QueuedEmulatorFault): FaultView {
  return {
    kind: fault.kind,
    ...(fault.kind === "status" ? { status: fault.status } : {}),
    ...(fault.kind === "status" && fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}),
    ...(fault.kind === "delay" ? { ms: fault.ms } : {}),
    ...(fault.method !== undefined ? { method: fault.method.toUpperCase() } : {}),
    ...(fault.path !== undefined ? { path: String(fault.path) } : {}),
    remaining: Number.isFinite(remaining) ? remaining : null,
  };
}

/** The console view of the emulator behind `ctx`, with its fault queue. */
export function consoleView(ctx: EmulatorContext, faults: readonly QueuedEmulatorFault[]): ConsoleView {
  const now = ctx.options.now();
  const entries: { record: SessionRecord; removed?: Removal }[] = [];
  for (const removed of ctx.store.removed()) entries.push({ record: removed.record, removed });
  for (const record of ctx.store.sessions()) entries.push({ record });
  // Newest first; equal creation times keep the later-stored session first.
  const ordered = entries.map((e, i) => ({ ...e, i })).sort((a, b) => b.record.createdAt - a.record.createdAt || b.i - a.i);
  return {
    now,
    sessionTotal: entries.length,
    sessions: ordered.slice(0, MAX_VIEWED_SESSIONS).map((e) => sessionView(e.record, now, e.removed)),
    faults: faults.map(faultView),
    abuseMonitoringEnabled: ctx.resource.abuseMonitoringEnabled,
  };
}
