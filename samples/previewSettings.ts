/**
 * API version v1.3-preview.1: attempts control, user correlation, expected client IP, abuse
 * monitoring settings and the client-assets token. Runs offline against the emulator.
 *
 *   npx ts-node samples/previewSettings.ts
 */
import { getLatestAttempt } from "azure-face-liveness";
import { connect, playDevice, run } from "./shared/connect";

run(async () => {
  const connection = await connect("v1.3-preview.1");
  const { client } = connection;
  try {
    const settings = await client.updateSettings({ livenessAbuseMonitoring: { enabled: true } });
    console.log(`Abuse monitoring enabled: ${settings.livenessAbuseMonitoring.enabled}.`);

    const session = await client.createLivenessSession({
      livenessOperationMode: "PassiveActive",
      numberOfClientAttemptsAllowed: 2,
      userCorrelationId: "b5f3e0a4-8a41-4a0e-9a4e-6f1c1b2d3e4f",
      expectedClientIpAddress: "203.0.113.0/24",
    });
    console.log(`Session ${session.sessionId} created.`);

    // First attempt fails (mask); the end user may try again because two attempts are allowed.
    await playDevice(connection, session.authToken, "FaceWithMaskDetected", { clientIp: "203.0.113.7" });
    await playDevice(connection, session.authToken, "realface", { clientIp: "198.51.100.9" });

    const result = await client.getLivenessSessionResult(session.sessionId);
    const latest = getLatestAttempt(result);
    // The session's settings come back on reads (the create response does not carry them).
    console.log(`Monitored: ${result.isAbuseMonitoringEnabled}, expected IP ${result.expectedClientIpAddress}.`);
    console.log(`Attempts: ${result.results.attempts.length}; latest ${latest?.attemptId}: ${latest?.result?.livenessDecision}.`);
    console.log(`Client IPs: ${latest?.clientInformation?.map((c) => c.ip).join(", ")}.`);
    console.log(`Abuse detected: ${latest?.abuseMonitoringResult?.isAbuseDetected} (the IP was outside the expected block).`);
    await client.deleteLivenessSession(session.sessionId);

    // A token for the gated front-end SDK packages, e.g. for CI's .npmrc. Printing it redacts it.
    const token = await client.getClientAssetsAccessToken();
    console.log("Client-assets token:", token);
  } finally {
    await connection.close();
  }
});
