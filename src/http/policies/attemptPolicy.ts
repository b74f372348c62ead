import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { RestError, isRestError } from "@azure/core-rest-pipeline";

/** Name of the policy that runs once per HTTP attempt. */
export const attemptPolicyName = "faceAttemptPolicy";

const attemptCounts = new WeakMap<PipelineRequest, number>();
const attemptTimeouts = new WeakMap<PipelineRequest, number>();

/** Bounds each HTTP attempt of `request` to `timeoutInMs`, response body included (0: none). */
export function setAttemptTimeout(request: PipelineRequest, timeoutInMs: number): void {
  if (timeoutInMs > 0) attemptTimeouts.set(request, timeoutInMs);
}

/** How many HTTP attempts `request` has made so far. */
export function attemptCount(request: PipelineRequest): number {
  return attemptCounts.get(request) ?? 0;
}

/**
 * Runs inside the retry loop, once per HTTP attempt:
 *
 * - counts attempts (a DELETE answered 404 after a lost first answer is then known to be done);
 * - applies the per-attempt timeout with its own timer, cleared whatever happens, and covering
 *   the whole body of a buffered response. core's transport timer covers only the headers and
 *   stays armed after a failed attempt. A timed-out attempt fails with code `ETIMEDOUT`, which
 *   the read retries treat as transient and the create retries do not;
 * - reports a connection dropped while the body was read as `ECONNRESET` (core reports a
 *   `PARSE_ERROR`), so reads are retried as after any other reset.
 */
export function attemptPolicy(): PipelinePolicy {
  return {
    name: attemptPolicyName,
    async sendRequest(request, next) {
      attemptCounts.set(request, attemptCount(request) + 1);
      try {
        const timeoutInMs = attemptTimeouts.get(request);
        return timeoutInMs === undefined ? await next(request) : await withTimeout(request, next, timeoutInMs);
      } catch (error) {
        if (isRestError(error) && error.code === RestError.PARSE_ERROR && error.statusCode === undefined) {
          throw new RestError("The connection was closed while the response was read.", { code: "ECONNRESET", request });
        }
        throw error;
      }
    },
  };
}

async function withTimeout(request: PipelineRequest, next: SendRequest, timeoutInMs: number): Promise<PipelineResponse> {
  const outer = request.abortSignal;
  const controller = new AbortController();
  const forward = (): void => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", forward, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutInMs);
  request.abortSignal = controller.signal;
  try {
    const response = await next(request);
    // A streamed body still needs the caller's signal; anything else is complete.
    if (response.readableStreamBody === undefined) outer?.removeEventListener("abort", forward);
    return response;
  } catch (error) {
    outer?.removeEventListener("abort", forward);
    if (timedOut && !outer?.aborted) {
      throw new RestError(`The request timed out after ${timeoutInMs} ms.`, { code: "ETIMEDOUT", request });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    request.abortSignal = outer;
  }
}
