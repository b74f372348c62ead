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

const contexts = new WeakMap<object, EmulatorContext>();

/** Links an emulator to its context, for the parts of the package that read its state (the console). */
export function registerContext(emulator: object, ctx: EmulatorContext): void {
  contexts.set(emulator, ctx);
}

/** The context of an emulator created by this package; throws for any other object. */
export function contextOf(emulator: object): EmulatorContext {
  const ctx = contexts.get(emulator);
  if (ctx === undefined) throw new TypeError("Not a FaceLivenessEmulator of this package.");
  return ctx;
}
