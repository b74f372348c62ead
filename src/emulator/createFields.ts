import { isPreview, type EmulatorApiVersion } from "./apiVersions.js";
import { parseIpRange } from "./ipAddress.js";
import { checkLength, MAX_CORRELATION_ID_LENGTH } from "./fieldLimits.js";
import { badArgument } from "./responses.js";
import type { SessionSettings } from "./store.js";
import { LIVENESS_MODEL_VERSIONS, defaultModelVersion } from "./wire/modelVersions.js";

/**
 * Validation of the create-session fields, shared by the JSON body (`detectLiveness-sessions`)
 * and the multipart form (`detectLivenessWithVerify-sessions`), with the service's rules and a
 * 400 `BadArgument` naming the field for each violation. Fields an operation does not take are
 * ignored, as unknown fields are: Microsoft's Vue.js sample sends the v1.3-preview.1
 * `userCorrelationId` to v1.2, its MCP server sample the v1.1 `sendResultsToClient`. The
 * v1.3-preview.1 fields take effect only on that version (and, on the multipart form, only
 * `numberOfClientAttemptsAllowed`).
 */

/**
 * Operation modes, canonical spelling. Accepted in any letter case: Microsoft's liveness
 * tutorial sends `"passive"`.
 */
export const OPERATION_MODES = ["Passive", "PassiveActive"] as const;
/**
 * `numberOfClientAttemptsAllowed: 0` is accepted (recorded) and gives the session this many
 * attempts: the recorded session token of a `0` create allowed 3 attempt ends.
 */
export const ATTEMPTS_WHEN_ZERO = 3;
/** Default `authTokenTimeToLiveInSeconds`. */
export const DEFAULT_TOKEN_TTL_SECONDS = 600;
/**
 * Reads one field: from JSON the value as sent (`null` counts as absent), from a form the part's
 * text. `undefined` when absent.
 */
export type FieldReader = (name: string) => unknown;

/** Typed access to the fields of a JSON body or a multipart form. */
export class FieldParser {
  readonly #read: FieldReader;
  readonly #fromForm: boolean;

  /**
   * @param read - Returns the raw field value.
   * @param fromForm - True for a multipart form: numbers may come as text (a JSON `Parameters`
   *   part gives typed values too).
   */
  constructor(read: FieldReader, fromForm: boolean) {
    this.#read = read;
    this.#fromForm = fromForm;
  }

  /** Whether the field is present (`null` counts as absent). */
  has(name: string): boolean {
    return this.#raw(name) !== undefined;
  }

  #raw(name: string): unknown {
    const value = this.#read(name);
    return value === null ? undefined : value;
  }

  /** A string field. */
  string(name: string): string | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw badArgument(`${name} must be a string.`);
    return value;
  }

  /**
   * A boolean field: `true`/`false`, or the text `"true"`/`"false"` in any case (a form part's
   * text, and in JSON too: Microsoft's liveness tutorial sends `"enableSessionImage": "true"`).
   */
  boolean(name: string): boolean | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    if (typeof value === "boolean") return value;
    if (typeof value === "string") {
      const text = value.trim().toLowerCase();
      if (text === "true") return true;
      if (text === "false") return false;
    }
    throw badArgument(`${name} must be true or false.`);
  }

  /** A string field that must be one of `allowed`, matched in any letter case; returns the canonical spelling. */
  choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const match = allowed.find((a) => a.toLowerCase() === text.trim().toLowerCase());
    if (match === undefined) throw badArgument(`${name} must be one of: ${allowed.join(", ")}.`);
    return match;
  }

  /** A number field in `[min, max]`; `integer` also requires a whole number. */
  number(name: string, min: number, max: number, integer: boolean): number | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    let n: number | undefined;
    if (typeof value === "number") n = value;
    else if (this.#fromForm && typeof value === "string") {
      const text = value.trim();
      const pattern = integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      if (pattern.test(text)) n = Number(text);
    }
    const kind = integer ? "an integer" : "a number";
    if (n === undefined || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      throw badArgument(`${name} must be ${kind} between ${min} and ${max}.`);
    }
    return n;
  }
}

/** How a create request is read: its API version, body kind and the v1.2 attempts default. */
export interface CreateFieldsContext {
  /** API version of the request. */
  readonly version: EmulatorApiVersion;
  /** True for the multipart form of `detectLivenessWithVerify-sessions`. */
  readonly form: boolean;
  /** Attempts allowed for sessions that cannot say (v1.2): the emulator's `clientAttemptsAllowed`. */
  readonly v12AttemptsAllowed: number;
}

function parseUserCorrelation(fields: FieldParser): Pick<SessionSettings, "userCorrelationId" | "userCorrelationIdSetInClient"> {
  const setInClient = fields.boolean("userCorrelationIdSetInClient") ?? false;
  const id = fields.string("userCorrelationId");
  if (setInClient && id !== undefined) {
    throw badArgument("userCorrelationId must be null or omitted when userCorrelationIdSetInClient is true.");
  }
  if (id !== undefined && id.trim() === "") throw badArgument("userCorrelationId must not be empty.");
  checkLength("userCorrelationId", id, MAX_CORRELATION_ID_LENGTH);
  return { userCorrelationIdSetInClient: setInClient, ...(id !== undefined ? { userCorrelationId: id } : {}) };
}

function parseExpectedIp(fields: FieldParser): string | undefined {
  const text = fields.string("expectedClientIpAddress");
  if (text !== undefined && parseIpRange(text) === undefined) {
    throw badArgument("expectedClientIpAddress must be an IPv4 or IPv6 address or a CIDR block such as '203.0.113.0/24'.");
  }
  return text;
}

/** Validates the fields common to both create operations, for the request's API version. */
export function parseSessionSettings(fields: FieldParser, context: CreateFieldsContext): SessionSettings {
  if ((fields.string("livenessOperationMode") ?? "") === "") throw badArgument("livenessOperationMode is required.");
  const mode = fields.choice("livenessOperationMode", OPERATION_MODES)!;
  const setInClient = fields.boolean("deviceCorrelationIdSetInClient") ?? false;
  const enableSessionImage = fields.boolean("enableSessionImage") ?? false;
  const model = fields.choice("livenessModelVersion", LIVENESS_MODEL_VERSIONS[context.version]) ?? defaultModelVersion(context.version);
  const deviceCorrelationId = fields.string("deviceCorrelationId");
  if (setInClient && deviceCorrelationId !== undefined) {
    throw badArgument("deviceCorrelationId must be null or omitted when deviceCorrelationIdSetInClient is true.");
  }
  if (deviceCorrelationId !== undefined && deviceCorrelationId.trim() === "") {
    throw badArgument("deviceCorrelationId must not be empty.");
  }
  checkLength("deviceCorrelationId", deviceCorrelationId, MAX_CORRELATION_ID_LENGTH);
  const ttl = fields.number("authTokenTimeToLiveInSeconds", 60, 86400, true) ?? DEFAULT_TOKEN_TTL_SECONDS;
  const preview = isPreview(context.version);
  const requested = preview ? (fields.number("numberOfClientAttemptsAllowed", 0, 3, true) ?? 1) : context.v12AttemptsAllowed;
  const attempts = requested === 0 ? ATTEMPTS_WHEN_ZERO : requested;
  const user = preview && !context.form ? parseUserCorrelation(fields) : { userCorrelationIdSetInClient: false };
  const expectedIp = preview && !context.form ? parseExpectedIp(fields) : undefined;
  return {
    livenessOperationMode: mode,
    deviceCorrelationIdSetInClient: setInClient,
    enableSessionImage,
    livenessModelVersion: model,
    ...(deviceCorrelationId !== undefined ? { deviceCorrelationId } : {}),
    authTokenTimeToLiveInSeconds: ttl,
    numberOfClientAttemptsAllowed: attempts,
    ...user,
    ...(expectedIp !== undefined ? { expectedClientIpAddress: expectedIp } : {}),
  };
}
