import { splitVersionedPath } from "./apiVersions.js";
import { errorResponse } from "./responses.js";

/**
 * Fault injection: make the next N matching requests fail with a status, wait, or lose their
 * connection. Faults apply to service API requests only, never to the device stand-in.
 */

/** Which requests a fault applies to, and how many times. */
export interface FaultFilter {
  /** Only requests with this method (case-insensitive). Default: any method. */
  method?: string;
  /**
   * Only requests whose path matches. A string is a prefix of the path after `/face/{version}`
   * (e.g. `/detectLiveness-sessions`, for both v1.2 and v1.3-preview.1), or of the full path
   * when it starts with `/face/`. A RegExp is tested against the full path. Default: any path.
   */
  path?: string | RegExp;
  /** How many matching requests the fault applies to. Default 1; `Infinity` for all. */
  count?: number;
}

/**
 * Answer with an HTTP error. 429 (without `code`) answers as the recorded gateway rate limit
 * (`{"error":{"code":"429","message"}}`), 403 (without `code`) with the gateway quota body
 * `{"error":{"statusCode":403,"message"}}`; other statuses use `{"error":{"code","message"}}`.
 */
export interface StatusFault extends FaultFilter {
  /** Discriminator. */
  kind: "status";
  /** HTTP status, 400 to 599 (e.g. 429, 500, 503). */
  status: number;
  /** Adds `Retry-After: <seconds>` (and, for 429, says so in the message). */
  retryAfterSeconds?: number;
  /** Face error code; forces the `{code, message}` body shape. */
  code?: string;
  /** Error message. Default: a message in the service's words for the status. */
  message?: string;
}

/** Wait `ms` milliseconds (with the emulator's `sleep`), then handle the request normally. */
export interface DelayFault extends FaultFilter {
  /** Discriminator. */
  kind: "delay";
  /** Delay in milliseconds. */
  ms: number;
}

/**
 * Lose the connection without a response: the HTTP adapter destroys the socket, the msw adapter
 * answers `Response.error()` (a network error), and `handle()` returns `Response.error()`.
 */
export interface DropFault extends FaultFilter {
  /** Discriminator. */
  kind: "drop";
}

/** A fault for {@link FaultQueue.enqueue}. */
export type EmulatorFault = StatusFault | DelayFault | DropFault;

interface QueuedFault {
  readonly fault: EmulatorFault;
  remaining: number;
}

/** A queued fault, as {@link FaultQueue.list} shows it. */
export interface QueuedEmulatorFault {
  /** The fault as enqueued. */
  readonly fault: EmulatorFault;
  /** How many more matching requests it applies to (`Infinity` for all). */
  readonly remaining: number;
}

function matches(fault: EmulatorFault, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  const filter = fault.path;
  if (filter === undefined) return true;
  if (filter instanceof RegExp) {
    filter.lastIndex = 0;
    return filter.test(path);
  }
  if (filter.startsWith("/face/")) return path.startsWith(filter);
  const split = splitVersionedPath(path);
  return split !== undefined && split.rest.startsWith(filter);
}

function check(fault: EmulatorFault): void {
  const count = fault.count ?? 1;
  if (!(count === Infinity || (Number.isSafeInteger(count) && count >= 1))) {
    throw new RangeError("fault.count must be a positive integer or Infinity.");
  }
  if (fault.kind === "status") {
    if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
      throw new RangeError("A status fault needs an HTTP error status from 400 to 599.");
    }
    const retry = fault.retryAfterSeconds;
    if (retry !== undefined && !(Number.isSafeInteger(retry) && retry >= 0)) {
      throw new RangeError("retryAfterSeconds must be a non-negative integer.");
    }
  } else if (fault.kind === "delay") {
    if (!(Number.isFinite(fault.ms) && fault.ms >= 0)) throw new RangeError("A delay fault needs ms >= 0.");
  } else if (fault.kind !== "drop") {
    throw new TypeError("fault.kind must be 'status', 'delay' or 'drop'.");
  }
}

/** Queue of faults, consumed first-in first-out by the requests they match. */
export class FaultQueue {
  readonly #queue: QueuedFault[] = [];

  /**
   * Adds a fault that applies to the next `count` (default 1) requests matching its filter.
   *
   * @example
   * ```ts
   * emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 1, count: 2 });
   * emulator.faults.enqueue({ kind: "drop", method: "GET", path: "/detectLiveness-sessions/" });
   * ```
   */
  enqueue(fault: EmulatorFault): void {
    check(fault);
    this.#queue.push({ fault: { ...fault }, remaining: fault.count ?? 1 });
  }

  /** Removes every queued fault. */
  clear(): void {
    this.#queue.length = 0;
  }

  /**
   * The queued faults, the first to apply first, with the uses each has left (copies: changing
   * them changes nothing).
   *
   * @example
   * ```ts
   * emulator.faults.enqueue({ kind: "status", status: 503, count: 2 });
   * emulator.faults.list(); // [{ fault: { kind: "status", status: 503, count: 2 }, remaining: 2 }]
   * ```
   */
  list(): QueuedEmulatorFault[] {
    return this.#queue.map((q) => ({ fault: { ...q.fault }, remaining: q.remaining }));
  }

  /** Number of faults still queued (each possibly applying to several requests). */
  get size(): number {
    return this.#queue.length;
  }

  /**
   * Takes the first queued fault matching the request (consuming one of its uses), or
   * `undefined`. Used by the emulator core for every service request.
   */
  take(method: string, path: string): EmulatorFault | undefined {
    const index = this.#queue.findIndex((q) => matches(q.fault, method, path));
    if (index < 0) return undefined;
    const queued = this.#queue[index]!;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#queue.splice(index, 1);
    return queued.fault;
  }
}

const DEFAULT_CODES: Readonly<Record<number, [string, string]>> = {
  500: ["InternalServerError", "An internal server error occurred."],
  502: ["BadGateway", "Bad gateway."],
  503: ["ServiceUnavailable", "The service is temporarily unavailable. Please retry later."],
  504: ["GatewayTimeout", "The gateway timed out."],
};

/** Content type of the gateway's own errors (recorded: without a charset). */
const GATEWAY_CONTENT_TYPE = "application/json";

function secondsText(seconds: number): string {
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/**
 * The response of a {@link StatusFault}. Without a `code`, 429 answers as the recorded gateway
 * rate limit does: `{"error":{"code":"429","message":"Requests to the ... exceeded call rate
 * limit ..."}}`, `content-type: application/json` without a charset, `Retry-After`. 403 keeps the
 * gateway quota body `{"error":{"statusCode":403,"message"}}` (CONTRACT; no recording).
 */
export function statusFaultResponse(fault: StatusFault): Response {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
  if (fault.code === undefined && fault.status === 429) {
    const message =
      fault.message ??
      `Requests to the Azure AI Face API have exceeded call rate limit of your current Face pricing tier. Please retry after ${secondsText(fault.retryAfterSeconds ?? 1)}. Please contact Azure support service if you would like to further increase the default rate limit.`;
    return new Response(JSON.stringify({ error: { code: "429", message } }), {
      status: 429,
      headers: { ...headers, "content-type": GATEWAY_CONTENT_TYPE },
    });
  }
  if (fault.code === undefined && fault.status === 403) {
    const message = fault.message ?? "Out of call volume quota. Quota will be replenished in 2 days.";
    return new Response(JSON.stringify({ error: { statusCode: 403, message } }), {
      status: 403,
      headers: { ...headers, "content-type": GATEWAY_CONTENT_TYPE },
    });
  }
  const [code, message] = DEFAULT_CODES[fault.status] ?? [String(fault.status), `Injected HTTP ${fault.status} error.`];
  return errorResponse(fault.status, fault.code ?? code, fault.message ?? message, headers);
}
