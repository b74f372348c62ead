export { FaceSessionClient } from "./faceSessionClient.js";
export type {
  CreateLivenessSessionOptions,
  CreateLivenessWithVerifySessionOptions,
  DeleteLivenessSessionOptions,
  DeleteLivenessWithVerifySessionOptions,
  DetectFromSessionImageOptions,
  FaceApiVersion,
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
export { RestError, isRestError } from "./errors.js";
export type { FaceRestError } from "./errors.js";
export { logger } from "./logger.js";
export { AzureKeyCredential } from "@azure/core-auth";
export type { KeyCredential, TokenCredential } from "@azure/core-auth";
