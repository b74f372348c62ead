import { randomUUID } from "node:crypto";
import { mediaType, readJsonObject } from "../body.js";
import type { EmulatorContext } from "../context.js";
import { FACE_ATTRIBUTES, attributesFor, landmarksFor, type FaceAttributeName } from "../faceData.js";
import { copyRectangle } from "../faceRectangle.js";
import { EmulatorHttpError, badArgument, invalidMediaType, jsonResponse } from "../responses.js";
import type { OperationCall } from "../router.js";
import type { SessionImageRecord } from "../store.js";
import { SESSION_IMAGE_CONTENT_TYPE, sessionImageDisposition } from "../wire/headers.js";
import type { WireDetectedFace } from "../wire/detect.js";

/**
 * `GET /sessionImages/{id}` and `POST /detect` with `{ sessionImageId }`.
 */

const DETECTION_MODELS = ["detection_01", "detection_02", "detection_03"] as const;
const RECOGNITION_MODELS = ["recognition_01", "recognition_02", "recognition_03", "recognition_04"] as const;
/** Attributes `detection_03` supports (besides `qualityForRecognition`, which depends on the recognition model). */
const DETECTION_03_ATTRIBUTES: readonly FaceAttributeName[] = ["headPose", "mask", "blur", "qualityForRecognition"];

function imageOrThrow(ctx: EmulatorContext, id: string): SessionImageRecord {
  const image = ctx.store.image(id);
  if (image === undefined) {
    throw new EmulatorHttpError(404, "SessionImageNotFound", "Session image id is not found. The session image id is expired or does not exist.");
  }
  return image;
}

/**
 * `GET /sessionImages/{sessionImageId}` → 200 JPEG bytes with the recorded headers:
 * `content-type: application/octet-stream` and
 * `content-disposition: attachment; filename=<id>.jpg; filename*=UTF-8''<id>.jpg`.
 */
export function getSessionImage({ ctx, params }: OperationCall): Response {
  const id = params[0]!;
  const image = imageOrThrow(ctx, id);
  return new Response(image.bytes.slice(), {
    status: 200,
    headers: {
      "content-type": SESSION_IMAGE_CONTENT_TYPE,
      "content-length": String(image.bytes.byteLength),
      "content-disposition": sessionImageDisposition(id),
    },
  });
}

/** The detect query options, validated. */
export interface DetectQuery {
  /** `detection_01` (default) to `detection_03`. */
  readonly detectionModel: (typeof DETECTION_MODELS)[number];
  /** `recognition_01` (default) to `recognition_04`. */
  readonly recognitionModel: (typeof RECOGNITION_MODELS)[number];
  /** Default true, as in the service. */
  readonly returnFaceId: boolean;
  /** Requested attributes, canonical names, no duplicates. */
  readonly returnFaceAttributes: readonly FaceAttributeName[];
  /** Default false. */
  readonly returnFaceLandmarks: boolean;
  /** Default false. */
  readonly returnRecognitionModel: boolean;
  /** 60..86400, default 86400 (accepted and checked; face ids are not stored). */
  readonly faceIdTimeToLive: number;
}

function queryBoolean(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null || value === "") return fallback;
  const text = value.toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  throw badArgument(`Invalid argument ${name}: must be true or false.`);
}

function queryChoice<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T {
  const value = query.get(name);
  if (value === null || value === "") return allowed[0]!;
  const match = allowed.find((a) => a === value.toLowerCase());
  if (match === undefined) throw badArgument(`Invalid argument ${name}: must be one of ${allowed.join(", ")}.`);
  return match;
}

function queryAttributes(query: URLSearchParams): FaceAttributeName[] {
  const names: FaceAttributeName[] = [];
  for (const raw of (query.get("returnFaceAttributes") ?? "").split(",")) {
    const text = raw.trim();
    if (text === "") continue;
    const name = FACE_ATTRIBUTES.find((a) => a.toLowerCase() === text.toLowerCase());
    if (name === undefined) {
      throw badArgument(`Invalid argument returnFaceAttributes: '${text.slice(0, 40)}' is not one of ${FACE_ATTRIBUTES.join(", ")}.`);
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Validates the detect query the way the service does, including the model/attribute rules. */
export function parseDetectQuery(query: URLSearchParams): DetectQuery {
  const detectionModel = queryChoice(query, "detectionModel", DETECTION_MODELS);
  const recognitionModel = queryChoice(query, "recognitionModel", RECOGNITION_MODELS);
  const returnFaceAttributes = queryAttributes(query);
  const returnFaceLandmarks = queryBoolean(query, "returnFaceLandmarks", false);
  const ttlText = query.get("faceIdTimeToLive");
  const faceIdTimeToLive = ttlText === null || ttlText === "" ? 86400 : Number(ttlText);
  if (!/^\d+$/.test(ttlText ?? "86400") || faceIdTimeToLive < 60 || faceIdTimeToLive > 86400) {
    throw badArgument("Invalid argument faceIdTimeToLive: must be an integer between 60 and 86400.");
  }
  if (detectionModel === "detection_02" && (returnFaceLandmarks || returnFaceAttributes.length > 0)) {
    throw badArgument("detection_02 does not support face landmarks or face attributes; use detection_01 or detection_03.");
  }
  for (const name of returnFaceAttributes) {
    if (detectionModel === "detection_03" && !DETECTION_03_ATTRIBUTES.includes(name)) {
      throw badArgument(`Attribute '${name}' is not supported by detection_03 (supported: ${DETECTION_03_ATTRIBUTES.join(", ")}).`);
    }
    if (name === "mask" && detectionModel !== "detection_03") {
      throw badArgument("Attribute 'mask' is supported by detection_03 only.");
    }
    if (name === "qualityForRecognition" && recognitionModel !== "recognition_03" && recognitionModel !== "recognition_04") {
      throw badArgument("Attribute 'qualityForRecognition' requires recognitionModel recognition_03 or recognition_04.");
    }
  }
  return {
    detectionModel,
    recognitionModel,
    returnFaceId: queryBoolean(query, "returnFaceId", true),
    returnFaceAttributes,
    returnFaceLandmarks,
    returnRecognitionModel: queryBoolean(query, "returnRecognitionModel", false),
    faceIdTimeToLive,
  };
}

/**
 * `POST /detect?...` with JSON `{ "sessionImageId": "..." }` → 200 `FaceDetectionResult[]` with
 * one face: the attempt's face rectangle, plus what the query asked for. Detection from a URL
 * or from image bytes (the other two `/detect` variants) answers 501: the emulator only knows
 * its own session images.
 */
export async function detectFromSessionImage({ ctx, request, url }: OperationCall): Promise<Response> {
  const type = mediaType(request);
  if (type === "application/octet-stream" || type.startsWith("image/")) {
    throw new EmulatorHttpError(501, "NotSupportedByEmulator", "The emulator detects faces on session images only (JSON body { sessionImageId }).");
  }
  if (type !== "application/json") throw invalidMediaType();
  const query = parseDetectQuery(url.searchParams);
  const body = await readJsonObject(request, ctx.options.maxRequestBodyBytes);
  const id = body.sessionImageId;
  if (id === undefined && body.url !== undefined) {
    throw new EmulatorHttpError(501, "NotSupportedByEmulator", "The emulator detects faces on session images only (JSON body { sessionImageId }).");
  }
  if (typeof id !== "string" || id === "") throw badArgument("sessionImageId is required and must be a non-empty string.");
  const image = imageOrThrow(ctx, id);
  const face: WireDetectedFace = {
    ...(query.returnFaceId ? { faceId: randomUUID() } : {}),
    ...(query.returnRecognitionModel ? { recognitionModel: query.recognitionModel } : {}),
    faceRectangle: copyRectangle(image.faceRectangle),
    ...(query.returnFaceLandmarks ? { faceLandmarks: landmarksFor(image.faceRectangle) } : {}),
    ...(query.returnFaceAttributes.length > 0
      ? { faceAttributes: attributesFor(query.returnFaceAttributes, id) }
      : {}),
  };
  return jsonResponse(200, [face]);
}
