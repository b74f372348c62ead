import { createHash } from "node:crypto";
import type { WireFaceAttributes, WireFaceLandmarks } from "./wire/detect.js";
import type { WireFaceRectangle } from "./wire/session.js";

/**
 * Plausible detection data for a face rectangle: the 27 landmarks placed on a fixed face
 * template inside the rectangle, and attribute values of the right types and ranges, derived
 * deterministically from a seed (the session image id) so repeated calls agree.
 */

/** Face attributes `returnFaceAttributes` accepts, in the service's order. */
export const FACE_ATTRIBUTES = [
  "headPose",
  "glasses",
  "occlusion",
  "accessories",
  "blur",
  "exposure",
  "noise",
  "mask",
  "qualityForRecognition",
  "age",
  "smile",
  "facialHair",
  "hair",
] as const;

/** One attribute name of {@link FACE_ATTRIBUTES}. */
export type FaceAttributeName = (typeof FACE_ATTRIBUTES)[number];

/** Landmark positions as fractions of the face rectangle's width (x) and height (y). */
const TEMPLATE: Readonly<Record<keyof WireFaceLandmarks, readonly [number, number]>> = {
  pupilLeft: [0.3, 0.38],
  pupilRight: [0.7, 0.38],
  noseTip: [0.5, 0.6],
  mouthLeft: [0.34, 0.78],
  mouthRight: [0.66, 0.78],
  eyebrowLeftOuter: [0.16, 0.28],
  eyebrowLeftInner: [0.42, 0.26],
  eyeLeftOuter: [0.21, 0.39],
  eyeLeftTop: [0.3, 0.34],
  eyeLeftBottom: [0.3, 0.42],
  eyeLeftInner: [0.39, 0.39],
  eyebrowRightInner: [0.58, 0.26],
  eyebrowRightOuter: [0.84, 0.28],
  eyeRightInner: [0.61, 0.39],
  eyeRightTop: [0.7, 0.34],
  eyeRightBottom: [0.7, 0.42],
  eyeRightOuter: [0.79, 0.39],
  noseRootLeft: [0.45, 0.4],
  noseRootRight: [0.55, 0.4],
  noseLeftAlarTop: [0.43, 0.55],
  noseRightAlarTop: [0.57, 0.55],
  noseLeftAlarOutTip: [0.4, 0.62],
  noseRightAlarOutTip: [0.6, 0.62],
  upperLipTop: [0.5, 0.72],
  upperLipBottom: [0.5, 0.76],
  underLipTop: [0.5, 0.8],
  underLipBottom: [0.5, 0.86],
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The 27 landmarks of a face in `rect`, every point strictly inside the rectangle. */
export function landmarksFor(rect: WireFaceRectangle): WireFaceLandmarks {
  const out: Record<string, { x: number; y: number }> = {};
  for (const [name, [fx, fy]] of Object.entries(TEMPLATE)) {
    out[name] = { x: round(rect.left + fx * rect.width, 1), y: round(rect.top + fy * rect.height, 1) };
  }
  return out as unknown as WireFaceLandmarks;
}

/** A deterministic generator of numbers in [0, 1) seeded by `seed` (mulberry32 over SHA-256). */
function random(seed: string): () => number {
  let state = createHash("sha256").update(seed).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values of the requested `attributes` only, plausible for a frontal, unoccluded, well-lit face. */
export function attributesFor(attributes: readonly FaceAttributeName[], seed: string): WireFaceAttributes {
  const r = random(seed);
  const all: { [K in FaceAttributeName]: () => unknown } = {
    headPose: () => ({ pitch: round(r() * 20 - 10, 1), roll: round(r() * 10 - 5, 1), yaw: round(r() * 20 - 10, 1) }),
    glasses: () => "noGlasses",
    occlusion: () => ({ foreheadOccluded: false, eyeOccluded: false, mouthOccluded: false }),
    accessories: () => [],
    blur: () => ({ blurLevel: "low", value: round(r() * 0.2, 2) }),
    exposure: () => ({ exposureLevel: "goodExposure", value: round(0.4 + r() * 0.3, 2) }),
    noise: () => ({ noiseLevel: "low", value: round(r() * 0.2, 2) }),
    mask: () => ({ type: "noMask", noseAndMouthCovered: false }),
    qualityForRecognition: () => "high",
    age: () => round(20 + r() * 40, 1),
    smile: () => round(r(), 3),
    facialHair: () => ({ moustache: round(r() * 0.3, 1), beard: round(r() * 0.3, 1), sideburns: round(r() * 0.3, 1) }),
    hair: () => ({
      bald: round(r() * 0.2, 2),
      invisible: false,
      hairColor: [
        { color: "brown", confidence: 0.92 },
        { color: "black", confidence: 0.71 },
        { color: "red", confidence: 0.25 },
      ],
    }),
  };
  const out: Record<string, unknown> = {};
  for (const name of attributes) out[name] = all[name]();
  return out;
}
