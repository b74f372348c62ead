/**
 * In-memory emulator of the Azure AI Face liveness-session API (v1.2 and v1.3-preview.1), for
 * tests and local development: `azure-face-liveness/emulator`.
 *
 * - {@link FaceLivenessEmulator}: the transport-free core (`handle(Request): Promise<Response>`),
 *   the simulated device (`simulateDevice`), simulated abuse monitoring (`flagAbuse`) and fault
 *   injection (`faults`).
 * - {@link listen}: serves it over real HTTP, or HTTPS with a certificate made at start, on loopback.
 * - {@link createMswHandlers}: serves it in-process through msw.
 *
 * @packageDocumentation
 */
export { FaceLivenessEmulator } from "./core.js";
export type { HandleInfo } from "./core.js";
export { EMULATOR_API_VERSIONS } from "./apiVersions.js";
export type { EmulatorApiVersion } from "./apiVersions.js";
export { DEFAULT_SERVER_LIMITS, listen } from "./http.js";
export type { ListenOptions, ListenTlsOptions, RunningEmulator } from "./http.js";
export { CONSOLE_PATH } from "./console/server.js";
export type { EmulatorConsoleAccess } from "./console/server.js";
export { createMswHandlers } from "./msw.js";
export type { MswHttpNamespace } from "./msw.js";
export {
  DEFAULT_FACE_RECTANGLE,
  DEFAULT_MATCH_CONFIDENCE,
  DEFAULT_SESSION_LIFETIME_SECONDS,
  DEFAULT_STORE_LIMITS,
  DEFAULT_VERIFY_CONFIDENCE_THRESHOLD,
} from "./options.js";
export type { EmulatorRequestLogEntry, FaceLivenessEmulatorOptions } from "./options.js";
export { DEFAULT_CLIENT_IP, LIVENESS_DECISIONS } from "./attempts.js";
export type { DeviceAttemptInput, DeviceOutcome } from "./attempts.js";
export { DEVICE_ATTEMPTS_PATH, DEVICE_ATTEMPTS_SUFFIX } from "./ops/device.js";
export { CLIENT_ASSETS_TOKEN_LIFETIME_MS } from "./ops/settings.js";
export { FaultQueue } from "./faults.js";
export type { DelayFault, DropFault, EmulatorFault, FaultFilter, QueuedEmulatorFault, StatusFault } from "./faults.js";
export { EmulatorHttpError } from "./responses.js";
/** The emulator's own declarations of what it sends (written from recorded live traffic). */
export type {
  WireAbuseMonitoringResult,
  WireAttempt,
  WireAttemptError,
  WireAttemptResult,
  WireClientInformation,
  WireColorTarget,
  WireDecisionTargets,
  WireFaceRectangle,
  WireOperationState,
  WireSessionReference,
  WireVerifyResult,
} from "./wire/session.js";
