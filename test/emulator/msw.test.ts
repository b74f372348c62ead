import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, isRestError, type FaceRestError } from "../../src/index.js";
import { FaceLivenessEmulator, createMswHandlers } from "../../src/emulator/index.js";
import { UUID, fixture } from "./helpers.js";

const ENDPOINT = "https://my-face.cognitiveservices.azure.com";
const emulator = new FaceLivenessEmulator({ key: "msw-key" });
const server = setupServer(...createMswHandlers(emulator, { http }, ENDPOINT));
const client = new FaceSessionClient(ENDPOINT, new AzureKeyCredential("msw-key"), { retryOptions: { maxRetries: 0 } });

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

describe("emulator through msw", () => {
  it("returns one handler for the whole endpoint", () => {
    expect(createMswHandlers(emulator, { http }, ENDPOINT)).toHaveLength(1);
    expect(() => createMswHandlers(emulator, { http }, `${ENDPOINT}/face/v1.2`)).toThrow(TypeError);
  });

  it("serves the real client in-process, with the simulated device", async () => {
    const session = await client.createLivenessWithVerifySession({
      livenessOperationMode: "PassiveActive",
      verifyImage: new Blob([fixture("face.png")]),
      enableSessionImage: true,
    });
    expect(session.status).toBe("NotStarted");
    expect(session.results.verifyReferences[0]!.faceRectangle).toEqual({ top: 48, left: 50, width: 100, height: 144 });
    emulator.simulateDevice(session.authToken, { outcome: "realface", matchConfidence: 0.3 });
    const result = await client.getLivenessWithVerifySessionResult(session.sessionId);
    expect(result.status).toBe("Succeeded");
    const attempt = result.results.attempts[0]!;
    expect(attempt.result?.verifyResult).toEqual({ matchConfidence: 0.3, isIdentical: false });
    const faces = await client.detectFromSessionImage(attempt.result!.sessionImageId!, { returnFaceId: true });
    expect(faces[0]!.faceId).toMatch(UUID);
    expect(faces[0]!.faceRectangle).toEqual({ top: 100, left: 200, width: 240, height: 280 });
  });

  it("passes service errors through unchanged", async () => {
    const error = (await client.getLivenessSessionResult("0000").catch((e: unknown) => e)) as FaceRestError;
    expect(isRestError(error)).toBe(true);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("SessionNotFound");
    expect(error.requestId).toMatch(UUID);
  });

  it("turns a drop fault into a network error", async () => {
    emulator.faults.enqueue({ kind: "drop" });
    const error = (await client.createLivenessSession({ livenessOperationMode: "Passive" }).catch((e: unknown) => e)) as FaceRestError;
    expect(isRestError(error)).toBe(true);
    expect(error.statusCode).toBeUndefined();
    expect(emulator.sessionCount).toBe(0);
    const fetched = await fetch(`${ENDPOINT}/face/v1.2/detectLiveness-sessions/x`).catch((e: unknown) => e);
    expect(fetched).toBeInstanceOf(Response); // the fault was used up: the next request is answered
    expect((fetched as Response).status).toBe(401);
  });
});
