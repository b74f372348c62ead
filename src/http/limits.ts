import type { FaceClientLimits } from "../options.js";
import { MAX_TIMER_DELAY_IN_MS } from "../internal/constants.js";
import { checkInteger } from "../internal/validation.js";

/**
 * Default per-attempt timeout: connection, head and the whole body. The service answers reads in
 * well under a second and a liveness-with-verify create (6 MB image) in a few seconds; a minute
 * leaves room for a slow link while a server that holds the connection cannot hang an app.
 */
export const DEFAULT_REQUEST_TIMEOUT_IN_MS = 60_000;
/** Default longest silence while a response (head or body) is awaited. */
export const DEFAULT_IDLE_TIMEOUT_IN_MS = 30_000;
/**
 * Default cap on a buffered (JSON) response body. Session and detect bodies are a few KB (the
 * largest recorded is under 10 KB); 16 MiB is three orders of magnitude of room, and keeps a
 * hostile or broken server far from V8's 512 MiB string limit and from the app's memory.
 */
export const DEFAULT_MAX_RESPONSE_BODY_BYTES = 16 * 1024 * 1024;
/** Default cap on `SessionImage.bytes()`: the service's images are at most 6 MB. */
export const DEFAULT_MAX_SESSION_IMAGE_BYTES = 16 * 1024 * 1024;
/** Largest configurable buffered body: its text must stay under V8's string limit. */
const MAX_BUFFERED_BYTES = 256 * 1024 * 1024;
/** Largest configurable `bytes()` cap (a `Uint8Array` of that size is one allocation). */
const MAX_IMAGE_BYTES = 2 * 1024 * 1024 * 1024;

/** {@link FaceClientLimits} with every default applied. */
export type ResolvedLimits = Required<FaceClientLimits>;

/** Applies the defaults and checks each limit's range (RangeError naming the option otherwise). */
export function resolveLimits(limits: FaceClientLimits = {}): ResolvedLimits {
  checkInteger("limits.requestTimeoutInMs", limits.requestTimeoutInMs, 0, MAX_TIMER_DELAY_IN_MS);
  checkInteger("limits.idleTimeoutInMs", limits.idleTimeoutInMs, 0, MAX_TIMER_DELAY_IN_MS);
  checkInteger("limits.maxResponseBodyBytes", limits.maxResponseBodyBytes, 1, MAX_BUFFERED_BYTES);
  checkInteger("limits.maxSessionImageBytes", limits.maxSessionImageBytes, 1, MAX_IMAGE_BYTES);
  return {
    requestTimeoutInMs: limits.requestTimeoutInMs ?? DEFAULT_REQUEST_TIMEOUT_IN_MS,
    idleTimeoutInMs: limits.idleTimeoutInMs ?? DEFAULT_IDLE_TIMEOUT_IN_MS,
    maxResponseBodyBytes: limits.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BODY_BYTES,
    maxSessionImageBytes: limits.maxSessionImageBytes ?? DEFAULT_MAX_SESSION_IMAGE_BYTES,
  };
}
