import { useInstrumenter, type Instrumenter, type InstrumenterSpanOptions, type SpanStatus, type TracingContext } from "@azure/core-tracing";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { BASE, ENDPOINT, KEY, createRecordingServer, example, settle } from "../utils/recorder.js";

/** A minimal immutable tracing context. */
function context(values: Map<symbol, unknown> = new Map()): TracingContext {
  return {
    getValue: (key) => values.get(key),
    setValue: (key, value) => context(new Map(values).set(key, value)),
    deleteValue: (key) => {
      const next = new Map(values);
      next.delete(key);
      return context(next);
    },
  };
}

interface RecordedSpan {
  name: string;
  options: InstrumenterSpanOptions;
  attributes: Record<string, unknown>;
  status?: SpanStatus;
  ended: boolean;
}

/** An instrumenter that records spans and propagates a fixed traceparent per span. */
function recordingInstrumenter() {
  const spans: RecordedSpan[] = [];
  const key = Symbol("span index");
  const instrumenter: Instrumenter = {
    startSpan(name, options) {
      const recorded: RecordedSpan = { name, options, attributes: { ...options.spanAttributes }, ended: false };
      spans.push(recorded);
      const tracingContext = (options.tracingContext ?? context()).setValue(key, spans.length);
      return {
        span: {
          setStatus: (status) => void (recorded.status = status),
          setAttribute: (attribute, value) => void (recorded.attributes[attribute] = value),
          end: () => void (recorded.ended = true),
          recordException: () => undefined,
          isRecording: () => true,
        },
        tracingContext,
      };
    },
    withContext: (_context, callback, ...args) => callback(...args),
    parseTraceparentHeader: () => undefined,
    createRequestHeaders: (context?: TracingContext): Record<string, string> => {
      const index = context?.getValue(key);
      return index === undefined ? {} : { traceparent: `00-${"a".repeat(32)}-${String(index).padStart(16, "0")}-01` };
    },
  };
  return { spans, instrumenter };
}

const mock = createRecordingServer();
const tracing = recordingInstrumenter();
beforeAll(() => {
  mock.listen();
  useInstrumenter(tracing.instrumenter);
});
afterEach(() => {
  mock.reset();
  tracing.spans.length = 0;
});
afterAll(() => mock.close());

const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 1, retryDelayInMs: 1 } });

describe("tracing", () => {
  it("makes one client span per operation, with HTTP attributes, and propagates it in traceparent", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE}/detectLiveness-sessions/:id`, () =>
        ++calls === 1
          ? HttpResponse.json({ error: { code: "ServiceUnavailable", message: "busy" } }, { status: 503, headers: { "retry-after": "0" } })
          : HttpResponse.json(example("GetLivenessSessionResult").responses["200"].body, { headers: { "apim-request-id": "req-9" } }),
      ),
    );
    await client.getLivenessSessionResult("s1");
    await settle();

    expect(tracing.spans).toHaveLength(1); // retries do not add spans
    const [span] = tracing.spans;
    expect(span.name).toBe("FaceSessionClient.getLivenessSessionResult");
    expect(span.options.spanKind).toBe("client");
    expect(span.options.packageName).toBe("azure-face-liveness");
    expect(span.attributes).toMatchObject({
      "az.namespace": "Microsoft.CognitiveServices",
      "http.method": "GET",
      "http.url": `${BASE}/detectLiveness-sessions/s1`,
      "http.status_code": 200,
      serviceRequestId: "req-9",
    });
    expect(span.status).toEqual({ status: "success" });
    expect(span.ended).toBe(true);
    expect(mock.requests.map((r) => r.headers.get("traceparent"))).toEqual(Array(2).fill(`00-${"a".repeat(32)}-0000000000000001-01`));
  });

  it("records the status code and an error status when the service fails", async () => {
    mock.use(
      http.delete(`${BASE}/detectLiveness-sessions/:id`, () =>
        HttpResponse.json({ error: { code: "SessionNotFound", message: "gone" } }, { status: 404 }),
      ),
    );
    await expect(client.deleteLivenessSession("s1")).rejects.toMatchObject({ code: "SessionNotFound" });
    const [span] = tracing.spans;
    expect(span.name).toBe("FaceSessionClient.deleteLivenessSession");
    expect(span.attributes["http.status_code"]).toBe(404);
    expect(span.status).toMatchObject({ status: "error" });
    expect(span.ended).toBe(true);
  });
});
