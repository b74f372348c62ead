/**
 * What keeps the console to its own origin: the Host and Origin checks (against DNS rebinding
 * and cross-site requests) and the security headers of every console response.
 */

/** The Content-Security-Policy of every console response: own scripts, styles and images only. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers set on every console response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // Not "no-referrer": with it, Chromium sends `Origin: null` on the page's own form posts
  // (sign-in, sign-out), which the Origin check must refuse. Links to other sites carry nothing.
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(self), microphone=(), geolocation=()",
};

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** The origins (scheme://host:port) the console answers on, for the emulator served at `endpoint`. */
export function consoleOrigins(endpoint: string): Set<string> {
  const url = new URL(endpoint);
  const origins = new Set([url.origin]);
  const port = url.port !== "" ? `:${url.port}` : "";
  for (const name of LOOPBACK_NAMES) origins.add(`${url.protocol}//${name}${port}`);
  return origins;
}

/** Why a request is refused before anything else, or `undefined` when it may go on. */
export function originProblem(request: Request, origins: ReadonlySet<string>, protocol: string): string | undefined {
  const host = request.headers.get("host");
  if (host === null || !origins.has(`${protocol}//${host.toLowerCase()}`)) {
    return "The console answers only on the emulator's own address (Host header).";
  }
  const site = request.headers.get("sec-fetch-site");
  const method = request.method.toUpperCase();
  if (method === "GET" || method === "HEAD") {
    if (site !== null && site !== "same-origin" && site !== "none") return "The console answers only to its own pages.";
    return undefined;
  }
  const origin = request.headers.get("origin");
  if (origin === null || !origins.has(origin.toLowerCase())) return "The console accepts changes only from its own pages (Origin header).";
  if (site !== null && site !== "same-origin") return "The console accepts changes only from its own pages.";
  return undefined;
}

/** The value of cookie `name` in the request, if any. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (header === null) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
