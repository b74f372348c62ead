import { inspect } from "node:util";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import * as azureLogger from "@azure/logger";
import { AzureLogger, getLogLevel, setLogLevel as setAzureLogLevel } from "@azure/logger";
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError,
  AzureKeyCredential,
  FaceSessionClient,
  KnownFaceAudience,
  isAbortError,
  isFaceRestError,
  setLogLevel,
} from "../../src/index.js";
import { listen, type RunningEmulator } from "../../src/emulator/index.js";
import { JPEG } from "../utils/images.js";
import { ENDPOINT } from "../utils/fakeTransport.js";

let running: RunningEmulator;
let client: FaceSessionClient;
beforeAll(async () => {
  running = await listen({ acceptBearerTokens: true });
  client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), { retryOptions: { maxRetries: 0 } });
});
afterAll(() => running.close());

/** Calls `call` with an `onResponse` that records the `apim-request-id` the response carried. */
async function withWireId<T>(call: (onResponse: (r: { headers: { get(n: string): string | undefined } }) => void) => Promise<T>) {
  let wireId: string | undefined;
  const value = await call((r) => {
    wireId = r.headers.get("apim-request-id");
  });
  return { value, wireId };
}

describe("request id of successful calls", () => {
  it("is a non-enumerable requestId on every result, equal to the response's apim-request-id", async () => {
    const created = await withWireId((onResponse) =>
      client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true }, { onResponse }),
    );
    const session = created.value;
    expect(created.wireId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.requestId).toBe(created.wireId);
    expect(Object.keys(session)).not.toContain("requestId");
    expect(JSON.stringify(session)).not.toContain(created.wireId);
    expect(inspect(session)).not.toContain(created.wireId);
    expect({ ...session }).not.toHaveProperty("requestId");

    const attempt = running.emulator.simulateDevice(session.authToken, "realface");
    const imageId = attempt.result!.sessionImageId!;
    const read = await withWireId((onResponse) => client.getLivenessSessionResult(session.sessionId, { onResponse }));
    expect(read.value.requestId).toBe(read.wireId);
    expect(read.value.requestId).not.toBe(session.requestId);

    const faces = await withWireId((onResponse) => client.detectFromSessionImage(imageId, { onResponse }));
    expect(faces.value.requestId).toBe(faces.wireId);
    expect(faces.value).toHaveLength(1);

    const image = await withWireId((onResponse) => client.getSessionImage(imageId, { onResponse }));
    expect(image.value.requestId).toBe(image.wireId);
    await image.value.bytes();

    const deleted = await withWireId((onResponse) => client.deleteLivenessSession(session.sessionId, { onResponse }));
    expect(deleted.value).toEqual({ requestId: deleted.wireId });
  });

  it("is there for liveness-with-verify sessions and the preview's settings and token", async () => {
    const created = await withWireId((onResponse) =>
      client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: JPEG }, { onResponse }),
    );
    expect(created.value.requestId).toBe(created.wireId);
    const deleted = await client.deleteLivenessWithVerifySession(created.value.sessionId);
    expect(deleted.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const preview = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), { apiVersion: "v1.3-preview.1" });
    const settings = await withWireId((onResponse) => preview.getSettings({ onResponse }));
    expect(settings.value.requestId).toBe(settings.wireId);
    const token = await withWireId((onResponse) => preview.getClientAssetsAccessToken({ onResponse }));
    expect(token.value.requestId).toBe(token.wireId);
  });
});

describe("isFaceRestError", () => {
  it("narrows a service error to FaceRestError, with requestId", async () => {
    const error: unknown = await client.getLivenessSessionResult("no-such-session").catch((e: unknown) => e);
    expect(isFaceRestError(error)).toBe(true);
    if (!isFaceRestError(error)) throw new Error("unreachable");
    const requestId: string | undefined = error.requestId; // type-checks without a cast
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("SessionNotFound");
  });

  it("is false for anything else", () => {
    for (const value of [new Error("x"), new AbortError("x"), { name: "Other" }, "RestError", null, undefined]) {
      expect(isFaceRestError(value)).toBe(false);
    }
    const otherCopy = Object.assign(new Error("404: gone"), { name: "RestError", statusCode: 404 });
    expect(isFaceRestError(otherCopy)).toBe(true); // recognised by name: works across the ESM and CJS builds
  });
});

describe("AbortError and the abort reason", () => {
  it("rejects with the exported AbortError whose cause is the signal's reason (already aborted: nothing sent)", async () => {
    const reason = new Error("the user left");
    const controller = new AbortController();
    controller.abort(reason);
    let sent = 0;
    const error = await client
      .getLivenessSessionResult("s1", { abortSignal: controller.signal, onResponse: () => void sent++ })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).cause).toBe(reason);
    expect(sent).toBe(0);
  });

  it("keeps the reason of an abort while the request is in flight", async () => {
    running.emulator.faults.enqueue({ kind: "delay", ms: 5_000 });
    const reason = new Error("shutting down");
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const error = await client.createLivenessSession({ livenessOperationMode: "Passive" }, { abortSignal: controller.signal }).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).cause).toBe(reason);
    running.emulator.faults.clear();
  });

  it("gives AbortSignal.timeout()'s TimeoutError as the cause, also through the poller", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const error = await client
      .waitForLivenessSessionResult(session, { abortSignal: AbortSignal.timeout(30), intervalInMs: 1_000 })
      .catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(((error as Error).cause as Error).name).toBe("TimeoutError");
    await client.deleteLivenessSession(session.sessionId);
  });

  it("is false for other errors", () => {
    expect(isAbortError(new Error("x"))).toBe(false);
    expect(isAbortError(undefined)).toBe(false);
    expect(isAbortError(new DOMException("x", "AbortError"))).toBe(true);
  });
});

class RecordingCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: "entra-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe("audience", () => {
  it("asks for <audience>/.default: public cloud by default, sovereign clouds on request", async () => {
    const cases: [string | undefined, string][] = [
      [undefined, "https://cognitiveservices.azure.com/.default"],
      [KnownFaceAudience.AzureGovernment, "https://cognitiveservices.azure.us/.default"],
      [KnownFaceAudience.AzureChina, "https://cognitiveservices.azure.cn/.default"],
      ["https://cognitiveservices.azure.us/", "https://cognitiveservices.azure.us/.default"],
      ["https://cognitiveservices.azure.us/.default", "https://cognitiveservices.azure.us/.default"],
    ];
    for (const [audience, scope] of cases) {
      const credential = new RecordingCredential();
      const authorization: (string | undefined)[] = [];
      // Bearer tokens need https: a transport that records what would go on the wire.
      const httpClient: HttpClient = {
        sendRequest: async (request) => {
          authorization.push(request.headers.get("authorization"));
          return { request, status: 204, headers: createHttpHeaders() };
        },
      };
      const entra = new FaceSessionClient(ENDPOINT, credential, { httpClient, ...(audience === undefined ? {} : { audience }) });
      await entra.deleteLivenessSession("s1");
      expect(credential.scopes).toEqual([scope]);
      expect(authorization).toEqual(["Bearer entra-token"]);
    }
  });

  it("refuses an audience that is not an https URL, naming the option", () => {
    for (const audience of ["cognitiveservices.azure.us", "http://cognitiveservices.azure.us", "https://x.test/?a=1", 42]) {
      expect(() => new FaceSessionClient(running.endpoint, new RecordingCredential(), { audience: audience as string })).toThrow(
        /audience must be an https:\/\/ URL/,
      );
    }
  });
});

describe("one import", () => {
  it("re-exports @azure/logger's setLogLevel, so a second copy of @azure/logger does not matter", () => {
    expect(setLogLevel).toBe(setAzureLogLevel);
    expect(azureLogger.setLogLevel).toBe(setLogLevel);
  });

  it("logs poller progress at verbose, without tokens", async () => {
    const lines: string[] = [];
    const originalLog = AzureLogger.log;
    const originalLevel = getLogLevel();
    setLogLevel("verbose");
    AzureLogger.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
      setTimeout(() => running.emulator.simulateDevice(session.authToken, "realface"), 30);
      const outcome = await client.waitForLivenessSessionResult(session, { intervalInMs: 60, maxIntervalInMs: 60 });
      expect(outcome.reason).toBe("succeeded");
      const polls = lines.filter((l) => l.includes(`session ${session.sessionId}: poll`));
      expect(polls[0]).toMatch(/poll 1 \[NotStarted\|\]; next poll in 60 ms/);
      expect(polls.at(-1)).toMatch(/poll \d+ \[Succeeded\|1:Succeeded\]: done/);
      expect(lines.join("\n")).not.toContain(session.authToken);
      await client.deleteLivenessSession(session.sessionId);
    } finally {
      AzureLogger.log = originalLog;
      setLogLevel(originalLevel);
    }
  });
});
