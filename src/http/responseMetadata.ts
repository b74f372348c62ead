import type { PipelineResponse } from "@azure/core-rest-pipeline";

/** The `apim-request-id` of a response, when the service sent one. */
export function requestIdOf(response: PipelineResponse): string | undefined {
  return response.headers.get("apim-request-id") ?? undefined;
}

/** What a delete resolves with: the request id as an ordinary property (nothing else to show). */
export function deleteResult(response: PipelineResponse): { requestId?: string } {
  const requestId = requestIdOf(response);
  return requestId === undefined ? {} : { requestId };
}

/**
 * Adds the response's request id to a result as a non-enumerable, read-only `requestId` (see
 * `FaceResponseMetadata`); a result with its own `requestId` (a delete's) gets the same value.
 * `scrub` replaces any secret a server might echo in the header. Primitives pass unchanged.
 */
export function withResponseMetadata<T>(value: T, response: PipelineResponse, scrub: (text: string) => string = (t) => t): T {
  if (typeof value !== "object" || value === null) return value;
  const raw = requestIdOf(response);
  const requestId = raw === undefined ? undefined : scrub(raw);
  if (Object.prototype.hasOwnProperty.call(value, "requestId")) {
    (value as { requestId?: string }).requestId = requestId;
  } else {
    Object.defineProperty(value, "requestId", { value: requestId, enumerable: false, configurable: true });
  }
  return value;
}
