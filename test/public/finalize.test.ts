import { AbortError } from "@azure/abort-controller";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isRestError, livenessSessionScope, livenessWithVerifySessionScope } from "../../src/index.js";
import { failure, ok, scriptedClient, settled, T0, type Reply } from "../utils/fakeTransport.js";
import {
  IMAGE_ID,
  SESSION_ID,
  failedAttempt,
  livenessBody,
  succeededAttempt,
  verifyAttempt,
  withVerifyBody,
} from "../utils/sessions.js";

const GET = `GET /detectLiveness-sessions/${SESSION_ID}`;
const DELETE = `DELETE /detectLiveness-sessions/${SESSION_ID}`;
const GET_VERIFY = `GET /detectLivenessWithVerify-sessions/${SESSION_ID}`;
const DELETE_VERIFY = `DELETE /detectLivenessWithVerify-sessions/${SESSION_ID}`;
const IMAGE = `GET /sessionImages/${IMAGE_ID}`;
const DETECT = "POST /detect?returnFaceId=false";
const BYTES = Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + 5) % 256);
const FACE = { faceRectangle: { top: 10, left: 20, width: 30, height: 40 } };
const deleted: Reply = { status: 204 };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("finalizeLivenessSession", () => {
  it("reads, downloads the image, detects faces and deletes, in that order", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("Succeeded", [succeededAttempt(2), failedAttempt(1)]))],
      [IMAGE]: [{ status: 200, bytes: BYTES }],
      [DETECT]: [ok([FACE])],
      [DELETE]: [deleted],
    });
    const result = await client.finalizeLivenessSession(SESSION_ID, { downloadSessionImage: true, detectFaces: true });

    expect(transport.lines()).toEqual([GET, IMAGE, DETECT, DELETE]);
    expect(result.deleted).toBe(true);
    expect(result.deleteError).toBeUndefined();
    expect(result.session.status).toBe("Succeeded");
    expect(result.summary).toMatchObject({ attemptId: 2, accepted: true, sessionImageId: IMAGE_ID });
    expect(result.sessionImage).toEqual(BYTES);
    expect(result.faces).toEqual([FACE]);
  });

  it("skips the image steps when the latest attempt has no session image, and still deletes", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("Failed", [failedAttempt(1)]))],
      [DELETE]: [deleted],
    });
    const result = await client.finalizeLivenessSession(SESSION_ID, { downloadSessionImage: true, detectFaces: true });
    expect(transport.lines()).toEqual([GET, DELETE]);
    expect(result).toMatchObject({ deleted: true, summary: { accepted: false, error: { code: "FaceWithMaskDetected" } } });
    expect(result.sessionImage).toBeUndefined();
    expect(result.faces).toBeUndefined();
  });

  it("deletes and rethrows the original error when the image download fails", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("Succeeded", [succeededAttempt(1)]))],
      [IMAGE]: [failure(500, "InternalServerError", "Something went wrong.")],
      [DELETE]: [deleted],
    });
    const { error } = await settled(client.finalizeLivenessSession(SESSION_ID, { downloadSessionImage: true, detectFaces: true }));

    expect(transport.lines()).toEqual([GET, IMAGE, DELETE]);
    expect(isRestError(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 500, code: "InternalServerError" });
    expect((error as { deleteError?: unknown }).deleteError).toBeUndefined();
  });

  it("keeps the original error and attaches the delete failure when both fail", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("Succeeded", [succeededAttempt(1)]))],
      [IMAGE]: [failure(500, "InternalServerError", "Something went wrong.")],
      [DELETE]: [failure(403, "403", "Out of call volume quota.")],
    });
    const { error } = await settled(client.finalizeLivenessSession(SESSION_ID, { downloadSessionImage: true }));

    expect(transport.lines()).toEqual([GET, IMAGE, DELETE]);
    expect(error).toMatchObject({ statusCode: 500 });
    expect((error as { deleteError?: unknown }).deleteError).toMatchObject({ statusCode: 403 });
  });

  it("reports a failed delete on success as deleted: false with deleteError", async () => {
    const { client } = scriptedClient({
      [GET]: [ok(livenessBody("Succeeded", [succeededAttempt(1)]))],
      [DELETE]: [failure(503, "ServiceUnavailable", "Busy.")],
    });
    const result = await client.finalizeLivenessSession(SESSION_ID);
    expect(result.deleted).toBe(false);
    expect(result.deleteError).toMatchObject({ statusCode: 503 });
    expect(result.summary.accepted).toBe(true);
  });

  it("counts a 404 on delete (already gone) as deleted", async () => {
    const { client } = scriptedClient({
      [GET]: [ok(livenessBody("Succeeded", [succeededAttempt(1)]))],
      [DELETE]: [failure(404, "SessionNotFound", "Session Id is not found.")],
    });
    expect((await client.finalizeLivenessSession(SESSION_ID)).deleted).toBe(true);
  });

  it("does not delete with keepSession", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("Succeeded", [succeededAttempt(1)]))] });
    const result = await client.finalizeLivenessSession(SESSION_ID, { keepSession: true });
    expect(transport.lines()).toEqual([GET]);
    expect(result.deleted).toBe(false);
  });

  it("does not delete with keepSession when a step fails either", async () => {
    const { transport, client } = scriptedClient({ [GET]: [failure(500, "InternalServerError", "Oops.")] });
    const { error } = await settled(client.finalizeLivenessSession(SESSION_ID, { keepSession: true }));
    expect(error).toMatchObject({ statusCode: 500 });
    expect(transport.lines()).toEqual([GET]);
  });

  it("on abort during the read: rejects with AbortError and still deletes, with a live signal", async () => {
    const { transport, client } = scriptedClient({ [GET]: ["hang"], [DELETE]: [deleted] });
    const controller = new AbortController();
    const result = settled(client.finalizeLivenessSession(SESSION_ID, { abortSignal: controller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.lines()).toEqual([GET]);

    controller.abort();
    const { error } = await result;
    expect(error).toBeInstanceOf(AbortError);
    expect(transport.lines()).toEqual([GET, DELETE]);
    expect(transport.requests[1].signalAborted).toBe(false);
    expect(transport.abortedInFlight()).toBe(1);
  });

  it("on a signal aborted before the call: sends only the delete", async () => {
    const { transport, client } = scriptedClient({ [DELETE]: [deleted] });
    const { error } = await settled(
      client.finalizeLivenessSession(SESSION_ID, { abortSignal: AbortSignal.abort(), downloadSessionImage: true }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(transport.lines()).toEqual([DELETE]);
  });

  it("on abort while waiting: stops polling, deletes and leaves no timer", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))], [DELETE]: [deleted] });
    const controller = new AbortController();
    const result = settled(client.finalizeLivenessSession(SESSION_ID, { wait: true, abortSignal: controller.signal }));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(transport.lines()).toEqual([GET, GET]);

    controller.abort();
    const { error } = await result;
    expect(error).toBeInstanceOf(AbortError);
    expect(transport.lines()).toEqual([GET, GET, DELETE]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.lines()).toHaveLength(3);
  });

  it("waits first when asked, then uses the waited session without another read", async () => {
    const { transport, client } = scriptedClient({
      [GET]: [ok(livenessBody("NotStarted")), ok(livenessBody("Succeeded", [succeededAttempt(1)]))],
      [DELETE]: [deleted],
    });
    const result = settled(client.finalizeLivenessSession(SESSION_ID, { wait: { intervalInMs: 1_000 } }));
    await vi.runAllTimersAsync();
    const { value } = await result;
    expect(transport.lines()).toEqual([GET, GET, DELETE]);
    expect(transport.times()).toEqual([0, 1_000, 1_000]);
    expect(value?.waitOutcome?.reason).toBe("succeeded");
    expect(value?.summary.accepted).toBe(true);
    expect(value?.deleted).toBe(true);
  });

  it("deletes an expired session after waiting", async () => {
    const { transport, client } = scriptedClient({ [GET]: [ok(livenessBody("NotStarted"))], [DELETE]: [deleted] });
    const result = settled(
      client.finalizeLivenessSession(SESSION_ID, { wait: { authTokenExpiresOn: new Date(T0 + 1_000) } }),
    );
    await vi.runAllTimersAsync();
    const { value } = await result;
    expect(value?.waitOutcome?.reason).toBe("expired");
    expect(value?.summary.accepted).toBe(false);
    expect(transport.lines()).toEqual([GET, GET, DELETE]);
  });

  it("rejects an invalid session id before sending anything", async () => {
    const { transport, client } = scriptedClient({});
    await expect(client.finalizeLivenessSession("../x")).rejects.toThrow(TypeError);
    expect(transport.lines()).toEqual([]);
  });
});

describe("finalizeLivenessWithVerifySession", () => {
  it("applies the policy to the verify result and deletes the with-verify session", async () => {
    const { transport, client } = scriptedClient({
      [GET_VERIFY]: [ok(withVerifyBody("Succeeded", [verifyAttempt(1, true, 0.75)]))],
      [DELETE_VERIFY]: [deleted],
    });
    const strict = await client.finalizeLivenessWithVerifySession(SESSION_ID, { policy: { minMatchConfidence: 0.8 } });
    expect(strict.summary).toMatchObject({ isIdentical: true, matchConfidence: 0.75, accepted: false });
    expect(transport.lines()).toEqual([GET_VERIFY, DELETE_VERIFY]);
  });
});

describe("session scopes (await using)", () => {
  it("deletes the session when the scope ends, also when the block throws", async () => {
    const { transport, client } = scriptedClient({ [DELETE]: [deleted] });
    const run = async () => {
      await using scope = livenessSessionScope(client, SESSION_ID);
      expect(scope.sessionId).toBe(SESSION_ID);
      throw new Error("handler failed");
    };
    await expect(run()).rejects.toThrow("handler failed");
    expect(transport.lines()).toEqual([DELETE]);
  });

  it("tolerates a session already deleted by finalize, and deletes nothing after keep()", async () => {
    const { transport, client } = scriptedClient({
      [GET_VERIFY]: [ok(withVerifyBody("Succeeded", [verifyAttempt(1, true, 0.9)]))],
      [DELETE_VERIFY]: [deleted, failure(404, "SessionNotFound", "Session Id is not found.")],
    });
    {
      await using scope = livenessWithVerifySessionScope(client, SESSION_ID);
      await client.finalizeLivenessWithVerifySession(SESSION_ID);
      expect(scope.deleted).toBe(false);
    }
    expect(transport.lines()).toEqual([GET_VERIFY, DELETE_VERIFY, DELETE_VERIFY]);
    {
      await using scope = livenessWithVerifySessionScope(client, SESSION_ID);
      scope.keep();
    }
    expect(transport.lines()).toHaveLength(3);
  });
});
