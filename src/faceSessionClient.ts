import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import type { FaceDetectionResult } from "./models/detection.js";
import type {
  ClientAssetsAccessToken,
  CreateLivenessSessionContent,
  LivenessSettings,
  LivenessSettingsUpdate,
  CreateLivenessWithVerifySessionContent,
  LivenessSession,
  LivenessWithVerifySession,
} from "./models/session.js";
import type {
  CreateLivenessSessionOptions,
  CreateLivenessWithVerifySessionOptions,
  DeleteLivenessSessionOptions,
  DeleteLivenessWithVerifySessionOptions,
  DetectFromSessionImageOptions,
  FaceApiVersion,
  FaceSessionClientOptions,
  GetLivenessSessionResultOptions,
  GetLivenessWithVerifySessionResultOptions,
  GetClientAssetsAccessTokenOptions,
  GetSessionImageOptions,
  GetSettingsOptions,
  UpdateSettingsOptions,
} from "./options.js";
import type { SessionImage } from "./sessionImage.js";
import type { FaceResponseMetadata, WithResponseMetadata } from "./models/responseMetadata.js";
import { deleteResult } from "./http/responseMetadata.js";
import { DEFAULT_API_VERSION, PREVIEW_API_VERSION } from "./internal/constants.js";
import {
  deserializeClientAssetsAccessToken,
  deserializeFaceDetectionResults,
  deserializeLivenessSettings,
  deserializeLivenessSession,
  deserializeLivenessWithVerifySession,
} from "./internal/deserializers.js";
import { parseEndpoint } from "./internal/endpoint.js";
import { throwIfAborted } from "./internal/abort.js";
import { createParseError } from "./internal/responseErrors.js";
import { toSessionImage } from "./internal/sessionImageBody.js";
import { checkBoolean, checkId, checkNumber, checkObject } from "./internal/validation.js";
import { buildDetectQuery } from "./internal/detectQuery.js";
import { createBody, requireVersion, validateCreateContent, withVerifyParts } from "./internal/createContent.js";
import { prepareVerifyImage } from "./internal/verifyImage.js";
import type {
  FinalizeLivenessSessionOptions,
  FinalizeLivenessSessionResult,
  FinalizeLivenessWithVerifySessionOptions,
  FinalizeLivenessWithVerifySessionResult,
} from "./finalize/options.js";
import { finalizeSession } from "./finalize/finalizeSession.js";
import type {
  ObserveLivenessSessionOptions,
  ObserveLivenessWithVerifySessionOptions,
  WaitForLivenessSessionResultOptions,
  WaitForLivenessWithVerifySessionResultOptions,
} from "./polling/options.js";
import type { LivenessSessionWaitOutcome, LivenessWithVerifySessionWaitOutcome } from "./polling/outcome.js";
import { observeSession, waitForSessionResult } from "./polling/sessionPolling.js";
import { summarizeLivenessSession, summarizeLivenessWithVerifySession } from "./results/summary.js";
import { createOperationContext } from "./http/createFacePipeline.js";
import type { OperationArguments, OperationContext } from "./http/sendOperation.js";
import { parseJsonBody, sendOperation } from "./http/sendOperation.js";

const DEFAULT_TTL_SECONDS = 600;

function expiryFrom(sentAt: number, ttlSeconds: number | undefined): Date {
  return new Date(sentAt + (ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000);
}

/** Adds the client-computed expiry to a session the deserializer just built (and nobody else holds). */
function withExpiry<T extends object>(session: T, expiresOn: Date): T {
  (session as { authTokenExpiresOn?: Date }).authTokenExpiresOn = expiresOn;
  return session;
}

/**
 * Client for the Azure AI Face liveness session API: creates liveness and liveness-with-verify
 * sessions, reads their results, deletes them, downloads session images and detects faces on
 * them.
 *
 * @example
 * ```ts
 * import { AzureKeyCredential, FaceSessionClient } from "azure-face-liveness";
 *
 * const client = new FaceSessionClient(
 *   "https://<resource>.cognitiveservices.azure.com",
 *   new AzureKeyCredential(process.env.FACE_APIKEY!),
 * );
 * ```
 */
export class FaceSessionClient {
  /** The endpoint origin, e.g. `https://<resource>.cognitiveservices.azure.com`. */
  readonly endpoint: string;
  /** The API version used in every URL. */
  readonly apiVersion: FaceApiVersion;

  readonly #context: OperationContext;

  /**
   * Creates a client authenticated with an API key, sent as `Ocp-Apim-Subscription-Key` and read
   * on every request (so `AzureKeyCredential.update()` rotates it).
   *
   * @param endpoint - `https://<resource>.cognitiveservices.azure.com` (a trailing slash is fine).
   * @param credential - The API key, e.g. `new AzureKeyCredential(key)`.
   * @param options - Pipeline options (retry, proxy, user agent, `httpClient`, ...) and `apiVersion`.
   */
  constructor(endpoint: string, credential: KeyCredential, options?: FaceSessionClientOptions);
  /**
   * Creates a client authenticated with Microsoft Entra ID (bearer tokens for the scope
   * `https://cognitiveservices.azure.com/.default`; the resource needs a custom subdomain).
   *
   * @param endpoint - `https://<resource>.cognitiveservices.azure.com` (a trailing slash is fine).
   * @param credential - A token credential, e.g. `new DefaultAzureCredential()`.
   * @param options - Pipeline options (retry, proxy, user agent, `httpClient`, ...) and `apiVersion`.
   */
  constructor(endpoint: string, credential: TokenCredential, options?: FaceSessionClientOptions);
  constructor(
    endpoint: string,
    credential: KeyCredential | TokenCredential,
    options: FaceSessionClientOptions = {},
  ) {
    const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    const service = parseEndpoint(endpoint, apiVersion, options.allowInsecureConnection ?? false);
    this.endpoint = service.origin;
    this.apiVersion = apiVersion;
    this.#context = createOperationContext(credential, service, options);
  }

  /**
   * Creates a liveness session. Hand `authToken` to the front end; keep `sessionId` on the server.
   *
   * @param content - Session settings; `livenessOperationMode` is required.
   * @param options - Operation options.
   * @returns The new session (`NotStarted`, no attempts) with a client-computed
   * `authTokenExpiresOn`.
   *
   * @example
   * ```ts
   * const session = await client.createLivenessSession({
   *   livenessOperationMode: "PassiveActive",
   *   deviceCorrelationId: crypto.randomUUID(),
   *   enableSessionImage: true,
   * });
   * sendToFrontEnd({ authToken: session.authToken });
   * ```
   */
  async createLivenessSession(
    content: CreateLivenessSessionContent,
    options: CreateLivenessSessionOptions = {},
  ): Promise<WithResponseMetadata<LivenessSession>> {
    checkObject("content", content);
    validateCreateContent(content, this.apiVersion, "createLivenessSession");
    const sentAt = Date.now();
    const session = await this.#send(
      "createLivenessSession",
      options,
      { method: "POST", path: "/detectLiveness-sessions", json: createBody(content), create: true },
      [200],
      (response) => deserializeLivenessSession(this.#json(response), "create"),
    );
    return withExpiry(session, expiryFrom(sentAt, content.authTokenTimeToLiveInSeconds));
  }

  /**
   * Reads a liveness session: its status and attempts (newest first).
   *
   * @param sessionId - Id returned by {@link FaceSessionClient.createLivenessSession}.
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * import { getLatestAttempt } from "azure-face-liveness";
   *
   * const session = await client.getLivenessSessionResult(sessionId);
   * const latest = getLatestAttempt(session); // highest attemptId
   * if (latest?.result) console.log(latest.result.livenessDecision);
   * else if (latest?.error) console.log(latest.error.code);
   * ```
   */
  async getLivenessSessionResult(
    sessionId: string,
    options: GetLivenessSessionResultOptions = {},
  ): Promise<WithResponseMetadata<LivenessSession>> {
    const id = checkId("sessionId", sessionId);
    return this.#send(
      "getLivenessSessionResult",
      options,
      { method: "GET", path: `/detectLiveness-sessions/${id}` },
      [200],
      (response) => deserializeLivenessSession(this.#json(response)),
    );
  }

  /**
   * Deletes a liveness session; its `authToken` stops working.
   *
   * @param sessionId - The session to delete.
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * await client.deleteLivenessSession(session.sessionId);
   * ```
   */
  async deleteLivenessSession(sessionId: string, options: DeleteLivenessSessionOptions = {}): Promise<FaceResponseMetadata> {
    const id = checkId("sessionId", sessionId);
    return this.#send(
      "deleteLivenessSession",
      options,
      { method: "DELETE", path: `/detectLiveness-sessions/${id}` },
      [200, 204],
      deleteResult,
    );
  }

  /**
   * Creates a liveness-with-verify session: liveness plus a comparison with `verifyImage`. The
   * request is `multipart/form-data`, one part per field; the image part carries a filename and
   * the content type sniffed from its bytes.
   *
   * @param content - Session settings; `livenessOperationMode` and `verifyImage` are required.
   * @param options - Operation options.
   * @returns The new session with the analysed verify reference and a client-computed
   * `authTokenExpiresOn`.
   *
   * @example
   * ```ts
   * import { readFile } from "node:fs/promises";
   *
   * const session = await client.createLivenessWithVerifySession({
   *   livenessOperationMode: "Passive",
   *   verifyImage: await readFile("reference.jpg"),
   *   verifyConfidenceThreshold: 0.6,
   * });
   * ```
   */
  async createLivenessWithVerifySession(
    content: CreateLivenessWithVerifySessionContent,
    options: CreateLivenessWithVerifySessionOptions = {},
  ): Promise<WithResponseMetadata<LivenessWithVerifySession>> {
    checkObject("content", content);
    validateCreateContent(content, this.apiVersion, "createLivenessWithVerifySession");
    checkNumber("verifyConfidenceThreshold", content.verifyConfidenceThreshold, 0, 1, "the service documents 0 to 1");
    checkBoolean("returnVerifyImageHash", content.returnVerifyImageHash);
    if (content.verifyImage === undefined || content.verifyImage === null) {
      throw new TypeError("verifyImage is required: a JPEG, PNG, GIF, BMP or WEBP image of at most 6 MB.");
    }
    throwIfAborted(options.abortSignal);
    const image = await prepareVerifyImage(content.verifyImage, options.abortSignal);
    const parts = withVerifyParts(content, image);
    const sentAt = Date.now();
    const session = await this.#send(
      "createLivenessWithVerifySession",
      options,
      { method: "POST", path: "/detectLivenessWithVerify-sessions", multipart: parts, create: true },
      [200],
      (response) => deserializeLivenessWithVerifySession(this.#json(response), "create"),
    );
    return withExpiry(session, expiryFrom(sentAt, content.authTokenTimeToLiveInSeconds));
  }

  /**
   * Reads a liveness-with-verify session: its status, verify reference and attempts (newest first).
   *
   * @param sessionId - Id returned by {@link FaceSessionClient.createLivenessWithVerifySession}.
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * const session = await client.getLivenessWithVerifySessionResult(sessionId);
   * const verify = getLatestAttempt(session)?.result?.verifyResult;
   * console.log(verify?.isIdentical, verify?.matchConfidence);
   * ```
   */
  async getLivenessWithVerifySessionResult(
    sessionId: string,
    options: GetLivenessWithVerifySessionResultOptions = {},
  ): Promise<WithResponseMetadata<LivenessWithVerifySession>> {
    const id = checkId("sessionId", sessionId);
    return this.#send(
      "getLivenessWithVerifySessionResult",
      options,
      { method: "GET", path: `/detectLivenessWithVerify-sessions/${id}` },
      [200],
      (response) => deserializeLivenessWithVerifySession(this.#json(response)),
    );
  }

  /**
   * Deletes a liveness-with-verify session; its `authToken` stops working.
   *
   * @param sessionId - The session to delete.
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * await client.deleteLivenessWithVerifySession(session.sessionId);
   * ```
   */
  async deleteLivenessWithVerifySession(
    sessionId: string,
    options: DeleteLivenessWithVerifySessionOptions = {},
  ): Promise<FaceResponseMetadata> {
    const id = checkId("sessionId", sessionId);
    return this.#send(
      "deleteLivenessWithVerifySession",
      options,
      { method: "DELETE", path: `/detectLivenessWithVerify-sessions/${id}` },
      [200, 204],
      deleteResult,
    );
  }

  /**
   * Reads the resource's liveness settings (`GET /settings`). Needs
   * `apiVersion: "v1.3-preview.1"`.
   *
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * const preview = new FaceSessionClient(endpoint, credential, { apiVersion: "v1.3-preview.1" });
   * const settings = await preview.getSettings();
   * console.log(settings.livenessAbuseMonitoring.enabled);
   * ```
   */
  async getSettings(options: GetSettingsOptions = {}): Promise<WithResponseMetadata<LivenessSettings>> {
    requireVersion(this.apiVersion, PREVIEW_API_VERSION, "getSettings");
    return this.#send("getSettings", options, { method: "GET", path: "/settings" }, [200], (response) =>
      deserializeLivenessSettings(this.#json(response)),
    );
  }

  /**
   * Changes the resource's liveness settings (`PATCH /settings`) and returns the new settings.
   * Needs `apiVersion: "v1.3-preview.1"`.
   *
   * @param update - The settings to change, e.g. `{ livenessAbuseMonitoring: { enabled: true } }`.
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * const settings = await preview.updateSettings({ livenessAbuseMonitoring: { enabled: true } });
   * ```
   */
  async updateSettings(update: LivenessSettingsUpdate, options: UpdateSettingsOptions = {}): Promise<WithResponseMetadata<LivenessSettings>> {
    requireVersion(this.apiVersion, PREVIEW_API_VERSION, "updateSettings");
    checkObject("update", update);
    const body: Record<string, unknown> = {};
    if (update.livenessAbuseMonitoring !== undefined) {
      checkObject("livenessAbuseMonitoring", update.livenessAbuseMonitoring);
      checkBoolean("livenessAbuseMonitoring.enabled", update.livenessAbuseMonitoring.enabled);
      body.livenessAbuseMonitoring =
        update.livenessAbuseMonitoring.enabled === undefined ? {} : { enabled: update.livenessAbuseMonitoring.enabled };
    }
    return this.#send("updateSettings", options, { method: "PATCH", path: "/settings", json: body }, [200], (response) =>
      deserializeLivenessSettings(this.#json(response)),
    );
  }

  /**
   * Gets a token for downloading the gated client (front-end) SDK assets
   * (`GET /settings/getClientAssetsAccessToken`). Needs `apiVersion: "v1.3-preview.1"`. Both
   * tokens are secrets; `util.inspect` shows them redacted.
   *
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * const { base64AccessToken, expiry } = await preview.getClientAssetsAccessToken();
   * // write base64AccessToken into the CI's .npmrc as the feed password; it expires at `expiry`
   * ```
   */
  async getClientAssetsAccessToken(options: GetClientAssetsAccessTokenOptions = {}): Promise<WithResponseMetadata<ClientAssetsAccessToken>> {
    requireVersion(this.apiVersion, PREVIEW_API_VERSION, "getClientAssetsAccessToken");
    return this.#send(
      "getClientAssetsAccessToken",
      options,
      { method: "GET", path: "/settings/getClientAssetsAccessToken" },
      [200],
      (response) => deserializeClientAssetsAccessToken(this.#json(response)),
    );
  }

  /**
   * Downloads a session image (sessions created with `enableSessionImage: true`). The body is
   * streamed, never buffered by the client.
   *
   * @param sessionImageId - `result.sessionImageId` of an attempt.
   * @param options - Operation options.
   *
   * @example
   * ```ts
   * import { createWriteStream } from "node:fs";
   * import { pipeline } from "node:stream/promises";
   *
   * const image = await client.getSessionImage(sessionImageId);
   * await pipeline(image.readableStreamBody, createWriteStream("session.jpg"));
   * // or: const bytes = await image.bytes();
   * ```
   */
  async getSessionImage(sessionImageId: string, options: GetSessionImageOptions = {}): Promise<WithResponseMetadata<SessionImage>> {
    const id = checkId("sessionImageId", sessionImageId);
    return this.#send(
      "getSessionImage",
      options,
      { method: "GET", path: `/sessionImages/${id}`, accept: "application/octet-stream", stream: true },
      [200],
      (response) => {
        const stream = response.readableStreamBody;
        if (stream === undefined) throw createParseError(response, "the session image response has no body.");
        return toSessionImage(response, stream, this.#context.limits.maxSessionImageBytes, options.abortSignal);
      },
    );
  }

  /**
   * Detects faces on a session image (`POST /detect` with `{ sessionImageId }`).
   *
   * @param sessionImageId - `result.sessionImageId` of an attempt.
   * @param options - Detection options and operation options. `returnFaceId` is sent as `false`
   * unless set, because face ids need Limited Access approval.
   * @returns The faces, largest first; an empty array when there is none.
   *
   * @example
   * ```ts
   * const faces = await client.detectFromSessionImage(sessionImageId, {
   *   detectionModel: "detection_03",
   *   returnFaceAttributes: ["headPose", "mask"],
   * });
   * console.log(faces[0]?.faceRectangle);
   * ```
   */
  async detectFromSessionImage(
    sessionImageId: string,
    options: DetectFromSessionImageOptions = {},
  ): Promise<WithResponseMetadata<FaceDetectionResult[]>> {
    checkId("sessionImageId", sessionImageId);
    return this.#send(
      "detectFromSessionImage",
      options,
      { method: "POST", path: "/detect", query: buildDetectQuery(options), json: { sessionImageId } },
      [200],
      (response) => deserializeFaceDetectionResults(this.#json(response)),
    );
  }

  /**
   * Polls a liveness session until it ends and says why it stopped. The first poll is sent at
   * once, then after 2 s, growing ×1.5 up to 10 s (reset when the session shows progress): the
   * end user needs 5 to 60 s, and every GET counts against the resource's rate limit. Throttled
   * polls (429/503) are repeated after the service's `Retry-After`; other errors reject.
   *
   * @param sessionOrId - The session returned by {@link FaceSessionClient.createLivenessSession}
   * (its `authTokenExpiresOn` enables the `"expired"` outcome), or its id.
   * @param options - Interval, backoff, `timeoutInMs`, `until`, `onProgress`, `abortSignal`, ...
   * @returns `{ reason, session }`: `"succeeded"`, `"failed"` or `"canceled"` (session status),
   * `"attemptFinished"` (with `until: "firstAttempt"`, plus the `attempt`), `"expired"` (never
   * started before the token expired) or `"timedOut"`. Rejects with an `AbortError` on abort.
   *
   * @example
   * ```ts
   * const outcome = await client.waitForLivenessSessionResult(session, { timeoutInMs: 120_000 });
   * if (outcome.reason === "succeeded") {
   *   console.log(summarizeLivenessSession(outcome.session).accepted);
   * }
   * ```
   */
  async waitForLivenessSessionResult(
    sessionOrId: LivenessSession | string,
    options: WaitForLivenessSessionResultOptions = {},
  ): Promise<LivenessSessionWaitOutcome> {
    return waitForSessionResult(sessionOrId, options, (id, o) => this.getLivenessSessionResult(id, o));
  }

  /**
   * Polls a liveness-with-verify session until it ends and says why it stopped; works exactly
   * like {@link FaceSessionClient.waitForLivenessSessionResult}.
   *
   * @param sessionOrId - The session returned by
   * {@link FaceSessionClient.createLivenessWithVerifySession}, or its id.
   * @param options - Interval, backoff, `timeoutInMs`, `until`, `onProgress`, `abortSignal`, ...
   * @returns Why the wait stopped, with the last session observed.
   *
   * @example
   * ```ts
   * const outcome = await client.waitForLivenessWithVerifySessionResult(session.sessionId, {
   *   until: "firstAttempt",
   *   authTokenExpiresOn: session.authTokenExpiresOn,
   *   timeoutInMs: 120_000,
   * });
   * if (outcome.reason === "attemptFinished") console.log(outcome.attempt.result?.verifyResult);
   * ```
   */
  async waitForLivenessWithVerifySessionResult(
    sessionOrId: LivenessWithVerifySession | string,
    options: WaitForLivenessWithVerifySessionResultOptions = {},
  ): Promise<LivenessWithVerifySessionWaitOutcome> {
    return waitForSessionResult(sessionOrId, options, (id, o) => this.getLivenessWithVerifySessionResult(id, o));
  }

  /**
   * The raw stream of a liveness session as polled: yields every session observed, and ends after
   * a terminal (`Succeeded`, `Failed`, `Canceled`) or expired session, or when `timeoutInMs`
   * passes. Breaking out of the loop stops polling and clears every timer. Same schedule and
   * error handling as {@link FaceSessionClient.waitForLivenessSessionResult}.
   *
   * @param sessionOrId - The session returned by {@link FaceSessionClient.createLivenessSession}, or its id.
   * @param options - Interval, backoff, `timeoutInMs`, `abortSignal`, ...
   *
   * @example
   * ```ts
   * for await (const observed of client.observeLivenessSession(session, { timeoutInMs: 120_000 })) {
   *   console.log(observed.status, observed.results.attempts.length);
   *   if (observed.status === "Running") break; // stops polling
   * }
   * ```
   */
  observeLivenessSession(
    sessionOrId: LivenessSession | string,
    options: ObserveLivenessSessionOptions = {},
  ): AsyncIterableIterator<LivenessSession> {
    return observeSession(sessionOrId, options, (id, o) => this.getLivenessSessionResult(id, o));
  }

  /**
   * The raw stream of a liveness-with-verify session as polled; works exactly like
   * {@link FaceSessionClient.observeLivenessSession}.
   *
   * @param sessionOrId - The session returned by
   * {@link FaceSessionClient.createLivenessWithVerifySession}, or its id.
   * @param options - Interval, backoff, `timeoutInMs`, `abortSignal`, ...
   *
   * @example
   * ```ts
   * for await (const observed of client.observeLivenessWithVerifySession(session)) {
   *   console.log(observed.status);
   * }
   * ```
   */
  observeLivenessWithVerifySession(
    sessionOrId: LivenessWithVerifySession | string,
    options: ObserveLivenessWithVerifySessionOptions = {},
  ): AsyncIterableIterator<LivenessWithVerifySession> {
    return observeSession(sessionOrId, options, (id, o) => this.getLivenessWithVerifySessionResult(id, o));
  }

  /**
   * Ends a liveness session: reads the final result (after waiting, with `wait`), summarizes it,
   * optionally downloads the session image and detects faces on it, and deletes the session
   * unless `keepSession`. The delete runs on success, when a step fails and on abort (with
   * `deleteAbortSignal`, never the aborted signal); a failed step's error is rethrown after it,
   * with a failed delete attached as `error.deleteError`.
   *
   * @param sessionOrId - The session, or its id.
   * @param options - `wait`, `policy`, `downloadSessionImage`, `detectFaces`, `keepSession`, ...
   * @returns The session, its summary, the optional image bytes and faces, and `deleted`.
   *
   * @example
   * ```ts
   * const { summary, sessionImage, deleted } = await client.finalizeLivenessSession(sessionId, {
   *   downloadSessionImage: true,
   * });
   * if (summary.accepted && isDigestMatch(digestFromFrontEnd, summary.digest)) grantAccess();
   * ```
   */
  async finalizeLivenessSession(
    sessionOrId: LivenessSession | string,
    options: FinalizeLivenessSessionOptions = {},
  ): Promise<FinalizeLivenessSessionResult> {
    return finalizeSession(sessionOrId, options, {
      get: (id, o) => this.getLivenessSessionResult(id, o),
      wait: (s, o) => this.waitForLivenessSessionResult(s, o),
      delete: (id, o) => this.deleteLivenessSession(id, o),
      getSessionImage: (id, o) => this.getSessionImage(id, o),
      detect: (id, o) => this.detectFromSessionImage(id, o),
      summarize: summarizeLivenessSession,
    });
  }

  /**
   * Ends a liveness-with-verify session; works exactly like
   * {@link FaceSessionClient.finalizeLivenessSession}, and the summary adds the verify result.
   *
   * @param sessionOrId - The session, or its id.
   * @param options - `wait`, `policy` (e.g. `minMatchConfidence`), `downloadSessionImage`,
   * `detectFaces`, `keepSession`, ...
   * @returns The session, its summary, the optional image bytes and faces, and `deleted`.
   *
   * @example
   * ```ts
   * const { summary } = await client.finalizeLivenessWithVerifySession(session, {
   *   wait: { until: "firstAttempt", timeoutInMs: 120_000 },
   *   policy: { minMatchConfidence: 0.7 },
   * });
   * console.log(summary.accepted, summary.isIdentical, summary.matchConfidence);
   * ```
   */
  async finalizeLivenessWithVerifySession(
    sessionOrId: LivenessWithVerifySession | string,
    options: FinalizeLivenessWithVerifySessionOptions = {},
  ): Promise<FinalizeLivenessWithVerifySessionResult> {
    return finalizeSession(sessionOrId, options, {
      get: (id, o) => this.getLivenessWithVerifySessionResult(id, o),
      wait: (s, o) => this.waitForLivenessWithVerifySessionResult(s, o),
      delete: (id, o) => this.deleteLivenessWithVerifySession(id, o),
      getSessionImage: (id, o) => this.getSessionImage(id, o),
      detect: (id, o) => this.detectFromSessionImage(id, o),
      summarize: summarizeLivenessWithVerifySession,
    });
  }

  /** Shows the endpoint and API version only; credentials are never part of the output. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `FaceSessionClient { endpoint: '${this.endpoint}', apiVersion: '${this.apiVersion}' }`;
  }

  #json(response: PipelineResponse): unknown {
    return parseJsonBody(response);
  }

  #send<T>(...args: OperationArguments<T>): Promise<T> {
    return sendOperation(this.#context, ...args);
  }
}
