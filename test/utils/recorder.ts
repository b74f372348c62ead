import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setupServer } from "msw/node";
import type { HttpHandler } from "msw";

/** One request as the mock service saw it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** Raw body text (empty for no body). */
  text: string;
  /** Parsed multipart body, when the request was multipart/form-data. */
  form?: FormData;
}

export const ENDPOINT = "https://myresource.cognitiveservices.azure.com";
export const BASE = `${ENDPOINT}/face/v1.2`;
export const KEY = "test-key-0123456789abcdef";

/** An msw server that records every request it sees, handled or not. */
export function createRecordingServer() {
  const server = setupServer();
  const requests: RecordedRequest[] = [];
  const byId = new Map<string, RecordedRequest>();
  server.events.on("request:start", ({ request, requestId }) => {
    const contentType = request.headers.get("content-type") ?? "";
    const entry: RecordedRequest = { method: request.method, url: new URL(request.url), headers: request.headers, text: "" };
    requests.push(entry);
    byId.set(requestId, entry);
    // Multipart bodies are read by the handler (see `withForm`): a clone read here never completes.
    if (!contentType.startsWith("multipart/form-data")) {
      pending.push(request.clone().text().then((text) => void (entry.text = text)).catch(() => undefined));
    }
  });
  /** Wraps a resolver so the request's multipart body is recorded before it runs. */
  function withForm<T>(resolver: (info: { request: Request }) => T) {
    return async (info: { request: Request; requestId: string }): Promise<Awaited<T>> => {
      const entry = byId.get(info.requestId);
      const form = await info.request.clone().formData();
      if (entry) entry.form = form;
      return await resolver(info);
    };
  }
  return {
    server,
    requests,
    withForm,
    use: (...handlers: HttpHandler[]) => server.use(...handlers),
    listen: () => server.listen({ onUnhandledRequest: "error" }),
    reset: () => {
      server.resetHandlers();
      requests.length = 0;
    },
    close: () => server.close(),
  };
}

/** Reads a copied spec example of an API version (v1.2 by default). */
export function example<T = any>(name: string, version: "v1.2" | "v1.3-preview.1" = "v1.2"): T {
  const file = name.startsWith("Detect") ? `${name}.json` : `LivenessSessionOperations_${name}.json`;
  return JSON.parse(readFileSync(join(__dirname, "..", "fixtures", version, file), "utf8")) as T;
}

const pending: Promise<unknown>[] = [];

/** Waits until the recorder has read every request body it saw. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  while (pending.length > 0) await pending.shift();
}
