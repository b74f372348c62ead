/**
 * The emulator's declarations of the session bodies it sends, written from traffic recorded from
 * the live service (test/conformance/fixtures), not from the client's models: the client and the
 * emulator are held against the same recordings, so either one can be wrong without the other
 * copying the mistake.
 *
 * "Recorded" below means the field was seen in a recorded live response; "spec" means it is only
 * known from the OpenAPI description (no recording shows it yet).
 */

/** `status` / `attemptStatus` values (recorded: `NotStarted`, `Running`, `Succeeded`; spec: `Failed`, `Canceled`). */
export type WireOperationState = "NotStarted" | "Running" | "Succeeded" | "Failed" | "Canceled";

/** A face rectangle: four integers, recorded in the order `top`, `left`, `width`, `height`. */
export interface WireFaceRectangle {
  /** Pixels from the top edge of the image. */
  readonly top: number;
  /** Pixels from the left edge of the image. */
  readonly left: number;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/** `targets.color` of an attempt (recorded). */
export interface WireColorTarget {
  /** Where the face was in the colour image. */
  readonly faceRectangle: WireFaceRectangle;
}

/** `targets` of an attempt (recorded): `{ color: { faceRectangle } }`. */
export interface WireDecisionTargets {
  /** The colour image the decision was made on. */
  readonly color: WireColorTarget;
}

/** `result.verifyResult` of a with-verify attempt (recorded). */
export interface WireVerifyResult {
  /** 0 to 1 (recorded as a float such as `0.12141934`). */
  readonly matchConfidence: number;
  /** Whether the face matches the verify image. */
  readonly isIdentical: boolean;
}

/**
 * `result` of a finished attempt. Recorded keys, in order: `livenessDecision`, `targets`,
 * `digest`, `sessionImageId` (only with `enableSessionImage`), `verifyResult` (with-verify
 * sessions). `verifyImageHash` is spec only.
 */
export interface WireAttemptResult {
  /** Recorded lower case: `realface`; spec: `spoofface`, `uncertain`. */
  readonly livenessDecision: string;
  /** Where the face was. */
  readonly targets: WireDecisionTargets;
  /** 64 upper-case hex digits (recorded). */
  readonly digest: string;
  /** 44 base64url characters (recorded), present when the session stores images. */
  readonly sessionImageId?: string;
  /** With-verify sessions only. */
  readonly verifyResult?: WireVerifyResult;
  /** Spec only: SHA-256 of the verify image, when `returnVerifyImageHash` was set. */
  readonly verifyImageHash?: string;
}

/** `error` of a failed attempt (spec only: no recording has a failed attempt). */
export interface WireAttemptError {
  /** A PascalCase code such as `FaceWithMaskDetected`. */
  readonly code: string;
  /** Human-readable message. */
  readonly message: string;
  /** Where the face was. */
  readonly targets: WireDecisionTargets;
}

/** One entry of v1.3-preview.1 `clientInformation` (spec only). */
export interface WireClientInformation {
  /** The device's IP address. */
  readonly ip: string;
}

/** One entry of `abuseMonitoringResult.otherFlaggedSessions` (spec only). */
export interface WireSessionReference {
  /** The flagged attempt. */
  readonly attemptId: number;
  /** Its session. */
  readonly sessionId: string;
  /** Its session image, when the session stores images. */
  readonly sessionImageId?: string;
}

/** v1.3-preview.1 `abuseMonitoringResult` of an attempt (spec only). */
export interface WireAbuseMonitoringResult {
  /** Whether abuse monitoring flagged the attempt. */
  readonly isAbuseDetected: boolean;
  /** Other flagged sessions of the same user. */
  readonly otherFlaggedSessions: readonly WireSessionReference[];
}

/**
 * One attempt in `results.attempts` (recorded: `attemptId`, `attemptStatus`, `result`). Only
 * finished attempts are listed: the recordings show a started session as `Running` with
 * `attempts: []`.
 */
export interface WireAttempt {
  /** 1, 2, ... */
  readonly attemptId: number;
  /** `Succeeded` or `Failed` (`Running` only in the device stand-in's answer to a start). */
  readonly attemptStatus: WireOperationState;
  /** Set when the attempt succeeded. */
  readonly result?: WireAttemptResult;
  /** Set when the attempt failed. */
  readonly error?: WireAttemptError;
  /** v1.3-preview.1 only. */
  readonly clientInformation?: readonly WireClientInformation[];
  /** v1.3-preview.1 only, on succeeded attempts of monitored sessions. */
  readonly abuseMonitoringResult?: WireAbuseMonitoringResult;
}

/**
 * One entry of `results.verifyReferences`. Recorded: the create response has `referenceType`
 * (`"image"`), `faceRectangle`, `qualityForRecognition`; every GET leaves `referenceType` out.
 */
export interface WireVerifyReference {
  /** Create response only: `"image"`. */
  readonly referenceType?: string;
  /** Where the face is in the verify image. */
  readonly faceRectangle: WireFaceRectangle;
  /** Recorded: `high`; spec: `low`, `medium`. */
  readonly qualityForRecognition: string;
}

/** `results` of a session (recorded: `attempts` always, `verifyReferences` on with-verify sessions). */
export interface WireSessionResults {
  /** Finished attempts, newest first. */
  readonly attempts: readonly WireAttempt[];
  /** With-verify sessions only. */
  readonly verifyReferences?: readonly WireVerifyReference[];
}

/**
 * A session body: the create response and every GET. Recorded differences between the two:
 * only the create response carries the token (GETs send `"authToken": ""`); GETs carry
 * `modelVersion` only once an attempt finished; the v1.3-preview.1 create response has no
 * `isAbuseMonitoringEnabled` while its GETs have it.
 */
export interface WireSession {
  /** A lower-case UUID. */
  readonly sessionId: string;
  /** The session's token in the create response; `""` in every GET. */
  readonly authToken: string;
  /** The session's status. */
  readonly status: WireOperationState;
  /** The liveness model, per API version (see `modelVersions.ts`). */
  readonly modelVersion?: string;
  /** v1.3-preview.1 GETs only. */
  readonly isAbuseMonitoringEnabled?: boolean;
  /** v1.3-preview.1 GETs of sessions created with one (spec only). */
  readonly expectedClientIpAddress?: string;
  /** Attempts (and verify references). */
  readonly results: WireSessionResults;
}
