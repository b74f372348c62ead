import { SUPPORTED_API_VERSIONS } from "./constants.js";

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The parsed, checked service endpoint. */
export interface ServiceEndpoint {
  /** `scheme://host[:port]`, no trailing slash. */
  readonly origin: string;
  /** `${origin}/face/${apiVersion}`. */
  readonly baseUrl: string;
  /** True for `http://`: on a loopback host (local emulator), or anywhere with `allowInsecureConnection`. */
  readonly insecure: boolean;
}

/**
 * Checks the endpoint and builds the base URL. Accepts `https://host[:port]` with an optional
 * trailing slash, and `http://` on loopback, or on any host with `allowInsecureConnection`
 * (e.g. an emulator container at `http://face-emulator:8080`). Anything else is a `TypeError`
 * that explains what to change, without echoing credentials that may be in the URL.
 */
export function parseEndpoint(endpoint: unknown, apiVersion: string, allowInsecureConnection: unknown = false): ServiceEndpoint {
  if (typeof allowInsecureConnection !== "boolean") {
    throw new TypeError(`allowInsecureConnection must be true or false (got ${typeof allowInsecureConnection}).`);
  }
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new TypeError(
      "endpoint must be a non-empty string such as 'https://<resource>.cognitiveservices.azure.com'.",
    );
  }
  // URL parsing maps look-alike characters (e.g. a full-width full stop) to ASCII ones, which
  // would silently send requests, and the key, to another host.
  if (/[^\x21-\x7e]/.test(endpoint.trim())) {
    throw new TypeError(
      "endpoint must contain only printable ASCII characters; write an internationalized host name in punycode (xn--...).",
    );
  }
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new TypeError(
      "endpoint must be an absolute URL such as 'https://<resource>.cognitiveservices.azure.com'.",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError("endpoint must not contain credentials (user:password@); pass a credential instead.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`endpoint must use https (got '${url.protocol}').`);
  }
  if (url.port === "0") {
    throw new TypeError("endpoint must not use port 0; leave the port out for https (443).");
  }
  const insecure = url.protocol === "http:";
  if (insecure && !allowInsecureConnection && !isLoopback(url.hostname)) {
    throw new TypeError(
      `endpoint must use https; http is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]), not '${url.hostname}', ` +
        "unless the client option allowInsecureConnection is true (for an emulator on another host, e.g. 'http://face-emulator:8080'; the key is then sent unencrypted).",
    );
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    const hint = /^\/face(\/|$)/i.test(url.pathname)
      ? " Remove the '/face/...' part: the client adds '/face/<apiVersion>' itself."
      : "";
    throw new TypeError(`endpoint must not have a path (got '${url.pathname}').${hint}`);
  }
  if (url.search !== "" || endpoint.includes("?")) {
    throw new TypeError("endpoint must not have a query string.");
  }
  if (url.hash !== "" || endpoint.includes("#")) {
    throw new TypeError("endpoint must not have a fragment.");
  }
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw new RangeError(
      `apiVersion '${String(apiVersion)}' is not supported; supported versions: ${SUPPORTED_API_VERSIONS.join(", ")}.`,
    );
  }
  const origin = url.origin;
  return { origin, baseUrl: `${origin}/face/${apiVersion}`, insecure };
}
