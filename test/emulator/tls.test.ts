import { execFile, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { connect, type PeerCertificate } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listen, type RunningEmulator } from "../../src/emulator/index.js";
import { startCli } from "../../src/emulator/cliApp.js";
import { certificateNames, createDevelopmentCertificates } from "../../src/emulator/tls/certificates.js";

const run = promisify(execFile);
const HAS_OPENSSL = spawnSync("openssl", ["version"]).status === 0;

const servers: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof listen>[0] = {}): Promise<RunningEmulator> {
  const running = await listen({ key: "tls-key", tls: true, ...options });
  servers.push(running);
  return running;
}

/** Connects with `ca` trusted and returns the chain the server presents, leaf first. */
function servedChain(running: RunningEmulator, host: string, ca?: string): Promise<{ authorized: boolean; error?: string; chain: X509Certificate[] }> {
  const { port } = new URL(running.endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: Number(port), servername: /^[\d.:]+$/.test(host) ? undefined : host, ca, rejectUnauthorized: false }, () => {
      const chain: X509Certificate[] = [];
      let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert?.raw !== undefined && !chain.some((c) => c.raw.equals(cert!.raw))) {
        chain.push(new X509Certificate(cert.raw));
        cert = (cert as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
      }
      const error = socket.authorizationError === null ? undefined : String(socket.authorizationError);
      resolve({ authorized: socket.authorized, ...(error !== undefined ? { error } : {}), chain });
      socket.end();
    });
    socket.on("error", reject);
  });
}

function httpsGet(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { "ocp-apim-subscription-key": "tls-key" }, ...(ca !== undefined ? { ca } : {}) }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("emulator over HTTPS: the certificate", () => {
  it("is a server certificate for localhost, 127.0.0.1, ::1 and the given names, issued by the CA in the printed file", async () => {
    const running = await start({ tls: { hostnames: ["face-emulator", "10.0.0.7", "[fd00::7]"] } });
    expect(running.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(running.caCertificateFile!, "utf8")).toBe(running.caCertificate);
    const ca = new X509Certificate(running.caCertificate!);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe(ca.issuer);

    const { authorized, chain } = await servedChain(running, "localhost", running.caCertificate);
    expect(authorized).toBe(true);
    const [leaf] = chain;
    expect(leaf!.ca).toBe(false);
    expect(leaf!.checkIssued(ca)).toBe(true);
    expect(leaf!.verify(ca.publicKey)).toBe(true);
    expect(leaf!.subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:face-emulator, IP Address:10.0.0.7, IP Address:FD00:0:0:0:0:0:0:7",
    );
    for (const name of ["localhost", "face-emulator"]) expect(leaf!.checkHost(name)).toBe(name);
    for (const ip of ["127.0.0.1", "::1", "10.0.0.7", "fd00::7"]) expect(leaf!.checkIP(ip)).toBe(ip);
    expect(leaf!.checkHost("example.com")).toBeUndefined();
    expect(leaf!.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // serverAuth
    const now = Date.now();
    expect(Date.parse(leaf!.validFrom)).toBeLessThanOrEqual(now);
    expect(Date.parse(leaf!.validTo)).toBeGreaterThan(now + 300 * 24 * 3600 * 1000);
  });

  it("is trusted by node:https with the CA, and refused without it", async () => {
    const running = await start();
    const url = `${running.endpoint}/face/v1.2/detectLiveness-sessions/00000000-0000-0000-0000-000000000000`;
    expect(await httpsGet(url, running.caCertificate)).toMatchObject({ status: 404 });
    expect(await httpsGet(url.replace("127.0.0.1", "localhost"), running.caCertificate)).toMatchObject({ status: 404 });
    await expect(httpsGet(url)).rejects.toMatchObject({ code: "SELF_SIGNED_CERT_IN_CHAIN" });
    const other = await start();
    await expect(httpsGet(url, other.caCertificate)).rejects.toMatchObject({ code: "SELF_SIGNED_CERT_IN_CHAIN" });
  });

  it("is new at every start, and the temporary CA file is removed by close()", async () => {
    const a = await listen({ tls: true });
    const b = await start();
    expect(a.caCertificate).not.toBe(b.caCertificate);
    expect(existsSync(a.caCertificateFile!)).toBe(true);
    await a.close();
    expect(existsSync(a.caCertificateFile!)).toBe(false);
  });

  it("writes the CA where caCertificateFile says and leaves it there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "face-emulator-tls-"));
    try {
      const file = join(dir, "emulator-ca.pem");
      writeFileSync(file, "old");
      const running = await listen({ tls: { caCertificateFile: file } });
      expect(running.caCertificateFile).toBe(file);
      expect(readFileSync(file, "utf8")).toBe(running.caCertificate);
      await running.close();
      expect(readFileSync(file, "utf8")).toBe(running.caCertificate);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a host name that cannot be in a certificate", async () => {
    expect(() => certificateNames(["bad name"])).toThrow(new TypeError("TLS host name 'bad name' is not a DNS name or an IP address."));
    await expect(listen({ tls: { hostnames: ["http://x"] } })).rejects.toThrow(/TLS host name 'http:\/\/x'/);
    expect(certificateNames(["0.0.0.0", "::", "LocalHost", "[::1]"])).toEqual(["localhost", "127.0.0.1", "::1"]);
  });

  it.runIf(HAS_OPENSSL)("passes openssl verify (strict, sslserver purpose) and an openssl s_client handshake", async () => {
    const running = await start({ tls: { hostnames: ["face-emulator"] } });
    const dir = mkdtempSync(join(tmpdir(), "face-emulator-openssl-"));
    try {
      const { chain } = await servedChain(running, "localhost");
      const leafFile = join(dir, "leaf.pem");
      writeFileSync(leafFile, chain[0]!.toString());
      const verify = await run("openssl", ["verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "face-emulator", "-CAfile", running.caCertificateFile!, leafFile]);
      expect(verify.stdout.trim()).toBe(`${leafFile}: OK`);
      const port = new URL(running.endpoint).port;
      const handshake = await run("bash", ["-c", `openssl s_client -connect 127.0.0.1:${port} -servername localhost -verify_hostname localhost -verify_return_error -CAfile '${running.caCertificateFile}' </dev/null 2>&1`]);
      expect(handshake.stdout).toContain("Verify return code: 0 (ok)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names only DNS/IP entries it was given, from createDevelopmentCertificates alone", () => {
    const certificates = createDevelopmentCertificates(["example.test"], new Date("2030-01-01T00:00:00Z"));
    const leaf = new X509Certificate(certificates.certificateChain.split(/(?<=-----END CERTIFICATE-----\n)/)[0]!);
    expect(leaf.validFrom).toBe("Dec 31 23:00:00 2029 GMT");
    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:example.test");
    expect(certificates.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe("emulator over HTTPS: our client in a process that trusts the CA through NODE_EXTRA_CA_CERTS", () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    // Inside the project, so the bundle's external packages resolve from its node_modules.
    mkdirSync(join(__dirname, "../../temp"), { recursive: true });
    dir = mkdtempSync(join(__dirname, "../../temp/tls-client-"));
    script = join(dir, "flow.mjs");
    writeFileSync(
      join(dir, "flow.ts"),
      `import { AzureKeyCredential, FaceSessionClient } from ${JSON.stringify(join(__dirname, "../../src/index.js"))};
const endpoint = process.env.FACE_ENDPOINT!;
const credential = process.env.FACE_KEY
  ? new AzureKeyCredential(process.env.FACE_KEY)
  : { getToken: async () => ({ token: "entra-token", expiresOnTimestamp: Date.now() + 3600000 }) };
const client = new FaceSessionClient(endpoint, credential as never, { retryOptions: { maxRetries: 0 } });
const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
const device = await fetch(endpoint + "/face/v1.2/emulator/device/attempts", { method: "POST", headers: { authorization: "Bearer " + session.authToken, "content-type": "application/json" }, body: JSON.stringify({ outcome: "realface" }) });
const result = await client.getLivenessSessionResult(session.sessionId);
await client.deleteLivenessSession(session.sessionId);
console.log(JSON.stringify({ device: device.status, status: result.status, decision: result.results.attempts[0]?.result?.livenessDecision }));
`,
    );
    await build({ entryPoints: [join(dir, "flow.ts")], bundle: true, platform: "node", target: "node20", format: "esm", outfile: script, logLevel: "silent", packages: "external" });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function flow(env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
    const { NODE_EXTRA_CA_CERTS: _inherited, ...parentEnv } = process.env;
    try {
      const { stdout, stderr } = await run(process.execPath, [script], { env: { ...parentEnv, ...env }, cwd: join(__dirname, "../..") });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  }

  it("works with the key and with a bearer token (Entra ID needs https)", async () => {
    const running = await start({ acceptBearerTokens: true });
    const expected = { stdout: `${JSON.stringify({ device: 200, status: "Succeeded", decision: "realface" })}\n`, stderr: "", code: 0 };
    expect(await flow({ NODE_EXTRA_CA_CERTS: running.caCertificateFile!, FACE_ENDPOINT: running.endpoint, FACE_KEY: running.key })).toEqual(expected);
    expect(await flow({ NODE_EXTRA_CA_CERTS: running.caCertificateFile!, FACE_ENDPOINT: running.endpoint.replace("127.0.0.1", "localhost") })).toEqual(expected);
  });

  it("fails without NODE_EXTRA_CA_CERTS", async () => {
    const running = await start();
    const result = await flow({ FACE_ENDPOINT: running.endpoint, FACE_KEY: running.key });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/self.signed certificate in certificate chain/i);
  });
});

describe("emulator CLI with --tls", () => {
  it("prints the https endpoint and the CA file with the NODE_EXTRA_CA_CERTS hint", async () => {
    const lines: string[] = [];
    const running = await startCli(
      { port: 0, host: "127.0.0.1", key: "cli-tls-key", acceptBearer: true, tls: true, tlsNames: ["face-emulator"], help: false, version: false },
      { log: (l) => lines.push(l) },
    );
    servers.push(running);
    expect(running.endpoint).toMatch(/^https:/);
    expect(lines).toContain(`  endpoint: ${running.endpoint}`);
    expect(lines).toContain(`  CA file:  ${running.caCertificateFile}`);
    expect(lines.some((l) => l.includes(`NODE_EXTRA_CA_CERTS=${running.caCertificateFile}`))).toBe(true);
    const { chain } = await servedChain(running, "face-emulator", running.caCertificate);
    expect(chain[0]!.checkHost("face-emulator")).toBe("face-emulator");
  });
});
