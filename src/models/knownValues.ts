/**
 * Extensible string enums of the liveness-session API.
 *
 * The service may add values at any time, so every type below is the union of the values this
 * library knows and `string`: an unknown value passes through untouched instead of failing. The
 * `Known*` enums list the values known today, for comparisons and autocompletion.
 */

/** Values of {@link LivenessOperationMode} known to this library. */
export enum KnownLivenessOperationMode {
  /** Passive check only; the only mode supported by the mobile SDKs. */
  Passive = "Passive",
  /** Passive check plus an active challenge; recommended for web clients. */
  PassiveActive = "PassiveActive",
}

/** How the end user is checked: see {@link KnownLivenessOperationMode}. */
export type LivenessOperationMode = `${KnownLivenessOperationMode}` | (string & {});

/** Values of {@link LivenessModel} known to this library. */
export enum KnownLivenessModel {
  /** The liveness model released with API version v1.2. */
  V2024_11_15 = "2024-11-15",
}

/** Version of the liveness model: see {@link KnownLivenessModel}. */
export type LivenessModel = `${KnownLivenessModel}` | (string & {});

/** Values of {@link OperationState} known to this library. */
export enum KnownOperationState {
  /** The session was created and the end user has not started the check. */
  NotStarted = "NotStarted",
  /** The end user started the check and it is in progress. */
  Running = "Running",
  /** The check finished. */
  Succeeded = "Succeeded",
  /** The check failed. */
  Failed = "Failed",
  /** The check was canceled. */
  Canceled = "Canceled",
}

/** Status of a session or of one attempt: see {@link KnownOperationState}. */
export type OperationState = `${KnownOperationState}` | (string & {});

/** Values of {@link LivenessDecision} known to this library. The wire values are lower case. */
export enum KnownLivenessDecision {
  /** The model could not decide. */
  Uncertain = "uncertain",
  /** A live, real face was presented. */
  RealFace = "realface",
  /** A spoof (photo, screen, mask, ...) was presented. */
  SpoofFace = "spoofface",
}

/** Outcome of the liveness model for one attempt: see {@link KnownLivenessDecision}. */
export type LivenessDecision = `${KnownLivenessDecision}` | (string & {});

/** Values of {@link ImageType} known to this library. */
export enum KnownImageType {
  /** Color image. */
  Color = "Color",
  /** Infrared image. */
  Infrared = "Infrared",
  /** Depth image. */
  Depth = "Depth",
}

/** Kind of a verify reference image: see {@link KnownImageType}. */
export type ImageType = `${KnownImageType}` | (string & {});

/** Values of {@link QualityForRecognition} known to this library. */
export enum KnownQualityForRecognition {
  /** Low quality: not suitable for recognition. */
  Low = "low",
  /** Medium quality. */
  Medium = "medium",
  /** High quality. */
  High = "high",
}

/** Suitability of a face for recognition: see {@link KnownQualityForRecognition}. */
export type QualityForRecognition = `${KnownQualityForRecognition}` | (string & {});

/** Values of {@link DetectionModel} known to this library. */
export enum KnownDetectionModel {
  /** Default detection model. */
  Detection01 = "detection_01",
  /** Improved accuracy on small, side and blurry faces; no landmarks or attributes. */
  Detection02 = "detection_02",
  /** Most accurate model; supports mask, blur and head pose attributes. */
  Detection03 = "detection_03",
}

/** Face detection model: see {@link KnownDetectionModel}. */
export type DetectionModel = `${KnownDetectionModel}` | (string & {});

/** Values of {@link RecognitionModel} known to this library. */
export enum KnownRecognitionModel {
  /** Recognition model 01. */
  Recognition01 = "recognition_01",
  /** Recognition model 02. */
  Recognition02 = "recognition_02",
  /** Recognition model 03. */
  Recognition03 = "recognition_03",
  /** Recognition model 04 (recommended). */
  Recognition04 = "recognition_04",
}

/** Face recognition model: see {@link KnownRecognitionModel}. */
export type RecognitionModel = `${KnownRecognitionModel}` | (string & {});

/** Values of {@link FaceAttributeType} known to this library. */
export enum KnownFaceAttributeType {
  /** Head pose (pitch, roll, yaw). */
  HeadPose = "headPose",
  /** Glasses type. */
  Glasses = "glasses",
  /** Occlusion of forehead, eyes and mouth. */
  Occlusion = "occlusion",
  /** Accessories (headwear, glasses, mask). */
  Accessories = "accessories",
  /** Blur level. */
  Blur = "blur",
  /** Exposure level. */
  Exposure = "exposure",
  /** Noise level. */
  Noise = "noise",
  /** Mask type (detection_03 only). */
  Mask = "mask",
  /** Quality for recognition (recognition_03/04). */
  QualityForRecognition = "qualityForRecognition",
  /** Age (Limited Access). */
  Age = "age",
  /** Smile intensity (Limited Access). */
  Smile = "smile",
  /** Facial hair (Limited Access). */
  FacialHair = "facialHair",
  /** Hair (Limited Access). */
  Hair = "hair",
}

/** A face attribute that detection can return: see {@link KnownFaceAttributeType}. */
export type FaceAttributeType = `${KnownFaceAttributeType}` | (string & {});
