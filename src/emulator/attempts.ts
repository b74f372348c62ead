import type { EmulatorContext } from "./context.js";
import { copyRectangle, faceRectangleProblem } from "./faceRectangle.js";
import { renderSessionImage } from "./images.js";
import { isInRange, isIpAddress, parseIpRange } from "./ipAddress.js";
import { checkLength, MAX_DEVICE_MESSAGE_LENGTH } from "./fieldLimits.js";
import { EmulatorHttpError, badArgument } from "./responses.js";
import { attemptsLeft } from "./sessionState.js";
import type { AttemptRecord, SessionRecord } from "./store.js";
import { newSessionImageId, upperHexSha256 } from "./wire/identifiers.js";
import type { WireAttempt, WireAttemptResult, WireFaceRectangle, WireVerifyResult } from "./wire/session.js";
import { toWireAttempt } from "./wire/toWireSession.js";

/**
 * The device side of a session, simulated: what the Face UI SDK does with the session's
 * `authToken` (start an attempt, then finish it with a decision or an error).
 */

/** Liveness decisions a simulated attempt can end with (the attempt then `Succeeded`). */
export const LIVENESS_DECISIONS = ["realface", "spoofface", "uncertain"] as const;

/**
 * Outcome of a simulated attempt: a liveness decision (`realface`, `spoofface`, `uncertain`:
 * the attempt succeeds with that decision) or a PascalCase error code such as
 * `FaceWithMaskDetected` (the attempt fails with that error).
 */
export type DeviceOutcome = (typeof LIVENESS_DECISIONS)[number] | (string & {});

/** Client IP of a device attempt when neither the body nor the transport gives one. */
export const DEFAULT_CLIENT_IP = "127.0.0.1";

/** A simulated device attempt: the body of `POST /face/{version}/emulator/device/attempts`. */
export interface DeviceAttemptInput {
  /** How the attempt ends. Required unless `stage` is `start`. */
  outcome?: DeviceOutcome;
  /**
   * `start`: what the device does when the end user begins: the session turns `Running` and,
   * as recorded, still lists no attempt (`attempts: []`) until the attempt finishes.
   * `complete` (default): finish the started attempt, or run a whole new one at once.
   */
  stage?: "start" | "complete";
  /** Face rectangle reported by the attempt. Default: the emulator's `defaultFaceRectangle`. */
  faceRectangle?: WireFaceRectangle;
  /** With-verify sessions only: `verifyResult.matchConfidence`, 0 to 1. */
  matchConfidence?: number;
  /** Error outcomes only: the error message. Default: a message for the code. */
  message?: string;
  /**
   * The IP address the device calls from (v1.3-preview.1 `clientInformation`). Default: the
   * HTTP adapter's remote address, else `127.0.0.1`.
   */
  clientIp?: string;
  /**
   * `true`: abuse monitoring flags this attempt (`abuseMonitoringResult.isAbuseDetected`). Needs
   * a session created while the resource's liveness abuse monitoring was enabled.
   */
  abuseDetected?: boolean;
}

const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  FaceWithMaskDetected: "Mask detected on face image.",
};

const ERROR_CODE = /^[A-Z][A-Za-z0-9]{0,63}$/;
const INPUT_KEYS = new Set(["outcome", "stage", "faceRectangle", "matchConfidence", "message", "clientIp", "abuseDetected"]);

/** Checks a device attempt body; throws a 400 `BadArgument` naming the wrong field. */
export function parseDeviceAttempt(value: unknown): DeviceAttemptInput {
  if (typeof value === "string") value = { outcome: value };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badArgument(
      "The device attempt must be a JSON object { outcome, stage?, faceRectangle?, matchConfidence?, message?, clientIp?, abuseDetected? }.",
    );
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!INPUT_KEYS.has(key)) throw badArgument(`Unknown device attempt field '${key}'.`);
  }
  const stage = input.stage ?? "complete";
  if (stage !== "start" && stage !== "complete") throw badArgument("stage must be 'start' or 'complete'.");
  const outcome = input.outcome;
  if (outcome === undefined && stage === "complete") {
    throw badArgument("outcome is required: 'realface', 'spoofface', 'uncertain' or an error code such as 'FaceWithMaskDetected'.");
  }
  if (
    outcome !== undefined &&
    (typeof outcome !== "string" ||
      (!(LIVENESS_DECISIONS as readonly string[]).includes(outcome) && !ERROR_CODE.test(outcome)))
  ) {
    throw badArgument("outcome must be 'realface', 'spoofface', 'uncertain' or a PascalCase error code such as 'FaceWithMaskDetected'.");
  }
  if (input.faceRectangle !== undefined) {
    const problem = faceRectangleProblem(input.faceRectangle, "faceRectangle");
    if (problem !== undefined) throw badArgument(problem);
  }
  const match = input.matchConfidence;
  if (match !== undefined && (typeof match !== "number" || !(match >= 0 && match <= 1))) {
    throw badArgument("matchConfidence must be a number between 0 and 1.");
  }
  if (input.message !== undefined && (typeof input.message !== "string" || input.message === "")) {
    throw badArgument("message must be a non-empty string.");
  }
  checkLength("message", input.message, MAX_DEVICE_MESSAGE_LENGTH);
  if (input.clientIp !== undefined && (typeof input.clientIp !== "string" || !isIpAddress(input.clientIp))) {
    throw badArgument("clientIp must be an IPv4 or IPv6 address.");
  }
  if (input.abuseDetected !== undefined && typeof input.abuseDetected !== "boolean") {
    throw badArgument("abuseDetected must be true or false.");
  }
  return input as DeviceAttemptInput;
}

function unauthorized(): EmulatorHttpError {
  return new EmulatorHttpError(401, "401", "Access denied due to an invalid, expired or revoked session auth token.");
}

/** The session holding a live `authToken`; 401 when it is unknown, revoked (deleted) or expired. */
export function sessionForToken(ctx: EmulatorContext, authToken: string): SessionRecord {
  const record = ctx.store.byToken(authToken);
  if (record === undefined || ctx.options.now() >= record.tokenExpiresAt) throw unauthorized();
  const lifetimeMs = ctx.options.sessionLifetimeSeconds * 1000;
  if (ctx.store.find(record.kind, record.sessionId, ctx.options.now(), lifetimeMs) === undefined) throw unauthorized();
  return record;
}

function finish(ctx: EmulatorContext, record: SessionRecord, attempt: AttemptRecord, input: DeviceAttemptInput): void {
  const outcome = input.outcome!;
  const faceRectangle = copyRectangle(input.faceRectangle ?? ctx.options.defaultFaceRectangle);
  const targets = { color: { faceRectangle } };
  if (!(LIVENESS_DECISIONS as readonly string[]).includes(outcome)) {
    attempt.attemptStatus = "Failed";
    attempt.error = {
      code: outcome,
      message: input.message ?? ERROR_MESSAGES[outcome] ?? `The liveness attempt failed (${outcome}).`,
      targets,
    };
    return;
  }
  const digest = upperHexSha256(`${record.sessionId}:${attempt.attemptId}:${outcome}`);
  let sessionImageId: string | undefined;
  if (record.settings.enableSessionImage) {
    sessionImageId = newSessionImageId();
    ctx.store.addImage(sessionImageId, { bytes: renderSessionImage(faceRectangle), faceRectangle });
  }
  let verifyResult: WireVerifyResult | undefined;
  if (record.verify !== undefined) {
    const matchConfidence = input.matchConfidence ?? ctx.options.defaultMatchConfidence;
    verifyResult = { matchConfidence, isIdentical: matchConfidence >= record.verify.threshold };
  }
  // Key order as recorded: livenessDecision, targets, digest, sessionImageId, verifyResult.
  const result: WireAttemptResult = {
    livenessDecision: outcome,
    targets,
    digest,
    ...(sessionImageId !== undefined ? { sessionImageId } : {}),
    ...(verifyResult !== undefined ? { verifyResult } : {}),
    ...(record.verify?.returnVerifyImageHash ? { verifyImageHash: record.verify.imageHash } : {}),
  };
  attempt.attemptStatus = "Succeeded";
  attempt.result = result;
}

function conflict(code: string, message: string): EmulatorHttpError {
  return new EmulatorHttpError(409, code, message);
}

function noAttemptLeft(record: SessionRecord): EmulatorHttpError {
  const allowed = record.settings.numberOfClientAttemptsAllowed;
  const succeeded = record.attempts.some((a) => a.attemptStatus === "Succeeded");
  return conflict(
    "AttemptLimitReached",
    succeeded && record.attempts.length < allowed
      ? `Attempt ${record.attempts.at(-1)!.attemptId} succeeded; the session accepts no further attempts.`
      : `The session allows ${allowed} client attempt(s) and none is left.`,
  );
}

/** Records the attempt's client IP and raises abuse for an IP outside the expected range or when told to. */
function recordClient(record: SessionRecord, attempt: AttemptRecord, ip: string, abuseDetected: boolean | undefined): void {
  if (!attempt.clientIps.includes(ip)) attempt.clientIps.push(ip);
  const expected = record.settings.expectedClientIpAddress;
  if (expected !== undefined && !isInRange(ip, parseIpRange(expected)!)) attempt.abuseDetected = true;
  if (abuseDetected === true) attempt.abuseDetected = true;
}

/**
 * Runs one device step on the session of `authToken` and returns the attempt in the session's
 * API version (a started attempt answers `attemptStatus: "Running"`, but session reads list
 * it only once it finished). Errors: 401 (token unknown, revoked or
 * expired), 400 (bad input), 409 `AttemptInProgress` (a `start` while an attempt runs) or 409
 * `AttemptLimitReached` (the session's attempts are used up, or one already succeeded).
 *
 * @param transportIp - The client IP seen by the HTTP adapter, used when the body has no `clientIp`.
 */
export function runDeviceAttempt(
  ctx: EmulatorContext,
  authToken: string,
  input: DeviceAttemptInput,
  transportIp?: string,
): WireAttempt {
  const record = sessionForToken(ctx, authToken);
  if (record.verify === undefined && input.matchConfidence !== undefined) {
    throw badArgument("matchConfidence applies to liveness-with-verify sessions only.");
  }
  if (input.abuseDetected === true && !record.isAbuseMonitoringEnabled) {
    throw badArgument(
      "abuseDetected needs a session created while liveness abuse monitoring was enabled (PATCH /face/v1.3-preview.1/settings).",
    );
  }
  const last = record.attempts.at(-1);
  const running = last?.attemptStatus === "Running" ? last : undefined;
  if (input.stage === "start" && running !== undefined) {
    throw conflict("AttemptInProgress", `Attempt ${running.attemptId} is still running; complete it first.`);
  }
  let attempt = running;
  if (attempt === undefined) {
    if (attemptsLeft(record) === 0) throw noAttemptLeft(record);
    attempt = { attemptId: record.attempts.length + 1, attemptStatus: "Running", clientIps: [], abuseDetected: false };
    record.attempts.push(attempt);
  }
  recordClient(record, attempt, input.clientIp ?? transportIp ?? DEFAULT_CLIENT_IP, input.abuseDetected);
  if (input.stage !== "start") finish(ctx, record, attempt, input);
  return toWireAttempt(ctx, record, attempt, record.apiVersion);
}
