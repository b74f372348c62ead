/**
 * Errors and retries: client-side validation, service errors, and what is retried.
 *
 *   npx ts-node samples/errorHandling.ts
 */
import { isRestError } from "azure-face-liveness";
import { connect, run } from "./shared/connect";

run(async () => {
  const connection = await connect();
  const { client } = connection;
  try {
    // Bad input is refused before anything is sent, naming the parameter and the range.
    try {
      await client.createLivenessSession({ livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 30 });
    } catch (error) {
      console.log(`${(error as Error).name}: ${(error as Error).message}`);
    }

    // Service errors are RestErrors with the service's code and the request id.
    try {
      await client.getLivenessSessionResult("00000000-0000-0000-0000-000000000000");
    } catch (error) {
      if (!isRestError(error)) throw error;
      const requestId = (error as { requestId?: string }).requestId;
      console.log(`HTTP ${error.statusCode} ${error.code}: ${error.message} (apim-request-id ${requestId})`);
    }

    // Throttling is retried after Retry-After, also for creates (the service did not process them).
    if (connection.emulator) {
      connection.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 0, count: 1 });
      const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
      console.log(`Created ${session.sessionId} after one throttled attempt.`);
      await client.deleteLivenessSession(session.sessionId);
    }

    // Cancel any call with an AbortSignal.
    const aborted = await client
      .getLivenessSessionResult("any", { abortSignal: AbortSignal.abort() })
      .catch((error: Error) => error.name);
    console.log(`An aborted call rejects with ${aborted}.`);
  } finally {
    await connection.close();
  }
});
