/**
 * Liveness: create a session, hand the token to the front end, read the result, delete.
 * Runs offline against the emulator; set FACE_ENDPOINT (and FACE_APIKEY) to use Azure.
 *
 *   npx ts-node samples/liveness.ts
 */
import { getLatestAttempt } from "azure-face-liveness";
import { connect, playDevice, run } from "./shared/connect";

run(async () => {
  const connection = await connect();
  const { client } = connection;
  try {
    const session = await client.createLivenessSession({
      livenessOperationMode: "PassiveActive",
      deviceCorrelationId: "3f8ee0bd-3d3f-4bd4-a2a6-43a8c9d1a001",
      authTokenTimeToLiveInSeconds: 120,
    });
    console.log(`Created session ${session.sessionId}; token valid until ${session.authTokenExpiresOn?.toISOString()}.`);

    await playDevice(connection, session.authToken, "realface");

    const result = await client.getLivenessSessionResult(session.sessionId);
    const latest = getLatestAttempt(result);
    console.log(`Session status: ${result.status}; attempts: ${result.results.attempts.length}.`);
    if (latest?.result) console.log(`Latest attempt ${latest.attemptId}: ${latest.result.livenessDecision}.`);
    else if (latest?.error) console.log(`Latest attempt ${latest.attemptId} failed: ${latest.error.code}.`);

    await client.deleteLivenessSession(session.sessionId);
    console.log("Deleted the session; its token no longer works.");
  } finally {
    await connection.close();
  }
});
