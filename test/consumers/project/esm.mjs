import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { AzureKeyCredential, FaceSessionClient, isRestError, RestError } from "azure-face-liveness";
import { listen } from "azure-face-liveness/emulator";

const cjs = createRequire(import.meta.url)("azure-face-liveness");
const server = await listen({ port: 0 });
try {
  const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(server.key));
  const session = await client.createLivenessSession({ livenessOperationMode: "PassiveActive" });
  const fetched = await client.getLivenessSessionResult(session.sessionId);
  assert.equal(fetched.sessionId, session.sessionId);
  await client.deleteLivenessSession(session.sessionId);
  const error = await client.deleteLivenessSession(session.sessionId).catch((e) => e);
  // The ESM and CommonJS builds are two copies: recognise errors by name, not instanceof.
  assert.ok(isRestError(error));
  assert.ok(cjs.isRestError(error));
  assert.equal(error.name, "RestError");
  assert.equal(error.statusCode, 404);
  assert.ok(error instanceof RestError);
} finally {
  await server.close();
}
