import { KnownLivenessOperationMode } from "../models/knownValues.js";
import { toKnownCase } from "./knownCase.js";
import type { BodyPart } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import type { CreateLivenessSessionContent, CreateLivenessWithVerifySessionContent } from "../models/session.js";
import type { FaceApiVersion } from "../options.js";
import { PREVIEW_API_VERSION } from "./constants.js";
import { checkBoolean, checkInteger, checkIpAddressOrCidr, checkString } from "./validation.js";
import type { PreparedImage } from "./verifyImage.js";

const textEncoder = new TextEncoder();

const PREVIEW_CREATE_FIELDS = [
  "numberOfClientAttemptsAllowed",
  "userCorrelationId",
  "userCorrelationIdSetInClient",
  "expectedClientIpAddress",
] as const;
const LIVENESS_ONLY_FIELDS = ["userCorrelationId", "userCorrelationIdSetInClient", "expectedClientIpAddress"] as const;

/** Checks create content for the operation and API version; throws before anything is sent. */
export function validateCreateContent(
  content: CreateLivenessSessionContent,
  apiVersion: FaceApiVersion,
  operation: "createLivenessSession" | "createLivenessWithVerifySession",
): void {
  const fields = content as unknown as Record<string, unknown>;
  if (operation === "createLivenessWithVerifySession") {
    for (const name of LIVENESS_ONLY_FIELDS) {
      if (fields[name] != null) {
        throw new TypeError(
          `${name} is not accepted by createLivenessWithVerifySession: the service takes it only when creating a liveness session.`,
        );
      }
    }
  }
  for (const name of PREVIEW_CREATE_FIELDS) {
    if (fields[name] != null) requireVersion(apiVersion, PREVIEW_API_VERSION, name);
  }
  checkString("livenessOperationMode", content.livenessOperationMode, true);
  checkBoolean("deviceCorrelationIdSetInClient", content.deviceCorrelationIdSetInClient);
  checkBoolean("enableSessionImage", content.enableSessionImage);
  checkString("livenessModelVersion", content.livenessModelVersion);
  checkString("deviceCorrelationId", content.deviceCorrelationId);
  checkInteger("authTokenTimeToLiveInSeconds", content.authTokenTimeToLiveInSeconds, 60, 86400, "the service documents 60 to 86400 seconds");
  if (content.deviceCorrelationIdSetInClient === true && content.deviceCorrelationId != null) {
    throw new TypeError(
      "deviceCorrelationId must be left out when deviceCorrelationIdSetInClient is true: the service documents that the front end supplies it then.",
    );
  }
  // The spec says 1 to 3; the live service accepted 0 in every recorded create, so only the
  // documented upper bound is checked.
  checkInteger(
    "numberOfClientAttemptsAllowed",
    content.numberOfClientAttemptsAllowed,
    0,
    3,
    "the service documents at most 3, and accepted 0 in recorded traffic",
  );
  checkBoolean("userCorrelationIdSetInClient", content.userCorrelationIdSetInClient);
  checkString("userCorrelationId", content.userCorrelationId);
  if (content.userCorrelationIdSetInClient === true && content.userCorrelationId != null) {
    throw new TypeError(
      "userCorrelationId must be left out when userCorrelationIdSetInClient is true: the service documents that the front end supplies it then.",
    );
  }
  checkIpAddressOrCidr("expectedClientIpAddress", content.expectedClientIpAddress);
}

/** Throws a `TypeError` naming the API version a feature needs when the client uses another. */
export function requireVersion(apiVersion: FaceApiVersion, needed: FaceApiVersion, feature: string): void {
  if (apiVersion !== needed) {
    throw new TypeError(
      `${feature} needs apiVersion "${needed}"; this client uses "${apiVersion}". Create the client with { apiVersion: "${needed}" } to use it.`,
    );
  }
}

/** The JSON create body: the fields that are set, in the service's order. */
export function createBody(content: CreateLivenessSessionContent): Record<string, unknown> {
  // "passive" (the casing of some tutorials) is sent as the service's "Passive".
  const body: Record<string, unknown> = {
    livenessOperationMode: toKnownCase(content.livenessOperationMode, KnownLivenessOperationMode),
  };
  const optional: (keyof CreateLivenessSessionContent)[] = [
    "deviceCorrelationIdSetInClient",
    "enableSessionImage",
    "livenessModelVersion",
    "deviceCorrelationId",
    "authTokenTimeToLiveInSeconds",
    ...PREVIEW_CREATE_FIELDS,
  ];
  for (const key of optional) {
    if (content[key] != null) body[key] = content[key];
  }
  return body;
}

function textPart(name: string, value: string | number | boolean): BodyPart {
  return {
    headers: createHttpHeaders({ "Content-Disposition": `form-data; name="${name}"` }),
    body: textEncoder.encode(String(value)),
  };
}

/** The multipart parts of a with-verify create: one text part per field set, then the image. */
export function withVerifyParts(content: CreateLivenessWithVerifySessionContent, image: PreparedImage): BodyPart[] {
  const parts: BodyPart[] = [];
  const fields = {
    ...createBody(content),
    verifyConfidenceThreshold: content.verifyConfidenceThreshold,
    returnVerifyImageHash: content.returnVerifyImageHash,
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value != null) parts.push(textPart(name, value as string | number | boolean));
  }
  parts.push({
    headers: createHttpHeaders({
      "Content-Disposition": `form-data; name="verifyImage"; filename="${image.filename}"`,
      "Content-Type": image.contentType,
    }),
    body: image.body,
  });
  return parts;
}
