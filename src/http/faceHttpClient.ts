import http from "node:http";
import https from "node:https";
import { types } from "node:util";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { logger } from "../logger.js";
import type { NodeHttpClientOptions } from "./nodeHttpClient.js";
import { createNodeHttpClient } from "./nodeHttpClient.js";
import { createProxyResolver } from "./proxy.js";
import type { UndiciAgentClass } from "./undiciHttpClient.js";
import { createUndiciHttpClient, loadUndiciAgent } from "./undiciHttpClient.js";

/** Whether undici 7 runs here: Node itself (not Bun or Deno), at 20.18.1 or later. */
export function undiciRunsHere(versions: NodeJS.ProcessVersions = process.versions): boolean {
  if (versions.bun !== undefined || versions.deno !== undefined || typeof versions.node !== "string") return false;
  const [major = 0, minor = 0, patch = 0] = versions.node.split(".").map(Number);
  return major > 20 || (major === 20 && (minor > 18 || (minor === 18 && patch >= 1)));
}

const isOriginal = (fn: unknown, name: string): boolean => typeof fn === "function" && !types.isProxy(fn) && fn.name === name;

/**
 * Whether node:http's request functions have been replaced, as msw and nock do to intercept
 * requests: then requests go through node:http, so that the interceptor sees them.
 */
export function nodeHttpIsIntercepted(): boolean {
  return !(isOriginal(http.request, "request") && isOriginal(https.request, "request") && isOriginal(http.ClientRequest, "ClientRequest"));
}

/**
 * The client's own `HttpClient`. Direct requests on Node go through undici's connection pools
 * (about twice the throughput of node:http at half the CPU per request, over http and https:
 * bench/RESULTS.md); undici is loaded on the first such request, not at import. Through node:http
 * instead: requests through a proxy (`proxyOptions`, `HTTPS_PROXY`/`HTTP_PROXY` unless `NO_PROXY`
 * matches) or a caller's `agent`, any request while node:http is intercepted (msw, nock), and
 * every request on Bun, Deno, Node before 20.18.1, or where undici cannot be loaded. Both
 * transports apply the same limits and report the same error codes.
 */
export function createFaceHttpClient(options: NodeHttpClientOptions): HttpClient {
  const node = createNodeHttpClient(options);
  if (options.agent !== undefined || options.proxyOptions !== undefined || !undiciRunsHere()) return node;
  const proxyFor = createProxyResolver(undefined);
  let undici: HttpClient | undefined;
  let loading: Promise<HttpClient | undefined> | undefined;

  const load = (): Promise<HttpClient | undefined> =>
    (loading ??= loadUndiciAgent().then(
      (Agent: UndiciAgentClass) =>
        (undici = createUndiciHttpClient({ Agent, limits: options.limits, ...(options.tlsOptions !== undefined ? { tlsOptions: options.tlsOptions } : {}) })),
      (error: unknown) => {
        // E.g. an ESM bundle without `require`, in which undici's CommonJS code cannot load.
        logger.info(`undici could not be loaded (${(error as Error)?.message ?? String(error)}); requests go through node:http.`);
        return undefined;
      },
    ));

  const direct = (request: PipelineRequest): boolean =>
    request.agent === undefined && !nodeHttpIsIntercepted() && proxyFor(request) === undefined;

  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (!direct(request)) return node.sendRequest(request);
      if (undici !== undefined) return undici.sendRequest(request);
      return load().then((loaded) => (loaded ?? node).sendRequest(request));
    },
  };
}
