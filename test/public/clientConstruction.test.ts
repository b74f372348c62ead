import { inspect } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient } from "../../src/index.js";
import { SDK_VERSION } from "../../src/internal/constants.js";
import { BASE, ENDPOINT, KEY, createRecordingServer, example, settle } from "../utils/recorder.js";

const mock = createRecordingServer();
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.close());

const key = new AzureKeyCredential(KEY);
const sessionBody = () => example("GetLivenessSessionResult").responses["200"].body;

describe("endpoint", () => {
  it.each([
    ["https://myresource.cognitiveservices.azure.com", "https://myresource.cognitiveservices.azure.com"],
    ["https://myresource.cognitiveservices.azure.com/", "https://myresource.cognitiveservices.azure.com"],
    ["https://westeurope.api.cognitive.microsoft.com:8443", "https://westeurope.api.cognitive.microsoft.com:8443"],
    ["http://localhost:5099", "http://localhost:5099"],
    ["http://127.0.0.1:5099/", "http://127.0.0.1:5099"],
    ["http://[::1]:5099", "http://[::1]:5099"],
  ])("accepts %s", (endpoint, origin) => {
    expect(new FaceSessionClient(endpoint, key).endpoint).toBe(origin);
  });

  it.each([
    ["", "endpoint must be a non-empty string"],
    ["myresource.cognitiveservices.azure.com", "endpoint must be an absolute URL"],
    ["http://myresource.cognitiveservices.azure.com", "http is allowed only for loopback hosts"],
    ["http://10.0.0.5", "http is allowed only for loopback hosts"],
    ["ftp://myresource.example", "endpoint must use https (got 'ftp:')."],
    ["https://user:pass@myresource.example", "endpoint must not contain credentials"],
    ["https://myresource.example/face/v1.2", "endpoint must not have a path (got '/face/v1.2'). Remove the '/face/...' part"],
    ["https://myresource.example/other/", "endpoint must not have a path (got '/other/')."],
    ["https://myresource.example?x=1", "endpoint must not have a query string."],
    ["https://myresource.example/?", "endpoint must not have a query string."],
    ["https://myresource.example#x", "endpoint must not have a fragment."],
  ])("rejects %j", (endpoint, message) => {
    expect(() => new FaceSessionClient(endpoint, key)).toThrow(TypeError);
    expect(() => new FaceSessionClient(endpoint, key)).toThrow(message);
  });

  it("never echoes URL credentials in the error", () => {
    expect(() => new FaceSessionClient("https://user:s3cr3t@host.example", key)).toThrow(/^(?!.*s3cr3t)/);
  });

  it("rejects an unsupported apiVersion with a RangeError naming the supported ones", () => {
    expect(() => new FaceSessionClient(ENDPOINT, key, { apiVersion: "v1.1-preview.1" as never })).toThrow(
      new RangeError("apiVersion 'v1.1-preview.1' is not supported; supported versions: v1.2, v1.3-preview.1."),
    );
  });

  it("rejects something that is not a credential", () => {
    expect(() => new FaceSessionClient(ENDPOINT, "my-key" as never)).toThrow(TypeError);
    expect(() => new FaceSessionClient(ENDPOINT, {} as never)).toThrow(/credential must be a KeyCredential/);
  });

  it("shows only the endpoint and version in util.inspect", () => {
    const client = new FaceSessionClient(ENDPOINT, key);
    expect(inspect(client, { depth: 10, showHidden: true })).toBe(
      "FaceSessionClient { endpoint: 'https://myresource.cognitiveservices.azure.com', apiVersion: 'v1.2' }",
    );
    expect(JSON.stringify(client)).not.toContain(KEY);
  });

  it("sends requests to http loopback endpoints", async () => {
    mock.use(http.get("http://127.0.0.1:5099/face/v1.2/detectLiveness-sessions/:id", () => HttpResponse.json(sessionBody())));
    const client = new FaceSessionClient("http://127.0.0.1:5099/", key);
    await client.getLivenessSessionResult("s1");
    await settle();
    expect(mock.requests[0].url.href).toBe("http://127.0.0.1:5099/face/v1.2/detectLiveness-sessions/s1");
  });

  it("refuses http to a host that is not loopback, naming allowInsecureConnection, and sends nothing", async () => {
    expect(() => new FaceSessionClient("http://face-emulator:8080", key)).toThrow(
      "endpoint must use https; http is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]), not 'face-emulator', unless the client option allowInsecureConnection is true",
    );
    expect(() => new FaceSessionClient("http://face-emulator:8080", key, { allowInsecureConnection: false })).toThrow(/allowInsecureConnection/);
    await settle();
    expect(mock.requests).toHaveLength(0);
  });

  it("sends plain http to any host with allowInsecureConnection: true (an emulator container)", async () => {
    mock.use(http.get("http://face-emulator:8080/face/v1.2/detectLiveness-sessions/:id", () => HttpResponse.json(sessionBody())));
    const client = new FaceSessionClient("http://face-emulator:8080", key, { allowInsecureConnection: true });
    expect(client.endpoint).toBe("http://face-emulator:8080");
    await client.getLivenessSessionResult("s1");
    await settle();
    expect(mock.requests[0].url.href).toBe("http://face-emulator:8080/face/v1.2/detectLiveness-sessions/s1");
    expect(mock.requests[0].headers.get("ocp-apim-subscription-key")).toBe(KEY);
  });

  it("keeps https endpoints as they are with allowInsecureConnection: true", () => {
    expect(new FaceSessionClient(ENDPOINT, key, { allowInsecureConnection: true }).endpoint).toBe(ENDPOINT);
  });

  it("rejects an allowInsecureConnection that is not a boolean", () => {
    expect(() => new FaceSessionClient("http://face-emulator:8080", key, { allowInsecureConnection: "yes" as never })).toThrow(
      new TypeError("allowInsecureConnection must be true or false (got string)."),
    );
  });
});

describe("authentication", () => {
  it("reads the key on every request so AzureKeyCredential.update() rotates it", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(sessionBody())));
    const rotating = new AzureKeyCredential("first-key");
    const client = new FaceSessionClient(ENDPOINT, rotating);
    await client.getLivenessSessionResult("s1");
    rotating.update("second-key");
    await client.getLivenessSessionResult("s1");
    await settle();
    expect(mock.requests.map((r) => r.headers.get("ocp-apim-subscription-key"))).toEqual(["first-key", "second-key"]);
  });

  it("sends a bearer token for the Cognitive Services scope from a TokenCredential", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(sessionBody())));
    const scopes: Array<string | string[]> = [];
    const credential: TokenCredential = {
      async getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
        scopes.push(scope);
        return { token: "entra-token-xyz", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const client = new FaceSessionClient(ENDPOINT, credential);
    await client.getLivenessSessionResult("s1");
    await client.getLivenessSessionResult("s1");
    await settle();
    expect(mock.requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer entra-token-xyz", "Bearer entra-token-xyz"]);
    expect(mock.requests[0].headers.get("ocp-apim-subscription-key")).toBeNull();
    expect(scopes[0]).toEqual(["https://cognitiveservices.azure.com/.default"]);
    expect(scopes).toHaveLength(1); // cached until near expiry
  });

  it("does not let a custom header replace the key", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(sessionBody())));
    const client = new FaceSessionClient(ENDPOINT, key);
    await client.getLivenessSessionResult("s1", {
      requestOptions: { customHeaders: { "Ocp-Apim-Subscription-Key": "attacker", "x-custom": "1" } },
    });
    await settle();
    expect(mock.requests[0].headers.get("ocp-apim-subscription-key")).toBe(KEY);
    expect(mock.requests[0].headers.get("x-custom")).toBe("1");
  });

  it("does not follow a cross-origin redirect, and never forwards the key to another origin", async () => {
    mock.use(
      http.get(`${BASE}/detectLiveness-sessions/:id`, () =>
        new HttpResponse(null, { status: 307, headers: { location: "https://evil.example/steal" } }),
      ),
      http.get("https://evil.example/steal", () => HttpResponse.json(sessionBody())),
    );
    const client = new FaceSessionClient(ENDPOINT, key, { retryOptions: { maxRetries: 0 } });
    await expect(client.getLivenessSessionResult("s1")).rejects.toMatchObject({ statusCode: 307 });
    await settle();
    expect(mock.requests.map((r) => r.url.origin)).toEqual([ENDPOINT]);
  });
});

describe("user agent", () => {
  it("prefixes the caller's user agent and keeps the package version in step with package.json", async () => {
    mock.use(http.get(`${BASE}/detectLiveness-sessions/:id`, () => HttpResponse.json(sessionBody())));
    const client = new FaceSessionClient(ENDPOINT, key, { userAgentOptions: { userAgentPrefix: "my-app/2.0" } });
    await client.getLivenessSessionResult("s1");
    await settle();
    expect(mock.requests[0].headers.get("user-agent")).toMatch(/^my-app\/2\.0 azsdk-js-azure-face-liveness\/1\.0\.0-beta\.1 /);
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
