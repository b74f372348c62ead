// The hidden environment of the documentation's code blocks (see test/docs/run.mjs): an
// emulator on a loopback port, a client for it, and stand-ins for what a block leaves to the
// reader (the HTTP response it answers the front end with, the end user who takes the check).
// Blocks import it in their prelude as "./env.mjs"; it never reaches the published package.
import { AzureKeyCredential, FaceSessionClient } from "azure-face-liveness";
import type { FaceSessionClientOptions } from "azure-face-liveness";
import { listen } from "azure-face-liveness/emulator";
import type { DeviceOutcome, RunningEmulator, WireAttempt } from "azure-face-liveness/emulator";

/** What the simulated end user does once they have the session's token. */
export type EndUser = DeviceOutcome | "nothing";

export interface DocsEnvironmentOptions {
  /** The end user's outcome (default "realface"); "nothing" leaves sessions NotStarted. */
  endUser?: EndUser;
  /**
   * When the end user acts: when the token is handed over with `res.json` (default), or as soon
   * as `client` creates a session (for blocks that leave the hand-over to the reader).
   */
  when?: "handedOver" | "created";
  /** Client options (e.g. `apiVersion`). */
  clientOptions?: FaceSessionClientOptions;
  /** Error answers (4xx/5xx) are expected: do not fail the block for them. */
  allowErrorAnswers?: boolean;
}

export interface DocsEnvironment {
  readonly emulator: RunningEmulator;
  readonly endpoint: string;
  readonly credential: AzureKeyCredential;
  /** A client of the emulator (see `when`). */
  readonly client: FaceSessionClient;
  /** The app server's response to the front end: `res.json({ authToken })` hands the token over. */
  readonly res: { json(body: { authToken?: string; [field: string]: unknown }): void };
  /** The attempts the end user finished, in order. */
  readonly attempts: WireAttempt[];
}

const errorAnswers: string[] = [];
let allowErrors = false;

/** Fails the block when a service call of it got an error answer it did not expect. */
export function assertNoErrorAnswers(): void {
  if (!allowErrors && errorAnswers.length > 0) {
    throw new Error(`the block got error answers it does not expect: ${errorAnswers.join(", ")}`);
  }
}

/**
 * Starts the emulator and sets `FACE_ENDPOINT` / `FACE_APIKEY` to it, so blocks written for a
 * real resource run against it. The process exits when the block is done.
 */
export async function docsEnvironment(options: DocsEnvironmentOptions = {}): Promise<DocsEnvironment> {
  allowErrors = options.allowErrorAnswers ?? false;
  const emulator = await listen({
    onRequest: (entry) => {
      if (entry.status >= 400 || entry.status === 0) errorAnswers.push(`${entry.method} ${entry.path} → ${entry.status}`);
    },
  });
  process.env.FACE_ENDPOINT = emulator.endpoint;
  process.env.FACE_APIKEY = emulator.key;
  const endUser = options.endUser ?? "realface";
  const attempts: WireAttempt[] = [];
  const takeCheck = (authToken: string | undefined): void => {
    if (endUser === "nothing" || authToken === undefined) return;
    attempts.push(emulator.emulator.simulateDevice(authToken, endUser));
  };
  const credential = new AzureKeyCredential(emulator.key);
  const client = new FaceSessionClient(emulator.endpoint, credential, options.clientOptions);
  if (options.when === "created") {
    const createLiveness = client.createLivenessSession.bind(client);
    const createWithVerify = client.createLivenessWithVerifySession.bind(client);
    client.createLivenessSession = async (...args) => {
      const session = await createLiveness(...args);
      takeCheck(session.authToken);
      return session;
    };
    client.createLivenessWithVerifySession = async (...args) => {
      const session = await createWithVerify(...args);
      takeCheck(session.authToken);
      return session;
    };
  }
  return {
    emulator,
    endpoint: emulator.endpoint,
    credential,
    client,
    attempts,
    res: {
      json: (body) => {
        if (options.when !== "created") takeCheck(body.authToken);
      },
    },
  };
}
