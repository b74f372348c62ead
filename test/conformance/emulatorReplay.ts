import { randomUUID } from "node:crypto";
import { fixture, rawMultipart } from "../emulator/helpers.js";
import type { RecordedExchange, RecordedFlow, RecordedPart, RecordedRequest } from "./recordings.js";

/**
 * Replays a recorded flow against the emulator, exchange by exchange and in order. Recorded ids
 * (session ids, session image ids) are mapped to the ids the emulator hands out. Where the
 * recording shows that the end user's device acted between two calls (a GET that reads
 * `Running`, or a finished attempt), the replay does the same through the device stand-in
 * endpoint, with the recorded decision, face rectangle and match confidence. Sessions a flow
 * reads without having created them (the recording created them earlier) are created first with
 * the recorded session kind and API version.
 */

/** Sends one request to the emulator (in process, or over HTTP). */
export type Send = (request: Request) => Promise<Response>;

/** The subscription key every replayed request carries (the recordings redact theirs). */
export const REPLAY_KEY = "conformance-replay-key";

/** The origin replayed URLs use for the in-process transport. */
export const REPLAY_ORIGIN = "https://face.test";

const FACE_JPEG = fixture("face.jpg");

interface SessionState {
  readonly kind: string;
  readonly version: string;
  readonly sessionId: string;
  readonly authToken: string;
  started: boolean;
  finishedAttempts: number;
}

const SESSION_PATH = /^\/face\/([^/]+)\/(detectLiveness|detectLivenessWithVerify)-sessions(?:\/([^/?]+))?$/i;
const IMAGE_PATH = /^\/face\/([^/]+)\/sessionImages\/([^/?]+)$/i;

/** A multipart body from parts (through the emulator tests' hand-written builder). */
function multipartBody(parts: readonly { name: string; filename?: string; contentType?: string; data: Uint8Array }[]): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const form = rawMultipart(
    parts.map((p) => ({
      name: p.name,
      data: p.data,
      ...(p.filename !== undefined ? { filename: p.filename } : {}),
      ...(p.contentType !== undefined ? { type: p.contentType } : {}),
    })),
  );
  return { body: new Uint8Array(form.body), contentType: form.headers["content-type"] };
}

/** Parts of a `multipartSummary` line: `name=value`, `name` (value not kept) or `name (filename f)`. */
function partFromSummary(line: string): RecordedPart {
  const match = /^([A-Za-z][A-Za-z0-9_]*)(?:=(.*?))?(?: \(filename ([^)]+)\))?$/.exec(line.trim());
  if (match === null) throw new Error(`Unreadable multipartSummary line '${line}'.`);
  const [, name, value, filename] = match;
  if (filename !== undefined) return { name: name!, filename };
  // A value the recording did not keep (e.g. deviceCorrelationId): a UUID, as the samples send.
  return { name: name!, value: value ?? randomUUID() };
}

function partBytes(part: RecordedPart): Uint8Array {
  if (part.value !== undefined) return Buffer.from(part.value, "utf8");
  if (part.bytesBase64 !== undefined && part.bytesNote === undefined) return Buffer.from(part.bytesBase64, "base64");
  // A file part whose bytes were not kept (or kept cut short): a small real JPEG face.
  return FACE_JPEG;
}

/** What the recorded answer says about the session after the device acted. */
interface RecordedProgress {
  readonly running: boolean;
  /** Finished attempts, oldest first. */
  readonly attempts: readonly Record<string, any>[];
}

function recordedProgress(body: unknown): RecordedProgress | undefined {
  if (typeof body !== "object" || body === null || !("results" in body)) return undefined;
  const session = body as { status?: string; results?: { attempts?: Record<string, any>[] } };
  const attempts = [...(session.results?.attempts ?? [])].reverse();
  return { running: session.status === "Running", attempts };
}

/** Replays one flow; create one per flow and call {@link FlowReplay.send} for each exchange in order. */
export class FlowReplay {
  readonly #flow: RecordedFlow;
  readonly #send: Send;
  readonly #origin: string;
  /** Recorded id → emulator id. */
  readonly #ids = new Map<string, string>();
  readonly #sessions = new Map<string, SessionState>();

  constructor(flow: RecordedFlow, send: Send, origin: string) {
    this.#flow = flow;
    this.#send = send;
    this.#origin = origin;
  }

  /** Replaces every recorded id in `text` with the emulator's. */
  mapIds(text: string): string {
    let out = text;
    for (const [recorded, mine] of this.#ids) out = out.split(recorded).join(mine);
    return out;
  }

  async #call(method: string, path: string, headers: Record<string, string>, body?: BodyInit): Promise<Response> {
    return this.#send(new Request(`${this.#origin}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }));
  }

  async #device(session: SessionState, input: Record<string, unknown>): Promise<void> {
    const response = await this.#call(
      "POST",
      `/face/${session.version}/emulator/device/attempts`,
      { authorization: `Bearer ${session.authToken}`, "content-type": "application/json" },
      JSON.stringify(input),
    );
    if (response.status !== 200) throw new Error(`device stand-in answered ${response.status}: ${await response.text()}`);
  }

  /** Creates a stand-in for a session the flow reads but did not create, and maps its id. */
  async #standIn(version: string, kind: string, recordedId: string, withImage = false): Promise<SessionState> {
    const headers: Record<string, string> = { "ocp-apim-subscription-key": REPLAY_KEY };
    let body: BodyInit;
    if (kind.toLowerCase() === "detectlivenesswithverify") {
      const form = multipartBody([
        { name: "livenessOperationMode", data: Buffer.from("Passive") },
        ...(withImage ? [{ name: "enableSessionImage", data: Buffer.from("true") }] : []),
        { name: "verifyImage", filename: "face.jpg", data: FACE_JPEG },
      ]);
      headers["content-type"] = form.contentType;
      body = form.body;
    } else {
      headers["content-type"] = "application/json";
      body = JSON.stringify({ livenessOperationMode: "Passive", ...(withImage ? { enableSessionImage: true } : {}) });
    }
    const response = await this.#call("POST", `/face/${version}/${kind}-sessions`, headers, body);
    if (response.status !== 200) throw new Error(`stand-in create answered ${response.status}: ${await response.text()}`);
    const created = (await response.json()) as { sessionId: string; authToken: string };
    const state: SessionState = { kind, version, sessionId: created.sessionId, authToken: created.authToken, started: false, finishedAttempts: 0 };
    this.#ids.set(recordedId, created.sessionId);
    this.#sessions.set(created.sessionId, state);
    return state;
  }

  /** A session image id of the emulator standing for a recorded one the flow did not produce. */
  async #standInImage(version: string, recordedImageId: string): Promise<void> {
    const session = await this.#standIn(version, "detectLiveness", `stand-in-for-${recordedImageId}`, true);
    await this.#device(session, { outcome: "realface" });
    const response = await this.#call("GET", `/face/${version}/detectLiveness-sessions/${session.sessionId}`, {
      "ocp-apim-subscription-key": REPLAY_KEY,
    });
    const read = (await response.json()) as { results: { attempts: { result: { sessionImageId: string } }[] } };
    this.#ids.set(recordedImageId, read.results.attempts[0]!.result.sessionImageId);
  }

  /** Makes the device do what the recorded answer shows it did since the last call. */
  async #catchUp(session: SessionState, exchange: RecordedExchange): Promise<void> {
    const progress = exchange.request.method === "GET" ? recordedProgress(exchange.response?.body) : undefined;
    if (progress === undefined) return;
    for (const attempt of progress.attempts.slice(session.finishedAttempts)) {
      const result = attempt.result as Record<string, any> | undefined;
      const error = attempt.error as Record<string, any> | undefined;
      const targets = (result ?? error)?.targets?.color?.faceRectangle;
      await this.#device(session, {
        outcome: result?.livenessDecision ?? error?.code,
        ...(targets !== undefined ? { faceRectangle: targets } : {}),
        ...(result?.verifyResult?.matchConfidence !== undefined ? { matchConfidence: result.verifyResult.matchConfidence } : {}),
        ...(error?.message !== undefined ? { message: error.message } : {}),
      });
      session.finishedAttempts++;
      session.started = false;
    }
    if (progress.running && !session.started && session.finishedAttempts === progress.attempts.length) {
      await this.#device(session, { stage: "start" });
      session.started = true;
    }
  }

  async #prepare(request: RecordedRequest): Promise<SessionState | undefined> {
    const session = SESSION_PATH.exec(request.path);
    if (session?.[3] !== undefined && !this.#ids.has(session[3])) await this.#standIn(session[1]!, session[2]!, session[3]);
    const image = IMAGE_PATH.exec(request.path);
    if (image !== null && !this.#ids.has(image[2]!)) await this.#standInImage(image[1]!, image[2]!);
    const imageId = (request.body as { sessionImageId?: unknown } | undefined)?.sessionImageId;
    if (typeof imageId === "string" && !this.#ids.has(imageId)) await this.#standInImage(this.#flow.apiVersion, imageId);
    return session?.[3] !== undefined ? this.#sessions.get(this.#ids.get(session[3])!) : undefined;
  }

  #remember(exchange: RecordedExchange, response: Response, body: unknown): void {
    const recorded = exchange.response?.body as Record<string, any> | undefined;
    const mine = body as Record<string, any> | undefined;
    const created = SESSION_PATH.exec(exchange.request.path);
    if (exchange.request.method === "POST" && created !== null && created[3] === undefined && response.status === 200 && mine?.sessionId !== undefined) {
      if (typeof recorded?.sessionId === "string") this.#ids.set(recorded.sessionId, mine.sessionId);
      this.#sessions.set(mine.sessionId, {
        kind: created[2]!,
        version: created[1]!,
        sessionId: mine.sessionId,
        authToken: mine.authToken,
        started: false,
        finishedAttempts: 0,
      });
    }
    // Session image ids: recorded attempts and the emulator's, position by position.
    const recordedAttempts = (recorded?.results?.attempts ?? []) as Record<string, any>[];
    const myAttempts = (mine?.results?.attempts ?? []) as Record<string, any>[];
    recordedAttempts.forEach((attempt, i) => {
      const recordedImage = attempt.result?.sessionImageId;
      const myImage = myAttempts[i]?.result?.sessionImageId;
      if (typeof recordedImage === "string" && typeof myImage === "string") this.#ids.set(recordedImage, myImage);
    });
  }

  #body(request: RecordedRequest, headers: Record<string, string>): BodyInit | undefined {
    if (request.multipart !== undefined || request.multipartSummary !== undefined) {
      const parts = request.multipart ?? request.multipartSummary!.map(partFromSummary);
      const form = multipartBody(
        parts.map((p) => ({
          name: p.name,
          ...(p.filename !== undefined ? { filename: p.filename } : {}),
          ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
          data: partBytes(p),
        })),
      );
      headers["content-type"] = form.contentType;
      return form.body;
    }
    if (request.body === undefined || request.body === null) return undefined;
    headers["content-type"] ??= "application/json";
    return this.mapIds(JSON.stringify(request.body));
  }

  /**
   * Sends the recorded request of `exchange` (after any device steps the recording implies)
   * and returns the emulator's answer with its body read (JSON, or bytes).
   */
  async send(exchange: RecordedExchange): Promise<{ response: Response; json?: unknown; bytes?: Uint8Array }> {
    const request = exchange.request;
    const session = await this.#prepare(request);
    if (session !== undefined) await this.#catchUp(session, exchange);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (name !== "content-length" && name !== "ocp-apim-subscription-key" && name !== "authorization") headers[name] = value;
    }
    headers["ocp-apim-subscription-key"] = REPLAY_KEY;
    const body = this.#body(request, headers);
    const query = request.query !== undefined ? `?${new URLSearchParams(request.query).toString()}` : "";
    const response = await this.#call(request.method, `${this.mapIds(request.path)}${query}`, headers, body);
    const type = response.headers.get("content-type") ?? "";
    if (type.startsWith("application/json")) {
      const json: unknown = await response.json();
      this.#remember(exchange, response, json);
      return { response, json };
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, bytes };
  }
}
