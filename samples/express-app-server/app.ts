/**
 * An Express app server for liveness checks: the part of your back end the front end (the Face
 * UI SDK on web or mobile) talks to. The Face API key stays here; the front end only ever gets
 * the session's short-lived authToken.
 *
 *   POST /liveness/sessions      { mode?, deviceCorrelationId? }  → 201 { sessionId, authToken, expiresOn }
 *   GET  /liveness/sessions/:id  [?digest=<from the SDK>]          → 202 { status: "pending", reason, sessionStatus }
 *                                                                  → 200 { status: "completed", verdict, reason,
 *                                                                          decision, isLive, accepted, attemptId,
 *                                                                          digestMatches? }
 *                                                                    (the session is deleted once read)
 *
 * Errors are JSON `{ error: { code, message } }`: 400 bad input, 404 unknown (or already read)
 * session, 413/415 body too large / not JSON, 502 when the Face service fails (a fixed message;
 * never the service's body, the key or a token).
 *
 * In a real app, also bind each session to your signed-in user (e.g. store the sessionId in the
 * user's server-side session on create and check it on GET): here anyone holding a sessionId can
 * read its result, once.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from "express";
import {
  FaceSessionClient,
  isDigestMatch,
  isRestError,
  summarizeLivenessSession,
  type FaceOperationOptions,
} from "azure-face-liveness";

/** The operation modes the front end may ask for. */
export type AppLivenessMode = "Passive" | "PassiveActive";

/** Options of {@link createApp}. */
export interface AppServerOptions {
  /** Mode used when the request does not name one. Default `"PassiveActive"` (web); mobile SDKs use `"Passive"`. */
  defaultMode?: AppLivenessMode;
  /** Lifetime of the handed-out authToken, 60–86400 seconds. Default: the service's (600). */
  authTokenTimeToLiveInSeconds?: number;
  /** Timeout of one HTTP attempt to the Face service, in ms. Default 10000. */
  serviceTimeoutInMs?: number;
  /** Where the error handler writes its one-line records. Default `console.error`. */
  log?: (line: string) => void;
}

/** The JSON error body of every non-2xx answer. */
export interface AppErrorBody {
  error: { code: string; message: string };
}

const MODES: ReadonlySet<string> = new Set<AppLivenessMode>(["Passive", "PassiveActive"]);
const CREATE_FIELDS: ReadonlySet<string> = new Set(["mode", "deviceCorrelationId"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DIGEST_LENGTH = 256;

/** An answer the app chooses; `cause` is the underlying error, if any, for the log line only. */
class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

const badRequest = (message: string): HttpError => new HttpError(400, "BadRequest", message);

/** The create request, validated: no other fields, a known mode, a GUID device correlation id. */
function parseCreateBody(req: Request, defaultMode: AppLivenessMode): { mode: AppLivenessMode; deviceCorrelationId?: string } {
  // A body that is not JSON was skipped by express.json: refuse it rather than ignore it.
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is("application/json")) {
    throw new HttpError(415, "UnsupportedMediaType", "Send the body as application/json, or no body.");
  }
  const body: unknown = req.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The body must be a JSON object.");
  }
  const fields = body as Record<string, unknown>;
  if (Object.keys(fields).some((key) => !CREATE_FIELDS.has(key))) {
    throw badRequest("Only mode and deviceCorrelationId are accepted.");
  }
  const { mode = defaultMode, deviceCorrelationId } = fields;
  if (typeof mode !== "string" || !MODES.has(mode)) {
    throw badRequest('mode must be "Passive" or "PassiveActive".');
  }
  if (deviceCorrelationId !== undefined && (typeof deviceCorrelationId !== "string" || !GUID.test(deviceCorrelationId))) {
    throw badRequest("deviceCorrelationId must be a GUID.");
  }
  return { mode: mode as AppLivenessMode, ...(deviceCorrelationId !== undefined ? { deviceCorrelationId } : {}) };
}

/** The optional `?digest=` the front-end SDK reported: one non-empty string. */
function parseDigest(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_DIGEST_LENGTH) {
    throw badRequest(`digest must be given once, as a string of 1 to ${MAX_DIGEST_LENGTH} characters.`);
  }
  return value;
}

/**
 * Runs one client call and turns its failure into the app's answer: the client's own validation
 * (`TypeError`/`RangeError`, thrown before anything is sent) → 400, a 404 from the service → 404,
 * anything else from the service or the network → 502 with a fixed message.
 */
async function callService<T>(call: () => Promise<T>, invalidInput: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new HttpError(400, "BadRequest", invalidInput, error);
    }
    if (isRestError(error) && error.statusCode === 404) {
      throw new HttpError(404, "SessionNotFound", "The session does not exist, expired, or its result was already read.", error);
    }
    throw new HttpError(502, "ServiceUnavailable", "The face service could not complete the request. Try again later.", error);
  }
}

/** Only safe fields go to the log: the error's name, code and the service's request id. */
function logLine(status: number, error: unknown): string {
  const source = error instanceof HttpError && error.cause !== undefined ? error.cause : error;
  const { name, code, requestId } = (typeof source === "object" && source !== null ? source : {}) as {
    name?: unknown;
    code?: unknown;
    requestId?: unknown;
  };
  const parts = [`request failed: ${status}`, `name=${String(name ?? typeof source)}`];
  if (typeof code === "string" || typeof code === "number") parts.push(`code=${code}`);
  if (typeof requestId === "string") parts.push(`requestId=${requestId}`);
  return parts.join(" ");
}

/** Maps body-parser failures (they carry `type` and a 4xx `status`) to fixed messages. */
function bodyParserError(error: unknown): HttpError | undefined {
  const { type, status } = (typeof error === "object" && error !== null ? error : {}) as { type?: unknown; status?: unknown };
  if (typeof type !== "string" || typeof status !== "number" || status < 400 || status > 499) return undefined;
  switch (type) {
    case "entity.parse.failed":
      return new HttpError(400, "BadRequest", "The body is not valid JSON.", error);
    case "entity.too.large":
      return new HttpError(413, "PayloadTooLarge", "The body is too large.", error);
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(415, "UnsupportedMediaType", "Send the body as UTF-8 JSON.", error);
    default:
      return new HttpError(400, "BadRequest", "The request body could not be read.", error);
  }
}

/**
 * Builds the app server. `client` holds the Face credential; nothing of it reaches a response.
 *
 * @example
 * ```ts
 * const app = createApp(new FaceSessionClient(endpoint, new AzureKeyCredential(key)));
 * app.listen(3000);
 * ```
 */
export function createApp(client: FaceSessionClient, options: AppServerOptions = {}): Express {
  const defaultMode = options.defaultMode ?? "PassiveActive";
  const log = options.log ?? ((line: string) => console.error(line));
  const perRequest: FaceOperationOptions = { requestOptions: { timeout: options.serviceTimeoutInMs ?? 10_000 } };

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "1kb" }));
  // Answers carry tokens and one-time results: no cache may keep them.
  app.use(((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  }) satisfies RequestHandler);

  app.post("/liveness/sessions", async (req, res) => {
    const { mode, deviceCorrelationId } = parseCreateBody(req, defaultMode);
    const session = await callService(
      () =>
        client.createLivenessSession(
          {
            livenessOperationMode: mode,
            ...(deviceCorrelationId !== undefined ? { deviceCorrelationId } : {}),
            ...(options.authTokenTimeToLiveInSeconds !== undefined
              ? { authTokenTimeToLiveInSeconds: options.authTokenTimeToLiveInSeconds }
              : {}),
          },
          perRequest,
        ),
      "The session request is not valid.",
    );
    // Only what the front end needs: never the key, the session's settings or the raw response.
    res.status(201).json({
      sessionId: session.sessionId,
      authToken: session.authToken,
      expiresOn: session.authTokenExpiresOn?.toISOString() ?? null,
    });
  });

  app.get("/liveness/sessions/:id", async (req, res) => {
    const sessionId = req.params.id;
    const digest = parseDigest(req.query.digest);
    const invalidId = "The session id is not valid.";
    const session = await callService(() => client.getLivenessSessionResult(sessionId, perRequest), invalidId);
    // The three-way verdict: pending until the end user finished (an attempt they may still
    // retry included), then accepted or rejected, with why.
    const summary = summarizeLivenessSession(session);
    if (summary.verdict === "pending") {
      res.status(202).json({ status: "pending", reason: summary.reason, sessionStatus: session.status });
      return;
    }
    // The result is read: delete the session, which also revokes its token. A 404 means a
    // concurrent read deleted it already. If the delete fails, answer 502 and keep the result
    // back, so the front end retries and the result is still released only with the delete.
    try {
      await callService(() => client.deleteLivenessSession(sessionId, perRequest), invalidId);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) throw error;
    }
    const digestMatches = digest === undefined ? undefined : isDigestMatch(digest, summary.digest);
    // A digest that does not match means the front end saw another result: never accept it.
    const accepted = summary.verdict === "accepted" && digestMatches !== false;
    res.status(200).json({
      status: "completed",
      verdict: accepted ? "accepted" : "rejected",
      reason: digestMatches === false ? "digestMismatch" : (summary.reason ?? null),
      decision: summary.livenessDecision ?? null,
      isLive: summary.isLive,
      accepted,
      attemptId: summary.attemptId ?? null,
      ...(digestMatches !== undefined ? { digestMatches } : {}),
    });
  });

  app.use(((_req, res) => {
    res.status(404).json({ error: { code: "NotFound", message: "No such route." } } satisfies AppErrorBody);
  }) satisfies RequestHandler);

  app.use(((error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof HttpError ? error : bodyParserError(error);
    const answer = known ?? new HttpError(500, "InternalError", "Something went wrong.");
    log(logLine(answer.status, error));
    res.status(answer.status).json({ error: { code: answer.code, message: answer.message } } satisfies AppErrorBody);
  }) satisfies ErrorRequestHandler);

  return app;
}
