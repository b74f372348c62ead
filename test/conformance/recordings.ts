import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Traffic recorded from the live Face service (the official SDKs' test recordings and Microsoft's
 * own samples), one JSON file per recorded test under `fixtures/<source>/`. Bodies and headers are
 * copied verbatim from the source named in each file, except values the recordings themselves
 * sanitized and binary bodies cut short (`bodyNote` says so). These files are the truth the client
 * and the emulator are held against; the OpenAPI examples under test/fixtures are not.
 */

/** Where a recording comes from. */
export interface RecordingSource {
  /** GitHub `owner/name`. */
  repo: string;
  /** Path inside the repository. */
  path: string;
  /** Commit the file was read at (full or abbreviated). */
  commit: string;
  /** Free text: live or sample, API version, region, date, client that made the calls. */
  recorded: string;
}

/** One multipart part of a recorded request. */
export interface RecordedPart {
  name: string;
  filename?: string;
  contentType?: string;
  /** Text value of a non-file part. */
  value?: string;
  /** Bytes of a file part, base64 (may be cut short; see `bytesNote`). */
  bytesBase64?: string;
  bytesNote?: string;
}

/** The request side of an exchange. Secrets (keys, tokens) are never stored. */
export interface RecordedRequest {
  method: string;
  /** Path from the endpoint root, e.g. `/face/v1.2/detectLiveness-sessions`. */
  path: string;
  /** Query parameters as sent. */
  query?: Record<string, string>;
  /** Request headers that matter to the service (content type, ...), lower-case names. */
  headers?: Record<string, string>;
  /** JSON body as sent. */
  body?: unknown;
  /** Multipart body as sent, part by part. */
  multipart?: RecordedPart[];
  /** A one-line-per-part summary where the recording did not keep the parts. */
  multipartSummary?: string[];
}

/** The response side of an exchange. */
export interface RecordedResponse {
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** JSON body (`null` for an empty body). */
  body?: unknown;
  /** Binary body, base64 (may be only its first bytes; see `bodyNote`). */
  bodyBase64?: string;
  /** The last bytes of a binary body cut short, base64 (`bodyBase64` holds the first bytes). */
  bodyTailBase64?: string;
  /** Length in bytes of the recorded binary body when `bodyBase64` holds only part of it. */
  bodyLength?: number;
  bodyNote?: string;
}

/** The client operation an exchange belongs to (or `other:<name>` for operations we do not model). */
export type RecordedOperation =
  | "createLivenessSession"
  | "getLivenessSessionResult"
  | "deleteLivenessSession"
  | "createLivenessWithVerifySession"
  | "getLivenessWithVerifySessionResult"
  | "deleteLivenessWithVerifySession"
  | "getSessionImage"
  | "detectFromSessionImage"
  | "getSettings"
  | "updateSettings"
  | "getClientAssetsAccessToken"
  | `other:${string}`;

/** One recorded request and its response. */
export interface RecordedExchange {
  /** Unique name across all fixtures. */
  name: string;
  operation: RecordedOperation;
  request: RecordedRequest;
  /** Absent for request-only fixtures (e.g. what a sample sends). */
  response?: RecordedResponse;
  note?: string;
}

/** One recorded test or sample: its exchanges in the order they happened. */
export interface RecordedFlow {
  /** Fixture file, relative to `fixtures/`. */
  file: string;
  source: RecordingSource;
  apiVersion: string;
  exchanges: RecordedExchange[];
}

const FIXTURES = join(__dirname, "fixtures");

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return jsonFiles(path);
      return entry.name.endsWith(".json") ? [path] : [];
    })
    .sort();
}

/** Every recorded flow under `fixtures/`. */
export function loadRecordedFlows(): RecordedFlow[] {
  return jsonFiles(FIXTURES).map((path) => {
    const flow = JSON.parse(readFileSync(path, "utf8")) as Omit<RecordedFlow, "file">;
    return { ...flow, file: relative(FIXTURES, path) };
  });
}

/** Every recorded exchange, with the flow it belongs to. */
export function loadRecordedExchanges(): (RecordedExchange & { flow: RecordedFlow })[] {
  return loadRecordedFlows().flatMap((flow) => flow.exchanges.map((exchange) => ({ ...exchange, flow })));
}
