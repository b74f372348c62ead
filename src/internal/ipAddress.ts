import { isIP } from "node:net";

/** IP addresses and CIDR blocks, as `expectedClientIpAddress` takes them (client and emulator). */

/** A parsed IP address or CIDR block. */
export interface IpRange {
  /** The address part. */
  readonly address: string;
  /** `ipv4` or `ipv6`. */
  readonly family: "ipv4" | "ipv6";
  /** Prefix length of a CIDR block; absent for a single address. */
  readonly prefix?: number;
}

/** `ipv4`, `ipv6`, or `undefined` when `address` is not one IP address. */
export function familyOf(address: string): "ipv4" | "ipv6" | undefined {
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

