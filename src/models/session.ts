import type {
  ImageType,
  LivenessDecision,
  LivenessModel,
  LivenessOperationMode,
  OperationState,
  QualityForRecognition,
} from "./knownValues.js";
import type { VerifyImageInput } from "./verifyImage.js";

/** Request body of `createLivenessSession` (wire field names). */
export interface CreateLivenessSessionContent {
  /** How the end user is checked. Required. */
  livenessOperationMode: LivenessOperationMode;
  /**
   * When true, the front-end SDK supplies the device correlation id, and
   * `deviceCorrelationId` must be left out. Default false.
   */
  deviceCorrelationIdSetInClient?: boolean;
  /** Store the session image so it can be downloaded with `getSessionImage`. Default false. */
  enableSessionImage?: boolean;
  /** Liveness model to use; the latest when omitted. */
  livenessModelVersion?: LivenessModel;
  /**
   * A unique id (a GUID) per end-user device, used by the service for rate limiting and
   * anti-hammering. Must be absent when `deviceCorrelationIdSetInClient` is true.
   */
  deviceCorrelationId?: string;
  /** Lifetime of the session `authToken`, an integer from 60 to 86400 seconds. Default 600. */
  authTokenTimeToLiveInSeconds?: number;
  /**
   * How many attempts the end user gets, an integer up to 3 (the service documents 1 to 3 and
   * accepted 0 in recorded traffic, so 0 is sent as given). Default 1.
   * Needs `apiVersion: "v1.3-preview.1"`.
   */
  numberOfClientAttemptsAllowed?: number;
  /**
   * A unique id (a GUID) per end user, used for abuse monitoring; must be absent when
   * `userCorrelationIdSetInClient` is true. Needs `apiVersion: "v1.3-preview.1"`; not accepted by
   * liveness-with-verify.
   */
  userCorrelationId?: string;
  /**
   * When true, the front end supplies the user correlation id. Needs
   * `apiVersion: "v1.3-preview.1"`; not accepted by liveness-with-verify.
   */
  userCorrelationIdSetInClient?: boolean;
  /**
   * The IP address (IPv4 or IPv6) or CIDR block the end user's device is expected to call from.
   * Needs `apiVersion: "v1.3-preview.1"`; not accepted by liveness-with-verify.
   */
  expectedClientIpAddress?: string;
}

/** The create fields the liveness-with-verify operation does not take. */
export type LivenessOnlyCreateField = "userCorrelationId" | "userCorrelationIdSetInClient" | "expectedClientIpAddress";

/** Request of `createLivenessWithVerifySession`, sent as `multipart/form-data`. */
export interface CreateLivenessWithVerifySessionContent
  extends Omit<CreateLivenessSessionContent, LivenessOnlyCreateField> {
  /**
   * The reference face image: JPEG, PNG, GIF, BMP or WEBP, at most 6 MB. Required.
   * See {@link VerifyImageInput} for the accepted types.
   */
  verifyImage: VerifyImageInput;
  /** Confidence (0 to 1) at or above which the face is reported as identical. */
  verifyConfidenceThreshold?: number;
  /** Add the SHA-256 hash of the verify image (`verifyImageHash`) to the results. */
  returnVerifyImageHash?: boolean;
}

/**
 * A face rectangle in pixels. A rectangle is one value: the client reports it only when the
 * service sent all four numbers, and leaves the field holding it out otherwise.
 */
export interface FaceRectangle {
  /** Distance from the top edge of the image to the top edge of the rectangle. */
  readonly top: number;
  /** Distance from the left edge of the image to the left edge of the rectangle. */
  readonly left: number;
  /** Width of the rectangle. */
  readonly width: number;
  /** Height of the rectangle. */
  readonly height: number;
}

/** Where the liveness model looked. */
export interface LivenessDecisionTargets {
  /** The color image target; absent when the service did not report it. */
  readonly color?: LivenessColorDecisionTarget;
}

/** The color image target of a liveness decision. */
export interface LivenessColorDecisionTarget {
  /** The face the decision is about; absent when the service did not report a complete rectangle. */
  readonly faceRectangle?: FaceRectangle;
}

/** Result of one successful liveness attempt. */
export interface LivenessResult {
  /** The model's decision; absent when the model gave none (the attempt then does not count as live). */
  readonly livenessDecision?: LivenessDecision;
  /** Where the model looked; absent when the service did not report it. */
  readonly targets?: LivenessDecisionTargets;
  /**
   * Server-computed digest of the request; compare it with the digest the client SDK reported.
   * Absent when the service did not report one: `isDigestMatch` then returns false.
   */
  readonly digest?: string;
  /** Id of the stored session image; present when the session enabled session images. */
  readonly sessionImageId?: string;
}

/** The face-verification part of a liveness-with-verify result. */
export interface LivenessWithVerifyOutputs {
  /** Confidence (0 to 1) that the face matches the verify image; absent when not reported. */
  readonly matchConfidence?: number;
  /**
   * Whether the face matches the verify image at the session's threshold. Absent when not
   * reported: the summaries then do not accept the session.
   */
  readonly isIdentical?: boolean;
}

/** Result of one successful liveness-with-verify attempt. */
export interface LivenessWithVerifyResult extends LivenessResult {
  /** Comparison against the verify image; absent when the service did not report one (not a match). */
  readonly verifyResult?: LivenessWithVerifyOutputs;
  /** SHA-256 hash (hex) of the verify image, when `returnVerifyImageHash` was set. */
  readonly verifyImageHash?: string;
}

/** Why an attempt failed (for example code `FaceWithMaskDetected`). */
export interface LivenessError {
  /** Error code, e.g. `FaceWithMaskDetected`; absent when the service gave none. */
  readonly code?: string;
  /** Human-readable message; absent when the service gave none. */
  readonly message?: string;
  /** Where the model looked; absent when the service did not report it. */
  readonly targets?: LivenessDecisionTargets;
}

/** Information about the device that made an attempt (v1.3-preview.1). */
export interface ClientInformation {
  /** The IP address the attempt came from; absent when not reported. */
  readonly ip?: string;
}

/** Another session flagged together with this attempt by abuse monitoring (v1.3-preview.1). */
export interface LivenessSessionReference {
  /** The attempt of the other session. Always present: a reference without it fails to parse. */
  readonly attemptId: number;
  /** The other session. Always present: a reference without it fails to parse. */
  readonly sessionId: string;
  /** The other session's image, when it stored one. */
  readonly sessionImageId?: string;
}

/** Abuse-monitoring verdict on an attempt (v1.3-preview.1, when monitoring is enabled). */
export interface AbuseMonitoringResult {
  /** Whether abuse was detected; absent when the service gave no verdict (treat as not checked). */
  readonly isAbuseDetected?: boolean;
  /** Other sessions flagged together with this attempt; empty when the service listed none. */
  readonly otherFlaggedSessions: readonly LivenessSessionReference[];
}

/** Fields common to every attempt. */
export interface LivenessAttemptBase {
  /**
   * Attempt number, starting at 1. The service lists attempts newest first. Always present: an
   * attempt without it fails to parse.
   */
  readonly attemptId: number;
  /** Status of this attempt. Always present: an attempt without it fails to parse. */
  readonly attemptStatus: OperationState;
  /** Where the attempt came from (v1.3-preview.1); absent when not reported. */
  readonly clientInformation?: readonly ClientInformation[];
  /** Abuse-monitoring verdict (v1.3-preview.1, when monitoring is enabled). */
  readonly abuseMonitoringResult?: AbuseMonitoringResult;
}

/** An attempt that produced a result. Narrow with `attempt.result !== undefined`. */
export interface LivenessAttemptWithResult<TResult extends LivenessResult> extends LivenessAttemptBase {
  /** The result of the attempt. */
  readonly result: TResult;
  /** Never set when `result` is. */
  readonly error?: undefined;
}

/** An attempt that failed with an error. Narrow with `attempt.error !== undefined`. */
export interface LivenessAttemptWithError extends LivenessAttemptBase {
  /** Never set when `error` is. */
  readonly result?: undefined;
  /** Why the attempt failed. */
  readonly error: LivenessError;
}

/** An attempt with neither a result nor an error yet (still running). */
export interface LivenessAttemptInProgress extends LivenessAttemptBase {
  /** Not set yet. */
  readonly result?: undefined;
  /** Not set yet. */
  readonly error?: undefined;
}

/** One attempt of a liveness session: a result, an error, or still in progress. */
export type LivenessSessionAttempt =
  | LivenessAttemptWithResult<LivenessResult>
  | LivenessAttemptWithError
  | LivenessAttemptInProgress;

/** One attempt of a liveness-with-verify session: a result, an error, or still in progress. */
export type LivenessWithVerifySessionAttempt =
  | LivenessAttemptWithResult<LivenessWithVerifyResult>
  | LivenessAttemptWithError
  | LivenessAttemptInProgress;

/** The verify image as analysed by the service when the session was created. */
export interface LivenessWithVerifyReference {
  /**
   * Kind of reference image (the service reports e.g. `image`; see {@link KnownImageType}).
   * Only the create response carries it: the service leaves it out of every later read.
   */
  readonly referenceType?: ImageType;
  /** Face found in the verify image; absent when the service did not report a complete rectangle. */
  readonly faceRectangle?: FaceRectangle;
  /** Quality of that face for recognition; absent when not reported. */
  readonly qualityForRecognition?: QualityForRecognition;
}

/**
 * Results of a liveness session. Empty (`attempts: []`) when the service sent no `results`;
 * a `Running` session has no attempt until the end user's first attempt is under way.
 */
export interface LivenessSessionResults {
  /** The attempts, newest first as the service lists them; empty when there are none. */
  readonly attempts: readonly LivenessSessionAttempt[];
}

/** Results of a liveness-with-verify session; lists the service did not send are empty. */
export interface LivenessWithVerifySessionResults {
  /** The verify image as analysed at session creation; empty when not reported. */
  readonly verifyReferences: readonly LivenessWithVerifyReference[];
  /** The attempts, newest first as the service lists them; empty when there are none. */
  readonly attempts: readonly LivenessWithVerifySessionAttempt[];
}

/** Fields common to both session kinds. */
export interface LivenessSessionBase {
  /** Id of the session. Always present: a response without it fails to parse. */
  readonly sessionId: string;
  /**
   * Bearer token for the front-end SDK. A secret: hand it to the end user's device only.
   * `util.inspect` (and so `console.log`) shows it redacted; `JSON.stringify` keeps it.
   *
   * Only the create methods return the token (a create response without one fails to parse).
   * The service sends `""` in every later read, so sessions from the get, wait, observe and
   * finalize methods hold `""` (also when the service leaves the field out or sends `null`).
   */
  readonly authToken: string;
  /** Status of the session. Always present: a response without it fails to parse. */
  readonly status: OperationState;
  /**
   * Liveness model used by the session. The service reports it in the create response and once
   * an attempt has finished; absent before that.
   */
  readonly modelVersion?: LivenessModel;
  /**
   * Whether abuse monitoring is on for this session (v1.3-preview.1). The service reports it on
   * reads, not in the create response; absent when not reported.
   */
  readonly isAbuseMonitoringEnabled?: boolean;
  /** The expected client IP address or CIDR block given at creation (v1.3-preview.1); absent when none. */
  readonly expectedClientIpAddress?: string;
  /**
   * When the `authToken` expires, computed by this client from the requested TTL (default 600 s)
   * and the time the create request was sent, so it is never later than the real expiry. Set only
   * on the results of the create methods: the service does not report it.
   */
  readonly authTokenExpiresOn?: Date;
}

/** A liveness session. */
export interface LivenessSession extends LivenessSessionBase {
  /** The attempts so far. */
  readonly results: LivenessSessionResults;
}

/** A liveness-with-verify session. */
export interface LivenessWithVerifySession extends LivenessSessionBase {
  /** The verify reference and the attempts so far. */
  readonly results: LivenessWithVerifySessionResults;
}

/** Body of a service error response. */
export interface FaceErrorResponse {
  /** The error. */
  readonly error: FaceError;
}

/**
 * A service error. Face errors carry `code`; gateway errors (quota 403, throttling 429) carry a
 * numeric `statusCode` instead.
 */
export interface FaceError {
  /** Error code, e.g. `SessionNotFound` or `BadArgument`. */
  readonly code?: string;
  /** Gateway status code, set instead of `code` by quota and throttling errors. */
  readonly statusCode?: number;
  /** Human-readable message. */
  readonly message: string;
}

/**
 * Resource-wide liveness settings (v1.3-preview.1). `livenessAbuseMonitoring.enabled` is the
 * whole content of the settings: a response without it fails to parse.
 */
export interface LivenessSettings {
  /** Abuse monitoring of liveness sessions. */
  readonly livenessAbuseMonitoring: {
    /** Whether abuse monitoring is on. */
    readonly enabled: boolean;
  };
}

/** A change to the liveness settings; fields left out keep their value (v1.3-preview.1). */
export interface LivenessSettingsUpdate {
  /** Abuse monitoring of liveness sessions. */
  livenessAbuseMonitoring?: {
    /** Turn abuse monitoring on or off. */
    enabled?: boolean;
  };
}

/**
 * A token for downloading the gated client SDK assets (v1.3-preview.1). Both tokens are secrets:
 * `util.inspect` shows them redacted. The tokens are what the operation is for: a response
 * without either fails to parse.
 */
export interface ClientAssetsAccessToken {
  /** When the tokens expire (read from the service's date-time); absent when not reported. */
  readonly expiry?: Date;
  /** The access token. */
  readonly accessToken: string;
  /** The access token, base64-encoded (used as the npm/Maven/NuGet feed password). */
  readonly base64AccessToken: string;
}
