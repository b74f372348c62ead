import type { EmulatorApiVersion } from "./apiVersions.js";
import { EmulatorHttpError } from "./responses.js";
import type { WireAttemptError, WireAttemptResult, WireFaceRectangle, WireOperationState } from "./wire/session.js";

/** The two session kinds, named after their paths. */
export type SessionKind = "detectLiveness" | "detectLivenessWithVerify";

/** Create-time settings of a session (the request fields, defaults applied). */
export interface SessionSettings {
  /** `Passive` or `PassiveActive` (canonical spelling). */
  readonly livenessOperationMode: string;
  /** Whether the device supplies the correlation id. */
  readonly deviceCorrelationIdSetInClient: boolean;
  /** Whether attempts store a session image. */
  readonly enableSessionImage: boolean;
  /** The liveness model: the request's `livenessModelVersion`, else the create version's default. */
  readonly livenessModelVersion: string;
  /** Device correlation id sent by the app server, if any. */
  readonly deviceCorrelationId?: string;
  /** Lifetime of the auth token, in seconds. */
  readonly authTokenTimeToLiveInSeconds: number;
  /**
   * Device attempts the session accepts: `numberOfClientAttemptsAllowed` (v1.3-preview.1,
   * default 1; 0 means 3, as the token of a recorded `0` allowed), or the emulator's
   * `clientAttemptsAllowed` option for v1.2 sessions.
   */
  readonly numberOfClientAttemptsAllowed: number;
  /** User correlation id sent by the app server (v1.3-preview.1 liveness sessions), if any. */
  readonly userCorrelationId?: string;
  /** Whether the device supplies the user correlation id (v1.3-preview.1). */
  readonly userCorrelationIdSetInClient: boolean;
  /** Expected client IP address or CIDR block (v1.3-preview.1 liveness sessions), if any. */
  readonly expectedClientIpAddress?: string;
}

/** Create-time settings of the verify part of a with-verify session. */
export interface VerifySettings {
  /** Uppercase hex SHA-256 of the verify image bytes. */
  readonly imageHash: string;
  /** `isIdentical` is `matchConfidence >= threshold`. */
  readonly threshold: number;
  /** Whether results carry `verifyImageHash`. */
  readonly returnVerifyImageHash: boolean;
  /** The analysed verify image, as reported in `results.verifyReferences` (`referenceType` in the create response only). */
  readonly reference: { readonly referenceType: string; readonly faceRectangle: WireFaceRectangle; readonly qualityForRecognition: string };
  /** The verify image as uploaded (shown by the console); dropped when the session is removed. */
  readonly image?: Uint8Array;
}

/** One attempt as stored (`result` carries verify fields only for with-verify sessions; `wire/toWireSession.ts` makes its wire form). */
export interface AttemptRecord {
  /** 1, 2, ... in creation order. */
  readonly attemptId: number;
  /** `Running` until the device completes the attempt, then `Succeeded` or `Failed`. */
  attemptStatus: WireOperationState;
  /** Set when the attempt succeeded. */
  result?: WireAttemptResult;
  /** Set when the attempt failed. */
  error?: WireAttemptError;
  /** Client IPs the device called from for this attempt, first one first (no duplicates). */
  readonly clientIps: string[];
  /** Abuse raised for this attempt (device `abuseDetected`, or an IP outside the expected range). */
  abuseDetected: boolean;
}

/** A stored session. */
export interface SessionRecord {
  /** Which path the session lives under. */
  readonly kind: SessionKind;
  /** The session id (a UUID). */
  readonly sessionId: string;
  /** The opaque bearer token handed to the device. */
  readonly authToken: string;
  /** Creation time (emulator clock, epoch ms). */
  readonly createdAt: number;
  /** Time the auth token stops working (emulator clock, epoch ms). */
  readonly tokenExpiresAt: number;
  /** Create-time settings. */
  readonly settings: SessionSettings;
  /** Verify settings, for with-verify sessions only. */
  readonly verify?: VerifySettings;
  /** Attempts, oldest first (the wire lists them newest first). */
  readonly attempts: AttemptRecord[];
  /** API version of the create request: the device stand-in answers in its shape (reads use the reading request's version). */
  readonly apiVersion: EmulatorApiVersion;
  /** The resource's abuse-monitoring setting when the session was created. */
  readonly isAbuseMonitoringEnabled: boolean;
  /** Set by `emulator.flagAbuse(sessionId)`: every attempt of the session reports abuse. */
  abuseFlagged: boolean;
}

/** A stored session image. */
export interface SessionImageRecord {
  /** The image bytes. */
  readonly bytes: Uint8Array;
  /** Where the face is in the image. */
  readonly faceRectangle: WireFaceRectangle;
}

/** How and when a session left the store. */
export interface Removal {
  /** `deleted` by a DELETE request, or `expired` (older than the session lifetime). */
  readonly reason: "deleted" | "expired";
  /** Emulator clock, epoch ms. */
  readonly at: number;
}

/** A session that left the store, as the console lists it. */
export interface RemovedSession extends Removal {
  /** The session as it was (its verify image dropped). */
  readonly record: SessionRecord;
}

/** How many removed sessions the store remembers (oldest forgotten first). */
export const MAX_REMOVED_SESSIONS = 100;

/** Bounds of a {@link SessionStore}, from the emulator's options. */
export interface StoreLimits {
  /** Most sessions stored at once; creating one more is refused (507). */
  readonly maxSessions: number;
  /** Most session images stored at once; one more drops the oldest (of an ended session first). */
  readonly maxSessionImages: number;
  /** Lifetime of a session from its creation, in ms (emulator clock). */
  readonly sessionLifetimeMs: number;
  /** How long a session image stays downloadable after its session ended (deleted or expired), in ms. */
  readonly imageRetentionMs: number;
}

interface StoredImage extends SessionImageRecord {
  /** When the image is freed (emulator clock); unset while its session lives. */
  freeAt?: number;
}

/**
 * In-memory storage of sessions, their tokens and their session images, within
 * {@link StoreLimits}. Expired sessions are dropped when looked up and by {@link SessionStore.sweep}.
 */
export class SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #tokens = new Map<string, SessionRecord>();
  readonly #images = new Map<string, StoredImage>();
  readonly #limits: StoreLimits;
  readonly #removed: RemovedSession[] = [];
  readonly #now: () => number;

  /**
   * @param limits - Caps and lifetimes.
   * @param now - The emulator clock, in epoch ms.
   */
  constructor(limits: StoreLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /**
   * Stores a new session and indexes its token. At `maxSessions` it first sweeps, then refuses
   * with 507 `EmulatorStorageFull` (nothing is evicted: a stored session never disappears early).
   */
  add(record: SessionRecord): void {
    if (this.#sessions.size >= this.#limits.maxSessions) this.sweep();
    if (this.#sessions.size >= this.#limits.maxSessions) {
      throw new EmulatorHttpError(
        507,
        "EmulatorStorageFull",
        `The emulator stores at most ${this.#limits.maxSessions} sessions (option maxSessions) and all are in use; delete sessions or raise the limit.`,
      );
    }
    this.#sessions.set(record.sessionId, record);
    this.#tokens.set(record.authToken, record);
  }

  /**
   * The session `sessionId` of `kind`; `undefined` when unknown, of the other kind, or older than
   * `lifetimeMs` at time `now` (an expired session is forgotten).
   */
  find(kind: SessionKind, sessionId: string, now: number, lifetimeMs: number): SessionRecord | undefined {
    const record = this.#sessions.get(sessionId);
    if (record === undefined) return undefined;
    if (now - record.createdAt >= lifetimeMs) {
      this.remove(record, { reason: "expired", at: now });
      return undefined;
    }
    return record.kind === kind ? record : undefined;
  }

  /**
   * Forgets a session and revokes its token. Its session images stay downloadable for
   * `imageRetentionMs` after `removal.at`.
   */
  remove(record: SessionRecord, removal: Removal): void {
    if (!this.#sessions.delete(record.sessionId)) return;
    this.#tokens.delete(record.authToken);
    for (const attempt of record.attempts) {
      const id = attempt.result?.sessionImageId;
      const image = id !== undefined ? this.#images.get(id) : undefined;
      if (image !== undefined) image.freeAt = removal.at + this.#limits.imageRetentionMs;
    }
    const kept = record.verify?.image !== undefined ? { ...record, verify: { ...record.verify, image: undefined } } : record;
    this.#removed.push({ ...removal, record: kept });
    if (this.#removed.length > MAX_REMOVED_SESSIONS) this.#removed.shift();
  }

  /** The last {@link MAX_REMOVED_SESSIONS} removed sessions, oldest removal first. */
  removed(): readonly RemovedSession[] {
    return this.#removed;
  }

  /** The session holding `authToken`, if the token was issued and not revoked. */
  byToken(authToken: string): SessionRecord | undefined {
    return this.#tokens.get(authToken);
  }

  /**
   * Stores a session image under `id`. At `maxSessionImages` the oldest image of an ended session
   * is dropped first, else the oldest of all (its GET then answers 404 `SessionImageNotFound`).
   */
  addImage(id: string, image: SessionImageRecord): void {
    if (this.#images.size >= this.#limits.maxSessionImages) {
      let victim: string | undefined;
      for (const [key, stored] of this.#images) {
        victim ??= key;
        if (stored.freeAt !== undefined) {
          victim = key;
          break;
        }
      }
      if (victim !== undefined) this.#images.delete(victim);
    }
    this.#images.set(id, { ...image });
  }

  /** The session image `id`, if any. */
  image(id: string): SessionImageRecord | undefined {
    return this.#images.get(id);
  }

  /** Drops the sessions past their lifetime and the session images past their retention. */
  sweep(): void {
    const now = this.#now();
    for (const record of this.#sessions.values()) {
      if (now - record.createdAt >= this.#limits.sessionLifetimeMs) this.remove(record, { reason: "expired", at: now });
    }
    for (const [id, image] of this.#images) {
      if (image.freeAt !== undefined && image.freeAt <= now) this.#images.delete(id);
    }
  }

  /** Every stored session, oldest first (including sessions past their lifetime not yet swept). */
  sessions(): IterableIterator<SessionRecord> {
    return this.#sessions.values();
  }

  /** Number of stored sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Number of stored session images. */
  get imageCount(): number {
    return this.#images.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.#sessions.clear();
    this.#tokens.clear();
    this.#images.clear();
    this.#removed.length = 0;
  }
}
