import { randomUUID } from "node:crypto";

/**
 * Response headers as the recordings show them. Every recorded response has `apim-request-id`
 * (a UUID), `x-ms-region` and `x-content-type-options: nosniff` (a 204 too); every recorded
 * successful call has `csp-billing-usage`. `strict-transport-security` and
 * `x-envoy-upstream-service-time` (recorded too) belong to the HTTPS front door and its proxy,
 * not to the API, and are not sent.
 */

/** Content type of every JSON body (recorded: `application/json; charset=utf-8`). */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** Content type of a session image (recorded: `application/octet-stream`, not `image/jpeg`). */
export const SESSION_IMAGE_CONTENT_TYPE = "application/octet-stream";

/** `x-ms-region` of the emulator's answers (the service names its Azure region, e.g. `West US 2`). */
export const EMULATOR_REGION = "Emulator";

/**
 * Marks a successful Face API answer as billed (recorded value, on every recorded success:
 * create, get, delete, session image). The device stand-in is not the Face API and is not billed.
 */
export function markBilled(response: Response): void {
  response.headers.set("csp-billing-usage", "CognitiveServices.Face.Transaction=1");
}

/**
 * `content-disposition` of a session image (recorded:
 * `attachment; filename=<id>.jpg; filename*=UTF-8''<id>.jpg`). Session image ids are base64url,
 * so the name needs no quoting or percent-encoding.
 */
export function sessionImageDisposition(sessionImageId: string): string {
  return `attachment; filename=${sessionImageId}.jpg; filename*=UTF-8''${sessionImageId}.jpg`;
}

/** Adds the headers every answer of the service carries (`Response.error()` is left alone). */
export function addServiceHeaders(response: Response): void {
  if (response.type === "error") return;
  response.headers.set("apim-request-id", randomUUID());
  response.headers.set("x-ms-region", EMULATOR_REGION);
  response.headers.set("x-content-type-options", "nosniff");
}
