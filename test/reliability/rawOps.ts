/**
 * Every client operation the fault suite covers, described for a raw `node:http` server: which
 * request it sends, what a successful answer looks like on the wire, and how to run it to
 * completion (a session image is read to its end; the poller waits for a terminal session).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FaceOperationOptions, FaceSessionClient } from "../../src/index.js";
import { IMAGE_ID, SESSION_ID, livenessBody, succeededAttempt, withVerifyBody } from "../utils/sessions.js";

export const FACE_JPG = readFileSync(join(__dirname, "..", "fixtures", "images", "face.jpg"));
export const FACE_PNG = readFileSync(join(__dirname, "..", "fixtures", "images", "face.png"));
export { IMAGE_ID, SESSION_ID };

/** How an operation reads its response. */
export type OpKind = "json" | "delete" | "image" | "poller";

export interface RawOp {
  readonly name: string;
  readonly method: "GET" | "POST" | "DELETE";
  /** The path on the wire (no query), under `/face/v1.2`. */
  readonly path: string;
  /** Session creation: retried only on 429/503 and refused connections. */
  readonly create: boolean;
  readonly kind: OpKind;
  /** A successful answer. */
  readonly success: { readonly status: number; readonly body: Buffer; readonly contentType: string };
  /** Runs the operation to completion. */
  run(client: FaceSessionClient, options?: FaceOperationOptions): Promise<unknown>;
  /** Checks the value of a successful run. */
  checkSuccess(value: unknown): void;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const JSON_TYPE = "application/json; charset=utf-8";
const FACE = [{ faceRectangle: { top: 10, left: 20, width: 30, height: 40 } }];

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export const RAW_OPS: readonly RawOp[] = [
  {
    name: "createLivenessSession",
    method: "POST",
    path: "/face/v1.2/detectLiveness-sessions",
    create: true,
    kind: "json",
    success: { status: 200, body: json(livenessBody("NotStarted")), contentType: JSON_TYPE },
    run: (client, options) => client.createLivenessSession({ livenessOperationMode: "Passive" }, options),
    checkSuccess: (value) => assert((value as { sessionId?: string }).sessionId === SESSION_ID, "created session id"),
  },
  {
    name: "createLivenessWithVerifySession",
    method: "POST",
    path: "/face/v1.2/detectLivenessWithVerify-sessions",
    create: true,
    kind: "json",
    success: { status: 200, body: json(withVerifyBody("NotStarted")), contentType: JSON_TYPE },
    run: (client, options) =>
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_JPG }, options),
    checkSuccess: (value) => assert((value as { sessionId?: string }).sessionId === SESSION_ID, "created session id"),
  },
  {
    name: "getLivenessSessionResult",
    method: "GET",
    path: `/face/v1.2/detectLiveness-sessions/${SESSION_ID}`,
    create: false,
    kind: "json",
    success: { status: 200, body: json(livenessBody("Succeeded", [succeededAttempt(1)])), contentType: JSON_TYPE },
    run: (client, options) => client.getLivenessSessionResult(SESSION_ID, options),
    checkSuccess: (value) => assert((value as { status?: string }).status === "Succeeded", "session status"),
  },
  {
    name: "deleteLivenessSession",
    method: "DELETE",
    path: `/face/v1.2/detectLiveness-sessions/${SESSION_ID}`,
    create: false,
    kind: "delete",
    // 200 with a body (the service answers 200 with no body; a body lets byte faults apply).
    success: { status: 200, body: json({ deleted: true, padding: "x".repeat(64) }), contentType: JSON_TYPE },
    run: (client, options) => client.deleteLivenessSession(SESSION_ID, options),
    checkSuccess: (value) => assert(typeof value === "object" && value !== null && Object.keys(value).every((k) => k === "requestId"), "delete resolves with { requestId? }"),
  },
  {
    name: "getSessionImage",
    method: "GET",
    path: `/face/v1.2/sessionImages/${IMAGE_ID}`,
    create: false,
    kind: "image",
    success: { status: 200, body: FACE_PNG, contentType: "application/octet-stream" },
    run: async (client, options) => (await client.getSessionImage(IMAGE_ID, options)).bytes(),
    checkSuccess: (value) => assert(Buffer.from(value as Uint8Array).equals(FACE_PNG), "session image bytes"),
  },
  {
    name: "detectFromSessionImage",
    method: "POST",
    path: "/face/v1.2/detect",
    create: false,
    kind: "json",
    success: { status: 200, body: json(FACE), contentType: JSON_TYPE },
    run: (client, options) => client.detectFromSessionImage(IMAGE_ID, options),
    checkSuccess: (value) => assert((value as unknown[]).length === 1, "one face"),
  },
  {
    name: "waitForLivenessSessionResult",
    method: "GET",
    path: `/face/v1.2/detectLiveness-sessions/${SESSION_ID}`,
    create: false,
    kind: "poller",
    success: { status: 200, body: json(livenessBody("Succeeded", [succeededAttempt(1)])), contentType: JSON_TYPE },
    run: (client, options) => client.waitForLivenessSessionResult(SESSION_ID, { ...options, intervalInMs: 5, timeoutInMs: 15_000 }),
    checkSuccess: (value) => assert((value as { reason?: string }).reason === "succeeded", "wait outcome"),
  },
];

/** Bodies that are not the session JSON they claim to be. */
export const TRUNCATED_JSON = Buffer.from('{"sessionId":"b12e033e-bda7-4b83-a211-e721c661f30e","authToken":"eyJhbGciOiJFUzI1Ni');
export const HTML_PAGE = Buffer.from("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
