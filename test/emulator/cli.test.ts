import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLI_PORT, formatRequestLog, parseCliArgs, startCli } from "../../src/emulator/cliApp.js";

describe("emulator CLI arguments", () => {
  it("parses --port, --host, --key and --accept-bearer, with defaults", () => {
    expect(parseCliArgs([])).toEqual({ port: DEFAULT_CLI_PORT, host: "127.0.0.1", acceptBearer: false, tls: false, tlsNames: [], help: false, version: false });
    expect(DEFAULT_CLI_PORT).toBe(5099);
    expect(parseCliArgs(["--port", "0", "--key", "k", "--accept-bearer", "--host=::1"])).toEqual({
      port: 0,
      host: "::1",
      key: "k",
      acceptBearer: true,
      tls: false,
      tlsNames: [],
      help: false,
      version: false,
    });
    expect(parseCliArgs(["--port=6000", "--help"])).toMatchObject({ port: 6000, help: true });
    expect(parseCliArgs(["--version"])).toMatchObject({ version: true });
    expect(parseCliArgs(["--tls", "--tls-name", "face-emulator", "--tls-name=10.0.0.7", "--tls-ca-file", "/certs/ca.pem"])).toMatchObject({
      tls: true,
      tlsNames: ["face-emulator", "10.0.0.7"],
      tlsCaFile: "/certs/ca.pem",
    });
  });

  it("rejects bad arguments with a message", () => {
    expect(() => parseCliArgs(["--port", "http"])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(["--port", "70000"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--key"])).toThrow(/--key needs a value/);
    expect(() => parseCliArgs(["--verbose"])).toThrow(/Unknown argument '--verbose'/);
    expect(() => parseCliArgs(["--tls-name", "x"])).toThrow("--tls-name and --tls-ca-file need --tls.");
  });

  it("formats one log line per request: method, path, status, ms", () => {
    expect(formatRequestLog({ method: "GET", path: "/face/v1.2/detect", status: 200, durationMs: 3.4 })).toBe("GET /face/v1.2/detect 200 3ms");
    expect(formatRequestLog({ method: "POST", path: "/p", status: 0, durationMs: 0, fault: "drop" })).toBe("POST /p DROPPED 0ms (fault: drop)");
  });
});

describe("emulator CLI in-process", () => {
  it("prints the endpoint and key, then logs requests without keys or tokens", async () => {
    const lines: string[] = [];
    const running = await startCli({ port: 0, host: "127.0.0.1", key: "cli-secret-key", acceptBearer: false, tls: false, tlsNames: [], help: false, version: false }, { log: (l) => lines.push(l) });
    try {
      expect(lines).toContain(`  endpoint: ${running.endpoint}`);
      expect(lines).toContain("  key:      cli-secret-key");
      const consoleLine = lines.find((l) => l.startsWith("  console:  "));
      expect(consoleLine).toMatch(new RegExp(`^  console:  ${running.endpoint}/emulator/console/login\\?code=[\\w-]+ \\(one-time sign-in link`));
      const banner = lines.length;
      const created = await fetch(`${running.endpoint}/face/v1.2/detectLiveness-sessions?x=1`, {
        method: "POST",
        headers: { "ocp-apim-subscription-key": "cli-secret-key", "content-type": "application/json" },
        body: JSON.stringify({ livenessOperationMode: "Passive" }),
      });
      const { authToken } = await created.json();
      await fetch(`${running.endpoint}/face/v1.2/emulator/device/attempts`, {
        method: "POST",
        headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
        body: JSON.stringify({ outcome: "realface" }),
      });
      const log = lines.slice(banner);
      expect(log).toHaveLength(2);
      expect(log[0]).toMatch(/^POST \/face\/v1\.2\/detectLiveness-sessions 200 \d+ms$/);
      expect(log[1]).toMatch(/^POST \/face\/v1\.2\/emulator\/device\/attempts 200 \d+ms$/);
      for (const line of log) {
        expect(line).not.toContain("cli-secret-key");
        expect(line).not.toContain(authToken);
      }
    } finally {
      await running.close();
    }
  });
});

describe("emulator CLI as a process", () => {
  let dir: string;
  let bin: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "face-emulator-cli-"));
    bin = join(dir, "cli.js");
    await build({ entryPoints: [join(__dirname, "../../src/emulator/cli.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: bin, logLevel: "silent" });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[]) {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, ...args]);
    let out = "";
    const waiters: Array<() => void> = [];
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      waiters.splice(0).forEach((w) => w());
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    async function waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    }
    return { child, exited, waitFor, output: () => out };
  }

  it("keeps the shebang", () => {
    expect(readFileSync(join(__dirname, "../../src/emulator/cli.ts"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`serves requests and exits with code 0 on ${signal}`, async () => {
      const proc = run(["--port", "0", "--key", "proc-key"]);
      const [, endpoint] = await proc.waitFor(/endpoint: (http:\/\/127\.0\.0\.1:\d+)\n/);
      const response = await fetch(`${endpoint}/face/v1.2/detectLiveness-sessions/none`, { headers: { "ocp-apim-subscription-key": "proc-key" } });
      expect(response.status).toBe(404);
      await proc.waitFor(/GET \/face\/v1\.2\/detectLiveness-sessions\/none 404 \d+ms/);
      proc.child.kill(signal);
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toContain(`Received ${signal}; stopping.`);
    });
  }

  it("prints the package version for --version and exits with code 0", async () => {
    const proc = run(["--version"]);
    expect(await proc.exited).toBe(0);
    const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string };
    expect(proc.output()).toBe(`${pkg.version}\n`);
  });

  it("serves HTTPS with --tls and prints the CA file to trust", async () => {
    const proc = run(["--port", "0", "--key", "proc-key", "--tls"]);
    const [, endpoint] = await proc.waitFor(/endpoint: (https:\/\/127\.0\.0\.1:\d+)\n/);
    const [, caFile] = await proc.waitFor(/CA file: +(\S+)\n/);
    expect(readFileSync(caFile!, "utf8")).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const [, hinted] = await proc.waitFor(/NODE_EXTRA_CA_CERTS=(\S+) /);
    expect(hinted).toBe(caFile);
    expect(endpoint).toMatch(/^https:/);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  });

  it("exits with code 2 on a bad argument", async () => {
    const proc = run(["--nope"]);
    expect(await proc.exited).toBe(2);
  });
});
