import { describe, expect, it } from "vitest";
import { loadRecordedExchanges, loadRecordedFlows } from "./recordings.js";

describe("recorded traffic fixtures", () => {
  const flows = loadRecordedFlows();
  const exchanges = loadRecordedExchanges();

  it("are present and each names its source", () => {
    expect(flows.length).toBeGreaterThan(0);
    for (const flow of flows) {
      expect(flow.source.repo, flow.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(flow.source.path, flow.file).not.toBe("");
      expect(flow.source.commit, flow.file).toMatch(/^[0-9a-f]{7,40}$/);
      expect(flow.apiVersion, flow.file).toMatch(/^v\d+\.\d+(-preview\.\d+)?$/);
      expect(flow.exchanges.length, flow.file).toBeGreaterThan(0);
    }
  });

  it("have unique exchange names and well-formed requests and responses", () => {
    const names = exchanges.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of exchanges) {
      expect(e.request.method, e.name).toMatch(/^(GET|POST|PATCH|PUT|DELETE)$/);
      expect(e.request.path, e.name).toMatch(new RegExp(`^/face/${e.flow.apiVersion.replace(/\./g, "\\.")}/`));
      if (e.response !== undefined) {
        expect(Number.isInteger(e.response.status), e.name).toBe(true);
        for (const header of Object.keys(e.response.headers)) expect(header, e.name).toBe(header.toLowerCase());
      }
    }
  });

  it("hold no credential", () => {
    const text = JSON.stringify(flows);
    expect(text).not.toMatch(/ocp-apim-subscription-key"\s*:\s*"(?!REDACTED|Sanitized)/i);
    expect(text).not.toMatch(/"authorization"\s*:\s*"Bearer (?!REDACTED|Sanitized)/i);
  });
});
