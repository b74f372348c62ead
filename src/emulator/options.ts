import { randomBytes } from "node:crypto";
import type { WireFaceRectangle } from "./wire/session.js";
import { copyRectangle, faceRectangleProblem } from "./faceRectangle.js";

/** One line of the emulator's request log (never holds a key, token or body). */
export interface EmulatorRequestLogEntry {
  /** HTTP method. */
  readonly method: string;
  /** URL path without the query string, e.g. `/face/v1.2/detectLiveness-sessions`. */
  readonly path: string;
  /** Response status; `0` when the connection was dropped (a `drop` fault or an aborted delay). */
  readonly status: number;
  /** Time spent in the emulator, in milliseconds (wall clock, for logging only). */
  readonly durationMs: number;
  /** Kind of the injected fault that shaped this response, if any. */
  readonly fault?: "status" | "delay" | "drop";
}

/** Options of {@link FaceLivenessEmulator}. Every option has a default. */
export interface FaceLivenessEmulatorOptions {
  /**
   * The API key accepted in `Ocp-Apim-Subscription-Key`. Default: a random key, readable from
   * `emulator.key`.
   */
  key?: string;
  /**
   * Accept any `Authorization: Bearer <token>` header as Entra ID authentication (the token is
   * not validated). Default false: only the key is accepted.
   */
  acceptBearerTokens?: boolean;
  /** Clock used for token expiry and session lifetime, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Waits for a `delay` fault. Default: a `setTimeout` that stops early (rejecting) when the
   * request's signal aborts. Tests can inject a controllable implementation.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called once per handled request, after the response is built (used by the CLI's log). */
  onRequest?: (entry: EmulatorRequestLogEntry) => void;
  /**
   * Attempts a session created through v1.2 accepts from the device. Default 1 (one client
   * attempt per session). v1.3-preview.1 sessions ignore it: they use their
   * `numberOfClientAttemptsAllowed` (0–3, default 1; 0 gives 3).
   */
  clientAttemptsAllowed?: number;
  /**
   * Initial value of the resource's liveness abuse monitoring (`GET|PATCH /settings` on
   * v1.3-preview.1; `reset()` restores it). Default false, as a new Face resource.
   */
  abuseMonitoringEnabled?: boolean;
  /** Lifetime of a session id; GET/DELETE answer 404 after it. Default 48 h (172800 s). */
  sessionLifetimeSeconds?: number;
  /** Face rectangle of an attempt when the device does not send one. Default {@link DEFAULT_FACE_RECTANGLE}. */
  defaultFaceRectangle?: WireFaceRectangle;
  /**
   * `verifyResult.matchConfidence` of with-verify attempts when the device does not send one.
   * Default {@link DEFAULT_MATCH_CONFIDENCE}.
   */
  defaultMatchConfidence?: number;
  /** Largest request body accepted (413 above it). Default 8 MiB: a 6 MB image plus form overhead. */
  maxRequestBodyBytes?: number;
  /**
   * Most sessions stored at once. Creating one more, when none has expired, is refused with
   * 507 `EmulatorStorageFull`; stored sessions are never evicted. Default {@link DEFAULT_STORE_LIMITS}.
   */
  maxSessions?: number;
  /**
   * Most session images stored at once; one more drops the oldest image of an ended session,
   * else the oldest. Default {@link DEFAULT_STORE_LIMITS}.
   */
  maxSessionImages?: number;
  /**
   * How long a session image stays downloadable after its session was deleted or expired, in
   * seconds. Default {@link DEFAULT_STORE_LIMITS}.
   */
  sessionImageRetentionSeconds?: number;
  /**
   * How often expired sessions and retained images are swept, in wall-clock ms, on an unref'd
   * timer (it never keeps the process alive). Default {@link DEFAULT_STORE_LIMITS}.
   */
  sweepIntervalMs?: number;
}

/**
 * Storage limits of the emulator by default: 10,000 sessions, 1,000 session images, images kept
 * 10 minutes after their session ended, a sweep every 60 s.
 */
export const DEFAULT_STORE_LIMITS = {
  /** Most sessions stored at once. */
  maxSessions: 10_000,
  /** Most session images stored at once. */
  maxSessionImages: 1_000,
  /** Seconds a session image stays downloadable after its session ended. */
  sessionImageRetentionSeconds: 600,
  /** Wall-clock ms between two sweeps. */
  sweepIntervalMs: 60_000,
} as const;

/** Face rectangle of simulated attempts by default: a 240x280 face centred in a 640x480 frame. */
export const DEFAULT_FACE_RECTANGLE: WireFaceRectangle = { top: 100, left: 200, width: 240, height: 280 };

/**
 * Threshold used for `isIdentical` when a with-verify session sets no
 * `verifyConfidenceThreshold`: 0.5, the documented default of the Face verification API.
 */
export const DEFAULT_VERIFY_CONFIDENCE_THRESHOLD = 0.5;

/** Default `matchConfidence` of simulated with-verify attempts (identical at the default threshold). */
export const DEFAULT_MATCH_CONFIDENCE = 0.9;

/** Default lifetime of a session id: 48 hours. */
export const DEFAULT_SESSION_LIFETIME_SECONDS = 48 * 60 * 60;

/** The options with every default applied. */
export interface ResolvedEmulatorOptions {
  /** See {@link FaceLivenessEmulatorOptions.key}. */
  readonly key: string;
  /** See {@link FaceLivenessEmulatorOptions.acceptBearerTokens}. */
  readonly acceptBearerTokens: boolean;
  /** See {@link FaceLivenessEmulatorOptions.now}. */
  readonly now: () => number;
  /** See {@link FaceLivenessEmulatorOptions.sleep}. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** See {@link FaceLivenessEmulatorOptions.onRequest}. */
  readonly onRequest?: (entry: EmulatorRequestLogEntry) => void;
  /** See {@link FaceLivenessEmulatorOptions.clientAttemptsAllowed}. */
  readonly clientAttemptsAllowed: number;
  /** See {@link FaceLivenessEmulatorOptions.abuseMonitoringEnabled}. */
  readonly abuseMonitoringEnabled: boolean;
  /** See {@link FaceLivenessEmulatorOptions.sessionLifetimeSeconds}. */
  readonly sessionLifetimeSeconds: number;
  /** See {@link FaceLivenessEmulatorOptions.defaultFaceRectangle}. */
  readonly defaultFaceRectangle: WireFaceRectangle;
  /** See {@link FaceLivenessEmulatorOptions.defaultMatchConfidence}. */
  readonly defaultMatchConfidence: number;
  /** See {@link FaceLivenessEmulatorOptions.maxRequestBodyBytes}. */
  readonly maxRequestBodyBytes: number;
  /** See {@link FaceLivenessEmulatorOptions.maxSessions}. */
  readonly maxSessions: number;
  /** See {@link FaceLivenessEmulatorOptions.maxSessionImages}. */
  readonly maxSessionImages: number;
  /** See {@link FaceLivenessEmulatorOptions.sessionImageRetentionSeconds}. */
  readonly sessionImageRetentionSeconds: number;
  /** See {@link FaceLivenessEmulatorOptions.sweepIntervalMs}. */
  readonly sweepIntervalMs: number;
}

/** Waits `ms` milliseconds; rejects with the signal's reason if it aborts first. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer.`);
  return value;
}

/** Applies the defaults and checks the values; throws `TypeError`/`RangeError` for bad options. */
export function resolveOptions(options: FaceLivenessEmulatorOptions = {}): ResolvedEmulatorOptions {
  const key = options.key ?? randomBytes(16).toString("hex");
  if (typeof key !== "string" || key === "" || /[\s\u0000-\u001f\u007f]/.test(key)) {
    throw new TypeError("key must be a non-empty string without spaces or control characters.");
  }
  const match = options.defaultMatchConfidence ?? DEFAULT_MATCH_CONFIDENCE;
  if (!(match >= 0 && match <= 1)) throw new RangeError("defaultMatchConfidence must be a number from 0 to 1.");
  const rectangle = options.defaultFaceRectangle ?? DEFAULT_FACE_RECTANGLE;
  const problem = faceRectangleProblem(rectangle, "defaultFaceRectangle");
  if (problem !== undefined) throw new RangeError(problem);
  return {
    key,
    acceptBearerTokens: options.acceptBearerTokens === true,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    ...(options.onRequest !== undefined ? { onRequest: options.onRequest } : {}),
    clientAttemptsAllowed: positiveInteger("clientAttemptsAllowed", options.clientAttemptsAllowed, 1),
    abuseMonitoringEnabled: options.abuseMonitoringEnabled === true,
    sessionLifetimeSeconds: positiveInteger(
      "sessionLifetimeSeconds",
      options.sessionLifetimeSeconds,
      DEFAULT_SESSION_LIFETIME_SECONDS,
    ),
    defaultFaceRectangle: copyRectangle(rectangle),
    defaultMatchConfidence: match,
    maxRequestBodyBytes: positiveInteger("maxRequestBodyBytes", options.maxRequestBodyBytes, 8 * 1024 * 1024),
    maxSessions: positiveInteger("maxSessions", options.maxSessions, DEFAULT_STORE_LIMITS.maxSessions),
    maxSessionImages: positiveInteger("maxSessionImages", options.maxSessionImages, DEFAULT_STORE_LIMITS.maxSessionImages),
    sessionImageRetentionSeconds: positiveInteger(
      "sessionImageRetentionSeconds",
      options.sessionImageRetentionSeconds,
      DEFAULT_STORE_LIMITS.sessionImageRetentionSeconds,
    ),
    sweepIntervalMs: positiveInteger("sweepIntervalMs", options.sweepIntervalMs, DEFAULT_STORE_LIMITS.sweepIntervalMs),
  };
}
