/**
 * The API versions the emulator serves, and how a request path names one. Both versions share
 * one core (sessions, tokens, images); the version of a request decides which fields are
 * accepted and which are returned.
 */

/** API versions served under `/face/{version}/...`; any other version segment answers 404. */
export const EMULATOR_API_VERSIONS = ["v1.2", "v1.3-preview.1"] as const;

/** One of {@link EMULATOR_API_VERSIONS}. */
export type EmulatorApiVersion = (typeof EMULATOR_API_VERSIONS)[number];

/** The preview version that adds attempts control, user correlation, client IP, abuse monitoring and settings. */
export const PREVIEW_VERSION: EmulatorApiVersion = "v1.3-preview.1";

/** Whether `version` has the v1.3-preview.1 features. */
export function isPreview(version: EmulatorApiVersion): boolean {
  return version === PREVIEW_VERSION;
}

/** A request path split into its API version and the operation path after it. */
export interface VersionedPath {
  /** The API version, canonical spelling. */
  readonly version: EmulatorApiVersion;
  /** The path after `/face/{version}`, e.g. `/detectLiveness-sessions` (may be empty). */
  readonly rest: string;
}

/**
 * Splits `/face/{version}/rest` (the version matched case-insensitively, like the service's
 * paths); `undefined` when the path is not under `/face/` or names another version.
 */
export function splitVersionedPath(pathname: string): VersionedPath | undefined {
  const match = /^\/face\/([^/]+)(\/.*)?$/i.exec(pathname);
  if (match === null) return undefined;
  const version = EMULATOR_API_VERSIONS.find((v) => v === match[1]!.toLowerCase());
  return version === undefined ? undefined : { version, rest: match[2] ?? "" };
}
