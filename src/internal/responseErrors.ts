import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
import type { FaceRestError } from "../errors.js";

const MAX_DETAIL_TEXT = 2048;

function withRequestId(error: RestError, response: PipelineResponse | undefined): FaceRestError {
  const requestId = response?.headers.get("apim-request-id");
  if (requestId !== undefined) (error as FaceRestError).requestId = requestId;
  return error;
}

/**
 * Turns a non-success response into a `RestError`. Accepts the Face error shape
 * (`error.code`), the gateway shape (`error.statusCode`) and bodies that are not JSON at all.
 */
export function createServiceError(response: PipelineResponse): FaceRestError {
  const status = response.status;
  const text = response.bodyAsText ?? "";
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error =
    typeof parsed === "object" && parsed !== null && typeof (parsed as { error?: unknown }).error === "object"
      ? ((parsed as { error: Record<string, unknown> }).error ?? {})
      : undefined;
  let code: string | undefined;
  let message: string | undefined;
  if (error !== undefined) {
    if (typeof error.code === "string" && error.code !== "") code = error.code;
    else if (typeof error.statusCode === "number") code = String(error.statusCode);
    if (typeof error.message === "string") message = error.message;
  }
  code ??= response.headers.get("x-ms-error-code") ?? String(status);
  if (message === undefined) {
    const contentType = response.headers.get("content-type") ?? "no content type";
    message =
      text === ""
        ? `The service returned HTTP ${status} with no body.`
        : `The service returned HTTP ${status} with a body that is not a Face error (${contentType}).`;
  }
  const restError = new RestError(`${code}: ${message}`, {
    code,
    statusCode: status,
    request: response.request,
    response,
  });
  restError.details = parsed !== undefined ? parsed : text === "" ? undefined : text.slice(0, MAX_DETAIL_TEXT);
  return withRequestId(restError, response);
}

/** A `PARSE_ERROR` for a success response whose body could not be read; never echoes the body. */
export function createParseError(response: PipelineResponse, reason: string): FaceRestError {
  const restError = new RestError(`PARSE_ERROR: ${reason}`, {
    code: RestError.PARSE_ERROR,
    statusCode: response.status,
    request: response.request,
    response,
  });
  return withRequestId(restError, response);
}
