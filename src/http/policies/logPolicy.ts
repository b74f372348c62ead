import type { LogPolicyOptions, PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";
import { logPolicy } from "@azure/core-rest-pipeline";

/** Name of the policy that logs requests and responses. */
export const faceLogPolicyName = "faceLogPolicy";

/** The fields of a request that may be logged (after the sanitizer): never agents, sockets or bodies. */
function loggableView(request: PipelineRequest): PipelineRequest {
  return {
    url: request.url,
    method: request.method,
    headers: request.headers,
    requestId: request.requestId,
    timeout: request.timeout,
  } as PipelineRequest;
}

/**
 * core's log policy (its allow-list sanitizer: unknown headers and query values print as
 * `REDACTED`) over a view of each request that holds only its URL, method, headers, id and
 * timeout. core's own policy serializes the whole request, and `request.agent` holds sockets
 * whose last raw head carries the API key or bearer token of the previous request.
 */
export function faceLogPolicy(options: LogPolicyOptions): PipelinePolicy {
  const inner = logPolicy(options);
  return {
    name: faceLogPolicyName,
    sendRequest: (request, next) => inner.sendRequest(loggableView(request), () => next(request)),
  };
}
