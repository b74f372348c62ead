import { timingSafeEqual } from "node:crypto";
import { parseDeviceAttempt, runDeviceAttempt, sessionForToken, type DeviceAttemptInput, type DeviceOutcome } from "./attempts.js";
import { registerContext, type EmulatorContext } from "./context.js";
import { FaultQueue, statusFaultResponse, type EmulatorFault } from "./faults.js";
import { bearerToken, postDeviceAttempt } from "./ops/device.js";
import { resolveOptions, type FaceLivenessEmulatorOptions, type ResolvedEmulatorOptions } from "./options.js";
import { ResourceSettings } from "./resourceSettings.js";
import { ACCESS_DENIED_MESSAGE, EmulatorHttpError, badArgument, errorResponse, responseForError, sessionNotFound } from "./responses.js";
import { devicePathVersion, route } from "./router.js";
import { SessionStore, type SessionRecord } from "./store.js";
import { startSweeper } from "./sweeper.js";
import { addServiceHeaders, markBilled } from "./wire/headers.js";
import type { WireAttempt } from "./wire/session.js";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What a transport adapter knows about a request besides the request itself. */
export interface HandleInfo {
  /** The client's IP address (the HTTP adapter's socket remote address). */
  readonly clientIp?: string;
}

/**
 * An in-memory emulator of the Azure AI Face liveness-session API, versions v1.2 and
 * v1.3-preview.1: the same paths (`{endpoint}/face/{version}/...`), bodies, status codes and
 * error bodies as the service, plus a simulated device ({@link FaceLivenessEmulator.simulateDevice}
 * and `POST /face/{version}/emulator/device/attempts`), simulated abuse monitoring
 * ({@link FaceLivenessEmulator.flagAbuse}) and fault injection ({@link FaceLivenessEmulator.faults}).
 *
 * It is transport-free: {@link FaceLivenessEmulator.handle} takes a WHATWG `Request` and returns a
 * `Response`. Serve it over HTTP with `listen()` or in-process with `createMswHandlers()`.
 *
 * @example
 * ```ts
 * const emulator = new FaceLivenessEmulator({ key: "test-key" });
 * const response = await emulator.handle(
 *   new Request("https://face.test/face/v1.2/detectLiveness-sessions", {
 *     method: "POST",
 *     headers: { "ocp-apim-subscription-key": "test-key", "content-type": "application/json" },
 *     body: JSON.stringify({ livenessOperationMode: "Passive" }),
 *   }),
 * );
 * const session = await response.json();
 * emulator.simulateDevice(session.authToken, "realface");
 * ```
 */
export class FaceLivenessEmulator {
  /** Faults applied to the next matching service requests. */
  readonly faults: FaultQueue = new FaultQueue();

  readonly #options: ResolvedEmulatorOptions;
  readonly #store: SessionStore;
  readonly #resource: ResourceSettings;
  readonly #ctx: EmulatorContext;

  /** @param options - Key, authentication, clock and simulation defaults; all optional. */
  constructor(options: FaceLivenessEmulatorOptions = {}) {
    this.#options = resolveOptions(options);
    this.#store = new SessionStore(
      {
        maxSessions: this.#options.maxSessions,
        maxSessionImages: this.#options.maxSessionImages,
        sessionLifetimeMs: this.#options.sessionLifetimeSeconds * 1000,
        imageRetentionMs: this.#options.sessionImageRetentionSeconds * 1000,
      },
      this.#options.now,
    );
    startSweeper(this.#store, this.#options.sweepIntervalMs);
    this.#resource = new ResourceSettings(this.#options.abuseMonitoringEnabled);
    this.#ctx = { store: this.#store, resource: this.#resource, options: this.#options };
    registerContext(this, this.#ctx);
  }

  /** The API key accepted in `Ocp-Apim-Subscription-Key`. */
  get key(): string {
    return this.#options.key;
  }

  /** Whether any `Authorization: Bearer` token is accepted (option `acceptBearerTokens`). */
  get acceptsBearerTokens(): boolean {
    return this.#options.acceptBearerTokens;
  }

  /** Number of stored sessions: created and not deleted (sessions past their lifetime are dropped when looked up or swept). */
  get sessionCount(): number {
    return this.#store.size;
  }

  /** Number of stored session images (of live sessions, and of ended ones within their retention). */
  get sessionImageCount(): number {
    return this.#store.imageCount;
  }

  /** Whether liveness abuse monitoring is on for sessions created now (v1.3-preview.1 `/settings`). */
  get abuseMonitoringEnabled(): boolean {
    return this.#resource.abuseMonitoringEnabled;
  }

  /**
   * Handles one request and returns the service's response. Every response carries the
   * `apim-request-id` and `x-ms-region` headers, except the `Response.error()` of a dropped connection.
   *
   * @param request - The request, with an absolute URL.
   * @param info - What the transport knows: the client IP used by the device stand-in.
   */
  async handle(request: Request, info: HandleInfo = {}): Promise<Response> {
    const started = performance.now();
    let path = "/";
    let fault: EmulatorFault | undefined;
    let response: Response;
    try {
      const url = new URL(request.url);
      path = url.pathname;
      response = await this.#dispatch(request, url, info, (f) => (fault = f));
    } catch (error) {
      if (error instanceof EmulatorHttpError) response = responseForError(error);
      else if (request.signal.aborted) response = Response.error();
      else response = errorResponse(500, "InternalServerError", "The emulator failed to handle the request.");
    }
    addServiceHeaders(response);
    try {
      this.#options.onRequest?.({
        method: request.method,
        path,
        status: response.status,
        durationMs: performance.now() - started,
        ...(fault !== undefined ? { fault: (fault as EmulatorFault).kind } : {}),
      });
    } catch {
      // A failing log hook must not change the response.
    }
    return response;
  }

  /**
   * Does what the Face UI SDK on the end user's device would do with `authToken`: starts an
   * attempt, or finishes one with `outcome` (a decision `realface`/`spoofface`/`uncertain`, or an
   * error code such as `FaceWithMaskDetected`). Same rules as the device stand-in endpoint; the
   * client IP is `input.clientIp`, else `127.0.0.1`.
   *
   * @param authToken - The session's `authToken`.
   * @param input - An outcome, or the full {@link DeviceAttemptInput}.
   * @returns The attempt, in the API version the session was created with (a started attempt
   * answers `attemptStatus: "Running"`; session reads list it only once it finished).
   * @throws {@link EmulatorHttpError} 401 (token unknown, revoked or expired), 400 (bad input),
   * 409 `AttemptInProgress`, or 409 `AttemptLimitReached` (attempts used up, or one succeeded).
   *
   * @example
   * ```ts
   * emulator.simulateDevice(session.authToken, { stage: "start" }); // session is Running
   * emulator.simulateDevice(session.authToken, "realface"); // session Succeeded
   * ```
   */
  simulateDevice(authToken: string, input: DeviceOutcome | DeviceAttemptInput): WireAttempt {
    sessionForToken(this.#ctx, authToken);
    return runDeviceAttempt(this.#ctx, authToken, parseDeviceAttempt(input));
  }

  /**
   * Makes abuse monitoring flag the session `sessionId` (either kind): every attempt of it, past
   * and future, reports `abuseMonitoringResult.isAbuseDetected: true` once it succeeded, and other
   * sessions of the same `userCorrelationId` list it in `otherFlaggedSessions`.
   *
   * @param sessionId - A stored session created while abuse monitoring was enabled.
   * @throws {@link EmulatorHttpError} 404 `SessionNotFound`, or 400 `BadArgument` when the
   * session was created with abuse monitoring off (it would report nothing).
   *
   * @example
   * ```ts
   * emulator.flagAbuse(session.sessionId);
   * emulator.simulateDevice(session.authToken, "realface");
   * // GET /face/v1.3-preview.1/detectLiveness-sessions/{id}: attempts[0].abuseMonitoringResult.isAbuseDetected === true
   * ```
   */
  flagAbuse(sessionId: string): void {
    const record = this.#findAnyKind(sessionId);
    if (record === undefined) throw sessionNotFound();
    if (!record.isAbuseMonitoringEnabled) {
      throw badArgument(`Session ${sessionId} was created while liveness abuse monitoring was disabled; it reports no abuse.`);
    }
    record.abuseFlagged = true;
  }

  /** Forgets every session, token, session image and queued fault, and restores the resource settings. */
  reset(): void {
    this.#store.clear();
    this.faults.clear();
    this.#resource.reset();
  }

  #findAnyKind(sessionId: string): SessionRecord | undefined {
    const now = this.#options.now();
    const lifetimeMs = this.#options.sessionLifetimeSeconds * 1000;
    return (
      this.#store.find("detectLiveness", sessionId, now, lifetimeMs) ??
      this.#store.find("detectLivenessWithVerify", sessionId, now, lifetimeMs)
    );
  }

  async #dispatch(request: Request, url: URL, info: HandleInfo, onFault: (fault: EmulatorFault) => void): Promise<Response> {
    const method = request.method.toUpperCase();
    if (devicePathVersion(url.pathname) !== undefined) {
      if (method !== "POST") {
        throw new EmulatorHttpError(405, "405", `Method ${method} is not allowed on this path.`, { allow: "POST" });
      }
      return postDeviceAttempt(this.#ctx, request, info.clientIp);
    }
    const fault = this.faults.take(method, url.pathname);
    if (fault !== undefined) {
      onFault(fault);
      if (fault.kind === "drop") return Response.error();
      if (fault.kind === "status") return statusFaultResponse(fault);
      await this.#options.sleep(fault.ms, request.signal);
    }
    this.#authenticate(request);
    const match = route(method, url.pathname);
    if (match.kind === "notFound") throw new EmulatorHttpError(404, "404", "Resource not found.");
    if (match.kind === "methodNotAllowed") {
      throw new EmulatorHttpError(405, "405", `Method ${method} is not allowed on this path.`, {
        allow: match.allow.join(", "),
      });
    }
    const response = await match.operation({ ctx: this.#ctx, request, url, params: match.params, version: match.version });
    if (response.ok) markBilled(response);
    return response;
  }

  #authenticate(request: Request): void {
    const key = request.headers.get("ocp-apim-subscription-key");
    if (key !== null) {
      if (sameSecret(key, this.#options.key)) return;
    } else if (this.#options.acceptBearerTokens && bearerToken(request) !== undefined) {
      return;
    }
    throw new EmulatorHttpError(401, "401", ACCESS_DENIED_MESSAGE);
  }
}
