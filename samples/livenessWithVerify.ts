/**
 * Liveness with verify: a reference image at creation, then isIdentical and matchConfidence.
 * Runs offline against the emulator; set FACE_ENDPOINT (and FACE_APIKEY) to use Azure.
 *
 *   npx ts-node samples/livenessWithVerify.ts
 */
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { summarizeLivenessWithVerifySession } from "azure-face-liveness";
import { connect, playDevice, run } from "./shared/connect";

run(async () => {
  const connection = await connect();
  const { client } = connection;
  try {
    // Any of Buffer, Uint8Array, Blob/File, a readable stream or a function returning one.
    const session = await client.createLivenessWithVerifySession({
      livenessOperationMode: "Passive",
      verifyImage: () => createReadStream(join(__dirname, "assets", "reference.jpg")),
      verifyConfidenceThreshold: 0.7,
      returnVerifyImageHash: true,
    });
    console.log(`Created session ${session.sessionId}; reference quality: ${session.results.verifyReferences[0]?.qualityForRecognition}.`);

    await playDevice(connection, session.authToken, "realface", { matchConfidence: 0.42 });

    const result = await client.getLivenessWithVerifySessionResult(session.sessionId);
    const summary = summarizeLivenessWithVerifySession(result, { minMatchConfidence: 0.7 });
    console.log(`Decision: ${summary.livenessDecision}; isIdentical: ${summary.isIdentical}; matchConfidence: ${summary.matchConfidence}.`);
    console.log(`Verdict: ${summary.verdict}${summary.reason ? ` (${summary.reason})` : ""} (live but not the same person is rejected: notIdentical).`);

    await client.deleteLivenessWithVerifySession(session.sessionId);
  } finally {
    await connection.close();
  }
});
