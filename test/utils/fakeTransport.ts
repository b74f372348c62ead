import { Readable } from "node:stream";
import { AbortError } from "@azure/abort-controller";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";

export const ENDPOINT = "https://myresource.cognitiveservices.azure.com";
const PREFIX = "/face/v1.2";

/** A scripted reply: a status with an optional JSON or binary body, or `"hang"` (never answers; rejects on abort). */
export type Reply = { status: number; json?: unknown; bytes?: Uint8Array; headers?: Record<string, string> } | "hang";

/** One request as the fake transport saw it. */
export interface WireRequest {
  /** e.g. `GET /detectLiveness-sessions/s1` (path after `/face/v1.2`, with the query). */
  readonly line: string;
  /** Fake-clock time the request reached the transport, in ms since the test's start. */
  readonly at: number;
  /** Whether the request's abort signal had already aborted when it was sent. */
  readonly signalAborted: boolean;
}

/**
 * An `HttpClient` that answers from a script: for each `"METHOD /path"`, a queue of replies whose
 * last entry repeats. Records every request. Honours the request's abort signal like a real one.
 */
export function fakeTransport(script: Record<string, Reply[]>, startedAt = Date.now()) {
  const requests: WireRequest[] = [];
  const served = new Map<string, number>();
  let abortedInFlight = 0;
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      const line = `${request.method} ${url.pathname.replace(PREFIX, "")}${url.search}`;
      requests.push({ line, at: Date.now() - startedAt, signalAborted: request.abortSignal?.aborted ?? false });
      if (request.abortSignal?.aborted) throw new AbortError("The operation was aborted.");
      const replies = script[line];
      if (replies === undefined || replies.length === 0) throw new Error(`unexpected request ${line}`);
      const index = served.get(line) ?? 0;
      served.set(line, index + 1);
      const reply = replies[Math.min(index, replies.length - 1)];
      if (reply === "hang") {
        return new Promise<PipelineResponse>((_, reject) => {
          request.abortSignal?.addEventListener("abort", () => {
            abortedInFlight++;
            reject(new AbortError("The operation was aborted."));
          });
        });
      }
      const headers = createHttpHeaders(reply.headers);
      const response: PipelineResponse = { request, status: reply.status, headers };
      if (reply.bytes !== undefined) {
        headers.set("content-type", "application/octet-stream");
        headers.set("content-length", String(reply.bytes.length));
        if (request.streamResponseStatusCodes?.has(reply.status)) {
          response.readableStreamBody = Readable.from([Buffer.from(reply.bytes)]);
        } else {
          response.bodyAsText = Buffer.from(reply.bytes).toString("latin1");
        }
      } else if (reply.json !== undefined) {
        headers.set("content-type", "application/json");
        const text = JSON.stringify(reply.json);
        if (request.streamResponseStatusCodes?.has(reply.status)) response.readableStreamBody = Readable.from([Buffer.from(text)]);
        else response.bodyAsText = text;
      }
      return response;
    },
  };
  return {
    httpClient,
    requests,
    /** Request lines in order. */
    lines: () => requests.map((r) => r.line),
    /** Fake-clock times of the requests. */
    times: () => requests.map((r) => r.at),
    /** How many hanging requests were aborted by their signal. */
    abortedInFlight: () => abortedInFlight,
  };
}

/** A client whose pipeline never retries, so a 429 reaches the poller. */
export function clientFor(transport: { httpClient: HttpClient }): FaceSessionClient {
  return new FaceSessionClient(ENDPOINT, new AzureKeyCredential("test-key"), {
    httpClient: transport.httpClient,
    retryOptions: { maxRetries: 0 },
  });
}

/** A JSON 200 reply. */
export const ok = (json: unknown): Reply => ({ status: 200, json });

/** A Face or gateway error reply. */
export function failure(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  const error = /^\d+$/.test(code) ? { statusCode: Number(code), message } : { code, message };
  return { status, json: { error }, headers };
}

/** The fake clock's start: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1);

/** A scripted transport on the fake clock and a client that uses it. */
export function scriptedClient(script: Record<string, Reply[]>) {
  const transport = fakeTransport(script, T0);
  return { transport, client: clientFor(transport) };
}

/** Captures how a promise settles, so a rejection is never unhandled while timers run. */
export function settled<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
