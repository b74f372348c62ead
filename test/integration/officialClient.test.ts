import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type EmulatorRequestLogEntry, type RunningEmulator } from "../../src/emulator/index.js";

/**
 * The official `@azure-rest/ai-vision-face` client (a dev dependency, unmodified) against the
 * emulator over HTTPS, in a child process that trusts the emulator's certificate authority
 * through `NODE_EXTRA_CA_CERTS`, as users would run their own code. See officialClient/flows.mjs.
 */

const FLOWS = join(__dirname, "officialClient/flows.mjs");
const VERIFY_IMAGE = join(__dirname, "../fixtures/images/face.jpg");

/**
 * Attempts a session lists after the device started it: 0, as the recorded service and the
 * official tests say (an attempt appears once it finished), and as the emulator now answers.
 */
const STARTED_SESSION_LISTS_ATTEMPTS = 0;

const servers: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface ChildResult {
  readonly code: number | null;
  readonly lines: Array<{ op?: string; status?: string; done?: boolean }>;
  readonly stderr: string;
}

function runFlows(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve) => {
    const { NODE_EXTRA_CA_CERTS: _inherited, ...parentEnv } = process.env;
    const child = spawn(process.execPath, [FLOWS], {
      env: { ...parentEnv, FACE_VERIFY_IMAGE: VERIFY_IMAGE, FACE_STARTED_ATTEMPTS: String(STARTED_SESSION_LISTS_ATTEMPTS), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const lines = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));
      resolve({ code, lines, stderr });
    });
  });
}

async function start(acceptBearerTokens: boolean): Promise<{ running: RunningEmulator; log: EmulatorRequestLogEntry[] }> {
  const log: EmulatorRequestLogEntry[] = [];
  const running = await listen({ tls: true, acceptBearerTokens, onRequest: (entry) => log.push(entry) });
  servers.push(running);
  return { running, log };
}

/** Every v1.2 operation of the liveness flows, with the status the official client saw. */
const EXPECTED_OPERATIONS = [
  ["createLivenessSession", "200"],
  ["getLivenessSessionResult", "200"],
  ["getLivenessSessionResult", "200"],
  ["getSessionImage", "200"],
  ["detectFromSessionImageId", "200"],
  ["deleteLivenessSession", "204"],
  ["getLivenessSessionResult", "404"],
  ["createLivenessWithVerifySession", "200"],
  ["getLivenessWithVerifySessionResult", "200"],
  ["getLivenessWithVerifySessionResult", "200"],
  ["getSessionImage", "200"],
  ["detectFromSessionImageId", "200"],
  ["deleteLivenessWithVerifySession", "204"],
];

describe("official @azure-rest/ai-vision-face client against the emulator over HTTPS", () => {
  it("runs every v1.2 operation with key authentication, and the official tests' assertions hold", async () => {
    const { running, log } = await start(false);
    expect(running.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const result = await runFlows({
      NODE_EXTRA_CA_CERTS: running.caCertificateFile!,
      FACE_ENDPOINT: running.endpoint,
      FACE_AUTH: "key",
      FACE_APIKEY: running.key,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.lines.filter((l) => l.op !== undefined).map((l) => [l.op, l.status])).toEqual(EXPECTED_OPERATIONS);
    expect(result.lines.at(-1)).toEqual({ done: true });
    // The emulator served them all (plus the device stand-in and two raw image reads).
    const served = log.filter((e) => !e.path.includes("/emulator/device/")).map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}|[A-Za-z0-9_-]{44}/g, "{id}")} ${e.status}`);
    expect(new Set(served)).toEqual(
      new Set([
        "POST /face/v1.2/detectLiveness-sessions 200",
        "GET /face/v1.2/detectLiveness-sessions/{id} 200",
        "GET /face/v1.2/sessionImages/{id} 200",
        "POST /face/v1.2/detect 200",
        "DELETE /face/v1.2/detectLiveness-sessions/{id} 204",
        "GET /face/v1.2/detectLiveness-sessions/{id} 404",
        "POST /face/v1.2/detectLivenessWithVerify-sessions 200",
        "GET /face/v1.2/detectLivenessWithVerify-sessions/{id} 200",
        "DELETE /face/v1.2/detectLivenessWithVerify-sessions/{id} 204",
      ]),
    );
  });

  it("runs every v1.2 operation with Entra ID: a bearer token from a TokenCredential, no key", async () => {
    const { running } = await start(true);
    const result = await runFlows({
      NODE_EXTRA_CA_CERTS: running.caCertificateFile!,
      FACE_ENDPOINT: running.endpoint,
      FACE_AUTH: "entra",
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.lines.filter((l) => l.op !== undefined).map((l) => [l.op, l.status])).toEqual(EXPECTED_OPERATIONS);
  });

  it("is refused without the certificate authority: the TLS is real", async () => {
    const { running, log } = await start(false);
    const result = await runFlows({ FACE_ENDPOINT: running.endpoint, FACE_AUTH: "key", FACE_APIKEY: running.key });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unable to verify the first certificate|self.signed certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT/i);
    expect(log).toEqual([]);
  });

  it("is refused with a bearer token when the emulator does not accept bearer tokens", async () => {
    const { running } = await start(false);
    const result = await runFlows({ NODE_EXTRA_CA_CERTS: running.caCertificateFile!, FACE_ENDPOINT: running.endpoint, FACE_AUTH: "entra" });
    expect(result.code).not.toBe(0);
    expect(result.lines[0]).toEqual({ op: "createLivenessSession", status: "401" });
  });
});
