import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Script } from "node:vm";
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
  // The console ships in the package: the page, its script (valid JavaScript) and a sign-in link.
  const page = await fetch(server.console.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Emulator key/);
  const script = await fetch(`${server.console.url}console.js`);
  assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
  new Script(await script.text());
  const signIn = await fetch(server.console.createLoginUrl());
  assert.match(signIn.headers.get("set-cookie"), /HttpOnly; SameSite=Strict/);
} finally {
  await server.close();
}
