import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";

/** Name of the policy that runs once per HTTP attempt. */
export const attemptPolicyName = "faceAttemptPolicy";

const attemptCounts = new WeakMap<PipelineRequest, number>();

/** How many HTTP attempts `request` has made so far. */
export function attemptCount(request: PipelineRequest): number {
  return attemptCounts.get(request) ?? 0;
}

/**
 * Runs inside the retry loop and counts HTTP attempts, so that a DELETE answered 404 after a
 * lost first answer is known to be done. (Per-attempt deadlines, body timeouts and error codes
 * are the transport's: see `nodeHttpClient.ts`.)
 */
export function attemptPolicy(): PipelinePolicy {
  return {
    name: attemptPolicyName,
    sendRequest(request, next) {
      attemptCounts.set(request, attemptCount(request) + 1);
      return next(request);
    },
  };
}
