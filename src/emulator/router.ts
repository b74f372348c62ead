import type { EmulatorContext } from "./context.js";
import { detectFromSessionImage, getSessionImage } from "./ops/detect.js";
import { DEVICE_ATTEMPTS_PATH } from "./ops/device.js";
import {
  createLivenessSession,
  createLivenessWithVerifySession,
  deleteSession,
  getSession,
} from "./ops/sessions.js";

/** One operation: gets the context, the request, its URL and the decoded path parameters. */
export type Operation = (
  ctx: EmulatorContext,
  request: Request,
  url: URL,
  params: readonly string[],
) => Response | Promise<Response>;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, Operation>>;
}

const BASE = String.raw`^/face/v1\.2`;
const ID = "([^/]+)";

function path(suffix: string): RegExp {
  return new RegExp(`${BASE}${suffix}$`, "i");
}

/** The v1.2 operations (matched case-insensitively, like the service). */
const ROUTES: readonly Route[] = [
  { pattern: path("/detectLiveness-sessions"), methods: { POST: (c, r) => createLivenessSession(c, r) } },
  {
    pattern: path(`/detectLiveness-sessions/${ID}`),
    methods: {
      GET: (c, _r, _u, [id]) => getSession(c, "detectLiveness", id!),
      DELETE: (c, _r, _u, [id]) => deleteSession(c, "detectLiveness", id!),
    },
  },
  {
    pattern: path("/detectLivenessWithVerify-sessions"),
    methods: { POST: (c, r) => createLivenessWithVerifySession(c, r) },
  },
  {
    pattern: path(`/detectLivenessWithVerify-sessions/${ID}`),
    methods: {
      GET: (c, _r, _u, [id]) => getSession(c, "detectLivenessWithVerify", id!),
      DELETE: (c, _r, _u, [id]) => deleteSession(c, "detectLivenessWithVerify", id!),
    },
  },
  { pattern: path(`/sessionImages/${ID}`), methods: { GET: (c, _r, _u, [id]) => getSessionImage(c, id!) } },
  { pattern: path("/detect"), methods: { POST: (c, r, u) => detectFromSessionImage(c, r, u) } },
];

/** Result of routing: an operation, or why there is none. */
export type RouteMatch =
  | { readonly kind: "operation"; readonly operation: Operation; readonly params: readonly string[] }
  | { readonly kind: "notFound" }
  | { readonly kind: "methodNotAllowed"; readonly allow: readonly string[] };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the operation for `method` and `pathname`. */
export function route(method: string, pathname: string): RouteMatch {
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(pathname);
    if (match === null) continue;
    const operation = candidate.methods[method.toUpperCase()];
    if (operation === undefined) return { kind: "methodNotAllowed", allow: Object.keys(candidate.methods) };
    return { kind: "operation", operation, params: match.slice(1).map(decode) };
  }
  return { kind: "notFound" };
}

/** Whether `pathname` is the device stand-in endpoint (which has its own authentication). */
export function isDevicePath(pathname: string): boolean {
  return pathname.toLowerCase() === DEVICE_ATTEMPTS_PATH.toLowerCase();
}
