import type { BodyPart, HttpClient, HttpMethods, PipelineRequestOptions, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders, createPipelineRequest, isRestError, RestError } from "@azure/core-rest-pipeline";
import type { TracingClient, TracingSpan } from "@azure/core-tracing";
import { createTracingClient } from "@azure/core-tracing";
import { logger } from "../logger.js";
import type { FaceOperationOptions } from "../options.js";
import { throwIfAborted, withAbortReason } from "../internal/abort.js";
import { MAX_TIMER_DELAY_IN_MS, PACKAGE_NAME, SDK_VERSION } from "../internal/constants.js";
import type { ServiceEndpoint } from "../internal/endpoint.js";
import { createParseError, createServiceError } from "../internal/responseErrors.js";
import { checkInteger } from "../internal/validation.js";
import type { FacePipelines } from "./createFacePipeline.js";
import type { ErrorRedaction } from "./redactError.js";
import { redactError } from "./redactError.js";
import type { ResolvedLimits } from "./limits.js";
import { attemptCount } from "./policies/attemptPolicy.js";
import { withResponseMetadata } from "./responseMetadata.js";

/** What one operation sends: method, path and body; the status check and parsing are the caller's. */
export interface RequestSpec {
  method: HttpMethods;
  path: string;
  query?: string;
  json?: unknown;
  multipart?: BodyPart[];
  accept?: string;
  stream?: boolean;
  /** Session creation: retried only when the service cannot have created a session. */
  create?: boolean;
}

/** Everything a client sends through, built once at construction. */
export interface OperationContext {
  readonly service: ServiceEndpoint;
  readonly limits: ResolvedLimits;
  readonly pipelines: FacePipelines;
  readonly httpClient: HttpClient;
  readonly tracing: TracingClient;
  /** The secrets this client sent or received, scrubbed from its errors and log lines. */
  readonly redaction: ErrorRedaction;
}

/** The tracing client of every operation span (namespace `Microsoft.CognitiveServices`). */
export function createOperationTracing(): TracingClient {
  return createTracingClient({ namespace: "Microsoft.CognitiveServices", packageName: PACKAGE_NAME, packageVersion: SDK_VERSION });
}

/**
 * A DELETE answered 404 on a retry: the earlier attempt deleted the session and its answer was
 * lost, so the session is gone as asked.
 */
function isDeletedByEarlierAttempt(spec: RequestSpec, response: PipelineResponse): boolean {
  return spec.method === "DELETE" && response.status === 404 && attemptCount(response.request) > 1;
}

/** Parses a buffered JSON body; an empty or non-JSON body is a `PARSE_ERROR` that never echoes it. */
export function parseJsonBody(response: PipelineResponse): unknown {
  const text = response.bodyAsText ?? "";
  try {
    return JSON.parse(text);
  } catch {
    if (/^\s*$/.test(text)) {
      throw createParseError(response, `the service returned HTTP ${response.status} with an empty body.`);
    }
    const contentType = response.headers.get("content-type") ?? "no content type";
    throw createParseError(response, `the service returned HTTP ${response.status} with a body that is not valid JSON (${contentType}).`);
  }
}

/** What an operation passes to {@link sendOperation} after the context. */
export type OperationArguments<T> = [
  operation: string,
  options: FaceOperationOptions,
  spec: RequestSpec,
  successStatuses: readonly number[],
  deserialize: (response: PipelineResponse) => T,
];

/**
 * Sends one operation: one client span (carrying the HTTP attributes, propagated in
 * `traceparent`), the request through the create or read pipeline, the status check (a service
 * error otherwise), then `deserialize`, whose `PARSE_ERROR`s are given the response here, once.
 * `onResponse` sees every response that arrived. Every error leaves through `redactError`
 * (before the span records it), and the tokens of a returned value are remembered for it.
 */
export async function sendOperation<T>(context: OperationContext, ...args: OperationArguments<T>): Promise<T> {
  const [operation, options, spec, successStatuses, deserialize] = args;
  throwIfAborted(options.abortSignal);
  checkInteger("requestOptions.timeout", options.requestOptions?.timeout, 0, MAX_TIMER_DELAY_IN_MS);
  const { service, limits, pipelines, httpClient, tracing, redaction } = context;
  const { secrets } = redaction;
  const url = `${service.baseUrl}${spec.path}${spec.query ? `?${spec.query}` : ""}`;
  const spanOptions = { spanKind: "client" as const, spanAttributes: { "http.method": spec.method, "http.url": url } };
  const redacting = (fn: (updatedOptions: FaceOperationOptions, span: Omit<TracingSpan, "end">) => Promise<T>) =>
    (updatedOptions: FaceOperationOptions, span: Omit<TracingSpan, "end">): Promise<T> =>
      fn(updatedOptions, span).catch((error: unknown) => {
        throw redactError(error, redaction);
      });
  return tracing.withSpan(`FaceSessionClient.${operation}`, options, redacting(async (updatedOptions, span) => {
    const headers = createHttpHeaders(updatedOptions.requestOptions?.customHeaders);
    headers.set("Accept", spec.accept ?? "application/json");
    for (const [name, value] of Object.entries(tracing.createRequestHeaders(updatedOptions.tracingOptions?.tracingContext))) {
      headers.set(name, value);
    }
    const requestOptions: PipelineRequestOptions = {
      url,
      method: spec.method,
      headers,
      abortSignal: updatedOptions.abortSignal,
      allowInsecureConnection: service.insecure,
      // Each attempt's deadline, body included; the transport applies it (see nodeHttpClient).
      timeout: updatedOptions.requestOptions?.timeout ?? limits.requestTimeoutInMs,
    };
    if (spec.json !== undefined) {
      headers.set("Content-Type", "application/json");
      requestOptions.body = JSON.stringify(spec.json);
    }
    if (spec.multipart !== undefined) {
      headers.set("Content-Type", "multipart/form-data");
      requestOptions.multipartBody = { parts: spec.multipart };
    }
    if (spec.stream) requestOptions.streamResponseStatusCodes = new Set(successStatuses);
    const request = createPipelineRequest(requestOptions);
    let response: PipelineResponse;
    try {
      const pipeline = spec.create ? pipelines.create : pipelines.read;
      response = await pipeline.sendRequest(httpClient, request);
      if (span.isRecording()) {
        span.setAttribute("http.status_code", response.status);
        const requestId = response.headers.get("apim-request-id");
        span.setAttribute("serviceRequestId", requestId === undefined ? undefined : secrets.scrub(requestId));
      }
    } catch (error) {
      if (isRestError(error) && error.statusCode !== undefined) span.setAttribute("http.status_code", error.statusCode);
      if (isRestError(error) && error.code !== undefined) {
        logger.warning(secrets.scrub(`${operation} failed before a response arrived: ${error.code}`));
      }
      throw withAbortReason(error, updatedOptions.abortSignal);
    }
    if (!successStatuses.includes(response.status) && !isDeletedByEarlierAttempt(spec, response)) {
      const error = createServiceError(response);
      logger.info(secrets.scrub(`${operation} failed: HTTP ${response.status} ${error.code ?? ""}`));
      updatedOptions.onResponse?.(response);
      throw error;
    }
    let value: T;
    try {
      value = deserialize(response);
    } catch (error) {
      updatedOptions.onResponse?.(response);
      if (isRestError(error) && error.code === RestError.PARSE_ERROR && error.statusCode === undefined) {
        throw createParseError(response, error.message.replace(/^PARSE_ERROR: /, ""));
      }
      throw error;
    }
    secrets.addTokensOf(value);
    updatedOptions.onResponse?.(response, value);
    return withResponseMetadata(value, response, (text) => secrets.scrub(text));
  }), spanOptions);
}
