import { badArgument } from "./responses.js";

/**
 * Length limits of the free-text fields the emulator stores. The service documents none for
 * them (the correlation ids are described as GUIDs, 36 characters, and every recorded value is
 * one); these limits are generous enough for any id scheme and keep a request from storing
 * megabytes per session.
 */

/** Longest `deviceCorrelationId` / `userCorrelationId` accepted, in characters. */
export const MAX_CORRELATION_ID_LENGTH = 256;

/** Longest `message` of a failed device attempt accepted, in characters. */
export const MAX_DEVICE_MESSAGE_LENGTH = 1024;

/** Throws 400 `BadArgument` naming `name` when `value` is longer than `max` characters. */
export function checkLength(name: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) {
    throw badArgument(`${name} must be at most ${max} characters (got ${value.length}).`);
  }
}
