import type {
  CreateLivenessSessionContent,
  CreateLivenessWithVerifySessionContent,
  DetectFromSessionImageOptions,
  FaceSessionClient,
  LivenessSettingsUpdate,
} from "../../src/index.js";
import { JPEG } from "../utils/images.js";
import type { RecordedExchange, RecordedOperation, RecordedRequest } from "./recordings.js";

/**
 * How each recorded operation is replayed through the client: the client method that makes the
 * recorded request, with arguments taken from that request.
 */

/** The operations this client models (everything but `other:*`). */
export type ClientOperation = Exclude<RecordedOperation, `other:${string}`>;

/** Whether the client has a method for a recorded operation. */
export function isClientOperation(operation: RecordedOperation): operation is ClientOperation {
  return !operation.startsWith("other:");
}

/** The last path segment of a recorded request: the session or session image id. */
export function idOf(request: RecordedRequest): string {
  return decodeURIComponent(request.path.slice(request.path.lastIndexOf("/") + 1));
}

/** Used where a recording kept only the name of a part, not its value. */
const STAND_IN_DEVICE_ID = "9f05b079-ced6-6374-e65a-71fd9379bda2";
const BOOLEAN_FIELDS = new Set(["deviceCorrelationIdSetInClient", "enableSessionImage", "returnVerifyImageHash", "userCorrelationIdSetInClient"]);
const NUMBER_FIELDS = new Set(["authTokenTimeToLiveInSeconds", "numberOfClientAttemptsAllowed", "verifyConfidenceThreshold"]);

function formValue(name: string, text: string): unknown {
  if (BOOLEAN_FIELDS.has(name)) return text.toLowerCase() === "true";
  if (NUMBER_FIELDS.has(name)) return Number(text);
  return text;
}

/** The text fields of a recorded multipart request, by their camelCase content names. */
function formFields(request: RecordedRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const add = (rawName: string, value: string | undefined) => {
    const name = rawName.charAt(0).toLowerCase() + rawName.slice(1);
    if (name === "verifyImage") return;
    fields[name] = value === undefined ? (name === "deviceCorrelationId" ? STAND_IN_DEVICE_ID : undefined) : formValue(name, value);
  };
  for (const part of request.multipart ?? []) {
    if (part.filename === undefined && part.bytesBase64 === undefined) add(part.name, part.value);
  }
  for (const line of request.multipartSummary ?? []) {
    const match = /^(\w+)(?:=(.*))?$/.exec(line);
    if (match !== null) add(match[1], match[2]);
  }
  return fields;
}

/** The verify image of a recorded request: its bytes when the recording kept them whole, else a JPEG. */
function verifyImageOf(request: RecordedRequest): Uint8Array {
  const part = request.multipart?.find((p) => p.name.toLowerCase() === "verifyimage");
  if (part?.bytesBase64 !== undefined && part.bytesNote === undefined) return Buffer.from(part.bytesBase64, "base64");
  return JPEG;
}

function detectOptionsOf(request: RecordedRequest): DetectFromSessionImageOptions {
  const options: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(request.query ?? {})) {
    if (name === "returnFaceAttributes") options[name] = text.split(",").filter((a) => a !== "");
    else if (name === "faceIdTimeToLive") options[name] = Number(text);
    else if (/^return/.test(name)) options[name] = text.toLowerCase() === "true";
    else options[name] = text;
  }
  return options as DetectFromSessionImageOptions;
}

type Call = (client: FaceSessionClient, request: RecordedRequest) => Promise<unknown>;

/** The client call for each modelled operation. */
export const CLIENT_CALLS: Readonly<Record<ClientOperation, Call>> = {
  createLivenessSession: (client, request) =>
    client.createLivenessSession(request.body as CreateLivenessSessionContent),
  getLivenessSessionResult: (client, request) => client.getLivenessSessionResult(idOf(request)),
  deleteLivenessSession: (client, request) => client.deleteLivenessSession(idOf(request)),
  createLivenessWithVerifySession: (client, request) =>
    client.createLivenessWithVerifySession({
      ...(formFields(request) as Omit<CreateLivenessWithVerifySessionContent, "verifyImage">),
      verifyImage: verifyImageOf(request),
    }),
  getLivenessWithVerifySessionResult: (client, request) => client.getLivenessWithVerifySessionResult(idOf(request)),
  deleteLivenessWithVerifySession: (client, request) => client.deleteLivenessWithVerifySession(idOf(request)),
  getSessionImage: (client, request) => client.getSessionImage(idOf(request)),
  detectFromSessionImage: (client, request) =>
    client.detectFromSessionImage((request.body as { sessionImageId: string }).sessionImageId, detectOptionsOf(request)),
  getSettings: (client) => client.getSettings(),
  updateSettings: (client, request) => client.updateSettings(request.body as LivenessSettingsUpdate),
  getClientAssetsAccessToken: (client) => client.getClientAssetsAccessToken(),
};

/** Replays one exchange's request through the matching client method. */
export function callFor(client: FaceSessionClient, exchange: RecordedExchange & { operation: ClientOperation }): Promise<unknown> {
  return CLIENT_CALLS[exchange.operation](client, exchange.request);
}
