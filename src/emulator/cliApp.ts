import { SDK_VERSION } from "../internal/constants.js";
import { DEVICE_ATTEMPTS_PATH } from "./ops/device.js";
import { listen, type RunningEmulator } from "./http.js";
import type { EmulatorRequestLogEntry } from "./options.js";

/** Options of the `azure-face-liveness-emulator` command. */
export interface CliOptions {
  /** `--port`: TCP port, 0 for a free one. Default 5099. */
  readonly port: number;
  /** `--host`: interface to bind. Default `127.0.0.1`. */
  readonly host: string;
  /** `--key`: the API key to accept; random when absent. */
  readonly key?: string;
  /** `--accept-bearer`: accept any `Authorization: Bearer` token as well. */
  readonly acceptBearer: boolean;
  /** `--tls`: serve HTTPS with a certificate made at start. */
  readonly tls: boolean;
  /** `--tls-name <host>` (repeatable): more names or addresses for the certificate. */
  readonly tlsNames: readonly string[];
  /** `--tls-ca-file <path>`: where to write the certificate authority. */
  readonly tlsCaFile?: string;
  /** `--help`: print usage and exit. */
  readonly help: boolean;
  /** `--version`: print the package version and exit. */
  readonly version: boolean;
}

/** The package version `--version` prints. */
export const CLI_VERSION = SDK_VERSION;

/** Default port of the command. */
export const DEFAULT_CLI_PORT = 5099;

/** Usage text of the command. */
export const CLI_USAGE = `Usage: azure-face-liveness-emulator [--port 5099] [--host 127.0.0.1] [--key <key>] [--accept-bearer]
                                    [--tls [--tls-name <host>]... [--tls-ca-file <path>]]

Serves an in-memory emulator of the Azure AI Face liveness-session API (v1.2 and
v1.3-preview.1) at http(s)://<host>:<port>/face/{v1.2|v1.3-preview.1}/... until SIGINT/SIGTERM.

  --port <n>            TCP port (0 = any free port). Default ${DEFAULT_CLI_PORT}.
  --host <addr>         Interface to bind. Default 127.0.0.1. Any other address is reachable
                        by others: it prints a warning.
  --key <key>           API key accepted in Ocp-Apim-Subscription-Key. Default: random.
  --accept-bearer       Also accept any 'Authorization: Bearer <token>' (Entra ID stand-in;
                        bearer tokens need --tls for Azure SDK clients).
  --tls                 Serve HTTPS with a certificate made at start for localhost, 127.0.0.1,
                        ::1 and --host. Trust its CA in Node with NODE_EXTRA_CA_CERTS=<CA file>.
  --tls-name <host>     One more DNS name or IP address for the certificate (repeatable),
                        e.g. a docker-compose service name.
  --tls-ca-file <path>  Write the CA certificate (PEM) there. Default: a new temporary file.
  --version             Print the version.
  --help                Show this help.

Simulate the end user's device with
  POST ${DEVICE_ATTEMPTS_PATH}
  Authorization: Bearer <session authToken>
  {"outcome":"realface"|"spoofface"|"uncertain"|"<ErrorCode>","stage"?:"start"|"complete"}
`;

/** Parses the command line; throws `Error` with a message for the user on bad arguments. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let port = DEFAULT_CLI_PORT;
  let host = "127.0.0.1";
  let key: string | undefined;
  let acceptBearer = false;
  let help = false;
  let version = false;
  let tls = false;
  const tlsNames: string[] = [];
  let tlsCaFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${name} needs a value.`);
      return v;
    };
    switch (name) {
      case "--port": {
        const text = value();
        port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535 (got '${text}').`);
        break;
      }
      case "--host":
        host = value();
        break;
      case "--key":
        key = value();
        break;
      case "--accept-bearer":
        acceptBearer = true;
        break;
      case "--tls":
        tls = true;
        break;
      case "--tls-name":
        tlsNames.push(value());
        break;
      case "--tls-ca-file":
        tlsCaFile = value();
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      case "--version":
      case "-v":
        version = true;
        break;
      default:
        throw new Error(`Unknown argument '${arg}'. Run with --help for usage.`);
    }
  }
  if (!tls && (tlsNames.length > 0 || tlsCaFile !== undefined)) throw new Error("--tls-name and --tls-ca-file need --tls.");
  return {
    port,
    host,
    ...(key !== undefined ? { key } : {}),
    acceptBearer,
    tls,
    tlsNames,
    ...(tlsCaFile !== undefined ? { tlsCaFile } : {}),
    help,
    version,
  };
}

/** One log line: method, path, status and duration (never a key, token, query or body). */
export function formatRequestLog(entry: EmulatorRequestLogEntry): string {
  const status = entry.status === 0 ? "DROPPED" : String(entry.status);
  const fault = entry.fault !== undefined ? ` (fault: ${entry.fault})` : "";
  return `${entry.method} ${entry.path} ${status} ${Math.round(entry.durationMs)}ms${fault}`;
}

/** Where the command writes. */
export interface CliOutput {
  /** Startup banner and request log lines. */
  log(line: string): void;
  /** Warnings (a non-loopback host). Default: `log`. */
  warn?(line: string): void;
}

/**
 * Starts the emulator server for `options` and prints the endpoint and key; every handled
 * request is then logged as one line.
 */
export async function startCli(options: CliOptions, output: CliOutput): Promise<RunningEmulator> {
  const warnings: string[] = [];
  const running = await listen({
    port: options.port,
    host: options.host,
    ...(options.key !== undefined ? { key: options.key } : {}),
    acceptBearerTokens: options.acceptBearer,
    ...(options.tls ? { tls: { hostnames: options.tlsNames, ...(options.tlsCaFile !== undefined ? { caCertificateFile: options.tlsCaFile } : {}) } } : {}),
    onRequest: (entry) => output.log(formatRequestLog(entry)),
    onWarning: (message) => warnings.push(message),
  });
  const warn = output.warn ?? output.log;
  for (const message of warnings) {
    const rule = "!".repeat(78);
    warn(rule);
    warn(`!! WARNING: ${message}`);
    warn(rule);
  }
  output.log(`Azure AI Face liveness emulator ${CLI_VERSION} (API v1.2 and v1.3-preview.1) listening`);
  output.log(`  endpoint: ${running.endpoint}`);
  output.log(`  key:      ${running.key}`);
  if (running.console !== undefined) {
    output.log(`  console:  ${running.console.createLoginUrl()} (one-time sign-in link; or open ${running.console.url} and enter the key)`);
  }
  if (running.caCertificateFile !== undefined) {
    output.log(`  CA file:  ${running.caCertificateFile}`);
    output.log(`            trust it in Node clients: NODE_EXTRA_CA_CERTS=${running.caCertificateFile} (set before they start)`);
  }
  output.log(`  device:   POST ${running.endpoint}${DEVICE_ATTEMPTS_PATH} (Authorization: Bearer <session authToken>)`);
  output.log(`Press Ctrl+C to stop.`);
  return running;
}
