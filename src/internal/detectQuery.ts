import type { DetectFromSessionImageOptions } from "../options.js";
import { KnownDetectionModel, KnownFaceAttributeType, KnownRecognitionModel } from "../models/knownValues.js";
import { toKnownCase } from "./knownCase.js";
import { checkBoolean, checkInteger, checkString } from "./validation.js";

/**
 * Checks the detect options and builds the query string, in the spec's parameter order.
 * `returnFaceId` is sent as `false` unless set: face ids need Limited Access approval.
 * `returnFaceAttributes` is sent comma-separated.
 */
export function buildDetectQuery(options: DetectFromSessionImageOptions): string {
  if (typeof options !== "object" || options === null) throw new TypeError("detect options must be an object.");
  checkString("detectionModel", options.detectionModel);
  checkString("recognitionModel", options.recognitionModel);
  checkBoolean("returnFaceId", options.returnFaceId);
  checkBoolean("returnFaceLandmarks", options.returnFaceLandmarks);
  checkBoolean("returnRecognitionModel", options.returnRecognitionModel);
  checkInteger("faceIdTimeToLive", options.faceIdTimeToLive, 60, 86400, "the service documents 60 to 86400 seconds");
  const attributes = options.returnFaceAttributes;
  if (attributes !== undefined) {
    if (!Array.isArray(attributes)) throw new TypeError("returnFaceAttributes must be an array of attribute names.");
    for (const attribute of attributes) {
      checkString("returnFaceAttributes[]", attribute, true);
      if (!/^[A-Za-z]+$/.test(attribute)) {
        throw new TypeError("returnFaceAttributes entries must be attribute names such as 'headPose' (letters only).");
      }
    }
  }
  const query: string[] = [];
  const add = (name: string, value: string | number | boolean | undefined): void => {
    if (value != null) query.push(`${name}=${encodeURIComponent(String(value))}`);
  };
  // Known values given in another case are sent in the service's ("Detection_03" → "detection_03").
  const known = <T extends string>(value: T | undefined, values: Record<string, string>): T | undefined =>
    value === undefined || value === null ? value : toKnownCase(value, values);
  add("detectionModel", known(options.detectionModel, KnownDetectionModel));
  add("recognitionModel", known(options.recognitionModel, KnownRecognitionModel));
  add("returnFaceId", options.returnFaceId ?? false);
  if (attributes !== undefined && attributes.length > 0) {
    query.push(`returnFaceAttributes=${attributes.map((a) => toKnownCase(a, KnownFaceAttributeType)).join(",")}`);
  }
  add("returnFaceLandmarks", options.returnFaceLandmarks);
  add("returnRecognitionModel", options.returnRecognitionModel);
  add("faceIdTimeToLive", options.faceIdTimeToLive);
  return query.join("&");
}
