/**
 * Waiting for results: the poller, its outcomes, the raw observation stream, and finalize.
 *
 *   npx ts-node samples/waitingForResults.ts
 */
import { connect, playDevice, run } from "./shared/connect";

run(async () => {
  const connection = await connect();
  const { client } = connection;
  const offline = connection.emulator !== undefined;
  try {
    // 1. A session nobody starts. With a session object the poller knows when its token expires
    //    (authTokenExpiresOn) and stops with "expired" then; with only an id, pass the expiry.
    //    Here the expiry is pretended to be 1 s away so the sample does not wait a minute.
    const abandoned = await client.createLivenessSession({ livenessOperationMode: "Passive", authTokenTimeToLiveInSeconds: 60 });
    const early = await client.waitForLivenessSessionResult(abandoned.sessionId, {
      authTokenExpiresOn: new Date(Date.now() + 1_000),
      intervalInMs: 300,
      timeoutInMs: 10_000,
    });
    console.log(`Nobody started the first session: stopped with "${early.reason}".`);
    await client.deleteLivenessSession(abandoned.sessionId);

    // 2. The raw stream of observations, for your own loop.
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const device = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await playDevice(connection, session.authToken, "spoofface");
    })();
    for await (const observed of client.observeLivenessSession(session, { intervalInMs: offline ? 200 : undefined, timeoutInMs: 60_000 })) {
      console.log(`  observed ${observed.status} with ${observed.results.attempts.length} attempt(s)`);
      if (observed.status === "Succeeded" || observed.status === "Failed") break; // stops polling
    }
    await device;

    // 3. Finalize: one call reads the result, decides and deletes the session, whatever happens.
    const { summary, deleted } = await client.finalizeLivenessSession(session, { policy: { treatUncertainAs: "failure" } });
    console.log(`Decision ${summary.livenessDecision}: ${summary.verdict}${summary.reason ? ` (${summary.reason})` : ""}; deleted ${deleted}.`);
  } finally {
    await connection.close();
  }
});
