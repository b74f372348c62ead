import { randomUUID } from "node:crypto";

/**
 * Response headers as the recordings show them. Every recorded response has `apim-request-id`
 * (a UUID) and `x-ms-region`; responses with a body have `x-content-type-options: nosniff`;
 * billed calls have `csp-billing-usage`. `strict-transport-security` and
 * `x-envoy-upstream-service-time` (recorded too) belong to the HTTPS front door and its proxy,
 * not to the API, and are not sent.
 */

/** Content type of every JSON body (recorded: `application/json; charset=utf-8`). */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** Content type of a session image (recorded: `application/octet-stream`, not `image/jpeg`). */
export const SESSION_IMAGE_CONTENT_TYPE = "application/octet-stream";

/** `x-ms-region` of the emulator's answers (the service names its Azure region, e.g. `West US 2`). */
export const EMULATOR_REGION = "Emulator";

/** Header of a billed call (recorded value). */
export const BILLING_HEADER = { "csp-billing-usage": "CognitiveServices.Face.Transaction=1" } as const;

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
  if (response.body !== null) response.headers.set("x-content-type-options", "nosniff");
}
