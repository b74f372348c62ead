// Runs every v1.2 liveness operation of the official @azure-rest/ai-vision-face client against
// the emulator, with the client built exactly as its README shows and nothing patched. Started by
// officialClient.test.ts in its own Node process with NODE_EXTRA_CA_CERTS set to the emulator's
// certificate authority, so the HTTPS endpoint is trusted the way a user would trust it.
//
// The assertions are those of the official tests (Azure/azure-sdk-for-js,
// sdk/face/ai-vision-face-rest/test/public/node/livenessSession.spec.ts and
// livenessWithVerifySession.spec.ts), with the end user's device played by the emulator's device
// stand-in where the official tests wait for a real device ("start session", "send payloads").
// One deviation, written out below: the recorded session image was 639232 characters long as the
// client reads it; here the expected length is that of the emulator's own image.
//
// Environment: FACE_ENDPOINT, FACE_AUTH ("key" | "entra"), FACE_APIKEY (key auth),
// FACE_VERIFY_IMAGE (path of a JPEG), FACE_STARTED_ATTEMPTS (attempts a started session lists:
// 0 as recorded and asserted by the official tests; see officialClient.test.ts). Prints one JSON
// line per operation: {"op","status"}.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { AzureKeyCredential } from "@azure/core-auth";
import createFaceClient, { isUnexpected } from "@azure-rest/ai-vision-face";

const endpoint = process.env["FACE_ENDPOINT"] ?? "<endpoint>";
const entra = process.env["FACE_AUTH"] === "entra";
const verifyImagePath = process.env["FACE_VERIFY_IMAGE"] ?? "<verify image>";
const startedAttempts = Number(process.env["FACE_STARTED_ATTEMPTS"] ?? 0);

/** A TokenCredential as @azure/identity's credentials are: getToken(scopes) -> AccessToken. */
const fakeEntraCredential = {
  scopesAsked: [],
  async getToken(scopes) {
    this.scopesAsked.push(...[scopes].flat());
    return { token: "entra-access-token-from-a-fake-credential", expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  },
};
const credential = entra ? fakeEntraCredential : new AzureKeyCredential(process.env["FACE_APIKEY"] ?? "<apikey>");
const client = createFaceClient(endpoint, credential);

function report(op, response) {
  process.stdout.write(`${JSON.stringify({ op, status: response.status })}\n`);
  if (isUnexpected(response)) throw new Error(`${op}: ${response.status} ${response.body?.error?.message}`);
}

/** The end user's device: the emulator's stand-in, called with the session's authToken. */
async function device(authToken, body) {
  const response = await fetch(`${endpoint}/face/v1.2/emulator/device/attempts`, {
    method: "POST",
    headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `device ${JSON.stringify(body)}: ${await response.text()}`);
}

/** The session image as the service sends it, to know what the official client should read. */
async function rawSessionImage(sessionImageId) {
  const headers = entra
    ? { authorization: `Bearer ${(await fakeEntraCredential.getToken([])).token}` }
    : { "ocp-apim-subscription-key": process.env["FACE_APIKEY"] };
  const response = await fetch(`${endpoint}/face/v1.2/sessionImages/${sessionImageId}`, { headers });
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

async function getSessionImageAndDetect(sessionImageId) {
  const getSessionImageResponse = await client.path("/sessionImages/{sessionImageId}", sessionImageId).get();
  report("getSessionImage", getSessionImageResponse);
  // Official test: assert.equal(getSessionImageResponse.body.length, 639232) -- the recorded image.
  const raw = await rawSessionImage(sessionImageId);
  assert.ok(raw.length > 0);
  assert.equal(getSessionImageResponse.body.length, raw.toString("utf8").length);

  // README "Face Detection" query, with the session image as the source (detectFromSessionImageId).
  const detectResponse = await client.path("/detect").post({
    contentType: "application/json",
    queryParameters: {
      detectionModel: "detection_03",
      recognitionModel: "recognition_04",
      returnFaceLandmarks: true,
      returnRecognitionModel: true,
      faceIdTimeToLive: 120,
      returnFaceAttributes: ["headPose", "mask", "qualityForRecognition"],
      returnFaceId: false,
    },
    body: { sessionImageId },
  });
  report("detectFromSessionImageId", detectResponse);
  assert.equal(detectResponse.body.length, 1);
  const [face] = detectResponse.body;
  assert.equal(face.faceId, undefined);
  assert.equal(face.recognitionModel, "recognition_04");
  assert.ok(face.faceRectangle.width > 0 && face.faceRectangle.height > 0);
  assert.ok(face.faceLandmarks);
  assert.deepEqual(Object.keys(face.faceAttributes).sort(), ["headPose", "mask", "qualityForRecognition"]);
}

async function testLivenessSession() {
  const deviceCorrelationId = randomUUID();
  const createLivenessSessionResponse = await client.path("/detectLiveness-sessions").post({
    body: { livenessOperationMode: "Passive", deviceCorrelationId, enableSessionImage: true },
  });
  report("createLivenessSession", createLivenessSessionResponse);
  assert.equal(createLivenessSessionResponse.body.status, "NotStarted");
  assert.equal(createLivenessSessionResponse.body.results.attempts.length, 0);
  const { sessionId, authToken } = createLivenessSessionResponse.body;
  assert.ok(authToken);

  await device(authToken, { stage: "start" }); // start session
  const getLivenessSessionResultResponse1 = await client.path("/detectLiveness-sessions/{sessionId}", sessionId).get();
  report("getLivenessSessionResult", getLivenessSessionResultResponse1);
  assert.equal(getLivenessSessionResultResponse1.body.status, "Running");
  assert.equal(getLivenessSessionResultResponse1.body.results.attempts.length, startedAttempts); // official: 0

  await device(authToken, { outcome: "realface" }); // send payloads
  const getLivenessSessionResultResponse2 = await client.path("/detectLiveness-sessions/{sessionId}", sessionId).get();
  report("getLivenessSessionResult", getLivenessSessionResultResponse2);
  assert.equal(getLivenessSessionResultResponse2.body.status, "Succeeded");
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts.length, 1);
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts[0].attemptStatus, "Succeeded");
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts[0].result?.livenessDecision, "realface");
  assert.notEqual(getLivenessSessionResultResponse2.body.results.attempts[0].result?.sessionImageId, null);
  assert.notEqual(getLivenessSessionResultResponse2.body.results.attempts[0].result?.sessionImageId, undefined);

  await getSessionImageAndDetect(getLivenessSessionResultResponse2.body.results.attempts[0].result.sessionImageId);

  const deleteLivenessSessionResponse = await client.path("/detectLiveness-sessions/{sessionId}", sessionId).delete();
  report("deleteLivenessSession", deleteLivenessSessionResponse);

  // Older official test (TestDeleteSession): a deleted session is gone.
  const afterDelete = await client.path("/detectLiveness-sessions/{sessionId}", sessionId).get();
  process.stdout.write(`${JSON.stringify({ op: "getLivenessSessionResult", status: afterDelete.status })}\n`);
  assert.equal(isUnexpected(afterDelete), true);
  assert.equal(afterDelete.status, "404");
  assert.equal(afterDelete.body.error.code, "SessionNotFound");
}

async function testLivenessWithVerifySession() {
  const deviceCorrelationId = randomUUID();
  const createLivenessSessionResponse = await client.path("/detectLivenessWithVerify-sessions").post({
    contentType: "multipart/form-data",
    body: [
      { name: "livenessOperationMode", body: "Passive" },
      { name: "deviceCorrelationId", body: deviceCorrelationId },
      { name: "enableSessionImage", body: true },
      { name: "verifyImage", body: readFileSync(verifyImagePath), filename: "verifyImage.jpg" },
    ],
  });
  report("createLivenessWithVerifySession", createLivenessSessionResponse);
  assert.equal(createLivenessSessionResponse.body.status, "NotStarted");
  assert.equal(createLivenessSessionResponse.body.results.attempts.length, 0);
  const { sessionId, authToken } = createLivenessSessionResponse.body;

  await device(authToken, { stage: "start" }); // start session
  const getLivenessSessionResultResponse1 = await client.path("/detectLivenessWithVerify-sessions/{sessionId}", sessionId).get();
  report("getLivenessWithVerifySessionResult", getLivenessSessionResultResponse1);
  assert.equal(getLivenessSessionResultResponse1.body.status, "Running");
  assert.equal(getLivenessSessionResultResponse1.body.results.attempts.length, startedAttempts); // official: 0

  // send payloads: a real face that is not the person of the verify image (as recorded)
  await device(authToken, { outcome: "realface", matchConfidence: 0.1 });
  const getLivenessSessionResultResponse2 = await client.path("/detectLivenessWithVerify-sessions/{sessionId}", sessionId).get();
  report("getLivenessWithVerifySessionResult", getLivenessSessionResultResponse2);
  assert.equal(getLivenessSessionResultResponse2.body.status, "Succeeded");
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts.length, 1);
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts[0].attemptStatus, "Succeeded");
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts[0].result?.livenessDecision, "realface");
  assert.equal(getLivenessSessionResultResponse2.body.results.attempts[0].result?.verifyResult?.isIdentical, false);
  assert.notEqual(getLivenessSessionResultResponse2.body.results.attempts[0].result?.sessionImageId, null);
  assert.notEqual(getLivenessSessionResultResponse2.body.results.attempts[0].result?.sessionImageId, undefined);

  await getSessionImageAndDetect(getLivenessSessionResultResponse2.body.results.attempts[0].result.sessionImageId);

  const deleteLivenessSessionResponse = await client.path("/detectLivenessWithVerify-sessions/{sessionId}", sessionId).delete();
  report("deleteLivenessWithVerifySession", deleteLivenessSessionResponse);
}

await testLivenessSession();
await testLivenessWithVerifySession();
if (entra) {
  assert.ok(fakeEntraCredential.scopesAsked.length > 0);
  assert.ok(fakeEntraCredential.scopesAsked.every((scope) => scope === "https://cognitiveservices.azure.com/.default"));
}
process.stdout.write(`${JSON.stringify({ done: true })}\n`);
