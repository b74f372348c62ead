/**
 * The whole app-server job, twice: a liveness session and a liveness-with-verify session.
 * Offline by default: starts the local emulator and plays the end user's device through its
 * device endpoint. With FACE_ENDPOINT (and FACE_APIKEY) set, runs against Azure and waits for a
 * real person to complete the check on your front end.
 *
 *   npm run demo
 *   npm run demo -- --interactive   # offline, but you play the end user in the emulator console
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { summarizeLivenessSession, type LivenessSession, type LivenessWithVerifySession } from "azure-face-liveness";
import { connect, playDevice, run, type SampleConnection } from "./shared/connect";

const outDir = join(__dirname, "out");
/** `--interactive`: the person at the emulator console plays the device instead of this script. */
const interactive = process.argv.includes("--interactive");
const step = (text: string): void => console.log(`\n> ${text}`);
const shortToken = (token: string): string => `${token.slice(0, 6)}… (${token.length} characters, kept secret)`;

/** Plays the device in the background: starts an attempt, then completes it a moment later. */
function deviceLater(
  connection: SampleConnection,
  session: { sessionId: string; authToken: string },
  outcome: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { authToken } = session;
  if (interactive && connection.console !== undefined) {
    console.log(`  Your turn: open ${connection.console.createLoginUrl()}`);
    console.log(`  (a one-time sign-in link), find session ${session.sessionId}, click Start, then Finish attempt.`);
    return Promise.resolve();
  }
  if (!connection.emulator) return playDevice(connection, authToken, outcome);
  return (async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await playDevice(connection, authToken, undefined, { stage: "start" });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await playDevice(connection, authToken, outcome, extra);
  })();
}

const waitOptions = (offline: boolean) => {
  let last = "";
  return {
    // The defaults (2 s, growing to 10 s) suit real users; the emulator answers in a second.
    intervalInMs: offline ? 250 : undefined,
    timeoutInMs: offline && !interactive ? 30_000 : 5 * 60_000,
    onProgress: (s: LivenessSession | LivenessWithVerifySession) => {
      const line = `  polled: session ${s.status}, ${s.results.attempts.length} attempt(s)`;
      if (line !== last) console.log(line); // a person takes a while: print changes only
      last = line;
    },
  };
};

async function livenessFlow(connection: SampleConnection): Promise<void> {
  const { client } = connection;
  step("Create a liveness session (PassiveActive, session image on)");
  const session = await client.createLivenessSession({
    livenessOperationMode: "PassiveActive",
    deviceCorrelationId: "5b0a0b4e-2d64-4c55-8f0e-6a5c0e3b9a11",
    enableSessionImage: true,
  });
  console.log(`  session ${session.sessionId}, status ${session.status}`);
  console.log(`  authToken ${shortToken(session.authToken)}, valid until ${session.authTokenExpiresOn?.toISOString()}`);

  step("Hand the authToken to the front end; the end user does the check");
  const device = deviceLater(connection, session, "realface");

  step("Wait for the result");
  const [outcome] = await Promise.all([
    client.waitForLivenessSessionResult(session, waitOptions(Boolean(connection.emulator))),
    device,
  ]);
  console.log(`  stopped: ${outcome.reason}`);
  if (outcome.session === undefined) throw new Error("No result arrived.");
  const summary = summarizeLivenessSession(outcome.session);
  console.log(`  decision: ${summary.livenessDecision ?? summary.error?.code}, live: ${summary.isLive}, verdict: ${summary.verdict}${summary.reason ? ` (${summary.reason})` : ""}`);
  console.log(`  digest: ${summary.digest}`);
  if (!summary.accepted || summary.sessionImageId === undefined) {
    if (!interactive) throw new Error("Expected an accepted attempt with a session image.");
    console.log("  not accepted, so there is no session image to use; deleting the session");
    await client.deleteLivenessSession(session.sessionId);
    return;
  }

  step("Download the session image (streamed to a file)");
  await mkdir(outDir, { recursive: true });
  const image = await client.getSessionImage(summary.sessionImageId);
  const file = join(outDir, `session-${session.sessionId}.jpg`);
  await pipeline(image.readableStreamBody, createWriteStream(file));
  console.log(`  saved ${file} (${image.contentLength ?? "?"} bytes, ${image.contentType})`);

  step("Detect the face on the session image");
  const faces = await client.detectFromSessionImage(summary.sessionImageId, {
    detectionModel: "detection_03",
    returnFaceAttributes: ["headPose", "mask"],
  });
  const face = faces[0];
  if (face === undefined) throw new Error("No face detected on the session image.");
  console.log(`  ${faces.length} face(s); rectangle ${JSON.stringify(face.faceRectangle)}; mask: ${face.faceAttributes?.mask?.type}`);

  step("Delete the session (the token stops working)");
  await client.deleteLivenessSession(session.sessionId);
  const gone = await client.getLivenessSessionResult(session.sessionId).then(
    () => "still there",
    (error: { code?: string }) => error.code,
  );
  console.log(`  deleted; reading it again gives ${gone}`);
  if (gone !== "SessionNotFound") throw new Error("The session was not deleted.");
}

async function livenessWithVerifyFlow(connection: SampleConnection): Promise<void> {
  const { client } = connection;
  step("Create a liveness-with-verify session with a reference image");
  const referenceImage = await readFile(join(__dirname, "assets", "reference.jpg"));
  const session = await client.createLivenessWithVerifySession({
    livenessOperationMode: "Passive",
    verifyImage: referenceImage,
    verifyConfidenceThreshold: 0.6,
    returnVerifyImageHash: true,
  });
  const reference = session.results.verifyReferences[0];
  console.log(`  session ${session.sessionId}; reference face ${JSON.stringify(reference?.faceRectangle)}, quality ${reference?.qualityForRecognition}`);

  step("The end user does the check");
  const device = deviceLater(connection, session, "realface", { matchConfidence: 0.93 });

  step("Wait, read the result, and delete the session in one call");
  const [{ summary, waitOutcome, deleted }] = await Promise.all([
    client.finalizeLivenessWithVerifySession(session, {
      wait: waitOptions(Boolean(connection.emulator)),
      policy: { minMatchConfidence: 0.6 },
    }),
    device,
  ]);
  console.log(`  stopped: ${waitOutcome?.reason}`);
  console.log(`  decision: ${summary.livenessDecision}, isIdentical: ${summary.isIdentical}, matchConfidence: ${summary.matchConfidence}`);
  console.log(`  verdict: ${summary.verdict}${summary.reason ? ` (${summary.reason})` : ""}; session deleted: ${deleted}`);
  if (!deleted || (!summary.accepted && !interactive)) throw new Error("Expected an accepted, deleted session.");
}

run(async () => {
  const connection = await connect();
  try {
    console.log("\n=== Liveness ===");
    await livenessFlow(connection);
    console.log("\n=== Liveness with verify ===");
    await livenessWithVerifyFlow(connection);
    console.log("\nDemo finished.");
  } finally {
    await connection.close();
  }
});
