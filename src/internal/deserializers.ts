import { RestError } from "@azure/core-rest-pipeline";
import type { FaceAttributes, FaceDetectionResult, FaceLandmarks, LandmarkCoordinate } from "../models/detection.js";
import type {
  AbuseMonitoringResult,
  ClientAssetsAccessToken,
  ClientInformation,
  FaceRectangle,
  LivenessAttemptInProgress,
  LivenessAttemptWithError,
  LivenessAttemptWithResult,
  LivenessColorDecisionTarget,
  LivenessSettings,
  LivenessDecisionTargets,
  LivenessError,
  LivenessResult,
  LivenessSession,
  LivenessSessionAttempt,
  LivenessSessionReference,
  LivenessWithVerifyOutputs,
  LivenessWithVerifyReference,
  LivenessWithVerifyResult,
  LivenessWithVerifySession,
  LivenessWithVerifySessionAttempt,
} from "../models/session.js";
import { createRedactor, redactAuthToken } from "./redaction.js";

const redactAccessTokens = createRedactor(["accessToken", "base64AccessToken"]);

/**
 * One small deserializer per wire model, all following one reading rule (the tolerant reader).
 *
 * The service does not always send what its spec marks required: recorded live traffic has
 * with-verify reads without `verifyReferences[].referenceType`, reads with `authToken: ""`, no
 * `modelVersion` until an attempt has finished, and `Running` sessions with `attempts: []`. A
 * real response must not fail to parse for that, so:
 *
 * 1. Identity and decision fields, the ones an application cannot act without, are required; a
 *    response where one is absent or `null` fails with `PARSE_ERROR` naming the field:
 *    - session: `sessionId`, `status`, and in a create response a non-empty `authToken`;
 *    - attempt: `attemptId`, `attemptStatus`;
 *    - another session flagged by abuse monitoring: its `sessionId` and `attemptId`;
 *    - settings: `livenessAbuseMonitoring.enabled`;
 *    - client-assets token: `accessToken`, `base64AccessToken`.
 * 2. Every other field is optional. Absent and `null` both mean "not reported": the field is
 *    left out of the result (never set to `undefined` or `null`). Lists the model always has
 *    (`results.attempts`, `results.verifyReferences`, `otherFlaggedSessions`) read as empty, and
 *    a missing `results` as no attempts. `authToken` outside a create response reads as `""`,
 *    which is what the service sends there.
 * 3. A face rectangle and a landmark point are one value each: reported only when all their
 *    numbers are present, otherwise the field holding them is left out.
 * 4. A field that is present with the wrong type fails with `PARSE_ERROR` naming its path, never
 *    its value: a wrong type means the response is not what this client understands.
 * 5. Fields the client does not know are dropped; unknown enum values pass through unchanged.
 */

type Json = Record<string, unknown>;

/** Absent or `null`: both mean the service did not report the field. */
const absent = (value: unknown): value is undefined | null => value === undefined || value === null;

function kind(value: unknown): string {
  if (value === null) return "null";
  if (value === "") return "an empty string";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new RestError(`PARSE_ERROR: response field '${path}' must be ${expected} (got ${kind(value)}).`, {
    code: RestError.PARSE_ERROR,
  });
}

function object(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "an object", value);
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, "an array", value);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== "string") fail(path, "a string", value);
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(path, "a finite number", value);
  return value;
}

function integer(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) fail(path, "an integer", value);
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") fail(path, "a boolean", value);
  return value;
}

/** Copies defined entries only, so absent optional fields stay absent. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function list<T>(value: unknown, path: string, read: (v: unknown, p: string) => T): T[] {
  const items = array(value, path);
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = read(items[i], `${path}[${i}]`);
  return out;
}

/*
 * Field readers for the hot path (session results are read on every poll): `o[key]` is checked
 * in place and the path string is only built when a check fails.
 */

const at = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/** A required (identity or decision) string field. */
function stringField(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string") fail(at(path, key), "a string", v);
  return v;
}

/** A required (identity or decision) integer field. */
function integerField(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v)) fail(at(path, key), "an integer", v);
  return v;
}

/** Reads an optional `o[key]` with `read`; `undefined` when absent or `null`. */
function optionalField<T>(o: Json, key: string, path: string, read: (v: unknown, p: string) => T): T | undefined {
  const v = o[key];
  return absent(v) ? undefined : read(v, at(path, key));
}

/** Copies an optional `o[key]` to `out[key]` when present, checking its type. */
function copyOptional(out: Json, o: Json, key: string, path: string, type: "string" | "boolean"): void {
  const v = o[key];
  if (absent(v)) return;
  if (typeof v !== type) fail(at(path, key), type === "string" ? "a string" : "a boolean", v);
  out[key] = v;
}

/** Sets `out[key]` to an optional `o[key]` read with `read`, when present (and readable as a whole). */
function readOptional(out: Json, o: Json, key: string, path: string, read: (v: unknown, p: string) => unknown): void {
  const value = optionalField(o, key, path, read);
  if (value !== undefined) out[key] = value;
}

/** A list the model always has: empty when absent or `null`. */
function listField<T>(o: Json, key: string, path: string, read: (v: unknown, p: string) => T): T[] {
  const v = o[key];
  return absent(v) ? [] : list(v, at(path, key), read);
}

/** A face rectangle; `undefined` when one of its four numbers is absent. */
function readRectangle(value: unknown, path: string): FaceRectangle | undefined {
  const o = object(value, path);
  const top = optionalField(o, "top", path, integer);
  const left = optionalField(o, "left", path, integer);
  const width = optionalField(o, "width", path, integer);
  const height = optionalField(o, "height", path, integer);
  if (top === undefined || left === undefined || width === undefined || height === undefined) return undefined;
  return { top, left, width, height };
}

function readColorTarget(value: unknown, path: string): LivenessColorDecisionTarget {
  const out: Json = {};
  readOptional(out, object(value, path), "faceRectangle", path, readRectangle);
  return out as LivenessColorDecisionTarget;
}

function readTargets(value: unknown, path: string): LivenessDecisionTargets {
  const out: Json = {};
  readOptional(out, object(value, path), "color", path, readColorTarget);
  return out as LivenessDecisionTargets;
}

function deserializeLivenessError(value: unknown, path: string): LivenessError {
  const o = object(value, path);
  const out: Json = {};
  copyOptional(out, o, "code", path, "string");
  copyOptional(out, o, "message", path, "string");
  readOptional(out, o, "targets", path, readTargets);
  return out as LivenessError;
}

function readLivenessResultInto(out: Json, o: Json, path: string): void {
  copyOptional(out, o, "livenessDecision", path, "string");
  readOptional(out, o, "targets", path, readTargets);
  copyOptional(out, o, "digest", path, "string");
  copyOptional(out, o, "sessionImageId", path, "string");
}

function deserializeLivenessResult(value: unknown, path: string): LivenessResult {
  const out: Json = {};
  readLivenessResultInto(out, object(value, path), path);
  return out as LivenessResult;
}

function readVerifyOutputs(value: unknown, path: string): LivenessWithVerifyOutputs {
  const o = object(value, path);
  return compact({
    matchConfidence: optionalField(o, "matchConfidence", path, number),
    isIdentical: optionalField(o, "isIdentical", path, boolean),
  });
}

function deserializeLivenessWithVerifyResult(value: unknown, path: string): LivenessWithVerifyResult {
  const o = object(value, path);
  const out: Json = {};
  readLivenessResultInto(out, o, path);
  readOptional(out, o, "verifyResult", path, readVerifyOutputs);
  copyOptional(out, o, "verifyImageHash", path, "string");
  return out as LivenessWithVerifyResult;
}

function deserializeClientInformation(value: unknown, path: string): ClientInformation {
  const out: Json = {};
  copyOptional(out, object(value, path), "ip", path, "string");
  return out as ClientInformation;
}

function deserializeFlaggedSession(value: unknown, path: string): LivenessSessionReference {
  const s = object(value, path);
  const out: Json = { attemptId: integerField(s, "attemptId", path), sessionId: stringField(s, "sessionId", path) };
  copyOptional(out, s, "sessionImageId", path, "string");
  return out as unknown as LivenessSessionReference;
}

function deserializeAbuseMonitoring(value: unknown, path: string): AbuseMonitoringResult {
  const o = object(value, path);
  const out: Json = {};
  copyOptional(out, o, "isAbuseDetected", path, "boolean");
  out.otherFlaggedSessions = listField(o, "otherFlaggedSessions", path, deserializeFlaggedSession);
  return out as unknown as AbuseMonitoringResult;
}

function attemptReader<TResult extends LivenessResult>(readResult: (v: unknown, p: string) => TResult) {
  return (value: unknown, path: string) => {
    const o = object(value, path);
    const out: Json = { attemptId: integerField(o, "attemptId", path), attemptStatus: stringField(o, "attemptStatus", path) };
    readOptional(out, o, "clientInformation", path, (v, p) => list(v, p, deserializeClientInformation));
    readOptional(out, o, "abuseMonitoringResult", path, deserializeAbuseMonitoring);
    if (!absent(o.result)) out.result = readResult(o.result, at(path, "result"));
    else readOptional(out, o, "error", path, deserializeLivenessError);
    return out as unknown as LivenessAttemptWithResult<TResult> | LivenessAttemptWithError | LivenessAttemptInProgress;
  };
}

const readLivenessAttempt: (v: unknown, p: string) => LivenessSessionAttempt = attemptReader(deserializeLivenessResult);
const readWithVerifyAttempt: (v: unknown, p: string) => LivenessWithVerifySessionAttempt =
  attemptReader(deserializeLivenessWithVerifyResult);

function deserializeReference(value: unknown, path: string): LivenessWithVerifyReference {
  const o = object(value, path);
  const out: Json = {};
  copyOptional(out, o, "referenceType", path, "string");
  readOptional(out, o, "faceRectangle", path, readRectangle);
  copyOptional(out, o, "qualityForRecognition", path, "string");
  return out as LivenessWithVerifyReference;
}

/**
 * Which response a session body is: the create response is the only one that carries the
 * `authToken`, so there it is required; every later read carries `""`.
 */
export type SessionResponseKind = "create" | "read";

function readAuthToken(o: Json, from: SessionResponseKind): string {
  const v = o.authToken;
  if (from === "create") {
    if (typeof v !== "string" || v === "") fail("authToken", "a non-empty string", v);
    return v;
  }
  return absent(v) ? "" : string(v, "authToken");
}

function readSessionHeader(o: Json, from: SessionResponseKind): Json {
  const out: Json = {
    sessionId: stringField(o, "sessionId", ""),
    authToken: readAuthToken(o, from),
    status: stringField(o, "status", ""),
  };
  copyOptional(out, o, "modelVersion", "", "string");
  copyOptional(out, o, "isAbuseMonitoringEnabled", "", "boolean");
  copyOptional(out, o, "expectedClientIpAddress", "", "string");
  return out;
}

/** `results` of a session body; a missing one reads as no attempts. */
function resultsOf(o: Json): Json {
  return absent(o.results) ? {} : object(o.results, "results");
}

/** Deserializes a `LivenessSession` body (`from`: the create response, or a later read). */
export function deserializeLivenessSession(body: unknown, from: SessionResponseKind = "read"): LivenessSession {
  const o = object(body, "(body)");
  const session = readSessionHeader(o, from);
  session.results = { attempts: listField(resultsOf(o), "attempts", "results", readLivenessAttempt) };
  return redactAuthToken(session as unknown as LivenessSession);
}

/** Deserializes a `LivenessWithVerifySession` body (`from`: the create response, or a later read). */
export function deserializeLivenessWithVerifySession(
  body: unknown,
  from: SessionResponseKind = "read",
): LivenessWithVerifySession {
  const o = object(body, "(body)");
  const session = readSessionHeader(o, from);
  const results = resultsOf(o);
  session.results = {
    verifyReferences: listField(results, "verifyReferences", "results", deserializeReference),
    attempts: listField(results, "attempts", "results", readWithVerifyAttempt),
  };
  return redactAuthToken(session as unknown as LivenessWithVerifySession);
}

const LANDMARKS = [
  "pupilLeft", "pupilRight", "noseTip", "mouthLeft", "mouthRight", "eyebrowLeftOuter", "eyebrowLeftInner",
  "eyeLeftOuter", "eyeLeftTop", "eyeLeftBottom", "eyeLeftInner", "eyebrowRightInner", "eyebrowRightOuter",
  "eyeRightInner", "eyeRightTop", "eyeRightBottom", "eyeRightOuter", "noseRootLeft", "noseRootRight",
  "noseLeftAlarTop", "noseRightAlarTop", "noseLeftAlarOutTip", "noseRightAlarOutTip", "upperLipTop",
  "upperLipBottom", "underLipTop", "underLipBottom",
] as const;

/** A landmark point; `undefined` when one of its coordinates is absent. */
function readPoint(value: unknown, path: string): LandmarkCoordinate | undefined {
  const o = object(value, path);
  const x = optionalField(o, "x", path, number);
  const y = optionalField(o, "y", path, number);
  return x === undefined || y === undefined ? undefined : { x, y };
}

function deserializeLandmarks(value: unknown, path: string): FaceLandmarks {
  const o = object(value, path);
  const out: Json = {};
  for (const name of LANDMARKS) readOptional(out, o, name, path, readPoint);
  return out as FaceLandmarks;
}

/** Reads an object whose fields are all optional, each with its own reader. */
function fieldsReader<T>(readers: Record<string, (v: unknown, p: string) => unknown>) {
  const keys = Object.keys(readers);
  return (value: unknown, path: string): T => {
    const o = object(value, path);
    const out: Json = {};
    for (const key of keys) readOptional(out, o, key, path, readers[key]);
    return out as T;
  };
}

const levelReader = (levelKey: string) => fieldsReader({ [levelKey]: string, value: number });

const readAttributes = fieldsReader<FaceAttributes>({
  age: number,
  smile: number,
  facialHair: fieldsReader({ moustache: number, beard: number, sideburns: number }),
  glasses: string,
  headPose: fieldsReader({ pitch: number, roll: number, yaw: number }),
  hair: fieldsReader({
    bald: number,
    invisible: boolean,
    hairColor: (v, p) => list(v, p, fieldsReader({ color: string, confidence: number })),
  }),
  occlusion: fieldsReader({ foreheadOccluded: boolean, eyeOccluded: boolean, mouthOccluded: boolean }),
  accessories: (v, p) => list(v, p, fieldsReader({ type: string, confidence: number })),
  blur: levelReader("blurLevel"),
  exposure: levelReader("exposureLevel"),
  noise: levelReader("noiseLevel"),
  mask: fieldsReader({ noseAndMouthCovered: boolean, type: string }),
  qualityForRecognition: string,
});

const readFace = fieldsReader<FaceDetectionResult>({
  faceId: string,
  recognitionModel: string,
  faceRectangle: readRectangle,
  faceLandmarks: deserializeLandmarks,
  faceAttributes: readAttributes,
});

/** Deserializes the `FaceDetectionResult[]` body of detect. */
export function deserializeFaceDetectionResults(body: unknown): FaceDetectionResult[] {
  return list(body, "(body)", readFace);
}

/** Deserializes the `Settings` body (v1.3-preview.1); `livenessAbuseMonitoring.enabled` is required. */
export function deserializeLivenessSettings(body: unknown): LivenessSettings {
  const o = object(body, "(body)");
  const monitoring = object(o.livenessAbuseMonitoring, "livenessAbuseMonitoring");
  return { livenessAbuseMonitoring: { enabled: boolean(monitoring.enabled, "livenessAbuseMonitoring.enabled") } };
}

function dateTime(value: unknown, path: string): Date {
  const text = string(value, path);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) fail(path, "a date-time", text);
  return date;
}

/**
 * Deserializes the `ClientAssetsAccessTokenResponse` body (v1.3-preview.1): both tokens required,
 * `expiry` optional; tokens redacted on inspect.
 */
export function deserializeClientAssetsAccessToken(body: unknown): ClientAssetsAccessToken {
  const o = object(body, "(body)");
  return redactAccessTokens(
    compact({
      expiry: optionalField(o, "expiry", "", dateTime),
      accessToken: string(o.accessToken, "accessToken"),
      base64AccessToken: string(o.base64AccessToken, "base64AccessToken"),
    }),
  );
}
