import { Readable } from "node:stream";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { AzureKeyCredential, FaceSessionClient, type FaceApiVersion } from "../../src/index.js";
import type { RecordedExchange, RecordedResponse } from "./recordings.js";

/** The endpoint the replaying client talks to; only the path of a request is compared. */
export const REPLAY_ENDPOINT = "https://recorded.cognitiveservices.azure.com";

/** The bytes of a recorded response body, exactly as the service sent them (JSON re-serialized). */
export function recordedBodyBytes(response: RecordedResponse): Buffer | undefined {
  if (response.bodyBase64 !== undefined) return Buffer.from(response.bodyBase64, "base64");
  if (response.body !== undefined && response.body !== null) return Buffer.from(JSON.stringify(response.body));
  return undefined;
}

function toPipelineResponse(request: PipelineRequest, recorded: RecordedResponse): PipelineResponse {
  const response: PipelineResponse = { request, status: recorded.status, headers: createHttpHeaders(recorded.headers) };
  const bytes = recordedBodyBytes(recorded);
  if (bytes === undefined) return response;
  if (request.streamResponseStatusCodes?.has(recorded.status)) response.readableStreamBody = Readable.from([bytes]);
  else response.bodyAsText = bytes.toString("utf8");
  return response;
}

/**
 * An `HttpClient` that answers with recorded responses, in order. Each request must be the one
 * recorded at that position (method, and path unless `anyPath`); anything else, or a request
 * past the end, fails the test with the line it got. `sent` lists what the client sent.
 */
export function replayTransport(exchanges: readonly RecordedExchange[], { anyPath = false } = {}) {
  const sent: string[] = [];
  let next = 0;
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      const line = `${request.method} ${url.pathname}`;
      sent.push(line);
      const exchange = exchanges[next];
      if (exchange?.response === undefined) throw new Error(`unexpected request ${line} (after ${next} recorded exchanges)`);
      const expected = `${exchange.request.method} ${exchange.request.path}`;
      if (anyPath ? request.method !== exchange.request.method : line !== expected) throw new Error(`request ${line} where the recording has ${expected}`);
      next++;
      return toPipelineResponse(request, exchange.response);
    },
  };
  return {
    httpClient,
    sent,
    /** How many recorded exchanges have been answered. */
    played: () => next,
  };
}

/** A client of `apiVersion` whose pipeline never retries, answering from `transport`. */
export function replayClient(transport: { httpClient: HttpClient }, apiVersion: string): FaceSessionClient {
  return new FaceSessionClient(REPLAY_ENDPOINT, new AzureKeyCredential("replay-key"), {
    httpClient: transport.httpClient,
    apiVersion: apiVersion as FaceApiVersion,
    retryOptions: { maxRetries: 0 },
  });
}
