import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { ENDPOINT, KEY, createRecordingServer, settle } from "../utils/recorder.js";
import { JPEG } from "../utils/images.js";

// No handlers: any request that slips through fails the test via the recorder.
const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(async () => {
  await settle();
  expect(mock.requests).toEqual([]);
  mock.reset();
});
afterAll(() => mock.close());

const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential(KEY), { retryOptions: { maxRetries: 0 } });
const base = { livenessOperationMode: "Passive" };

describe("create content validation", () => {
  it.each([
    [{}, TypeError, "livenessOperationMode must be a non-empty string (got undefined)."],
    [{ livenessOperationMode: "" }, TypeError, "livenessOperationMode must be a non-empty string (got a string of length 0)."],
    [{ ...base, authTokenTimeToLiveInSeconds: 59 }, RangeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got 59): the service documents 60 to 86400 seconds."],
    [{ ...base, authTokenTimeToLiveInSeconds: 86401 }, RangeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got 86401): the service documents 60 to 86400 seconds."],
    [{ ...base, authTokenTimeToLiveInSeconds: 60.5 }, RangeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got 60.5): the service documents 60 to 86400 seconds."],
    [{ ...base, authTokenTimeToLiveInSeconds: Number.NaN }, RangeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got NaN): the service documents 60 to 86400 seconds."],
    [{ ...base, authTokenTimeToLiveInSeconds: Infinity }, RangeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got Infinity): the service documents 60 to 86400 seconds."],
    [{ ...base, authTokenTimeToLiveInSeconds: "600" }, TypeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got a string of length 3): the service documents 60 to 86400 seconds."],
    [{ ...base, deviceCorrelationIdSetInClient: true, deviceCorrelationId: "d" }, TypeError, "deviceCorrelationId must be left out when deviceCorrelationIdSetInClient is true: the service documents that the front end supplies it then."],
    [{ ...base, deviceCorrelationIdSetInClient: "yes" }, TypeError, "deviceCorrelationIdSetInClient must be true or false (got a string of length 3)."],
    [{ ...base, enableSessionImage: 1 }, TypeError, "enableSessionImage must be true or false (got 1)."],
    [{ ...base, deviceCorrelationId: "a\nb" }, TypeError, "deviceCorrelationId must not contain control characters."],
  ])("createLivenessSession rejects %j", async (content, type, message) => {
    const error = await client.createLivenessSession(content as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
  });

  it("rejects a missing content object", async () => {
    await expect(client.createLivenessSession(undefined as never)).rejects.toThrow("content must be an object (got undefined).");
  });

  it.each([
    [{ verifyConfidenceThreshold: 1.01 }, RangeError, "verifyConfidenceThreshold must be a number from 0 to 1 (got 1.01): the service documents 0 to 1."],
    [{ verifyConfidenceThreshold: -0.1 }, RangeError, "verifyConfidenceThreshold must be a number from 0 to 1 (got -0.1): the service documents 0 to 1."],
    [{ verifyConfidenceThreshold: Number.NaN }, RangeError, "verifyConfidenceThreshold must be a number from 0 to 1 (got NaN): the service documents 0 to 1."],
    [{ returnVerifyImageHash: "true" }, TypeError, "returnVerifyImageHash must be true or false (got a string of length 4)."],
    [{ authTokenTimeToLiveInSeconds: 0 }, RangeError, "authTokenTimeToLiveInSeconds must be an integer from 60 to 86400 (got 0): the service documents 60 to 86400 seconds."],
  ])("createLivenessWithVerifySession rejects %j", async (extra, type, message) => {
    const error = await client
      .createLivenessWithVerifySession({ ...base, verifyImage: JPEG, ...extra } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
  });
});

describe("id validation", () => {
  const idMessage =
    "must be a single path segment of URL-safe ASCII characters; '.', '..', '/', '\\', '?', '#', '%', spaces, control and non-ASCII characters are not allowed.";
  it.each([
    [".", idMessage],
    ["..", idMessage],
    ["../../detect", idMessage],
    ["a/b", idMessage],
    ["a\\b", idMessage],
    ["a?x=1", idMessage],
    ["a#frag", idMessage],
    ["a%2Fb", idMessage],
    ["a b", idMessage],
    ["a\u0000b", idMessage],
    ["a\u2215b", idMessage], // division slash look-alike
    ["ａｂｃ", idMessage], // full-width letters
    ["", "must be a non-empty string (got a string of length 0)."],
    ["x".repeat(257), "must be at most 256 characters (got 257)."],
  ])("every id-taking method rejects %j", async (id, message) => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["sessionId", () => client.getLivenessSessionResult(id)],
      ["sessionId", () => client.deleteLivenessSession(id)],
      ["sessionId", () => client.getLivenessWithVerifySessionResult(id)],
      ["sessionId", () => client.deleteLivenessWithVerifySession(id)],
      ["sessionImageId", () => client.getSessionImage(id)],
      ["sessionImageId", () => client.detectFromSessionImage(id)],
    ];
    for (const [name, call] of calls) {
      await expect(call()).rejects.toThrow(`${name} ${message}`);
    }
  });

  it("rejects non-string ids", async () => {
    await expect(client.getLivenessSessionResult(42 as never)).rejects.toThrow(TypeError);
    await expect(client.getSessionImage(undefined as never)).rejects.toThrow("sessionImageId must be a non-empty string (got undefined).");
  });
});

describe("detect option validation", () => {
  it.each([
    [{ faceIdTimeToLive: 59 }, "faceIdTimeToLive must be an integer from 60 to 86400 (got 59): the service documents 60 to 86400 seconds."],
    [{ faceIdTimeToLive: 86400.5 }, "faceIdTimeToLive must be an integer from 60 to 86400 (got 86400.5): the service documents 60 to 86400 seconds."],
    [{ returnFaceId: "true" }, "returnFaceId must be true or false (got a string of length 4)."],
    [{ returnFaceAttributes: "age" }, "returnFaceAttributes must be an array of attribute names."],
    [{ returnFaceAttributes: ["age,smile"] }, "returnFaceAttributes entries must be attribute names such as 'headPose' (letters only)."],
    [{ returnFaceAttributes: ["age&returnFaceId=true"] }, "returnFaceAttributes entries must be attribute names such as 'headPose' (letters only)."],
    [{ detectionModel: "" }, "detectionModel must be a non-empty string (got a string of length 0)."],
  ])("rejects %j", async (options, message) => {
    await expect(client.detectFromSessionImage("img", options as never)).rejects.toThrow(message);
  });
});

describe("abort before sending", () => {
  it("rejects with AbortError and sends nothing when the signal is already aborted", async () => {
    const signal = AbortSignal.abort();
    await expect(client.getLivenessSessionResult("s1", { abortSignal: signal })).rejects.toMatchObject({ name: "AbortError" });
    await expect(
      client.createLivenessWithVerifySession({ ...base, verifyImage: JPEG }, { abortSignal: signal }),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});
