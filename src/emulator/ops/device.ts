import { parseDeviceAttempt, runDeviceAttempt, sessionForToken } from "../attempts.js";
import type { DeviceAttemptInput } from "../attempts.js";
import { readJsonObject } from "../body.js";
import type { EmulatorContext } from "../context.js";
import { EmulatorHttpError, jsonResponse } from "../responses.js";

/**
 * The device stand-in endpoint `POST /face/{version}/emulator/device/attempts` (not part of the
 * Face API: the real device calls are made by the Face UI SDK and are not public). Served under
 * both API versions; the session of the token decides the rules and the answer's shape.
 */

/** Path of the device stand-in endpoint after `/face/{version}`. */
export const DEVICE_ATTEMPTS_SUFFIX = "/emulator/device/attempts";

/** Path of the device stand-in endpoint on v1.2 (`/face/v1.3-preview.1/emulator/device/attempts` works too). */
export const DEVICE_ATTEMPTS_PATH = `/face/v1.2${DEVICE_ATTEMPTS_SUFFIX}`;

/** The token of `Authorization: Bearer <token>`, or `undefined`. */
export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

/**
 * Handles a device attempt: `Authorization: Bearer <session authToken>`, JSON body
 * {@link DeviceAttemptInput} → 200 with the attempt as it now appears in the session.
 *
 * @param transportIp - The client's address as the HTTP adapter saw it, if known.
 */
export async function postDeviceAttempt(ctx: EmulatorContext, request: Request, transportIp?: string): Promise<Response> {
  const token = bearerToken(request);
  if (token === undefined) {
    throw new EmulatorHttpError(401, "401", "Access denied: send the session auth token as 'Authorization: Bearer <authToken>'.");
  }
  sessionForToken(ctx, token);
  const input = parseDeviceAttempt(await readJsonObject(request, ctx.options.maxRequestBodyBytes));
  return jsonResponse(200, runDeviceAttempt(ctx, token, input, transportIp));
}
