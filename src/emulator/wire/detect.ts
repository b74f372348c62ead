/**
 * The emulator's declarations of `POST /detect` answers (from the service's documentation and the
 * recorded Java `/detect` responses: `faceId`, `recognitionModel`, `faceRectangle`,
 * `faceLandmarks`, `faceAttributes`).
 */
import type { WireFaceRectangle } from "./session.js";

/** A point of a face landmark. */
export interface WirePoint {
  /** Pixels from the left edge. */
  readonly x: number;
  /** Pixels from the top edge. */
  readonly y: number;
}

/** The 27 landmark names of `faceLandmarks`. */
export const LANDMARK_NAMES = [
  "pupilLeft",
  "pupilRight",
  "noseTip",
  "mouthLeft",
  "mouthRight",
  "eyebrowLeftOuter",
  "eyebrowLeftInner",
  "eyeLeftOuter",
  "eyeLeftTop",
  "eyeLeftBottom",
  "eyeLeftInner",
  "eyebrowRightInner",
  "eyebrowRightOuter",
  "eyeRightInner",
  "eyeRightTop",
  "eyeRightBottom",
  "eyeRightOuter",
  "noseRootLeft",
  "noseRootRight",
  "noseLeftAlarTop",
  "noseRightAlarTop",
  "noseLeftAlarOutTip",
  "noseRightAlarOutTip",
  "upperLipTop",
  "upperLipBottom",
  "underLipTop",
  "underLipBottom",
] as const;

/** `faceLandmarks`: one point per landmark name. */
export type WireFaceLandmarks = { readonly [K in (typeof LANDMARK_NAMES)[number]]: WirePoint };

/** `faceAttributes`: only the requested attributes are present; values as documented. */
export type WireFaceAttributes = Readonly<Record<string, unknown>>;

/** One detected face. */
export interface WireDetectedFace {
  /** A UUID, unless `returnFaceId=false`. */
  readonly faceId?: string;
  /** With `returnRecognitionModel=true`. */
  readonly recognitionModel?: string;
  /** Where the face is. */
  readonly faceRectangle: WireFaceRectangle;
  /** With `returnFaceLandmarks=true`. */
  readonly faceLandmarks?: WireFaceLandmarks;
  /** With `returnFaceAttributes=...`. */
  readonly faceAttributes?: WireFaceAttributes;
}
