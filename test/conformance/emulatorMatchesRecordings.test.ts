import * as jpeg from "jpeg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_API_VERSIONS, FaceLivenessEmulator, listen, type RunningEmulator } from "../../src/emulator/index.js";
import { loadRecordedFlows, type RecordedExchange, type RecordedFlow } from "./recordings.js";
import { FlowReplay, REPLAY_KEY, REPLAY_ORIGIN, type Send } from "./emulatorReplay.js";
import { headerDifferences, shapeDifferences } from "./shape.js";

/**
 * The emulator against traffic recorded from the live service. Every recorded flow is replayed
 * in order (with the device steps the recording implies), in process through `handle()` and over
 * loopback HTTP through `listen()`. (a) every request the official clients and samples made is
 * accepted: the emulator answers the recorded status (2xx for request-only fixtures); (b) every
 * answer has the recorded shape: key sets at every depth, value formats, the headers that
 * matter, and for session images real JPEG bytes.
 */

const SERVED: readonly string[] = EMULATOR_API_VERSIONS;

/** Flows the emulator can replay: those of an API version it serves (older previews are not). */
function replayable(flow: RecordedFlow): boolean {
  return SERVED.includes(flow.apiVersion);
}

/** Exchanges of operations the emulator does not model (`other:...`) are not replayed. */
function modelled(exchange: RecordedExchange): boolean {
  return !exchange.operation.startsWith("other:");
}

/** Whether the recorded resource had liveness abuse monitoring on (a GET says so). */
function monitored(flow: RecordedFlow): boolean {
  return flow.exchanges.some((e) => (e.response?.body as { isAbuseMonitoringEnabled?: unknown } | undefined)?.isAbuseMonitoringEnabled === true);
}

const flows = loadRecordedFlows();
const transports = ["handle", "http"] as const;

/**
 * The frame header of a JPEG (walking the segments from the start): the SOF marker and, per
 * component, id, sampling factors and quantisation table; `undefined` when not found in `bytes`.
 */
function jpegFrame(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes);
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 2 + length > b.length) return undefined;
      return `SOF${(marker - 0xc0).toString(16)} ${b.subarray(i + 4, i + 2 + length).subarray(5).toString("hex")}`;
    }
    i += 2 + length;
  }
  return undefined;
}

function checkJpeg(bytes: Uint8Array, recordedBase64: string | undefined): string[] {
  const out: string[] = [];
  const recorded = recordedBase64 !== undefined ? Buffer.from(recordedBase64, "base64") : undefined;
  if (recorded !== undefined && recorded[0] === 0xff && recorded[1] === 0xd8) {
    if (!(bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) out.push("body: recorded a JPEG, emulator's bytes are not one");
    const jfif = (b: Uint8Array) => Buffer.from(b.subarray(6, 11)).toString("latin1") === "JFIF\0";
    if (jfif(recorded) && !jfif(bytes)) out.push("body: recorded a JFIF header, the emulator's JPEG has none");
    const frame = jpegFrame(recorded);
    if (frame !== undefined && jpegFrame(bytes) !== frame) {
      out.push(`body: recorded frame ${frame} (type, components, sampling, tables), emulator ${jpegFrame(bytes)}`);
    }
    try {
      const decoded = jpeg.decode(Buffer.from(bytes), { useTArray: true });
      if (!(decoded.width > 0 && decoded.height > 0)) out.push("body: the JPEG decodes to an empty image");
    } catch (error) {
      out.push(`body: the JPEG does not decode (${(error as Error).message})`);
    }
  }
  return out;
}

/** Every difference between the recorded answer of `exchange` and the emulator's. */
function differences(
  exchange: RecordedExchange,
  replay: FlowReplay,
  answer: { response: Response; json?: unknown; bytes?: Uint8Array },
): string[] {
  const recorded = exchange.response;
  if (recorded === undefined) {
    return answer.response.ok ? [] : [`status: a request the official client or sample sent was refused with ${answer.response.status}`];
  }
  const out: string[] = [];
  if (answer.response.status !== recorded.status) out.push(`status: recorded ${recorded.status}, emulator ${answer.response.status}`);
  out.push(...headerDifferences(recorded.headers, answer.response.headers, (text) => replay.mapIds(text)));
  if (recorded.bodyBase64 !== undefined) {
    out.push(...checkJpeg(answer.bytes ?? new Uint8Array(0), recorded.bodyBase64));
    const length = answer.response.headers.get("content-length");
    if (length !== null && Number(length) !== (answer.bytes?.byteLength ?? 0)) out.push(`header content-length: ${length}, body ${answer.bytes?.byteLength}`);
  } else if (recorded.body === null || recorded.body === undefined) {
    if ((answer.bytes?.byteLength ?? 0) !== 0 || answer.json !== undefined) out.push("body: recorded none, emulator sent one");
  } else {
    out.push(...shapeDifferences(recorded.body, answer.json));
  }
  return out;
}

describe.each(transports)("emulator matches the recordings (%s)", (transport) => {
  let server: RunningEmulator | undefined;
  afterAll(async () => server?.close());

  for (const flow of flows) {
    describe.skipIf(!replayable(flow))(`${flow.file} (${flow.source.repo} ${flow.source.path} @${flow.source.commit})`, () => {
      let replay: FlowReplay;
      beforeAll(async () => {
        const options = { key: REPLAY_KEY, abuseMonitoringEnabled: monitored(flow) };
        let send: Send;
        let origin = REPLAY_ORIGIN;
        if (transport === "http") {
          await server?.close();
          server = await listen(options);
          origin = server.endpoint;
          send = (request) => fetch(request);
        } else {
          const emulator = new FaceLivenessEmulator(options);
          send = (request) => emulator.handle(request);
        }
        replay = new FlowReplay(flow, send, origin);
      });

      for (const exchange of flow.exchanges) {
        it.skipIf(!modelled(exchange))(`${exchange.name}: accepted and answered in the recorded shape`, async () => {
          const answer = await replay.send(exchange);
          expect(differences(exchange, replay, answer)).toEqual([]);
        });
      }
    });
  }
});

/**
 * The comparison itself must fail on the mistakes it exists to catch: each case takes a recorded
 * answer, applies one wrong assumption (most of them ones the emulator once made) and expects a
 * reported difference.
 */
describe("the recorded-shape comparison reports a wrong assumption", () => {
  const exchanges = flows.flatMap((f) => f.exchanges);
  const body = (predicate: (e: RecordedExchange) => boolean): Record<string, any> => {
    const found = exchanges.find((e) => predicate(e) && typeof e.response?.body === "object" && e.response.body !== null);
    if (found === undefined) throw new Error("no recorded exchange fits");
    return structuredClone(found.response!.body) as Record<string, any>;
  };
  const verifyGet = () => body((e) => e.operation === "getLivenessWithVerifySessionResult");
  const runningGet = () => body((e) => e.request.method === "GET" && (e.response?.body as any)?.status === "Running");
  const succeededGet = () => body((e) => e.request.method === "GET" && (e.response?.body as any)?.results?.attempts?.length > 0);
  const create = () => body((e) => e.request.method === "POST" && e.operation === "createLivenessSession");

  const cases: [string, () => [unknown, unknown]][] = [
    ["referenceType on a with-verify GET", () => {
      const recorded = verifyGet();
      const wrong = structuredClone(recorded);
      wrong.results.verifyReferences[0].referenceType = "image";
      return [recorded, wrong];
    }],
    ["the token on a GET", () => {
      const recorded = runningGet();
      return [recorded, { ...recorded, authToken: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln" }];
    }],
    ["modelVersion before an attempt finished", () => {
      const recorded = runningGet();
      return [recorded, { ...recorded, modelVersion: "2024-11-15" }];
    }],
    ["an in-progress attempt listed on a started session", () => {
      const recorded = runningGet();
      const wrong = structuredClone(recorded);
      wrong.results.attempts = [{ attemptId: 1, attemptStatus: "Running" }];
      return [recorded, wrong];
    }],
    ["a lower-case digest", () => {
      const recorded = succeededGet();
      const wrong = structuredClone(recorded);
      wrong.results.attempts[0].result.digest = wrong.results.attempts[0].result.digest.toLowerCase();
      return [recorded, wrong];
    }],
    ["a session image id of another format", () => {
      const recorded = succeededGet();
      const wrong = structuredClone(recorded);
      wrong.results.attempts[0].result.sessionImageId = "3b0e-not-an-image-id";
      return [recorded, wrong];
    }],
    ["another model version", () => {
      const recorded = create();
      return [recorded, { ...recorded, modelVersion: "2022-10-15-preview.04" }];
    }],
    ["isAbuseMonitoringEnabled in a create response", () => {
      const recorded = create();
      return [recorded, { ...recorded, isAbuseMonitoringEnabled: false }];
    }],
    ["keys in another order", () => {
      const recorded = create();
      const { sessionId, ...rest } = recorded;
      return [recorded, { ...rest, sessionId }];
    }],
    ["a float face rectangle", () => {
      const recorded = succeededGet();
      const wrong = structuredClone(recorded);
      wrong.results.attempts[0].result.targets.color.faceRectangle.top = 10.5;
      return [recorded, wrong];
    }],
  ];

  it.each(cases)("%s", (_name, make) => {
    const [recorded, wrong] = make();
    expect(shapeDifferences(recorded, recorded)).toEqual([]);
    expect(shapeDifferences(recorded, wrong)).not.toEqual([]);
  });

  it("a JSON content type without charset, and a session image without content-disposition", () => {
    const image = exchanges.find((e) => e.operation === "getSessionImage" && e.response !== undefined)!;
    const json = exchanges.find((e) => e.response?.headers["content-type"]?.startsWith("application/json"))!;
    const id = (text: string) => text;
    expect(headerDifferences(json.response!.headers, new Headers({ ...json.response!.headers, "content-type": "application/json" }), id)).not.toEqual([]);
    const { "content-disposition": _dropped, ...withoutDisposition } = image.response!.headers;
    expect(headerDifferences(image.response!.headers, new Headers(withoutDisposition), id)).not.toEqual([]);
    expect(headerDifferences(image.response!.headers, new Headers(image.response!.headers), id)).toEqual([]);
  });

  it("PNG bytes, or a JPEG of another frame layout, where the service sends its JPEG", () => {
    const image = exchanges.find((e) => e.operation === "getSessionImage" && e.response?.bodyBase64 !== undefined)!;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(checkJpeg(png, image.response!.bodyBase64)).not.toEqual([]);
    const gray = Buffer.from(jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 128) }, 90).data);
    expect(jpegFrame(gray)).toBeDefined();
    // jpeg-js writes 4:4:4 sampling; the recorded session image is 4:2:0.
    expect(checkJpeg(gray, image.response!.bodyBase64)).not.toEqual([]);
  });
});
