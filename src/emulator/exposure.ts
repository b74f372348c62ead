import { BlockList, isIP } from "node:net";

/** The HTTP adapter's check of where it listens, and the warning it gives for an exposed address. */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Whether a bound address only accepts local connections (127.0.0.0/8, `::1`, `::ffff:127.x.y.z`). */
export function isLoopbackAddress(address: string): boolean {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const ip = mapped !== null ? mapped[1]! : address;
  const family = isIP(ip);
  return family !== 0 && LOOPBACK.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** The warning `listen()` gives when bound to a non-loopback address. */
export function exposedHostWarning(address: string, acceptsBearerTokens: boolean): string {
  const bearer = acceptsBearerTokens ? " It also accepts ANY bearer token (--accept-bearer), so no key is needed at all." : "";
  return (
    `The Face liveness emulator is listening on ${address}, which is not a loopback address: anyone who can reach it ` +
    `can use its key (which is printed and logged) and read every session.${bearer} It is a development server; ` +
    `bind 127.0.0.1 unless other machines or containers must reach it, and only on a trusted network.`
  );
}
