import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import type { PipelineRequest, ProxySettings } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";

/** A proxy to send through: its URL and, when it has credentials, the `Proxy-Authorization` value. */
export interface ProxyRoute {
  readonly url: URL;
  readonly authorization?: string;
}

/** Proxy settings read from the environment once per client, as core's proxy policy reads them. */
export interface EnvironmentProxy {
  readonly route?: ProxyRoute;
  readonly noProxy: readonly string[];
}

function environmentValue(name: string): string | undefined {
  return process.env[name] || process.env[name.toLowerCase()] || undefined;
}

function toRoute(url: URL): ProxyRoute {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authorization = user || password ? `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` : undefined;
  const bare = new URL(url.href);
  bare.username = "";
  bare.password = "";
  return authorization === undefined ? { url: bare } : { url: bare, authorization };
}

function parseProxyUrl(value: string): URL | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return undefined;
  }
}

/**
 * `HTTPS_PROXY`, else `ALL_PROXY`, else `HTTP_PROXY` (upper or lower case), used for every request
 * whose host is not in `NO_PROXY` (comma-separated hosts; `.example.com` and `*.example.com`
 * match subdomains; `*` matches everything). The same choice as core's proxy policy.
 */
export function readEnvironmentProxy(): EnvironmentProxy {
  const value = environmentValue("HTTPS_PROXY") ?? environmentValue("ALL_PROXY") ?? environmentValue("HTTP_PROXY");
  const url = value === undefined ? undefined : parseProxyUrl(value);
  const noProxy = (environmentValue("NO_PROXY") ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
  return url === undefined ? { noProxy } : { route: toRoute(url), noProxy };
}

/** The route for `proxyOptions` / `request.proxySettings` (`host` carries the scheme, e.g. `http://proxy`). */
export function routeFromSettings(settings: ProxySettings): ProxyRoute {
  const url = parseProxyUrl(settings.host);
  if (url === undefined) throw new TypeError(`proxyOptions.host is not a URL: ${settings.host}`);
  url.port = String(settings.port);
  if (settings.username) url.username = encodeURIComponent(settings.username);
  if (settings.password) url.password = encodeURIComponent(settings.password);
  return toRoute(url);
}

/** Whether `url`'s host is listed in `NO_PROXY`. */
export function isBypassed(url: URL, noProxy: readonly string[]): boolean {
  if (noProxy.length === 0) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const hostAndPort = `${host}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  return noProxy.some((entry) => {
    if (entry === "*") return true;
    if (entry === host || entry === hostAndPort) return true;
    const suffix = entry.startsWith("*.") ? entry.slice(1) : entry.startsWith(".") ? entry : undefined;
    return suffix !== undefined && (host.endsWith(suffix) || host === suffix.slice(1));
  });
}

type ConnectCallback = (error: Error | null, socket?: Duplex) => void;

/**
 * An `https.Agent` whose connections are TLS tunnels opened with `CONNECT` through an HTTP(S)
 * proxy. Tunnels are pooled and kept alive like direct connections, one pool per target origin.
 */
/**
 * The proxy a request goes through, if any: its own `proxySettings`, else the client's
 * `proxyOptions`, else the environment's (`HTTPS_PROXY` / `ALL_PROXY` / `HTTP_PROXY`) unless
 * `NO_PROXY` lists the host. The environment is read once, when the resolver is made.
 */
export function createProxyResolver(proxyOptions: ProxySettings | undefined): (request: PipelineRequest) => ProxyRoute | undefined {
  const environment = readEnvironmentProxy();
  const configured = proxyOptions === undefined ? undefined : routeFromSettings(proxyOptions);
  return (request) => {
    if (request.proxySettings !== undefined) return routeFromSettings(request.proxySettings);
    if (configured !== undefined) return configured;
    return environment.route !== undefined && !isBypassed(new URL(request.url), environment.noProxy) ? environment.route : undefined;
  };
}

export class TunnelingAgent extends https.Agent {
  readonly #route: ProxyRoute;
  readonly #connectTimeoutInMs: number;

  constructor(route: ProxyRoute, options: https.AgentOptions, connectTimeoutInMs: number) {
    super(options);
    this.#route = route;
    this.#connectTimeoutInMs = connectTimeoutInMs;
  }

  /** Opens the tunnel, then TLS over it; Node's agent accepts the socket through the callback. */
  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number }, callback: ConnectCallback): undefined {
    const target = `${options.host}:${options.port}`;
    const proxy = this.#route.url;
    const connectOptions: http.RequestOptions = {
      host: proxy.hostname.replace(/^\[|\]$/g, ""),
      port: proxy.port || (proxy.protocol === "https:" ? 443 : 80),
      method: "CONNECT",
      path: target,
      agent: false,
      headers: { host: target, ...(this.#route.authorization ? { "proxy-authorization": this.#route.authorization } : {}) },
    };
    const connect = (proxy.protocol === "https:" ? https : http).request(connectOptions);
    let done = false;
    const finish = (error: Error | null, socket?: Duplex): void => {
      if (done) return;
      done = true;
      callback(error, socket);
    };
    if (this.#connectTimeoutInMs > 0) {
      connect.setTimeout(this.#connectTimeoutInMs, () =>
        connect.destroy(new RestError(`The proxy did not answer CONNECT within ${this.#connectTimeoutInMs} ms.`, { code: "ETIMEDOUT" })),
      );
    }
    connect.once("connect", (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        finish(new RestError(`The proxy refused the tunnel to ${target}: HTTP ${response.statusCode}.`, { code: "EPROXY", statusCode: response.statusCode }));
        return;
      }
      connect.setTimeout(0);
      finish(null, tls.connect({ ...options, socket }));
    });
    connect.once("error", (error) => finish(error));
    connect.end();
    return undefined;
  }
}
