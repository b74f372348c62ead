import type { FaceLivenessEmulator } from "./core.js";

/**
 * The part of msw's `http` namespace the adapter uses. Typed structurally so that the emulator
 * never imports msw: pass msw's own `http` and get msw's handler type back.
 */
export interface MswHttpNamespace<THandler> {
  /** msw's `http.all(path, resolver)`. */
  all(path: string, resolver: (info: { request: Request }) => Promise<Response>): THandler;
}

/**
 * msw request handlers that route every request to `endpoint` (any method, any path) to the
 * emulator, for in-process tests. A `drop` fault becomes `Response.error()`, which msw turns
 * into a network error.
 *
 * @param emulator - The emulator to route to.
 * @param msw - `{ http }` from `msw` (passed in so the emulator has no msw dependency).
 * @param endpoint - The endpoint the client uses, e.g. `https://face.test` (no path).
 *
 * @example
 * ```ts
 * import { http } from "msw";
 * import { setupServer } from "msw/node";
 *
 * const emulator = new FaceLivenessEmulator({ key: "test-key" });
 * const server = setupServer(...createMswHandlers(emulator, { http }, "https://face.test"));
 * server.listen();
 * ```
 */
export function createMswHandlers<THandler>(
  emulator: FaceLivenessEmulator,
  msw: { readonly http: MswHttpNamespace<THandler> },
  endpoint: string,
): THandler[] {
  const url = new URL(endpoint);
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    throw new TypeError("endpoint must be an origin such as 'https://face.test' (no path, query or fragment).");
  }
  return [msw.http.all(`${url.origin}/*`, ({ request }) => emulator.handle(request))];
}
