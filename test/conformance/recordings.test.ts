import { describe, expect, it } from "vitest";
import { loadRecordedExchanges, loadRecordedFlows, type RecordedOperation } from "./recordings.js";

/** Method and path (after `/face/<version>`) each modelled operation is sent as. */
const OPERATION_ROUTES: Record<Exclude<RecordedOperation, `other:${string}`>, [string, RegExp]> = {
  createLivenessSession: ["POST", /^\/detectLiveness-sessions$/],
  getLivenessSessionResult: ["GET", /^\/detectLiveness-sessions\/[^/]+$/],
  deleteLivenessSession: ["DELETE", /^\/detectLiveness-sessions\/[^/]+$/],
  createLivenessWithVerifySession: ["POST", /^\/detectLivenessWithVerify-sessions$/],
  getLivenessWithVerifySessionResult: ["GET", /^\/detectLivenessWithVerify-sessions\/[^/]+$/],
  deleteLivenessWithVerifySession: ["DELETE", /^\/detectLivenessWithVerify-sessions\/[^/]+$/],
  getSessionImage: ["GET", /^\/sessionImages\/[^/]+$/],
  detectFromSessionImage: ["POST", /^\/detect$/],
  getSettings: ["GET", /^\/settings$/],
  updateSettings: ["PATCH", /^\/settings$/],
  getClientAssetsAccessToken: ["GET", /^\/settings\/getClientAssetsAccessToken$/],
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

describe("recorded traffic fixtures", () => {
  const flows = loadRecordedFlows();
  const exchanges = loadRecordedExchanges();

  it("are present and each names its source", () => {
    expect(flows.length).toBeGreaterThan(0);
    for (const flow of flows) {
      expect(flow.source.repo, flow.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(flow.source.path, flow.file).not.toBe("");
      expect(flow.source.commit, flow.file).toMatch(/^[0-9a-f]{7,40}$/);
      expect(flow.source.recorded, flow.file).not.toBe("");
      expect(flow.apiVersion, flow.file).toMatch(/^v\d+\.\d+(-preview\.\d+)?$/);
      expect(flow.exchanges.length, flow.file).toBeGreaterThan(0);
    }
  });

  it("have unique exchange names and well-formed requests and responses", () => {
    const names = exchanges.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of exchanges) {
      expect(e.name, e.flow.file).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(e.request.method, e.name).toMatch(/^(GET|POST|PATCH|PUT|DELETE)$/);
      expect(e.request.path, e.name).toMatch(new RegExp(`^/face/${e.flow.apiVersion.replace(/\./g, "\\.")}/`));
      for (const header of Object.keys(e.request.headers ?? {})) expect(header, e.name).toBe(header.toLowerCase());
      if (e.response !== undefined) {
        expect(Number.isInteger(e.response.status), e.name).toBe(true);
        for (const header of Object.keys(e.response.headers)) expect(header, e.name).toBe(header.toLowerCase());
      }
    }
  });

  it("name the operation the method and path belong to", () => {
    for (const e of exchanges) {
      if (e.operation.startsWith("other:")) continue;
      const [method, path] = OPERATION_ROUTES[e.operation as keyof typeof OPERATION_ROUTES];
      expect(e.request.method, e.name).toBe(method);
      // Case-insensitive: Microsoft's tutorial spells the with-verify path `detectLivenesswithVerify-sessions`.
      expect(e.request.path.slice(`/face/${e.flow.apiVersion}`.length), e.name).toMatch(new RegExp(path.source, "i"));
    }
  });

  it("keep JSON bodies byte for byte: compact, in the recorded key order, as long as the recorded Content-Length", () => {
    for (const e of exchanges) {
      const response = e.response;
      const length = response?.headers["content-length"];
      if (response?.body === undefined || response.body === null || length === undefined) continue;
      const compact = Buffer.byteLength(JSON.stringify(response.body));
      // Where a value was elided (JWTs) or the recording does not add up, the note says so.
      if (compact !== Number(length)) expect(e.note ?? "", e.name).toMatch(/Content-Length/);
    }
  });

  it("keep binary bodies as base64 and say when they are cut short", () => {
    for (const e of exchanges) {
      const response = e.response;
      if (response?.bodyBase64 !== undefined) {
        expect(response.bodyBase64, e.name).toMatch(BASE64);
        expect(response.body, e.name).toBeUndefined();
        const kept = Buffer.from(response.bodyBase64, "base64").length;
        if (response.bodyLength !== undefined) {
          expect(response.bodyLength, e.name).toBeGreaterThan(kept);
          expect(response.bodyNote, e.name).toBeTruthy();
        }
        if (response.bodyTailBase64 !== undefined) expect(response.bodyTailBase64, e.name).toMatch(BASE64);
      }
      for (const part of e.request.multipart ?? []) {
        expect(part.name, e.name).not.toBe("");
        expect(part.value === undefined || part.bytesBase64 === undefined, `${e.name} ${part.name}`).toBe(true);
        if (part.bytesBase64 !== undefined) expect(part.bytesBase64, `${e.name} ${part.name}`).toMatch(BASE64);
      }
    }
  });

  it("give every recorded response a status and headers, and leave request-only exchanges to samples", () => {
    for (const e of exchanges) {
      if (e.response === undefined) expect(e.flow.file, e.name).toMatch(/^samples\//);
      else expect(Object.keys(e.response.headers).length, e.name).toBeGreaterThan(0);
    }
  });

  it("hold no credential", () => {
    const text = JSON.stringify(flows);
    expect(text).not.toMatch(/ocp-apim-subscription-key"\s*:\s*"(?!REDACTED|Sanitized)/i);
    expect(text).not.toMatch(/"authorization"\s*:\s*"Bearer (?!REDACTED|Sanitized)/i);
    // A JWT keeps only its header: payload and signature are elided (they name subscriptions and resources).
    for (const jwt of text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []) {
      expect(jwt).toMatch(/^eyJ[\w-]+\.RECORDED-JWT-PAYLOAD-ELIDED\.SIGNATURE-ELIDED$/);
    }
    expect(text).not.toMatch(/\/subscriptions\/[0-9a-f-]{36}/i);
  });
});
