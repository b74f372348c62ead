import { describe, expect, it } from "vitest";
import { FaultQueue } from "../../src/emulator/index.js";
import { expectError, setup } from "./helpers.js";

/** A sleep that resolves only when the test says so. */
function controllableSleep() {
  const calls: Array<{ ms: number; resolve: () => void }> = [];
  return {
    calls,
    sleep: (ms: number) => new Promise<void>((resolve) => calls.push({ ms, resolve })),
  };
}

describe("emulator: fault injection", () => {
  it("answers 429 as the recorded gateway rate limit, with Retry-After, for the next N requests, then recovers", async () => {
    const { call, createLiveness, emulator } = setup();
    const { sessionId } = await createLiveness();
    emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 1, count: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await call(`/detectLiveness-sessions/${sessionId}`);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.headers.get("x-ms-error-code")).toBeNull();
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(response.headers.get("apim-request-id")).toBeTruthy();
      expect(await response.json()).toEqual({
        error: {
          code: "429",
          message:
            "Requests to the Azure AI Face API have exceeded call rate limit of your current Face pricing tier. Please retry after 1 second. Please contact Azure support service if you would like to further increase the default rate limit.",
        },
      });
    }
    expect((await call(`/detectLiveness-sessions/${sessionId}`)).status).toBe(200);
    expect(emulator.faults.size).toBe(0);
  });

  it("answers 503 with a Face error body", async () => {
    const { call, emulator } = setup();
    emulator.faults.enqueue({ kind: "status", status: 503 });
    await expectError(await call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive" } }), 503, "ServiceUnavailable");
    expect(emulator.sessionCount).toBe(0);
  });

  it("uses a given code and message, and applies before authentication", async () => {
    const { call, emulator } = setup();
    emulator.faults.enqueue({ kind: "status", status: 429, code: "429", message: "Slow down." });
    await expectError(await call("/detectLiveness-sessions", { anonymous: true }), 429, "429", "Slow down.");
  });

  it("filters by method and path, leaving other requests alone", async () => {
    const { call, createLiveness, emulator } = setup();
    const { sessionId } = await createLiveness();
    emulator.faults.enqueue({ kind: "status", status: 500, method: "DELETE", path: "/detectLiveness-sessions/" });
    expect((await call(`/detectLiveness-sessions/${sessionId}`)).status).toBe(200);
    expect((await call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive" } })).status).toBe(200);
    await expectError(await call(`/detectLiveness-sessions/${sessionId}`, { method: "DELETE" }), 500, "InternalServerError");
    expect((await call(`/detectLiveness-sessions/${sessionId}`, { method: "DELETE" })).status).toBe(204);
  });

  it("accepts full paths and regular expressions as path filters", async () => {
    const { call, emulator } = setup();
    emulator.faults.enqueue({ kind: "status", status: 502, path: "/face/v1.2/sessionImages/" });
    emulator.faults.enqueue({ kind: "status", status: 504, path: /\/detect$/ });
    expect((await call("/detectLiveness-sessions/x")).status).toBe(404);
    expect((await call("/detect", { json: {} })).status).toBe(504);
    expect((await call("/sessionImages/x")).status).toBe(502);
  });

  it("consumes faults first in, first out", async () => {
    const { call, emulator } = setup();
    emulator.faults.enqueue({ kind: "status", status: 500 });
    emulator.faults.enqueue({ kind: "status", status: 503 });
    expect((await call("/detectLiveness-sessions/x")).status).toBe(500);
    expect((await call("/detectLiveness-sessions/x")).status).toBe(503);
    expect((await call("/detectLiveness-sessions/x")).status).toBe(404);
  });

  it("drops the connection: handle() returns Response.error()", async () => {
    const { call, emulator } = setup();
    emulator.faults.enqueue({ kind: "drop" });
    const response = await call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive" } });
    expect(response.type).toBe("error");
    expect(response.status).toBe(0);
    expect(emulator.sessionCount).toBe(0);
  });

  it("delays with the injected sleep, then handles the request normally", async () => {
    const timer = controllableSleep();
    const { call, emulator } = setup({ sleep: timer.sleep });
    emulator.faults.enqueue({ kind: "delay", ms: 1500 });
    let settled = false;
    const pending = call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive" } }).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(timer.calls.map((c) => c.ms)).toEqual([1500]);
    expect(settled).toBe(false);
    expect(emulator.sessionCount).toBe(0);
    timer.calls[0]!.resolve();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(emulator.sessionCount).toBe(1);
  });

  it("never applies faults to the device stand-in", async () => {
    const { createLiveness, device, emulator } = setup();
    const { authToken } = await createLiveness();
    emulator.faults.enqueue({ kind: "status", status: 503 });
    expect((await device(authToken, { outcome: "realface" })).status).toBe(200);
    expect(emulator.faults.size).toBe(1);
  });

  it("clear() and reset() remove queued faults", async () => {
    const { call, createLiveness, emulator } = setup();
    emulator.faults.enqueue({ kind: "drop", count: Infinity });
    emulator.faults.clear();
    expect((await call("/detectLiveness-sessions/x")).status).toBe(404);
    await createLiveness();
    emulator.faults.enqueue({ kind: "drop" });
    emulator.reset();
    expect(emulator.faults.size).toBe(0);
    expect(emulator.sessionCount).toBe(0);
  });

  it("validates faults when they are queued", () => {
    const faults = new FaultQueue();
    expect(() => faults.enqueue({ kind: "status", status: 200 })).toThrow(RangeError);
    expect(() => faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: -1 })).toThrow(RangeError);
    expect(() => faults.enqueue({ kind: "delay", ms: -5 })).toThrow(RangeError);
    expect(() => faults.enqueue({ kind: "drop", count: 0 })).toThrow(RangeError);
    expect(() => faults.enqueue({ kind: "explode" } as never)).toThrow(TypeError);
    expect(faults.size).toBe(0);
  });

  it("reports the fault in the request log", async () => {
    const entries: Array<{ status: number; fault?: string; path: string }> = [];
    const { call, emulator } = setup({ onRequest: (e) => entries.push(e) });
    emulator.faults.enqueue({ kind: "drop" });
    emulator.faults.enqueue({ kind: "status", status: 503 });
    await call("/detectLiveness-sessions/a");
    await call("/detectLiveness-sessions/b");
    await call("/detectLiveness-sessions/c");
    expect(entries.map((e) => [e.path, e.status, e.fault])).toEqual([
      ["/face/v1.2/detectLiveness-sessions/a", 0, "drop"],
      ["/face/v1.2/detectLiveness-sessions/b", 503, "status"],
      ["/face/v1.2/detectLiveness-sessions/c", 404, undefined],
    ]);
  });
});
