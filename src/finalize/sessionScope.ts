import { isRestError } from "@azure/core-rest-pipeline";
import type { LivenessSession, LivenessWithVerifySession } from "../models/session.js";
import type { DeleteLivenessSessionOptions, DeleteLivenessWithVerifySessionOptions } from "../options.js";
import { checkId } from "../internal/validation.js";

/**
 * Deletes a session when it goes out of scope (`await using`), so a session handed to a front
 * end is cleaned up even when the code in between throws. Disposing twice, or after the session
 * was already deleted (a 404, e.g. by a finalize method), is harmless; any other delete failure
 * is thrown by the disposal.
 */
export interface SessionScope extends AsyncDisposable {
  /** Id of the session the scope deletes. */
  readonly sessionId: string;
  /** Whether the scope has deleted the session (or found it already gone). */
  readonly deleted: boolean;
  /** Keeps the session: disposing the scope then deletes nothing. */
  keep(): void;
}

/** Options of the session scopes: the options of the delete. */
export interface SessionScopeOptions extends DeleteLivenessSessionOptions {}

function createScope(
  sessionOrId: { sessionId: string } | string,
  remove: (sessionId: string, options: DeleteLivenessSessionOptions) => Promise<unknown>,
  options: SessionScopeOptions,
): SessionScope {
  const sessionId = typeof sessionOrId === "string" ? sessionOrId : sessionOrId?.sessionId;
  checkId("sessionId", sessionId);
  let kept = false;
  let deleted = false;
  return {
    sessionId,
    get deleted() {
      return deleted;
    },
    keep() {
      kept = true;
    },
    async [Symbol.asyncDispose]() {
      if (kept || deleted) return;
      try {
        await remove(sessionId, options);
      } catch (error) {
        if (!(isRestError(error) && error.statusCode === 404)) throw error;
      }
      deleted = true;
    },
  };
}

/**
 * Scopes a liveness session: disposing the returned object (`await using`) deletes it.
 *
 * @param client - The client that created the session.
 * @param sessionOrId - The session, or its id.
 * @param options - Options of the delete (not an aborted request's signal).
 *
 * @example
 * ```ts
 * const session = await client.createLivenessSession({ livenessOperationMode: "PassiveActive" });
 * await using scope = livenessSessionScope(client, session);
 * sendToFrontEnd({ authToken: session.authToken });
 * const outcome = await client.waitForLivenessSessionResult(session, { timeoutInMs: 120_000 });
 * // the session is deleted here, also if the wait threw
 * ```
 */
export function livenessSessionScope(
  client: { deleteLivenessSession(sessionId: string, options?: DeleteLivenessSessionOptions): Promise<unknown> },
  sessionOrId: LivenessSession | string,
  options: SessionScopeOptions = {},
): SessionScope {
  return createScope(sessionOrId, (id, o) => client.deleteLivenessSession(id, o), options);
}

/**
 * Scopes a liveness-with-verify session: disposing the returned object (`await using`) deletes it.
 *
 * @param client - The client that created the session.
 * @param sessionOrId - The session, or its id.
 * @param options - Options of the delete.
 *
 * @example
 * ```ts
 * const session = await client.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage });
 * await using scope = livenessWithVerifySessionScope(client, session);
 * const outcome = await client.waitForLivenessWithVerifySessionResult(session, { timeoutInMs: 120_000 });
 * ```
 */
export function livenessWithVerifySessionScope(
  client: {
    deleteLivenessWithVerifySession(sessionId: string, options?: DeleteLivenessWithVerifySessionOptions): Promise<unknown>;
  },
  sessionOrId: LivenessWithVerifySession | string,
  options: SessionScopeOptions = {},
): SessionScope {
  return createScope(sessionOrId, (id, o) => client.deleteLivenessWithVerifySession(id, o), options);
}
