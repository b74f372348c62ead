import { BlockList } from "node:net";
import { familyOf, type IpRange } from "../internal/ipAddress.js";

export { isIpAddress, parseIpRange, type IpRange } from "../internal/ipAddress.js";

/**
 * The emulator's IP checks: the device's client IP, and the "is this client inside the expected
 * range" test of abuse monitoring. Parsing is shared with the client (internal/ipAddress.ts).
 */

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
