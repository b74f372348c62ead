import type { HttpHeaders, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { RestError, createHttpHeaders, createPipelineRequest, isRestError } from "@azure/core-rest-pipeline";
import { LOGGABLE_HEADERS } from "../internal/constants.js";
import { KnownSecrets, SCRUBBED } from "../internal/knownSecrets.js";

/**
 * Header names whose values stay readable on an error's `request` and `response` (every other
 * value becomes `REDACTED`): the ones core's log sanitizer allows, the throttling headers the
 * poller reads, and the client's loggable headers. Values are still scrubbed of known secrets.
 */
export const ERROR_ALLOWED_HEADERS: readonly string[] = [
  "x-ms-client-request-id",
  "x-ms-return-client-request-id",
  "x-ms-useragent",
  "x-ms-correlation-request-id",
  "x-ms-request-id",
  "client-request-id",
  "ms-cv",
  "return-client-request-id",
  "traceparent",
  "accept",
  "cache-control",
  "connection",
  "content-length",
  "content-type",
  "date",
  "etag",
  "expires",
  "last-modified",
  "pragma",
  "request-id",
  "retry-after",
  "retry-after-ms",
  "x-ms-retry-after-ms",
  "server",
  "transfer-encoding",
  "user-agent",
];

/** Longest error body kept as `response.bodyAsText` (and as `details` when it is not JSON). */
export const MAX_ERROR_BODY_TEXT = 2048;

/** Errors already made safe, so a rethrow through a second client is not copied again. */
const safeErrors = new WeakSet<object>();

/** How an error is made safe: the secrets to scrub and the header names whose values stay readable. */
export interface ErrorRedaction {
  readonly secrets: KnownSecrets;
  /** Lower-case header names shown on `request`/`response` (scrubbed); others are `REDACTED`. */
  readonly allowedHeaders: ReadonlySet<string>;
}

/**
 * A client's redaction: an empty {@link KnownSecrets} and the allowed header names (the defaults,
 * the client's loggable headers and the caller's `additionalAllowedHeaderNames`).
 */
export function createErrorRedaction(additionalAllowedHeaderNames: readonly string[] = []): ErrorRedaction {
  const names = [...ERROR_ALLOWED_HEADERS, ...LOGGABLE_HEADERS, ...additionalAllowedHeaderNames];
  return { secrets: new KnownSecrets(), allowedHeaders: new Set(names.map((name) => name.toLowerCase())) };
}

function safeHeaders(headers: HttpHeaders | undefined, redaction: ErrorRedaction): HttpHeaders {
  const copy = createHttpHeaders();
  for (const [name, value] of headers ?? []) {
    copy.set(name, redaction.allowedHeaders.has(name.toLowerCase()) ? redaction.secrets.scrub(value) : SCRUBBED);
  }
  return copy;
}

/** The request without credentials, body, agent, proxy or TLS settings. */
function safeRequest(request: PipelineRequest, redaction: ErrorRedaction): PipelineRequest {
  return createPipelineRequest({
    url: redaction.secrets.scrub(request.url),
    method: request.method,
    headers: safeHeaders(request.headers, redaction),
    requestId: request.requestId,
    timeout: request.timeout,
    allowInsecureConnection: request.allowInsecureConnection,
  });
}

/**
 * Status, headers and the request; the body only for an error status (scrubbed and cut to
 * {@link MAX_ERROR_BODY_TEXT}): a success body that failed to parse may hold a session token the
 * client never learnt, so it is never attached.
 */
function safeResponse(response: PipelineResponse, request: PipelineRequest | undefined, redaction: ErrorRedaction): PipelineResponse {
  const safe: PipelineResponse = {
    request: request ?? safeRequest(response.request, redaction),
    status: response.status,
    headers: safeHeaders(response.headers, redaction),
  };
  if (response.status >= 400 && typeof response.bodyAsText === "string") {
    safe.bodyAsText = redaction.secrets.scrub(response.bodyAsText.slice(0, MAX_ERROR_BODY_TEXT));
  }
  return safe;
}

const REBUILT_FIELDS = new Set(["name", "message", "code", "statusCode", "request", "response", "stack"]);

/**
 * A copy of a `RestError` (ours or core's) that is safe to print, serialize and send to an error
 * tracker: `request` and `response` are rebuilt without credentials or success bodies, header
 * values outside {@link ERROR_ALLOWED_HEADERS} become `REDACTED`, and every known secret is
 * scrubbed from the message, stack, code and every other field (`details`, `requestId`, ...).
 * The credential of the failed request is learnt first, so an echo of it is scrubbed too.
 * Anything that is not a `RestError` is returned as is.
 */
export function redactError(error: unknown, redaction: ErrorRedaction): unknown {
  if (!isRestError(error) || safeErrors.has(error)) return error;
  const { secrets } = redaction;
  secrets.addCredentialOf(error.request?.headers);
  secrets.addCredentialOf(error.response?.request?.headers);
  const request = error.request === undefined ? undefined : safeRequest(error.request, redaction);
  const response = error.response === undefined ? undefined : safeResponse(error.response, request, redaction);
  const safe = new RestError(secrets.scrub(error.message), {
    code: error.code === undefined ? undefined : secrets.scrub(error.code),
    statusCode: error.statusCode,
    request,
    response,
  });
  for (const [field, value] of Object.entries(error)) {
    if (!REBUILT_FIELDS.has(field)) (safe as unknown as Record<string, unknown>)[field] = secrets.scrubDeep(value);
  }
  if (error.stack !== undefined) safe.stack = secrets.scrub(error.stack);
  safeErrors.add(safe);
  return safe;
}
