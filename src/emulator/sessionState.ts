import type { SessionRecord } from "./store.js";
import type { WireOperationState } from "./wire/session.js";

/**
 * The attempt rules that decide a session's status: how many device attempts are left, and
 * whether the session still waits for one.
 */

/** Device attempts the session still accepts (0 once they are used up or one succeeded). */
export function attemptsLeft(record: SessionRecord): number {
  if (record.attempts.some((a) => a.attemptStatus === "Succeeded")) return 0;
  return Math.max(0, record.settings.numberOfClientAttemptsAllowed - record.attempts.length);
}

/**
 * Status of a session at time `now` (emulator clock):
 *
 * - `NotStarted` without attempts;
 * - `Running` while an attempt runs (recorded: a started session reads `Running` with
 *   `attempts: []`, the attempt not listed until it finishes);
 * - `Succeeded` once an attempt succeeded (whatever its decision; no attempt follows it);
 * - after a failed attempt: `Running` while attempts are left and the auth token still works
 *   (the end user may try again), else `Failed`.
 */
export function sessionStatus(record: SessionRecord, now: number): WireOperationState {
  const last = record.attempts.at(-1);
  if (last === undefined) return "NotStarted";
  if (last.attemptStatus === "Failed" && attemptsLeft(record) > 0 && now < record.tokenExpiresAt) return "Running";
  return last.attemptStatus;
}
