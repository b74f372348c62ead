/**
 * When undici cannot be loaded (a bundle that left it out, a runtime it does not run on), the
 * client's transport serves every request through node:http instead of failing.
 */
import http, { type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createFaceHttpClient } from "../../src/http/faceHttpClient.js";

vi.mock("undici/lib/dispatcher/agent.js", () => {
  throw new Error("Cannot find module 'undici/lib/dispatcher/agent.js'");
});

const heads: string[][] = [];
const server = http.createServer((req: IncomingMessage, res) => {
  heads.push(req.rawHeaders);
  res.writeHead(200, { "content-type": "application/json" }).end("{}");
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it("falls back to node:http for every request when undici does not load", async () => {
  const client = createFaceHttpClient({ limits: { maxBufferedBodyBytes: 1024, idleTimeoutInMs: 5_000 } });
  for (let i = 0; i < 2; i++) {
    const request = createPipelineRequest({ url, allowInsecureConnection: true, headers: createHttpHeaders({ accept: "application/json" }) });
    const response = await client.sendRequest(request);
    expect(response.status).toBe(200);
    expect(response.bodyAsText).toBe("{}");
  }
  // node:http writes Host (capitalised) after the caller's headers; undici would send `host` first.
  expect(heads.map((h) => h[0])).toEqual(["accept", "accept"]);
  expect(heads.every((h) => h.includes("Host"))).toBe(true);
});
