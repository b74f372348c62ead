import type { AbortSignalLike } from "@azure/abort-controller";
import { isRestError } from "@azure/core-rest-pipeline";
import type { FaceDetectionResult } from "../models/detection.js";
import type { DetectFromSessionImageOptions, FaceOperationOptions } from "../options.js";
import type { SessionImage } from "../sessionImage.js";
import { linkAbortSignals, raceAbort, throwIfAborted } from "../internal/abort.js";
import { buildDetectQuery } from "../internal/detectQuery.js";
import { checkBoolean, checkId } from "../internal/validation.js";
import type { SessionPollingOptions } from "../polling/options.js";
import { checkPollingOptions } from "../polling/sessionPolling.js";
import { checkPolicy, type LivenessWithVerifySessionPolicy } from "../results/summary.js";
import { logger } from "../logger.js";
import type { WaitForSessionResultOptions } from "../polling/options.js";
import type { AnyLivenessSession, SessionWaitOutcome } from "../polling/outcome.js";
import type { LivenessSessionSummary } from "../results/summary.js";
import type { FinalizeSessionOptions, FinalizeSessionResult } from "./options.js";

/** The client operations a finalize needs, bound to one session kind. */
export interface FinalizeOperations<TSession extends AnyLivenessSession, TSummary, TPolicy> {
  /** Reads the session (`get...SessionResult`). */
  get(sessionId: string, options: FaceOperationOptions): Promise<TSession>;
  /** Waits for the session (`waitFor...SessionResult`). */
  wait(sessionOrId: TSession | string, options: WaitForSessionResultOptions<TSession>): Promise<SessionWaitOutcome<TSession>>;
  /** Deletes the session (`delete...Session`). */
  delete(sessionId: string, options: FaceOperationOptions): Promise<unknown>;
  /** Downloads a session image. */
  getSessionImage(sessionImageId: string, options: FaceOperationOptions): Promise<SessionImage>;
  /** Detects faces on a session image. */
  detect(sessionImageId: string, options: DetectFromSessionImageOptions): Promise<FaceDetectionResult[]>;
  /** Summarizes the session under a policy. */
  summarize(session: TSession, policy?: TPolicy): TSummary;
}

interface Cleanup {
  deleted: boolean;
  error?: unknown;
}

function checkOptions(options: FinalizeSessionOptions<unknown, unknown>): void {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object.");
  checkBoolean("downloadSessionImage", options.downloadSessionImage);
  checkBoolean("keepSession", options.keepSession);
  for (const name of ["wait", "detectFaces", "policy"] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean" && (typeof value !== "object" || value === null)) {
      throw new TypeError(`${name} must be ${name === "policy" ? "an object" : "a boolean or an options object"}.`);
    }
  }
  // Every option is checked before the first request: a bad one must not cost the session.
  if (typeof options.wait === "object") checkPollingOptions(options.wait as SessionPollingOptions);
  if (options.policy !== undefined) checkPolicy(options.policy as LivenessWithVerifySessionPolicy);
  if (typeof options.detectFaces === "object") buildDetectQuery(options.detectFaces);
}

/** Reads the image bytes; on failure or abort the stream is destroyed so the socket is released. */
async function downloadImage(
  image: SessionImage,
  signal: AbortSignalLike | undefined,
): Promise<Uint8Array> {
  try {
    return await raceAbort(image.bytes(), signal);
  } catch (error) {
    (image.readableStreamBody as { destroy?: () => void }).destroy?.();
    throw error;
  }
}

/** Deletes the session; a 404 means it is already gone. Never throws. */
async function deleteSession(
  remove: (options: FaceOperationOptions) => Promise<unknown>,
  options: FaceOperationOptions,
): Promise<Cleanup> {
  try {
    await remove(options);
    return { deleted: true };
  } catch (error) {
    if (isRestError(error) && error.statusCode === 404) return { deleted: true };
    const code = isRestError(error) ? (error.code ?? String(error.statusCode)) : "an error";
    logger.warning(`finalize: deleting the session failed (${code}); it stays until it expires.`);
    return { deleted: false, error };
  }
}

/** Attaches the delete failure to the original error as a non-enumerable `deleteError`. */
function attachDeleteError(error: unknown, deleteError: unknown): void {
  if (typeof error !== "object" || error === null || !Object.isExtensible(error)) return;
  Object.defineProperty(error, "deleteError", {
    value: deleteError,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/**
 * Reads a session's final result (waiting first if asked), summarizes it, optionally downloads
 * the session image and detects faces on it, and deletes the session unless `keepSession`. The
 * delete runs whatever happened before: on success, on a failed step and on abort (it is sent
 * with `deleteAbortSignal`, never with the aborted `abortSignal`). A failed step's error is
 * rethrown after the delete, with a failed delete attached as `deleteError`.
 */
export async function finalizeSession<
  TSession extends AnyLivenessSession,
  TSummary extends LivenessSessionSummary,
  TPolicy,
>(
  sessionOrId: TSession | string,
  options: FinalizeSessionOptions<WaitForSessionResultOptions<TSession>, TPolicy>,
  ops: FinalizeOperations<TSession, TSummary, TPolicy>,
): Promise<FinalizeSessionResult<TSession, TSummary>> {
  const sessionId = typeof sessionOrId === "string" ? sessionOrId : sessionOrId?.sessionId;
  checkId("sessionId", sessionId);
  checkOptions(options);
  const { abortSignal, requestOptions, tracingOptions, onResponse } = options;
  const perRequest: FaceOperationOptions = { requestOptions, tracingOptions, onResponse };
  const cleanup = (): Promise<Cleanup> =>
    options.keepSession
      ? Promise.resolve({ deleted: false })
      : deleteSession((o) => ops.delete(sessionId, o), { ...perRequest, abortSignal: options.deleteAbortSignal });

  let result: Omit<FinalizeSessionResult<TSession, TSummary>, "deleted">;
  try {
    throwIfAborted(abortSignal);
    let waitOutcome: SessionWaitOutcome<TSession> | undefined;
    if (options.wait) {
      const waitOptions = options.wait === true ? {} : options.wait;
      const linked = linkAbortSignals(abortSignal, waitOptions.abortSignal);
      try {
        waitOutcome = await raceAbort(
          ops.wait(sessionOrId, { ...perRequest, ...waitOptions, abortSignal: linked.signal }),
          abortSignal,
        );
      } finally {
        linked.dispose();
      }
    }
    const session =
      waitOutcome?.session ?? (await raceAbort(ops.get(sessionId, { ...perRequest, abortSignal }), abortSignal));
    const summary = ops.summarize(session, options.policy);
    const imageId = summary.sessionImageId;
    let sessionImage: Uint8Array | undefined;
    let faces: FaceDetectionResult[] | undefined;
    if (options.downloadSessionImage && imageId !== undefined) {
      const image = await raceAbort(ops.getSessionImage(imageId, { ...perRequest, abortSignal }), abortSignal);
      sessionImage = await downloadImage(image, abortSignal);
    }
    if (options.detectFaces && imageId !== undefined) {
      const detectOptions = options.detectFaces === true ? {} : options.detectFaces;
      const linked = linkAbortSignals(abortSignal, detectOptions.abortSignal);
      try {
        faces = await raceAbort(
          ops.detect(imageId, { ...perRequest, ...detectOptions, abortSignal: linked.signal }),
          abortSignal,
        );
      } finally {
        linked.dispose();
      }
    }
    result = {
      session,
      summary,
      ...(waitOutcome !== undefined ? { waitOutcome } : {}),
      ...(sessionImage !== undefined ? { sessionImage } : {}),
      ...(faces !== undefined ? { faces } : {}),
    };
  } catch (error) {
    const { error: deleteError } = await cleanup();
    if (deleteError !== undefined) attachDeleteError(error, deleteError);
    throw error;
  }
  const { deleted, error: deleteError } = await cleanup();
  return { ...result, deleted, ...(deleteError !== undefined ? { deleteError } : {}) };
}
