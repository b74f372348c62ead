import { randomBytes } from "node:crypto";
import { readJsonObject } from "../body.js";
import { jsonResponse } from "../responses.js";
import type { OperationCall } from "../router.js";
import type { WireClientAssetsAccessToken } from "../wire/settings.js";

/**
 * The v1.3-preview.1 resource operations: `GET|PATCH /settings` and
 * `GET /settings/getClientAssetsAccessToken` (404 on v1.2: the router serves them on the preview only).
 */

/** Lifetime of a client-assets access token: 24 hours. */
export const CLIENT_ASSETS_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** `GET /settings` → 200 `{ livenessAbuseMonitoring: { enabled } }`. */
export function getSettings({ ctx }: OperationCall): Response {
  return jsonResponse(200, ctx.resource.toWire());
}

/** `PATCH /settings` with JSON `SettingsUpdate` → 200 with the merged settings. */
export async function patchSettings({ ctx, request }: OperationCall): Promise<Response> {
  const body = await readJsonObject(request, ctx.options.maxRequestBodyBytes);
  ctx.resource.applyUpdate(body);
  return jsonResponse(200, ctx.resource.toWire());
}

/**
 * `GET /settings/getClientAssetsAccessToken` → 200 `{ expiry, accessToken, base64AccessToken }`:
 * a fresh random token, its base64 encoding, and an expiry 24 h from now (emulator clock).
 */
export function getClientAssetsAccessToken({ ctx }: OperationCall): Response {
  const accessToken = randomBytes(32).toString("base64url");
  const body: WireClientAssetsAccessToken = {
    expiry: new Date(ctx.options.now() + CLIENT_ASSETS_TOKEN_LIFETIME_MS).toISOString(),
    accessToken,
    base64AccessToken: Buffer.from(accessToken, "utf8").toString("base64"),
  };
  return jsonResponse(200, body);
}
