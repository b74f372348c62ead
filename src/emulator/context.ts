import type { ResolvedEmulatorOptions } from "./options.js";
import type { ResourceSettings } from "./resourceSettings.js";
import type { SessionStore } from "./store.js";

/** What an operation of the emulator works with: the store, the resource settings and the options. */
export interface EmulatorContext {
  /** Sessions, tokens and session images. */
  readonly store: SessionStore;
  /** Resource-wide liveness settings (abuse monitoring), v1.3-preview.1 `/settings`. */
  readonly resource: ResourceSettings;
  /** Emulator options with defaults applied (clock, limits, defaults for simulated attempts). */
  readonly options: ResolvedEmulatorOptions;
}
