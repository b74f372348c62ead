import { parseDeviceAttempt, runDeviceAttempt, sessionForToken } from "../attempts.js";
import type { DeviceAttemptInput } from "../attempts.js";
import { readJsonObject } from "../body.js";
import type { EmulatorContext } from "../context.js";
import { EmulatorHttpError, jsonResponse } from "../responses.js";

/**
 * The device stand-in endpoint `POST /face/v1.2/emulator/device/attempts` (not part of the
 * Face API: the real device calls are made by the Face UI SDK and are not public).
 */

/** Path of the device stand-in endpoint. */
export const DEVICE_ATTEMPTS_PATH = "/face/v1.2/emulator/device/attempts";

/** The token of `Authorization: Bearer <token>`, or `undefined`. */
export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

/**
 * Handles a device attempt: `Authorization: Bearer <session authToken>`, JSON body
 * {@link DeviceAttemptInput} → 200 with the attempt as it now appears in the session.
 */
export async function postDeviceAttempt(ctx: EmulatorContext, request: Request): Promise<Response> {
  const token = bearerToken(request);
  if (token === undefined) {
    throw new EmulatorHttpError(401, "401", "Access denied: send the session auth token as 'Authorization: Bearer <authToken>'.");
  }
  sessionForToken(ctx, token);
  const input = parseDeviceAttempt(await readJsonObject(request, ctx.options.maxRequestBodyBytes));
  return jsonResponse(200, runDeviceAttempt(ctx, token, input));
}
