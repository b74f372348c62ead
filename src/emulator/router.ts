import { isPreview, splitVersionedPath, type EmulatorApiVersion } from "./apiVersions.js";
import type { EmulatorContext } from "./context.js";
import { detectFromSessionImage, getSessionImage } from "./ops/detect.js";
import { DEVICE_ATTEMPTS_SUFFIX } from "./ops/device.js";
import {
  createLivenessSession,
  createLivenessWithVerifySession,
  deleteSession,
  getSession,
} from "./ops/sessions.js";
import { getClientAssetsAccessToken, getSettings, patchSettings } from "./ops/settings.js";

/** What an operation gets: the emulator context, the request, its URL, path parameters and API version. */
export interface OperationCall {
  /** Store, resource settings and options. */
  readonly ctx: EmulatorContext;
  /** The request. */
  readonly request: Request;
  /** Its parsed URL. */
  readonly url: URL;
  /** The decoded path parameters, in order. */
  readonly params: readonly string[];
  /** The API version named by the path. */
  readonly version: EmulatorApiVersion;
}

/** One operation of the emulated API. */
export type Operation = (call: OperationCall) => Response | Promise<Response>;

interface Route {
  readonly pattern: RegExp;
  /** Only served on v1.3-preview.1 (404 on v1.2). */
  readonly previewOnly?: boolean;
  readonly methods: Readonly<Record<string, Operation>>;
}

const ID = "([^/]+)";

function path(suffix: string): RegExp {
  return new RegExp(`^${suffix}$`, "i");
}

/** The operations, by path after `/face/{version}` (matched case-insensitively, like the service). */
const ROUTES: readonly Route[] = [
  { pattern: path("/detectLiveness-sessions"), methods: { POST: createLivenessSession } },
  {
    pattern: path(`/detectLiveness-sessions/${ID}`),
    methods: {
      GET: (c) => getSession(c, "detectLiveness"),
      DELETE: (c) => deleteSession(c, "detectLiveness"),
    },
  },
  { pattern: path("/detectLivenessWithVerify-sessions"), methods: { POST: createLivenessWithVerifySession } },
  {
    pattern: path(`/detectLivenessWithVerify-sessions/${ID}`),
    methods: {
      GET: (c) => getSession(c, "detectLivenessWithVerify"),
      DELETE: (c) => deleteSession(c, "detectLivenessWithVerify"),
    },
  },
  { pattern: path(`/sessionImages/${ID}`), methods: { GET: getSessionImage } },
  { pattern: path("/detect"), methods: { POST: detectFromSessionImage } },
  { pattern: path("/settings"), previewOnly: true, methods: { GET: getSettings, PATCH: patchSettings } },
  { pattern: path("/settings/getClientAssetsAccessToken"), previewOnly: true, methods: { GET: getClientAssetsAccessToken } },
];

/** Result of routing: an operation, or why there is none. */
export type RouteMatch =
  | {
      readonly kind: "operation";
      readonly operation: Operation;
      readonly params: readonly string[];
      readonly version: EmulatorApiVersion;
    }
  | { readonly kind: "notFound" }
  | { readonly kind: "methodNotAllowed"; readonly allow: readonly string[] };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Finds the operation for `method` and `pathname`: `/face/v1.2/...` or
 * `/face/v1.3-preview.1/...`; other versions, and v1.3-only paths on v1.2, are not found.
 */
export function route(method: string, pathname: string): RouteMatch {
  const split = splitVersionedPath(pathname);
  if (split === undefined) return { kind: "notFound" };
  for (const candidate of ROUTES) {
    if (candidate.previewOnly === true && !isPreview(split.version)) continue;
    const match = candidate.pattern.exec(split.rest);
    if (match === null) continue;
    const operation = candidate.methods[method.toUpperCase()];
    if (operation === undefined) return { kind: "methodNotAllowed", allow: Object.keys(candidate.methods) };
    return { kind: "operation", operation, params: match.slice(1).map(decode), version: split.version };
  }
  return { kind: "notFound" };
}

/** The API version of a device stand-in path (`/face/{version}/emulator/device/attempts`), else `undefined`. */
export function devicePathVersion(pathname: string): EmulatorApiVersion | undefined {
  const split = splitVersionedPath(pathname);
  return split !== undefined && split.rest.toLowerCase() === DEVICE_ATTEMPTS_SUFFIX.toLowerCase() ? split.version : undefined;
}
