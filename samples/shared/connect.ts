import { DefaultAzureCredential } from "@azure/identity";
import { AzureKeyCredential, FaceSessionClient, type FaceApiVersion } from "azure-face-liveness";
import { listen, type EmulatorConsoleAccess, type FaceLivenessEmulator } from "azure-face-liveness/emulator";

/** Where a sample runs: the local emulator (default) or a real Face resource. */
export interface SampleConnection {
  readonly client: FaceSessionClient;
  /** Set when running offline against the emulator. */
  readonly emulator?: FaceLivenessEmulator;
  /** The emulator's console (a web page to play the end user), when running offline. */
  readonly console?: EmulatorConsoleAccess;
  /** The emulator's endpoint, or the Face resource's. */
  readonly endpoint: string;
  /** Stops the emulator, if one was started. */
  close(): Promise<void>;
}

/**
 * Connects a sample. With `FACE_ENDPOINT` and `FACE_APIKEY` set it uses that Face resource with
 * the key; with only `FACE_ENDPOINT` it uses Microsoft Entra ID (`DefaultAzureCredential`);
 * otherwise it starts the local emulator on a free loopback port.
 */
export async function connect(apiVersion: FaceApiVersion = "v1.2"): Promise<SampleConnection> {
  const endpoint = process.env.FACE_ENDPOINT;
  if (endpoint) {
    const apiKey = process.env.FACE_APIKEY;
    const client = apiKey
      ? new FaceSessionClient(endpoint, new AzureKeyCredential(apiKey), { apiVersion })
      : new FaceSessionClient(endpoint, new DefaultAzureCredential(), { apiVersion });
    console.log(`Using the Face resource at ${endpoint} (${apiKey ? "API key" : "Entra ID"}).`);
    return { client, endpoint, close: async () => undefined };
  }
  const running = await listen({ port: 0 });
  console.log(`Started the local emulator at ${running.endpoint} (set FACE_ENDPOINT to use Azure).`);
  const client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), { apiVersion });
  return {
    client,
    emulator: running.emulator,
    ...(running.console !== undefined ? { console: running.console } : {}),
    endpoint: running.endpoint,
    close: () => running.close(),
  };
}

/**
 * Plays the end user's device: on the emulator, sends the outcome through its device endpoint
 * with the session's authToken, as the front-end SDK would. On Azure, prints what the front end
 * needs and returns: a person has to do the check.
 */
export async function playDevice(
  connection: SampleConnection,
  authToken: string,
  outcome: string | undefined,
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (!connection.emulator) {
    console.log("Hand the authToken to your front end (Face UI SDK) and complete the check there.");
    return;
  }
  const response = await fetch(`${connection.endpoint}/face/${connection.client.apiVersion}/emulator/device/attempts`, {
    method: "POST",
    headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
    body: JSON.stringify({ outcome, ...extra }),
  });
  if (!response.ok) throw new Error(`The simulated device was refused: HTTP ${response.status} ${await response.text()}`);
  console.log(outcome === undefined ? "  device: attempt started" : `  device: attempt completed (${outcome})`);
}

/** Runs a sample's main function and sets the exit code on failure. */
export function run(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
