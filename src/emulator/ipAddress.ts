import { BlockList, isIP } from "node:net";

/**
 * The emulator's IP rules: what it accepts as the device's client IP and as
 * `expectedClientIpAddress`, and the "is this client inside the expected range" test of abuse
 * monitoring. They are the emulator's own (the client's validation is a separate matter that may
 * be looser or stricter): the emulator stands for the service.
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

const FAMILIES: Readonly<Record<number, IpRange["family"]>> = { 4: "ipv4", 6: "ipv6" };
const MAX_PREFIX: Readonly<Record<IpRange["family"], number>> = { ipv4: 32, ipv6: 128 };

/** Whether `text` is one IPv4 or IPv6 address (no CIDR suffix). */
export function isIpAddress(text: string): boolean {
  return FAMILIES[isIP(text)] !== undefined;
}

/** An IPv4/IPv6 address or CIDR block such as `203.0.113.0/24`; `undefined` when it is neither. */
export function parseIpRange(text: string): IpRange | undefined {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  const family = match === null ? undefined : FAMILIES[isIP(match[1]!)];
  if (match === null || family === undefined) return undefined;
  if (match[2] === undefined) return { address: match[1]!, family };
  const prefix = Number(match[2]);
  return prefix <= MAX_PREFIX[family] ? { address: match[1]!, family, prefix } : undefined;
}

/** Whether the client address `ip` lies in `range` (an IPv4-mapped IPv6 address counts as IPv4). */
export function isInRange(ip: string, range: IpRange): boolean {
  const family = FAMILIES[isIP(ip)];
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
