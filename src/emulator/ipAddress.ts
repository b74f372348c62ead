import { BlockList, isIP } from "node:net";

/**
 * IP addresses and CIDR blocks: validation of `expectedClientIpAddress` and of the device's
 * client IP, and the "is this client inside the expected range" test of abuse monitoring.
 */

/** A parsed IP address or CIDR block. */
export interface IpRange {
  /** The address part. */
  readonly address: string;
  /** `ipv4` or `ipv6`. */
  readonly family: "ipv4" | "ipv6";
  /** Prefix length of a CIDR block; absent for a single address. */
  readonly prefix?: number;
}

function familyOf(address: string): "ipv4" | "ipv6" | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

/** Whether `text` is one IPv4 or IPv6 address (no CIDR suffix). */
export function isIpAddress(text: string): boolean {
  return familyOf(text) !== undefined;
}

/**
 * Parses an IPv4/IPv6 address or CIDR block such as `203.0.113.0/24` or `2001:db8::/32`;
 * `undefined` when `text` is neither.
 */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = familyOf(address);
  if (family === undefined) return undefined;
  if (slash < 0) return { address, family };
  const prefixText = text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === "ipv4" ? 32 : 128)) return undefined;
  return { address, family, prefix };
}

/** Whether the client address `ip` lies in `range` (an IPv4-mapped IPv6 address counts as IPv4). */
export function isInRange(ip: string, range: IpRange): boolean {
  const family = familyOf(ip);
  if (family === undefined) return false;
  const list = new BlockList();
  if (range.prefix === undefined) list.addAddress(range.address, range.family);
  else list.addSubnet(range.address, range.prefix, range.family);
  return list.check(ip, family);
}

/** A socket's remote address as a client IP: `::ffff:127.0.0.1` becomes `127.0.0.1`. */
export function normalizeRemoteAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped !== null ? mapped[1]! : address;
}
