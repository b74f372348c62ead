import { badArgument } from "./responses.js";
import type { WireLivenessSettings } from "./wire/settings.js";

/**
 * The Face resource's liveness settings (v1.3-preview.1 `GET|PATCH /settings`): whether
 * liveness abuse monitoring is on. Sessions copy the value when they are created.
 */

/** The mutable, resource-wide settings of one emulator. */
export class ResourceSettings {
  /** Whether liveness abuse monitoring is on for sessions created from now on. */
  abuseMonitoringEnabled: boolean;
  readonly #initial: boolean;

  /** @param abuseMonitoringEnabled - Initial (and reset) value. */
  constructor(abuseMonitoringEnabled: boolean) {
    this.abuseMonitoringEnabled = abuseMonitoringEnabled;
    this.#initial = abuseMonitoringEnabled;
  }

  /** The settings as `GET /settings` returns them. */
  toWire(): WireLivenessSettings {
    return { livenessAbuseMonitoring: { enabled: this.abuseMonitoringEnabled } };
  }

  /**
   * Merges a `PATCH /settings` body (`SettingsUpdate`): fields left out (or `null`) keep their
   * value, unknown fields are ignored; a wrongly typed field is a 400 `BadArgument` and changes
   * nothing.
   */
  applyUpdate(body: Record<string, unknown>): void {
    const monitoring = body.livenessAbuseMonitoring;
    if (monitoring === undefined || monitoring === null) return;
    if (typeof monitoring !== "object" || Array.isArray(monitoring)) {
      throw badArgument("livenessAbuseMonitoring must be an object { enabled }.");
    }
    const enabled = (monitoring as Record<string, unknown>).enabled;
    if (enabled === undefined || enabled === null) return;
    if (typeof enabled !== "boolean") throw badArgument("livenessAbuseMonitoring.enabled must be true or false.");
    this.abuseMonitoringEnabled = enabled;
  }

  /** Back to the value the emulator was created with. */
  reset(): void {
    this.abuseMonitoringEnabled = this.#initial;
  }
}
