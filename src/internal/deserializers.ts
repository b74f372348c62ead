import { RestError } from "@azure/core-rest-pipeline";
import type {
  FaceDetectionResult,
  FaceAttributes,
  FaceLandmarks,
} from "../models/detection.js";
import type {
  AbuseMonitoringResult,
  ClientAssetsAccessToken,
  ClientInformation,
  FaceRectangle,
  LivenessAttemptInProgress,
  LivenessAttemptWithError,
  LivenessAttemptWithResult,
  LivenessSettings,
  LivenessDecisionTargets,
  LivenessError,
  LivenessResult,
  LivenessSession,
  LivenessSessionAttempt,
  LivenessWithVerifyReference,
  LivenessWithVerifyResult,
  LivenessWithVerifySession,
  LivenessWithVerifySessionAttempt,
} from "../models/session.js";
import { createRedactor, redactAuthToken } from "./redaction.js";

const redactAccessTokens = createRedactor(["accessToken", "base64AccessToken"]);

/**
 * One small deserializer per wire model. Each takes the parsed JSON, checks the types of the
 * fields it knows, drops fields it does not know, passes unknown enum values through, and throws
 * a `RestError` with code `PARSE_ERROR` naming the offending path (never the value) when a
 * required field is missing or has the wrong type. `null` counts as absent for optional fields.
 */

type Json = Record<string, unknown>;

function kind(value: unknown): string {
  if (value === null) return "null";
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

function optional<T>(value: unknown, path: string, read: (v: unknown, p: string) => T): T | undefined {
  return value === undefined || value === null ? undefined : read(value, path);
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

function stringField(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string") fail(at(path, key), "a string", v);
  return v;
}

function integerField(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v)) fail(at(path, key), "an integer", v);
  return v;
}

function objectField(o: Json, key: string, path: string): Json {
  const v = o[key];
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(at(path, key), "an object", v);
  return v as Json;
}

/** Copies `o[key]` to `out[key]` when present (not undefined or null), checking its type. */
function copyOptional(out: Json, o: Json, key: string, path: string, type: "string" | "boolean"): void {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (typeof v !== type) fail(at(path, key), type === "string" ? "a string" : "a boolean", v);
  out[key] = v;
}

function readRectangle(o: Json, path: string): FaceRectangle {
  return {
    top: integerField(o, "top", path),
    left: integerField(o, "left", path),
    width: integerField(o, "width", path),
    height: integerField(o, "height", path),
  };
}

export function deserializeFaceRectangle(value: unknown, path = "faceRectangle"): FaceRectangle {
  return readRectangle(object(value, path), path);
}

function readTargets(o: Json, path: string): LivenessDecisionTargets {
  const targetsPath = at(path, "targets");
  const color = objectField(objectField(o, "targets", path), "color", targetsPath);
  const colorPath = `${targetsPath}.color`;
  return { color: { faceRectangle: readRectangle(objectField(color, "faceRectangle", colorPath), `${colorPath}.faceRectangle`) } };
}

function deserializeLivenessError(value: unknown, path: string): LivenessError {
  const o = object(value, path);
  return { code: stringField(o, "code", path), message: stringField(o, "message", path), targets: readTargets(o, path) };
}

function readLivenessResultInto(out: Json, o: Json, path: string): void {
  copyOptional(out, o, "livenessDecision", path, "string");
  out.targets = readTargets(o, path);
  out.digest = stringField(o, "digest", path);
  copyOptional(out, o, "sessionImageId", path, "string");
}

function deserializeLivenessResult(value: unknown, path: string): LivenessResult {
  const o = object(value, path);
  const out: Json = {};
  readLivenessResultInto(out, o, path);
  return out as unknown as LivenessResult;
}

function deserializeLivenessWithVerifyResult(value: unknown, path: string): LivenessWithVerifyResult {
  const o = object(value, path);
  const out: Json = {};
  readLivenessResultInto(out, o, path);
  const verify = o.verifyResult;
  if (verify !== undefined && verify !== null) {
    const p = at(path, "verifyResult");
    const r = object(verify, p);
    out.verifyResult = { matchConfidence: number(r.matchConfidence, `${p}.matchConfidence`), isIdentical: boolean(r.isIdentical, `${p}.isIdentical`) };
  }
  copyOptional(out, o, "verifyImageHash", path, "string");
  return out as unknown as LivenessWithVerifyResult;
}

function deserializeClientInformation(value: unknown, path: string): ClientInformation {
  const o = object(value, path);
  return { ip: stringField(o, "ip", path) };
}

function deserializeAbuseMonitoring(value: unknown, path: string): AbuseMonitoringResult {
  const o = object(value, path);
  return {
    isAbuseDetected: boolean(o.isAbuseDetected, `${path}.isAbuseDetected`),
    otherFlaggedSessions: list(o.otherFlaggedSessions ?? [], `${path}.otherFlaggedSessions`, (v, p) => {
      const s = object(v, p);
      const out: Json = { attemptId: integerField(s, "attemptId", p), sessionId: stringField(s, "sessionId", p) };
      copyOptional(out, s, "sessionImageId", p, "string");
      return out as unknown as AbuseMonitoringResult["otherFlaggedSessions"][number];
    }),
  };
}

function attemptReader<TResult extends LivenessResult>(readResult: (v: unknown, p: string) => TResult) {
  return (value: unknown, path: string) => {
    const o = object(value, path);
    const out: Json = { attemptId: integerField(o, "attemptId", path), attemptStatus: stringField(o, "attemptStatus", path) };
    if (o.clientInformation !== undefined && o.clientInformation !== null) {
      out.clientInformation = list(o.clientInformation, at(path, "clientInformation"), deserializeClientInformation);
    }
    if (o.abuseMonitoringResult !== undefined && o.abuseMonitoringResult !== null) {
      out.abuseMonitoringResult = deserializeAbuseMonitoring(o.abuseMonitoringResult, at(path, "abuseMonitoringResult"));
    }
    if (o.result !== undefined && o.result !== null) out.result = readResult(o.result, at(path, "result"));
    else if (o.error !== undefined && o.error !== null) out.error = deserializeLivenessError(o.error, at(path, "error"));
    return out as unknown as LivenessAttemptWithResult<TResult> | LivenessAttemptWithError | LivenessAttemptInProgress;
  };
}

const readLivenessAttempt: (v: unknown, p: string) => LivenessSessionAttempt = attemptReader(deserializeLivenessResult);
const readWithVerifyAttempt: (v: unknown, p: string) => LivenessWithVerifySessionAttempt =
  attemptReader(deserializeLivenessWithVerifyResult);

function deserializeReference(value: unknown, path: string): LivenessWithVerifyReference {
  const o = object(value, path);
  return {
    referenceType: stringField(o, "referenceType", path),
    faceRectangle: readRectangle(objectField(o, "faceRectangle", path), at(path, "faceRectangle")),
    qualityForRecognition: stringField(o, "qualityForRecognition", path),
  };
}

function readSessionHeader(o: Json): Json {
  const out: Json = {
    sessionId: stringField(o, "sessionId", ""),
    authToken: stringField(o, "authToken", ""),
    status: stringField(o, "status", ""),
  };
  copyOptional(out, o, "modelVersion", "", "string");
  copyOptional(out, o, "isAbuseMonitoringEnabled", "", "boolean");
  copyOptional(out, o, "expectedClientIpAddress", "", "string");
  return out;
}

/** Deserializes a `LivenessSession` body. */
export function deserializeLivenessSession(body: unknown): LivenessSession {
  const o = object(body, "(body)");
  const session = readSessionHeader(o);
  const results = objectField(o, "results", "");
  session.results = { attempts: list(results.attempts, "results.attempts", readLivenessAttempt) };
  return redactAuthToken(session as unknown as LivenessSession);
}

/** Deserializes a `LivenessWithVerifySession` body. */
export function deserializeLivenessWithVerifySession(body: unknown): LivenessWithVerifySession {
  const o = object(body, "(body)");
  const session = readSessionHeader(o);
  const results = objectField(o, "results", "");
  session.results = {
    verifyReferences: list(results.verifyReferences ?? [], "results.verifyReferences", deserializeReference),
    attempts: list(results.attempts, "results.attempts", readWithVerifyAttempt),
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

function deserializeLandmarks(value: unknown, path: string): FaceLandmarks {
  const o = object(value, path);
  const out: Record<string, { x: number; y: number }> = {};
  for (const name of LANDMARKS) {
    const p = object(o[name], `${path}.${name}`);
    out[name] = { x: number(p.x, `${path}.${name}.x`), y: number(p.y, `${path}.${name}.y`) };
  }
  return out as unknown as FaceLandmarks;
}

function levelReader<K extends string>(levelKey: K) {
  return (value: unknown, path: string) => {
    const o = object(value, path);
    return { [levelKey]: string(o[levelKey], `${path}.${levelKey}`), value: number(o.value, `${path}.value`) } as {
      [P in K]: string;
    } & { value: number };
  };
}

function deserializeAttributes(value: unknown, path: string): FaceAttributes {
  const o = object(value, path);
  return compact({
    age: optional(o.age, `${path}.age`, number),
    smile: optional(o.smile, `${path}.smile`, number),
    facialHair: optional(o.facialHair, `${path}.facialHair`, (v, p) => {
      const f = object(v, p);
      return {
        moustache: number(f.moustache, `${p}.moustache`),
        beard: number(f.beard, `${p}.beard`),
        sideburns: number(f.sideburns, `${p}.sideburns`),
      };
    }),
    glasses: optional(o.glasses, `${path}.glasses`, string),
    headPose: optional(o.headPose, `${path}.headPose`, (v, p) => {
      const h = object(v, p);
      return { pitch: number(h.pitch, `${p}.pitch`), roll: number(h.roll, `${p}.roll`), yaw: number(h.yaw, `${p}.yaw`) };
    }),
    hair: optional(o.hair, `${path}.hair`, (v, p) => {
      const h = object(v, p);
      return {
        bald: number(h.bald, `${p}.bald`),
        invisible: boolean(h.invisible, `${p}.invisible`),
        hairColor: list(h.hairColor, `${p}.hairColor`, (c, cp) => {
          const hc = object(c, cp);
          return { color: string(hc.color, `${cp}.color`), confidence: number(hc.confidence, `${cp}.confidence`) };
        }),
      };
    }),
    occlusion: optional(o.occlusion, `${path}.occlusion`, (v, p) => {
      const c = object(v, p);
      return {
        foreheadOccluded: boolean(c.foreheadOccluded, `${p}.foreheadOccluded`),
        eyeOccluded: boolean(c.eyeOccluded, `${p}.eyeOccluded`),
        mouthOccluded: boolean(c.mouthOccluded, `${p}.mouthOccluded`),
      };
    }),
    accessories: optional(o.accessories, `${path}.accessories`, (v, p) =>
      list(v, p, (a, ap) => {
        const item = object(a, ap);
        return { type: string(item.type, `${ap}.type`), confidence: number(item.confidence, `${ap}.confidence`) };
      }),
    ),
    blur: optional(o.blur, `${path}.blur`, levelReader("blurLevel")),
    exposure: optional(o.exposure, `${path}.exposure`, levelReader("exposureLevel")),
    noise: optional(o.noise, `${path}.noise`, levelReader("noiseLevel")),
    mask: optional(o.mask, `${path}.mask`, (v, p) => {
      const m = object(v, p);
      return {
        noseAndMouthCovered: boolean(m.noseAndMouthCovered, `${p}.noseAndMouthCovered`),
        type: string(m.type, `${p}.type`),
      };
    }),
    qualityForRecognition: optional(o.qualityForRecognition, `${path}.qualityForRecognition`, string),
  });
}

function deserializeFace(value: unknown, path: string): FaceDetectionResult {
  const o = object(value, path);
  return compact({
    faceId: optional(o.faceId, `${path}.faceId`, string),
    recognitionModel: optional(o.recognitionModel, `${path}.recognitionModel`, string),
    faceRectangle: deserializeFaceRectangle(o.faceRectangle, `${path}.faceRectangle`),
    faceLandmarks: optional(o.faceLandmarks, `${path}.faceLandmarks`, deserializeLandmarks),
    faceAttributes: optional(o.faceAttributes, `${path}.faceAttributes`, deserializeAttributes),
  });
}

/** Deserializes the `FaceDetectionResult[]` body of detect. */
export function deserializeFaceDetectionResults(body: unknown): FaceDetectionResult[] {
  return list(body, "(body)", deserializeFace);
}

/** Deserializes the `Settings` body (v1.3-preview.1). */
export function deserializeLivenessSettings(body: unknown): LivenessSettings {
  const o = object(body, "(body)");
  const monitoring = object(o.livenessAbuseMonitoring, "livenessAbuseMonitoring");
  return { livenessAbuseMonitoring: { enabled: boolean(monitoring.enabled, "livenessAbuseMonitoring.enabled") } };
}

/** Deserializes the `ClientAssetsAccessTokenResponse` body (v1.3-preview.1); tokens redacted on inspect. */
export function deserializeClientAssetsAccessToken(body: unknown): ClientAssetsAccessToken {
  const o = object(body, "(body)");
  const expiryText = string(o.expiry, "expiry");
  const expiry = new Date(expiryText);
  if (Number.isNaN(expiry.getTime())) fail("expiry", "a date-time", expiryText);
  return redactAccessTokens(
    {
      expiry,
      accessToken: string(o.accessToken, "accessToken"),
      base64AccessToken: string(o.base64AccessToken, "base64AccessToken"),
    },
  );
}
