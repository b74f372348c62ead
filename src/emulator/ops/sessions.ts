import { readBody, readJsonObject, mediaType } from "../body.js";
import type { EmulatorContext } from "../context.js";
import { imageFormatOf, referenceFaceRectangle } from "../images.js";
import { multipartBoundary, parseMultipart, type MultipartPart } from "../multipart.js";
import { DEFAULT_VERIFY_CONFIDENCE_THRESHOLD } from "../options.js";
import {
  EmulatorHttpError,
  badArgument,
  invalidMediaType,
  jsonResponse,
  sessionNotFound,
} from "../responses.js";
import type { EmulatorApiVersion } from "../apiVersions.js";
import { FieldParser, parseSessionSettings } from "../createFields.js";
import type { OperationCall } from "../router.js";
import type { SessionKind, SessionRecord, SessionSettings, VerifySettings } from "../store.js";
import { newSessionId, newSessionToken, upperHexSha256 } from "../wire/identifiers.js";
import { toWireSession } from "../wire/toWireSession.js";

/**
 * Session operations: create (JSON or multipart), get and delete, for both session kinds and
 * both API versions (the request's version decides the accepted and returned fields).
 */

/** Largest verify image accepted: 6 MB, the documented Face image limit. */
export const MAX_VERIFY_IMAGE_BYTES = 6 * 1024 * 1024;

function createRecord(
  ctx: EmulatorContext,
  version: EmulatorApiVersion,
  kind: SessionKind,
  settings: SessionSettings,
  verify?: VerifySettings,
): SessionRecord {
  const now = ctx.options.now();
  const sessionId = newSessionId();
  const record: SessionRecord = {
    kind,
    sessionId,
    authToken: newSessionToken(sessionId, now, settings.authTokenTimeToLiveInSeconds),
    createdAt: now,
    tokenExpiresAt: now + settings.authTokenTimeToLiveInSeconds * 1000,
    settings,
    ...(verify !== undefined ? { verify } : {}),
    attempts: [],
    apiVersion: version,
    isAbuseMonitoringEnabled: ctx.resource.abuseMonitoringEnabled,
    abuseFlagged: false,
  };
  ctx.store.add(record);
  return record;
}

/** `POST /detectLiveness-sessions`: JSON `CreateLivenessSessionContent` → 200 `LivenessSession`. */
export async function createLivenessSession({ ctx, request, version }: OperationCall): Promise<Response> {
  const body = await readJsonObject(request, ctx.options.maxRequestBodyBytes);
  const settings = parseSessionSettings(new FieldParser((name) => body[name], false), {
    version,
    form: false,
    v12AttemptsAllowed: ctx.options.clientAttemptsAllowed,
  });
  return jsonResponse(200, toWireSession(ctx, createRecord(ctx, version, "detectLiveness", settings), version, "create"));
}

/**
 * The form parts by name, matched in any letter case: Microsoft's own v1.2 samples name the
 * image part `VerifyImage`, the documentation `verifyImage`.
 */
function indexParts(parts: MultipartPart[]): Map<string, MultipartPart> {
  const byName = new Map<string, MultipartPart>();
  for (const part of parts) {
    const key = part.name.toLowerCase();
    if (byName.has(key)) throw badArgument(`The form part '${part.name}' appears more than once.`);
    byName.set(key, part);
  }
  return byName;
}

function checkVerifyImage(part: MultipartPart | undefined): Uint8Array {
  if (part === undefined) {
    throw badArgument("verifyImage is required: send the reference face image as a form part named 'verifyImage'.");
  }
  if (part.data.byteLength === 0) throw new EmulatorHttpError(400, "InvalidImageSize", "Image size is too small.");
  if (part.data.byteLength > MAX_VERIFY_IMAGE_BYTES) {
    throw new EmulatorHttpError(400, "InvalidImageSize", "Image size is too big.");
  }
  if (imageFormatOf(part.data) === undefined) {
    throw new EmulatorHttpError(
      400,
      "InvalidImage",
      "Decoding error, image format unsupported. The verify image must be a JPEG, PNG, GIF, BMP or WEBP image.",
    );
  }
  return part.data;
}

/**
 * The JSON object of a `Parameters` part: the preview-era form Microsoft's liveness tutorial still
 * sends to v1.2 (`Parameters` = the create fields as JSON text, plus `VerifyImage`). `{}` without one.
 */
function parametersPart(parts: Map<string, MultipartPart>): Record<string, unknown> {
  const part = parts.get("parameters");
  if (part === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(part.data));
  } catch {
    throw badArgument("The Parameters part must hold a JSON object of the create fields.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badArgument("The Parameters part must hold a JSON object of the create fields.");
  }
  return value as Record<string, unknown>;
}

/**
 * `POST /detectLivenessWithVerify-sessions`: `multipart/form-data` with one part per field (or a
 * JSON `Parameters` part) and a `verifyImage` part → 200 `LivenessWithVerifySession`. A field
 * sent both ways is read from its own part.
 */
export async function createLivenessWithVerifySession({ ctx, request, version }: OperationCall): Promise<Response> {
  if (mediaType(request) !== "multipart/form-data") throw invalidMediaType();
  const boundary = multipartBoundary(request.headers.get("content-type") ?? "");
  if (boundary === undefined) throw badArgument("The multipart/form-data Content-Type must have a boundary parameter.");
  const parts = indexParts(parseMultipart(await readBody(request, ctx.options.maxRequestBodyBytes), boundary));
  const decoder = new TextDecoder();
  const parameters = parametersPart(parts);
  const fields = new FieldParser((name) => {
    const key = name.toLowerCase();
    const part = parts.get(key);
    if (key === "verifyimage") return undefined;
    return part !== undefined ? decoder.decode(part.data) : parameters[name];
  }, true);
  const settings = parseSessionSettings(fields, { version, form: true, v12AttemptsAllowed: ctx.options.clientAttemptsAllowed });
  const threshold = fields.number("verifyConfidenceThreshold", 0, 1, false) ?? DEFAULT_VERIFY_CONFIDENCE_THRESHOLD;
  const returnVerifyImageHash = fields.boolean("returnVerifyImageHash") ?? false;
  const image = checkVerifyImage(parts.get("verifyimage"));
  const verify: VerifySettings = {
    imageHash: upperHexSha256(image),
    threshold,
    returnVerifyImageHash,
    reference: { referenceType: "image", faceRectangle: referenceFaceRectangle(image), qualityForRecognition: "high" },
    image: image.slice(),
  };
  const record = createRecord(ctx, version, "detectLivenessWithVerify", settings, verify);
  return jsonResponse(200, toWireSession(ctx, record, version, "create"));
}

function findOrThrow(ctx: EmulatorContext, kind: SessionKind, sessionId: string): SessionRecord {
  const lifetimeMs = ctx.options.sessionLifetimeSeconds * 1000;
  const record = ctx.store.find(kind, sessionId, ctx.options.now(), lifetimeMs);
  if (record === undefined) throw sessionNotFound();
  return record;
}

/** `GET /{kind}-sessions/{sessionId}` → 200 session in the request's version, or 404 `SessionNotFound`. */
export function getSession({ ctx, params, version }: OperationCall, kind: SessionKind): Response {
  return jsonResponse(200, toWireSession(ctx, findOrThrow(ctx, kind, params[0]!), version, "read"));
}

/** `DELETE /{kind}-sessions/{sessionId}` → 204 with `content-length: 0` (the token is revoked), or 404 `SessionNotFound`. */
export function deleteSession({ ctx, params }: OperationCall, kind: SessionKind): Response {
  ctx.store.remove(findOrThrow(ctx, kind, params[0]!), { reason: "deleted", at: ctx.options.now() });
  return new Response(null, { status: 204, headers: { "content-length": "0" } });
}
