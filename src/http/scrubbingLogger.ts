import { format } from "node:util";
import type { Debugger } from "@azure/logger";
import type { KnownSecrets } from "../internal/knownSecrets.js";

/**
 * A logger for core's log policy that writes to `target` with every known secret scrubbed from
 * the formatted line: the policy logs allow-listed response headers (`apim-request-id`,
 * `x-ms-error-code`, ...) as the server sent them, and a server may echo a secret in them.
 * `enabled` follows `target`, so nothing is formatted while logging is off.
 */
export function scrubbingLogger(secrets: KnownSecrets, target: Debugger): Debugger {
  const log = (...args: unknown[]): void => target("%s", secrets.scrub(format(...args)));
  return Object.defineProperties(log, {
    enabled: { get: () => target.enabled, set: (value: boolean) => void (target.enabled = value) },
    namespace: { get: () => target.namespace },
    log: { get: () => target.log, set: (value: Debugger["log"]) => void (target.log = value) },
    extend: { value: (namespace: string) => scrubbingLogger(secrets, target.extend(namespace)) },
    destroy: { value: () => target.destroy() },
  }) as unknown as Debugger;
}
