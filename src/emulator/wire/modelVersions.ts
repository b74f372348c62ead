import type { EmulatorApiVersion } from "../apiVersions.js";

/**
 * Liveness model versions per API version, the first one the default. Recorded: v1.2 sessions
 * report `modelVersion: "2024-11-15"`, v1.3-preview.1 sessions `"2025-05-20"`. Whether
 * v1.3-preview.1 still accepts `livenessModelVersion: "2024-11-15"` is not recorded; the
 * emulator accepts it (and then reports it).
 */
export const LIVENESS_MODEL_VERSIONS: Readonly<Record<EmulatorApiVersion, readonly string[]>> = {
  "v1.2": ["2024-11-15"],
  "v1.3-preview.1": ["2025-05-20", "2024-11-15"],
};

/** The model a session created on `version` uses when the request names none. */
export function defaultModelVersion(version: EmulatorApiVersion): string {
  return LIVENESS_MODEL_VERSIONS[version][0]!;
}
