export { FaceSessionClient } from "./faceSessionClient.js";
export type {
  CreateLivenessSessionOptions,
  CreateLivenessWithVerifySessionOptions,
  DeleteLivenessSessionOptions,
  DeleteLivenessWithVerifySessionOptions,
  DetectFromSessionImageOptions,
  FaceApiVersion,
  FaceClientLimits,
  FaceOperationOptions,
  FaceRequestOptions,
  FaceSessionClientOptions,
  GetLivenessSessionResultOptions,
  GetLivenessWithVerifySessionResultOptions,
  GetSessionImageOptions,
  GetClientAssetsAccessTokenOptions,
  GetSettingsOptions,
  UpdateSettingsOptions,
} from "./options.js";
export type { SessionImage } from "./sessionImage.js";
export * from "./models/index.js";
export { AbortError, RestError, isAbortError, isFaceRestError, isRestError } from "./errors.js";
export type { FaceRestError } from "./errors.js";
export { logger } from "./logger.js";
export { setLogLevel, getLogLevel } from "@azure/logger";
export type { AzureLogLevel } from "@azure/logger";
export { AzureKeyCredential } from "@azure/core-auth";
export type { KeyCredential, TokenCredential } from "@azure/core-auth";
export type {
  ObserveLivenessSessionOptions,
  ObserveLivenessWithVerifySessionOptions,
  SessionPollingOptions,
  WaitForLivenessSessionResultOptions,
  WaitForLivenessWithVerifySessionResultOptions,
  WaitForSessionResultOptions,
  WaitUntil,
} from "./polling/options.js";
export {
  DEFAULT_POLL_BACKOFF_MULTIPLIER,
  DEFAULT_POLL_INTERVAL_IN_MS,
  DEFAULT_POLL_MAX_INTERVAL_IN_MS,
  DEFAULT_POLL_TIMEOUT_IN_MS,
  MAX_POLL_THROTTLE_DELAY_IN_MS,
} from "./polling/options.js";
export type {
  AnyLivenessSession,
  LivenessSessionWaitOutcome,
  LivenessWithVerifySessionWaitOutcome,
  SessionAttemptFinishedOutcome,
  SessionAttemptOf,
  SessionEndedOutcome,
  SessionExpiredOutcome,
  SessionTimedOutOutcome,
  SessionWaitOutcome,
} from "./polling/outcome.js";
export { getLatestAttempt } from "./results/latestAttempt.js";
export type { SessionWithAttempts } from "./results/latestAttempt.js";
export { summarizeLivenessSession, summarizeLivenessWithVerifySession } from "./results/summary.js";
export type {
  LivenessSessionPolicy,
  SessionVerdict,
  VerdictReason,
  LivenessSessionSummary,
  LivenessWithVerifySessionPolicy,
  LivenessWithVerifySessionSummary,
} from "./results/summary.js";
export { isDigestMatch } from "./results/digest.js";
export type {
  FinalizeLivenessSessionOptions,
  FinalizeLivenessSessionResult,
  FinalizeLivenessWithVerifySessionOptions,
  FinalizeLivenessWithVerifySessionResult,
  FinalizeSessionOptions,
  FinalizeSessionResult,
} from "./finalize/options.js";
export { livenessSessionScope, livenessWithVerifySessionScope } from "./finalize/sessionScope.js";
export type { SessionScope, SessionScopeOptions } from "./finalize/sessionScope.js";
