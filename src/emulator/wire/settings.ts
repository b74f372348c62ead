/** The emulator's declarations of the v1.3-preview.1 resource operations' bodies (spec only: no recording yet). */

/** `GET|PATCH /settings` answer. */
export interface WireLivenessSettings {
  /** Abuse monitoring of liveness sessions. */
  readonly livenessAbuseMonitoring: { readonly enabled: boolean };
}

/** `GET /settings/getClientAssetsAccessToken` answer. */
export interface WireClientAssetsAccessToken {
  /** ISO 8601 time the token stops working. */
  readonly expiry: string;
  /** The token. */
  readonly accessToken: string;
  /** Base64 of `accessToken`. */
  readonly base64AccessToken: string;
}
