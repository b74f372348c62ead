import type { ResolvedEmulatorOptions } from "./options.js";
import type { SessionStore } from "./store.js";

/** What an operation of the emulator works with: the store and the resolved options. */
export interface EmulatorContext {
  /** Sessions, tokens and session images. */
  readonly store: SessionStore;
  /** Emulator options with defaults applied (clock, limits, defaults for simulated attempts). */
  readonly options: ResolvedEmulatorOptions;
}
