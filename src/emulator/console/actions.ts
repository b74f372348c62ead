import type { EmulatorContext } from "../context.js";
import type { FaceLivenessEmulator } from "../core.js";
import type { DeviceAttemptInput } from "../attempts.js";
import type { EmulatorFault } from "../faults.js";
import { readImageSize, referenceFaceRectangle } from "../images.js";
import { badArgument, sessionNotFound } from "../responses.js";
import type { SessionRecord } from "../store.js";

/**
 * What the person at the console can do: play the end user's device for a session (start an
 * attempt, finish it, optionally with a camera picture as the session image) and queue faults.
 * Every input is checked here; the emulator's own rules (attempt limits, token expiry) then apply
 * exactly as for the device stand-in endpoint.
 */

/** Largest camera picture accepted as a session image. */
export const MAX_CAMERA_IMAGE_BYTES = 2 * 1024 * 1024;
/** Largest side of a camera picture, in pixels. */
export const MAX_CAMERA_IMAGE_SIDE = 4096;
/** Most requests one fault from the console applies to. */
export const MAX_CONSOLE_FAULT_COUNT = 1000;
/** Longest delay fault from the console, in milliseconds. */
export const MAX_CONSOLE_DELAY_MS = 120_000;

const OUTCOMES = ["realface", "spoofface", "uncertain", "error"] as const;
const ERROR_CODE = /^[A-Z][A-Za-z0-9]{0,63}$/;
const FAULT_PATHS = ["/detectLiveness-sessions", "/detectLivenessWithVerify-sessions", "/sessionImages", "/detect", "/settings"];
const FAULT_METHODS = ["GET", "POST", "PATCH", "DELETE"];

function fieldsOf(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw badArgument(`Unknown field '${key}'.`);
}

function integer(body: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badArgument(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** The stored session `sessionId` of either kind, or 404 `SessionNotFound`. */
export function findSession(ctx: EmulatorContext, sessionId: string): SessionRecord {
  const now = ctx.options.now();
  const lifetimeMs = ctx.options.sessionLifetimeSeconds * 1000;
  const record =
    ctx.store.find("detectLiveness", sessionId, now, lifetimeMs) ?? ctx.store.find("detectLivenessWithVerify", sessionId, now, lifetimeMs);
  if (record === undefined) throw sessionNotFound();
  return record;
}

function cameraImage(record: SessionRecord, value: unknown): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (!record.settings.enableSessionImage) {
    throw badArgument("sessionImage: the session was created without enableSessionImage, so its attempts keep no image.");
  }
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length > (MAX_CAMERA_IMAGE_BYTES * 4) / 3 + 4) {
    throw badArgument(`sessionImage must be a base64 JPEG or PNG of at most ${MAX_CAMERA_IMAGE_BYTES} bytes.`);
  }
  const bytes = new Uint8Array(Buffer.from(value, "base64"));
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50;
  const size = readImageSize(bytes);
  if (!(isJpeg || isPng) || size === undefined || size.width > MAX_CAMERA_IMAGE_SIDE || size.height > MAX_CAMERA_IMAGE_SIDE) {
    throw badArgument(`sessionImage must be a JPEG or PNG image of at most ${MAX_CAMERA_IMAGE_SIDE} pixels a side.`);
  }
  return bytes;
}

/**
 * Plays the device for `record` as the console asks (`{ stage: "start" }`, or `{ stage:
 * "complete", outcome, errorCode?, matchConfidence?, sessionImage? }`); throws the same
 * `EmulatorHttpError`s as the device stand-in endpoint, and 400 for bad console input.
 */
export function playAttempt(emulator: FaceLivenessEmulator, ctx: EmulatorContext, record: SessionRecord, body: Record<string, unknown>): void {
  fieldsOf(body, ["stage", "outcome", "errorCode", "matchConfidence", "sessionImage"]);
  if (body.stage === "start") {
    emulator.simulateDevice(record.authToken, { stage: "start" });
    return;
  }
  if (body.stage !== "complete") throw badArgument("stage must be 'start' or 'complete'.");
  const outcome = body.outcome;
  if (!(OUTCOMES as readonly unknown[]).includes(outcome)) throw badArgument(`outcome must be one of ${OUTCOMES.join(", ")}.`);
  const input: DeviceAttemptInput = { stage: "complete" };
  if (outcome === "error") {
    if (typeof body.errorCode !== "string" || !ERROR_CODE.test(body.errorCode)) {
      throw badArgument("errorCode must be a PascalCase error code such as FaceWithMaskDetected.");
    }
    input.outcome = body.errorCode;
  } else {
    input.outcome = outcome as string;
  }
  if (body.matchConfidence !== undefined && body.matchConfidence !== null) {
    if (record.verify === undefined) throw badArgument("matchConfidence applies to liveness-with-verify sessions only.");
    if (typeof body.matchConfidence !== "number" || !(body.matchConfidence >= 0 && body.matchConfidence <= 1)) {
      throw badArgument("matchConfidence must be a number from 0 to 1.");
    }
    input.matchConfidence = body.matchConfidence;
  }
  const picture = outcome === "error" ? undefined : cameraImage(record, body.sessionImage);
  if (picture !== undefined) input.faceRectangle = referenceFaceRectangle(picture);
  emulator.simulateDevice(record.authToken, input);
  const imageId = record.attempts.at(-1)?.result?.sessionImageId;
  if (picture !== undefined && imageId !== undefined) {
    ctx.store.addImage(imageId, { bytes: picture, faceRectangle: input.faceRectangle! });
  }
}

/** The fault the console asks for (`kind`, `status`, `retryAfterSeconds`, `ms`, `count`, `method`, `path`). */
export function parseFault(body: Record<string, unknown>): EmulatorFault {
  fieldsOf(body, ["kind", "status", "retryAfterSeconds", "ms", "count", "method", "path"]);
  const count = integer(body, "count", 1, MAX_CONSOLE_FAULT_COUNT) ?? 1;
  const filter: { count: number; method?: string; path?: string } = { count };
  if (body.method !== undefined && body.method !== "") {
    if (!FAULT_METHODS.includes(body.method as string)) throw badArgument(`method must be one of ${FAULT_METHODS.join(", ")}, or absent for any.`);
    filter.method = body.method as string;
  }
  if (body.path !== undefined && body.path !== "") {
    if (!FAULT_PATHS.includes(body.path as string)) throw badArgument(`path must be one of ${FAULT_PATHS.join(", ")}, or absent for any.`);
    filter.path = body.path as string;
  }
  switch (body.kind) {
    case "status": {
      const status = integer(body, "status", 400, 599);
      if (status === undefined) throw badArgument("status is required: an HTTP error status from 400 to 599.");
      const retryAfterSeconds = integer(body, "retryAfterSeconds", 0, 3600);
      return { kind: "status", status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}), ...filter };
    }
    case "delay":
      return { kind: "delay", ms: integer(body, "ms", 0, MAX_CONSOLE_DELAY_MS) ?? 1000, ...filter };
    case "drop":
      return { kind: "drop", ...filter };
    default:
      throw badArgument("kind must be 'status', 'delay' or 'drop'.");
  }
}
