import { contextOf, type EmulatorContext } from "../context.js";
import type { FaceLivenessEmulator } from "../core.js";
import { readBody, readJsonObject, mediaType } from "../body.js";
import { EmulatorHttpError, jsonResponse } from "../responses.js";
import { parseFault, findSession, playAttempt } from "./actions.js";
import { ConsoleAuth } from "./auth.js";
import { SECURITY_HEADERS, consoleOrigins, originProblem, readCookie } from "./guard.js";
import { appPage, loginPage, redirectPage } from "./page/html.js";
import { consoleScript } from "./page/app.js";
import { CONSOLE_STYLES } from "./page/styles.js";
import { consoleView } from "./view.js";

/**
 * The emulator console: a web page served next to the API by `listen()` (never by `handle()` or
 * msw), where a person watches the sessions and plays the end user's device. Routes, under
 * {@link CONSOLE_PATH}: the page, its script and styles, sign-in (key form or one-time link),
 * and a small JSON API the page calls.
 */

/** Path of the console page. */
export const CONSOLE_PATH = "/emulator/console/";

/** Largest JSON body the console API reads (a camera picture fits). */
const MAX_CONSOLE_BODY_BYTES = 4 * 1024 * 1024;

function respond(status: number, body: BodyInit | null, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, "cache-control": "no-store", ...headers } });
}

const html = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  respond(status, body, { "content-type": "text/html; charset=utf-8", ...headers });

function consoleError(status: number, code: string, message: string): Response {
  return respond(status, JSON.stringify({ error: { code, message } }), { "content-type": "application/json; charset=utf-8" });
}

function imageType(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return "image/png";
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return "image/gif";
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return "image/bmp";
  if (bytes[0] === 0x52 && bytes[1] === 0x49) return "image/webp";
  return "application/octet-stream";
}

function image(bytes: Uint8Array | undefined): Response {
  if (bytes === undefined) return consoleError(404, "NotFound", "No such image.");
  return respond(200, bytes.slice(), { "content-type": imageType(bytes), "cache-control": "private, max-age=3600" });
}

/** Where the console is and how to sign in to it, as `listen()` returns it. */
export interface EmulatorConsoleAccess {
  /** The console page, e.g. `http://127.0.0.1:5099/emulator/console/` (asks for the key). */
  readonly url: string;
  /** A new one-time sign-in link to the console (it works once; each call makes another). */
  createLoginUrl(): string;
}

/** The console of one served emulator. */
export class EmulatorConsole implements EmulatorConsoleAccess {
  readonly #emulator: FaceLivenessEmulator;
  readonly #ctx: EmulatorContext;
  readonly #auth: ConsoleAuth;
  #origin = "http://127.0.0.1";
  #origins = new Set<string>();
  #cookie = "face-emulator-console";

  /** @param emulator - The emulator the console shows and drives. */
  constructor(emulator: FaceLivenessEmulator) {
    this.#emulator = emulator;
    this.#ctx = contextOf(emulator);
    this.#auth = new ConsoleAuth(emulator.key);
  }

  /** Sets the endpoint the emulator is served at (its origin is the console's only origin). */
  bind(endpoint: string): void {
    const url = new URL(endpoint);
    this.#origin = url.origin;
    this.#origins = consoleOrigins(endpoint);
    // Cookies are shared across the ports of a host: one name per port keeps two emulators apart.
    this.#cookie = `face-emulator-console-${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  }

  get url(): string {
    return `${this.#origin}${CONSOLE_PATH}`;
  }

  createLoginUrl(): string {
    return `${this.url}login?code=${this.#auth.createCode()}`;
  }

  /** Whether a request path belongs to the console (`/emulator/console` and below). */
  owns(pathname: string): boolean {
    return pathname === CONSOLE_PATH.slice(0, -1) || pathname.startsWith(CONSOLE_PATH);
  }

  /** Answers one console request. */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const problem = originProblem(request, this.#origins, new URL(this.#origin).protocol);
    if (problem !== undefined) return consoleError(403, "Forbidden", problem);
    try {
      return await this.#route(request, url);
    } catch (error) {
      if (error instanceof EmulatorHttpError) return consoleError(error.status, error.code, error.message);
      return consoleError(500, "InternalServerError", "The console failed to handle the request.");
    }
  }

  #signInCookie(value: string): string {
    const secure = this.#origin.startsWith("https:") ? "; Secure" : "";
    return `${this.#cookie}=${value}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict${secure}`;
  }

  async #route(request: Request, url: URL): Promise<Response> {
    const method = request.method.toUpperCase();
    const path = url.pathname.slice(CONSOLE_PATH.length);
    if (url.pathname === CONSOLE_PATH.slice(0, -1)) return respond(308, null, { location: CONSOLE_PATH });
    if (method === "GET" && path === "console.js") return respond(200, consoleScript(), { "content-type": "text/javascript; charset=utf-8" });
    if (method === "GET" && path === "console.css") return respond(200, CONSOLE_STYLES, { "content-type": "text/css; charset=utf-8" });
    const cookie = readCookie(request, this.#cookie);
    const signedIn = this.#auth.isSignedIn(cookie);
    if (path === "") {
      if (method !== "GET") return consoleError(405, "MethodNotAllowed", "Use GET.");
      return signedIn ? html(200, appPage()) : html(200, loginPage());
    }
    if (path === "login") return this.#login(request, url);
    if (path === "logout" && method === "POST") {
      this.#auth.signOut(cookie);
      return respond(303, null, { location: CONSOLE_PATH, "set-cookie": `${this.#signInCookie("")}; Max-Age=0` });
    }
    if (!path.startsWith("api/")) return consoleError(404, "NotFound", "No such console page.");
    if (!signedIn) return consoleError(401, "Unauthorized", "Sign in to the console first (the emulator key or a one-time link).");
    return this.#api(request, method, path.slice(4).split("/"));
  }

  async #login(request: Request, url: URL): Promise<Response> {
    const method = request.method.toUpperCase();
    if (method === "GET") {
      const code = url.searchParams.get("code");
      if (code === null || !this.#auth.redeemCode(code)) {
        return html(401, loginPage("This sign-in link is unknown or was used already. Enter the emulator key instead."));
      }
      // A page, not a redirect: after a cross-site link click the SameSite=Strict cookie would
      // not travel with the redirect, but it does with this page's own navigation.
      return html(200, redirectPage(), { "set-cookie": this.#signInCookie(this.#auth.signIn()) });
    }
    if (method !== "POST") return consoleError(405, "MethodNotAllowed", "Use GET or POST.");
    if (mediaType(request) !== "application/x-www-form-urlencoded") return html(415, loginPage("Send the sign-in form."));
    const form = new URLSearchParams(new TextDecoder().decode(await readBody(request, 4096)));
    if (!this.#auth.isKey(form.get("key") ?? "")) return html(401, loginPage("That is not the emulator key."));
    return respond(303, null, { location: CONSOLE_PATH, "set-cookie": this.#signInCookie(this.#auth.signIn()) });
  }

  async #api(request: Request, method: string, parts: string[]): Promise<Response> {
    const json = (body: unknown): Response => respond(200, JSON.stringify(body), { "content-type": "application/json; charset=utf-8" });
    const route = `${method} ${parts.map((p, i) => (i === 1 && parts[0] !== "faults" ? ":id" : p)).join("/")}`;
    const body = async (): Promise<Record<string, unknown>> => readJsonObject(request, MAX_CONSOLE_BODY_BYTES);
    switch (route) {
      case "GET state":
        return json(consoleView(this.#ctx, this.#emulator.faults.list()));
      case "GET session-images/:id":
        return image(this.#ctx.store.image(parts[1]!)?.bytes);
      case "GET sessions/:id/reference-image":
        return image(findSession(this.#ctx, parts[1]!).verify?.image);
      case "POST sessions/:id/attempts": {
        const input = await body();
        playAttempt(this.#emulator, this.#ctx, findSession(this.#ctx, parts[1]!), input);
        return json(consoleView(this.#ctx, this.#emulator.faults.list()));
      }
      case "POST faults": {
        this.#emulator.faults.enqueue(parseFault(await body()));
        return json(consoleView(this.#ctx, this.#emulator.faults.list()));
      }
      case "POST faults/clear":
        this.#emulator.faults.clear();
        return json(consoleView(this.#ctx, this.#emulator.faults.list()));
      case "POST reset":
        this.#emulator.reset();
        return json(consoleView(this.#ctx, this.#emulator.faults.list()));
      default:
        return consoleError(404, "NotFound", "No such console API route.");
    }
  }
}
