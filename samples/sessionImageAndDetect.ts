/**
 * Session image and face detection: download the frame the model judged, then detect on it.
 *
 *   npx ts-node samples/sessionImageAndDetect.ts
 */
import { getLatestAttempt } from "azure-face-liveness";
import { connect, playDevice, run } from "./shared/connect";

run(async () => {
  const connection = await connect();
  const { client } = connection;
  try {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    await playDevice(connection, session.authToken, "realface", { faceRectangle: { top: 60, left: 90, width: 200, height: 240 } });

    const result = await client.getLivenessSessionResult(session.sessionId);
    const sessionImageId = getLatestAttempt(result)?.result?.sessionImageId;
    if (sessionImageId === undefined) throw new Error("No session image: did the end user finish the check?");

    const image = await client.getSessionImage(sessionImageId);
    const bytes = await image.bytes(); // or stream image.readableStreamBody to a file
    console.log(`Session image: ${bytes.length} bytes (${image.contentType}).`);

    const faces = await client.detectFromSessionImage(sessionImageId, {
      detectionModel: "detection_03",
      recognitionModel: "recognition_04",
      returnFaceLandmarks: true,
      returnFaceAttributes: ["headPose", "blur", "mask", "qualityForRecognition"],
    });
    for (const face of faces) {
      const { headPose, blur, qualityForRecognition } = face.faceAttributes ?? {};
      console.log(`Face at ${JSON.stringify(face.faceRectangle)}; nose tip ${JSON.stringify(face.faceLandmarks?.noseTip)}`);
      console.log(`  head pose yaw ${headPose?.yaw}, blur ${blur?.blurLevel}, quality ${qualityForRecognition}`);
    }
    await client.deleteLivenessSession(session.sessionId);
  } finally {
    await connection.close();
  }
});
