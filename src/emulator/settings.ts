import type { SessionSettings } from "./store.js";
import { badArgument } from "./responses.js";

/**
 * Validation of the create-session fields, shared by the JSON body (`detectLiveness-sessions`)
 * and the multipart form (`detectLivenessWithVerify-sessions`), with the service's rules and a
 * 400 `BadArgument` naming the field for each violation.
 */

/** The only liveness model of v1.2. */
export const LIVENESS_MODEL_VERSION = "2024-11-15";
/** Operation modes accepted by v1.2. */
export const OPERATION_MODES = ["Passive", "PassiveActive"] as const;
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
   * @param fromForm - True for multipart text parts (values are strings to convert).
   */
  constructor(read: FieldReader, fromForm: boolean) {
    this.#read = read;
    this.#fromForm = fromForm;
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

  /** A boolean field (`true`/`false`; in a form, case-insensitive text). */
  boolean(name: string): boolean | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    if (typeof value === "boolean" && !this.#fromForm) return value;
    if (this.#fromForm && typeof value === "string") {
      const text = value.trim().toLowerCase();
      if (text === "true") return true;
      if (text === "false") return false;
    }
    throw badArgument(`${name} must be true or false.`);
  }

  /** A number field in `[min, max]`; `integer` also requires a whole number. */
  number(name: string, min: number, max: number, integer: boolean): number | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    let n: number | undefined;
    if (typeof value === "number" && !this.#fromForm) n = value;
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

/** Validates the fields common to both create operations. */
export function parseSessionSettings(fields: FieldParser): SessionSettings {
  const mode = fields.string("livenessOperationMode");
  if (mode === undefined || mode === "") throw badArgument("livenessOperationMode is required.");
  if (!(OPERATION_MODES as readonly string[]).includes(mode)) {
    throw badArgument(`livenessOperationMode must be one of: ${OPERATION_MODES.join(", ")}.`);
  }
  const setInClient = fields.boolean("deviceCorrelationIdSetInClient") ?? false;
  const enableSessionImage = fields.boolean("enableSessionImage") ?? false;
  const model = fields.string("livenessModelVersion");
  if (model !== undefined && model !== LIVENESS_MODEL_VERSION) {
    throw badArgument(`livenessModelVersion must be '${LIVENESS_MODEL_VERSION}'.`);
  }
  const deviceCorrelationId = fields.string("deviceCorrelationId");
  if (setInClient && deviceCorrelationId !== undefined) {
    throw badArgument("deviceCorrelationId must be null or omitted when deviceCorrelationIdSetInClient is true.");
  }
  if (deviceCorrelationId !== undefined && deviceCorrelationId.trim() === "") {
    throw badArgument("deviceCorrelationId must not be empty.");
  }
  const ttl = fields.number("authTokenTimeToLiveInSeconds", 60, 86400, true) ?? DEFAULT_TOKEN_TTL_SECONDS;
  return {
    livenessOperationMode: mode,
    deviceCorrelationIdSetInClient: setInClient,
    enableSessionImage,
    livenessModelVersion: LIVENESS_MODEL_VERSION,
    ...(deviceCorrelationId !== undefined ? { deviceCorrelationId } : {}),
    authTokenTimeToLiveInSeconds: ttl,
  };
}
