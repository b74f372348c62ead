const assert = require("node:assert/strict");
const { AzureKeyCredential, FaceSessionClient, isRestError } = require("azure-face-liveness");
const { listen } = require("azure-face-liveness/emulator");

(async () => {
  const server = await listen({ port: 0 });
  try {
    const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(server.key));
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    assert.equal(session.status, "NotStarted");
    await client.deleteLivenessSession(session.sessionId);
    const error = await client.getLivenessSessionResult(session.sessionId).catch((e) => e);
    assert.ok(isRestError(error));
    assert.equal(error.code, "SessionNotFound");
  } finally {
    await server.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
