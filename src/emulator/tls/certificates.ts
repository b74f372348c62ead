import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import {
  bitString,
  boolean,
  explicit,
  implicit,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from "./der.js";

/**
 * Development TLS certificates made at start-up with `node:crypto` alone (no OpenSSL command, no
 * runtime dependency): a throw-away certificate authority and a server certificate it signs.
 * Both use ECDSA P-256 with SHA-256. The authority's private key only lives inside
 * {@link createDevelopmentCertificates}: once the server certificate is signed it is dropped, so
 * trusting the authority (e.g. with `NODE_EXTRA_CA_CERTS`) trusts exactly this one server
 * certificate and nothing anyone could sign later.
 */

/** What {@link createDevelopmentCertificates} returns, all PEM text. */
export interface DevelopmentCertificates {
  /** The certificate authority to trust (write it to a file for `NODE_EXTRA_CA_CERTS`). */
  readonly caCertificate: string;
  /** The server certificate, followed by the authority's (the chain the server presents). */
  readonly certificateChain: string;
  /** The server certificate's private key (PKCS #8). Never leaves the process. */
  readonly privateKey: string;
  /** DNS names and IP addresses the server certificate names in `subjectAltName`. */
  readonly subjectAltNames: readonly string[];
}

/** Names every emulator certificate carries. */
export const DEFAULT_CERTIFICATE_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** Validity of both certificates, from one hour before creation (clock skew). */
export const CERTIFICATE_VALIDITY_DAYS = 365;

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
} as const;

const ORGANIZATION = "azure-face-liveness emulator (development only)";

function name(commonName: string): Buffer {
  const attribute = (type: string, value: string) => set(sequence(oid(type), utf8String(value)));
  return sequence(attribute(OID.organization, ORGANIZATION), attribute(OID.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (for P-256: 0x04 || x || y). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  return createHash("sha1").update(point).digest();
}

function generalName(entry: string): Buffer {
  const family = isIP(entry);
  if (family === 0) return implicit(2, Buffer.from(entry, "ascii")); // dNSName
  return implicit(7, family === 4 ? Buffer.from(entry.split(".").map(Number)) : ipv6Bytes(entry)); // iPAddress
}

function ipv6Bytes(address: string): Buffer {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return Buffer.concat(all.map((group) => Buffer.from(group.padStart(4, "0"), "hex")));
}

interface CertificateFields {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly Buffer[];
}

function certificate(fields: CertificateFields): Buffer {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive, at most 20 octets (RFC 5280 §4.1.2.2)
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name(fields.issuer),
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name(fields.subject),
    fields.publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...fields.extensions)),
  );
  const signature = sign("sha256", tbs, { key: fields.signingKey, dsaEncoding: "der" });
  return sequence(tbs, algorithm, bitString(signature));
}

function pem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/**
 * Normalizes and checks the names for `subjectAltName`: DNS names (letters, digits, `-`, `.`,
 * a leading `*.`), IPv4 and IPv6 addresses (`[::1]` brackets removed). Unspecified addresses
 * (`0.0.0.0`, `::`) are dropped: no client connects to them. Throws `TypeError` naming the bad entry.
 */
export function certificateNames(extra: readonly string[]): string[] {
  const names: string[] = [];
  for (const raw of [...DEFAULT_CERTIFICATE_NAMES, ...extra]) {
    const entry = (raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw).toLowerCase();
    if (entry === "0.0.0.0" || entry === "::") continue;
    const isName = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(entry) && entry.length <= 253;
    if (isIP(entry) === 0 && !isName) {
      throw new TypeError(`TLS host name '${raw}' is not a DNS name or an IP address.`);
    }
    if (!names.includes(entry)) names.push(entry);
  }
  return names;
}

/**
 * Creates a certificate authority and a server certificate for `names` (see
 * {@link certificateNames}), valid for {@link CERTIFICATE_VALIDITY_DAYS} days from an hour ago.
 *
 * @param extraNames - Host names or addresses besides localhost, 127.0.0.1 and ::1.
 * @param now - Creation time (the wall clock by default).
 */
export function createDevelopmentCertificates(extraNames: readonly string[] = [], now: Date = new Date()): DevelopmentCertificates {
  const subjectAltNames = certificateNames(extraNames);
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + CERTIFICATE_VALIDITY_DAYS * 24 * 60 * 60 * 1000);
  const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const server = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caId = keyIdentifier(ca.publicKey);
  const caName = `azure-face-liveness emulator CA ${now.toISOString()}`;
  const caDer = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true), smallInteger(0))), // CA, path length 0
      extension(OID.keyUsage, true, bitString(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
      extension(OID.subjectKeyIdentifier, false, octetString(caId)),
    ],
  });
  const serverDer = certificate({
    subject: subjectAltNames[0]!,
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, sequence()), // not a CA
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(...subjectAltNames.map(generalName))),
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(server.publicKey))),
      extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, caId))),
    ],
  });
  const caCertificate = pem(caDer);
  return {
    caCertificate,
    certificateChain: pem(serverDer) + caCertificate,
    privateKey: server.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    subjectAltNames,
  };
}
