import type { FaceRectangle } from "./session.js";
import type { QualityForRecognition, RecognitionModel } from "./knownValues.js";

/**
 * A point on a face, in pixels. A point is one value: the client reports it only when the
 * service sent both coordinates, and leaves the landmark out otherwise.
 */
export interface LandmarkCoordinate {
  /** Horizontal coordinate. */
  readonly x: number;
  /** Vertical coordinate. */
  readonly y: number;
}

/** The 27 face landmarks; a landmark the service did not report (completely) is absent. */
export interface FaceLandmarks {
  /** The pupil left point. */
  readonly pupilLeft?: LandmarkCoordinate;
  /** The pupil right point. */
  readonly pupilRight?: LandmarkCoordinate;
  /** The nose tip point. */
  readonly noseTip?: LandmarkCoordinate;
  /** The mouth left point. */
  readonly mouthLeft?: LandmarkCoordinate;
  /** The mouth right point. */
  readonly mouthRight?: LandmarkCoordinate;
  /** The eyebrow left outer point. */
  readonly eyebrowLeftOuter?: LandmarkCoordinate;
  /** The eyebrow left inner point. */
  readonly eyebrowLeftInner?: LandmarkCoordinate;
  /** The eye left outer point. */
  readonly eyeLeftOuter?: LandmarkCoordinate;
  /** The eye left top point. */
  readonly eyeLeftTop?: LandmarkCoordinate;
  /** The eye left bottom point. */
  readonly eyeLeftBottom?: LandmarkCoordinate;
  /** The eye left inner point. */
  readonly eyeLeftInner?: LandmarkCoordinate;
  /** The eyebrow right inner point. */
  readonly eyebrowRightInner?: LandmarkCoordinate;
  /** The eyebrow right outer point. */
  readonly eyebrowRightOuter?: LandmarkCoordinate;
  /** The eye right inner point. */
  readonly eyeRightInner?: LandmarkCoordinate;
  /** The eye right top point. */
  readonly eyeRightTop?: LandmarkCoordinate;
  /** The eye right bottom point. */
  readonly eyeRightBottom?: LandmarkCoordinate;
  /** The eye right outer point. */
  readonly eyeRightOuter?: LandmarkCoordinate;
  /** The nose root left point. */
  readonly noseRootLeft?: LandmarkCoordinate;
  /** The nose root right point. */
  readonly noseRootRight?: LandmarkCoordinate;
  /** The nose left alar top point. */
  readonly noseLeftAlarTop?: LandmarkCoordinate;
  /** The nose right alar top point. */
  readonly noseRightAlarTop?: LandmarkCoordinate;
  /** The nose left alar out tip point. */
  readonly noseLeftAlarOutTip?: LandmarkCoordinate;
  /** The nose right alar out tip point. */
  readonly noseRightAlarOutTip?: LandmarkCoordinate;
  /** The upper lip top point. */
  readonly upperLipTop?: LandmarkCoordinate;
  /** The upper lip bottom point. */
  readonly upperLipBottom?: LandmarkCoordinate;
  /** The under lip top point. */
  readonly underLipTop?: LandmarkCoordinate;
  /** The under lip bottom point. */
  readonly underLipBottom?: LandmarkCoordinate;
}

/** Facial hair lengths, each 0 to 1. */
export interface FacialHair {
  /** Moustache length, 0 to 1. */
  readonly moustache?: number;
  /** Beard length, 0 to 1. */
  readonly beard?: number;
  /** Sideburns length, 0 to 1. */
  readonly sideburns?: number;
}

/** Glasses type: `noGlasses`, `readingGlasses`, `sunglasses`, `swimmingGoggles` or a newer value. */
export type GlassesType = "noGlasses" | "readingGlasses" | "sunglasses" | "swimmingGoggles" | (string & {});

/** Head pose in degrees. */
export interface HeadPose {
  /** Pitch (nodding), in degrees. */
  readonly pitch?: number;
  /** Roll (tilting), in degrees. */
  readonly roll?: number;
  /** Yaw (turning), in degrees. */
  readonly yaw?: number;
}

/** One hair color with its confidence. */
export interface HairColor {
  /** `unknown`, `white`, `gray`, `blond`, `brown`, `red`, `black`, `other` or a newer value. */
  readonly color?: "unknown" | "white" | "gray" | "blond" | "brown" | "red" | "black" | "other" | (string & {});
  /** Confidence, 0 to 1. */
  readonly confidence?: number;
}

/** Hair properties. */
export interface HairProperties {
  /** Baldness, 0 to 1. */
  readonly bald?: number;
  /** Whether the hair is hidden. */
  readonly invisible?: boolean;
  /** Hair colors, most likely first. */
  readonly hairColor?: readonly HairColor[];
}

/** Occluded face regions. */
export interface OcclusionProperties {
  /** Whether the forehead is covered. */
  readonly foreheadOccluded?: boolean;
  /** Whether an eye is covered. */
  readonly eyeOccluded?: boolean;
  /** Whether the mouth is covered. */
  readonly mouthOccluded?: boolean;
}

/** An accessory on the face. */
export interface AccessoryItem {
  /** `headwear`, `glasses`, `mask` or a newer value. */
  readonly type?: "headwear" | "glasses" | "mask" | (string & {});
  /** Confidence, 0 to 1. */
  readonly confidence?: number;
}

/** Blur of the face. */
export interface BlurProperties {
  /** `low`, `medium`, `high` or a newer value. */
  readonly blurLevel?: "low" | "medium" | "high" | (string & {});
  /** Blur, 0 to 1. */
  readonly value?: number;
}

/** Exposure of the face. */
export interface ExposureProperties {
  /** `underExposure`, `goodExposure`, `overExposure` or a newer value. */
  readonly exposureLevel?: "underExposure" | "goodExposure" | "overExposure" | (string & {});
  /** Exposure, 0 to 1. */
  readonly value?: number;
}

/** Noise of the face image. */
export interface NoiseProperties {
  /** `low`, `medium`, `high` or a newer value. */
  readonly noiseLevel?: "low" | "medium" | "high" | (string & {});
  /** Noise, 0 to 1. */
  readonly value?: number;
}

/** Mask on the face. */
export interface MaskProperties {
  /** Whether nose and mouth are covered. */
  readonly noseAndMouthCovered?: boolean;
  /** `faceMask`, `noMask`, `otherMaskOrOcclusion`, `uncertain` or a newer value. */
  readonly type?: "faceMask" | "noMask" | "otherMaskOrOcclusion" | "uncertain" | (string & {});
}

/**
 * Face attributes; only those requested with `returnFaceAttributes` are present. Inside each
 * attribute, a field the service did not send is absent.
 */
export interface FaceAttributes {
  /** Estimated age in years (Limited Access). */
  readonly age?: number;
  /** Smile intensity, 0 to 1 (Limited Access). */
  readonly smile?: number;
  /** Facial hair (Limited Access). */
  readonly facialHair?: FacialHair;
  /** Type of glasses. */
  readonly glasses?: GlassesType;
  /** Head pose. */
  readonly headPose?: HeadPose;
  /** Hair (Limited Access). */
  readonly hair?: HairProperties;
  /** Covered face regions. */
  readonly occlusion?: OcclusionProperties;
  /** Accessories on the face. */
  readonly accessories?: readonly AccessoryItem[];
  /** Blur of the face. */
  readonly blur?: BlurProperties;
  /** Exposure of the face. */
  readonly exposure?: ExposureProperties;
  /** Noise of the face image. */
  readonly noise?: NoiseProperties;
  /** Mask on the face (detection_03). */
  readonly mask?: MaskProperties;
  /** Whether the face is good enough for recognition (recognition_03/04). */
  readonly qualityForRecognition?: QualityForRecognition;
}

/** One detected face. */
export interface FaceDetectionResult {
  /** Face id, when `returnFaceId` was true (needs Limited Access approval). */
  readonly faceId?: string;
  /** Recognition model, when `returnRecognitionModel` was true. */
  readonly recognitionModel?: RecognitionModel;
  /** Where the face is; absent when the service did not report a complete rectangle. */
  readonly faceRectangle?: FaceRectangle;
  /** The 27 landmarks, when `returnFaceLandmarks` was true. */
  readonly faceLandmarks?: FaceLandmarks;
  /** Attributes requested with `returnFaceAttributes`. */
  readonly faceAttributes?: FaceAttributes;
}
