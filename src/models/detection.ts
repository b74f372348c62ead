import type { FaceRectangle } from "./session.js";
import type { QualityForRecognition, RecognitionModel } from "./knownValues.js";

/** A point on a face, in pixels. */
export interface LandmarkCoordinate {
  /** Horizontal coordinate. */
  readonly x: number;
  /** Vertical coordinate. */
  readonly y: number;
}

/** The 27 face landmarks. */
export interface FaceLandmarks {
  readonly pupilLeft: LandmarkCoordinate;
  readonly pupilRight: LandmarkCoordinate;
  readonly noseTip: LandmarkCoordinate;
  readonly mouthLeft: LandmarkCoordinate;
  readonly mouthRight: LandmarkCoordinate;
  readonly eyebrowLeftOuter: LandmarkCoordinate;
  readonly eyebrowLeftInner: LandmarkCoordinate;
  readonly eyeLeftOuter: LandmarkCoordinate;
  readonly eyeLeftTop: LandmarkCoordinate;
  readonly eyeLeftBottom: LandmarkCoordinate;
  readonly eyeLeftInner: LandmarkCoordinate;
  readonly eyebrowRightInner: LandmarkCoordinate;
  readonly eyebrowRightOuter: LandmarkCoordinate;
  readonly eyeRightInner: LandmarkCoordinate;
  readonly eyeRightTop: LandmarkCoordinate;
  readonly eyeRightBottom: LandmarkCoordinate;
  readonly eyeRightOuter: LandmarkCoordinate;
  readonly noseRootLeft: LandmarkCoordinate;
  readonly noseRootRight: LandmarkCoordinate;
  readonly noseLeftAlarTop: LandmarkCoordinate;
  readonly noseRightAlarTop: LandmarkCoordinate;
  readonly noseLeftAlarOutTip: LandmarkCoordinate;
  readonly noseRightAlarOutTip: LandmarkCoordinate;
  readonly upperLipTop: LandmarkCoordinate;
  readonly upperLipBottom: LandmarkCoordinate;
  readonly underLipTop: LandmarkCoordinate;
  readonly underLipBottom: LandmarkCoordinate;
}

/** Facial hair lengths, each 0 to 1. */
export interface FacialHair {
  readonly moustache: number;
  readonly beard: number;
  readonly sideburns: number;
}

/** Glasses type: `noGlasses`, `readingGlasses`, `sunglasses`, `swimmingGoggles` or a newer value. */
export type GlassesType = "noGlasses" | "readingGlasses" | "sunglasses" | "swimmingGoggles" | (string & {});

/** Head pose in degrees. */
export interface HeadPose {
  readonly pitch: number;
  readonly roll: number;
  readonly yaw: number;
}

/** One hair color with its confidence. */
export interface HairColor {
  /** `unknown`, `white`, `gray`, `blond`, `brown`, `red`, `black`, `other` or a newer value. */
  readonly color: "unknown" | "white" | "gray" | "blond" | "brown" | "red" | "black" | "other" | (string & {});
  /** Confidence, 0 to 1. */
  readonly confidence: number;
}

/** Hair properties. */
export interface HairProperties {
  /** Baldness, 0 to 1. */
  readonly bald: number;
  /** Whether the hair is hidden. */
  readonly invisible: boolean;
  /** Hair colors, most likely first. */
  readonly hairColor: readonly HairColor[];
}

/** Occluded face regions. */
export interface OcclusionProperties {
  readonly foreheadOccluded: boolean;
  readonly eyeOccluded: boolean;
  readonly mouthOccluded: boolean;
}

/** An accessory on the face. */
export interface AccessoryItem {
  /** `headwear`, `glasses`, `mask` or a newer value. */
  readonly type: "headwear" | "glasses" | "mask" | (string & {});
  /** Confidence, 0 to 1. */
  readonly confidence: number;
}

/** Blur of the face. */
export interface BlurProperties {
  /** `low`, `medium`, `high` or a newer value. */
  readonly blurLevel: "low" | "medium" | "high" | (string & {});
  /** Blur, 0 to 1. */
  readonly value: number;
}

/** Exposure of the face. */
export interface ExposureProperties {
  /** `underExposure`, `goodExposure`, `overExposure` or a newer value. */
  readonly exposureLevel: "underExposure" | "goodExposure" | "overExposure" | (string & {});
  /** Exposure, 0 to 1. */
  readonly value: number;
}

/** Noise of the face image. */
export interface NoiseProperties {
  /** `low`, `medium`, `high` or a newer value. */
  readonly noiseLevel: "low" | "medium" | "high" | (string & {});
  /** Noise, 0 to 1. */
  readonly value: number;
}

/** Mask on the face. */
export interface MaskProperties {
  /** Whether nose and mouth are covered. */
  readonly noseAndMouthCovered: boolean;
  /** `faceMask`, `noMask`, `otherMaskOrOcclusion`, `uncertain` or a newer value. */
  readonly type: "faceMask" | "noMask" | "otherMaskOrOcclusion" | "uncertain" | (string & {});
}

/** Face attributes; only those requested with `returnFaceAttributes` are present. */
export interface FaceAttributes {
  readonly age?: number;
  readonly smile?: number;
  readonly facialHair?: FacialHair;
  readonly glasses?: GlassesType;
  readonly headPose?: HeadPose;
  readonly hair?: HairProperties;
  readonly occlusion?: OcclusionProperties;
  readonly accessories?: readonly AccessoryItem[];
  readonly blur?: BlurProperties;
  readonly exposure?: ExposureProperties;
  readonly noise?: NoiseProperties;
  readonly mask?: MaskProperties;
  readonly qualityForRecognition?: QualityForRecognition;
}

/** One detected face. */
export interface FaceDetectionResult {
  /** Face id, when `returnFaceId` was true (needs Limited Access approval). */
  readonly faceId?: string;
  /** Recognition model, when `returnRecognitionModel` was true. */
  readonly recognitionModel?: RecognitionModel;
  /** Where the face is. */
  readonly faceRectangle: FaceRectangle;
  /** The 27 landmarks, when `returnFaceLandmarks` was true. */
  readonly faceLandmarks?: FaceLandmarks;
  /** Attributes requested with `returnFaceAttributes`. */
  readonly faceAttributes?: FaceAttributes;
}
