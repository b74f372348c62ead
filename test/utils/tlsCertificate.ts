import { createDevelopmentCertificates } from "../../src/emulator/tls/certificates.js";

/**
 * A throw-away certificate for the loopback names, made by the emulator's own generator (no
 * openssl needed). `cert` is the chain the server presents, which also holds the authority a
 * client trusts, so the same PEM serves as a server's `cert` and a client's `ca`.
 */
export function createTestCertificate(): { key: Buffer; cert: Buffer } {
  const { privateKey, certificateChain } = createDevelopmentCertificates();
  return { key: Buffer.from(privateKey), cert: Buffer.from(certificateChain) };
}
