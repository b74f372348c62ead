import { isRestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import type { FaceSessionClient, LivenessSession, LivenessWithVerifySession, SessionImage } from "../../src/index.js";
import { callFor, idOf, isClientOperation, type ClientOperation } from "./clientCalls.js";
import { expectNoFieldLost } from "./noFieldLost.js";
import { loadRecordedExchanges, loadRecordedFlows, type RecordedExchange, type RecordedFlow } from "./recordings.js";
import { recordedBodyBytes, replayClient, replayTransport } from "./replay.js";

/**
 * Every recorded response goes through the client method that made the recorded request, over a
 * transport that answers with the recorded status, headers and body. Successful bodies must parse
 * to the typed model with no field lost; error bodies must become the matching `RestError`. Each
 * recorded flow is then played end to end through the wait and finalize methods.
 */

type Exchange = RecordedExchange & { flow: RecordedFlow; operation: ClientOperation };

const replayable = loadRecordedExchanges().filter(
  (e): e is Exchange => e.response !== undefined && isClientOperation(e.operation),
);

const SESSION_OPERATIONS: ReadonlySet<ClientOperation> = new Set([
  "createLivenessSession",
  "getLivenessSessionResult",
  "createLivenessWithVerifySession",
  "getLivenessWithVerifySessionResult",
]);

async function replayOne(exchange: Exchange) {
  const transport = replayTransport([exchange]);
  const client = replayClient(transport, exchange.flow.apiVersion);
  const outcome = await callFor(client, exchange).then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, transport };
}

describe("the client reads every recorded response", () => {
  it("has recorded responses for the session operations of both API versions", () => {
    const seen = new Set(replayable.map((e) => `${e.flow.apiVersion} ${e.operation}`));
    expect(seen).toContain("v1.2 getLivenessWithVerifySessionResult");
    expect(seen).toContain("v1.2 getLivenessSessionResult");
    expect(seen).toContain("v1.3-preview.1 createLivenessSession");
  });

  describe.each(replayable.filter((e) => e.response!.status < 400).map((e) => [`${e.name} (${e.flow.file})`, e] as const))(
    "%s",
    (_, exchange) => {
      const response = exchange.response!;

      it(`parses through ${exchange.operation} with no field lost`, async () => {
        const { value, error, transport } = await replayOne(exchange);
        expect(error).toBeUndefined();
        expect(transport.sent).toEqual([`${exchange.request.method} ${exchange.request.path}`]);
        if (exchange.operation === "getSessionImage") {
          const image = value as SessionImage;
          expect(image.contentType).toBe(response.headers["content-type"]);
          expect(Buffer.from(await image.bytes())).toEqual(recordedBodyBytes(response));
        } else if (response.body === null || response.body === undefined) {
          const requestId = response.headers["apim-request-id"];
          expect(value).toEqual(requestId === undefined ? {} : { requestId });
        } else {
          expectNoFieldLost(response.body, value);
        }
        expect((value as { requestId?: string }).requestId).toBe(response.headers["apim-request-id"]);
      });

      if (SESSION_OPERATIONS.has(exchange.operation)) {
        it("keeps the session's identity and status exactly", async () => {
          const { value } = await replayOne(exchange);
          const body = response.body as { sessionId: string; status: string };
          const session = value as LivenessSession | LivenessWithVerifySession;
          expect(session.sessionId).toBe(body.sessionId);
          expect(session.status).toBe(body.status);
          if (exchange.operation.startsWith("create")) {
            expect(session.authToken).not.toBe("");
            expect(session.authTokenExpiresOn).toBeInstanceOf(Date);
          } else {
            expect(session.authToken).toBe("");
          }
        });
      }
    },
  );

  // Error bodies share one envelope across operations and versions, so each recorded error is
  // replayed through a client method of the same HTTP method, whatever operation recorded it.
  const failures = loadRecordedExchanges().filter((e) => e.response !== undefined && e.response.status >= 400);
  const STAND_INS: Record<string, (client: FaceSessionClient) => Promise<unknown>> = {
    GET: (client) => client.getLivenessSessionResult("recorded-session"),
    POST: (client) => client.createLivenessSession({ livenessOperationMode: "Passive" }),
    DELETE: (client) => client.deleteLivenessSession("recorded-session"),
  };
  it("has recorded error responses", () => expect(failures.length).toBeGreaterThan(0));
  it.each(failures.map((e) => [`${e.name} (${e.flow.file})`, e] as const))("%s becomes the matching RestError", async (_, exchange) => {
    const transport = replayTransport([exchange], { anyPath: !isClientOperation(exchange.operation) });
    const client = replayClient(transport, "v1.2");
    const call = isClientOperation(exchange.operation)
      ? () => callFor(client, exchange as Exchange)
      : () => STAND_INS[exchange.request.method](client);
    const error = await call().then(() => undefined, (e: unknown) => e);
    const response = exchange.response!;
    const body = response.body as { error?: { code?: string; statusCode?: number } } | null;
    expect(isRestError(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: response.status,
      code: body?.error?.code ?? String(body?.error?.statusCode ?? response.status),
    });
    expect((error as { requestId?: string }).requestId).toBe(response.headers["apim-request-id"]);
    expect(transport.played()).toBe(1);
  });
});

/*
 * Recorded flows, played end to end: an optional create, the reads of one session until it
 * ended, then an optional session image download and delete, in the order the service saw them.
 */

type Kind = "liveness" | "withVerify";

interface FlowPlan {
  flow: RecordedFlow;
  kind: Kind;
  create?: Exchange;
  reads: Exchange[];
  image?: Exchange;
  remove?: Exchange;
}

const OPERATIONS: Record<Kind, { create: ClientOperation; read: ClientOperation; remove: ClientOperation }> = {
  liveness: { create: "createLivenessSession", read: "getLivenessSessionResult", remove: "deleteLivenessSession" },
  withVerify: {
    create: "createLivenessWithVerifySession",
    read: "getLivenessWithVerifySessionResult",
    remove: "deleteLivenessWithVerifySession",
  },
};

const TERMINAL = new Set(["Succeeded", "Failed", "Canceled"]);

/** The flow as create, reads, image, delete; `undefined` when it is not such a flow or never ends. */
function planOf(flow: RecordedFlow): FlowPlan | undefined {
  const exchanges = flow.exchanges.map((e) => ({ ...e, flow })) as Exchange[];
  if (exchanges.some((e) => e.response === undefined || e.response.status >= 400)) return undefined;
  for (const kind of ["liveness", "withVerify"] as const) {
    const ops = OPERATIONS[kind];
    const rest = [...exchanges];
    const create = rest[0]?.operation === ops.create ? rest.shift() : undefined;
    const reads: Exchange[] = [];
    while (rest[0]?.operation === ops.read) reads.push(rest.shift()!);
    const image = rest[0]?.operation === "getSessionImage" ? rest.shift() : undefined;
    const remove = rest[0]?.operation === ops.remove ? rest.shift() : undefined;
    const last = reads.at(-1)?.response?.body as { status?: string } | undefined;
    if (rest.length === 0 && last?.status !== undefined && TERMINAL.has(last.status)) {
      return { flow, kind, create, reads, image, remove };
    }
  }
  return undefined;
}

const plans = loadRecordedFlows().flatMap((flow) => planOf(flow) ?? []);

interface WireSession {
  sessionId: string;
  status: string;
  results: { attempts: Record<string, any>[] };
}

/** What the summary must say, read straight from the recorded final body. */
function expectedSummary(body: WireSession, kind: Kind) {
  const latest = [...body.results.attempts].sort((a, b) => b.attemptId - a.attemptId)[0];
  const result = latest?.result;
  const isLive = latest?.attemptStatus === "Succeeded" && result?.livenessDecision === "realface";
  const verify = result?.verifyResult;
  const expected: Record<string, unknown> = {
    sessionId: body.sessionId,
    status: body.status,
    attemptCount: body.results.attempts.length,
    attemptId: latest?.attemptId,
    attemptStatus: latest?.attemptStatus,
    livenessDecision: result?.livenessDecision,
    digest: result?.digest,
    sessionImageId: result?.sessionImageId,
    isLive,
    accepted: isLive && (kind === "liveness" || verify?.isIdentical === true),
  };
  if (kind === "withVerify") Object.assign(expected, { isIdentical: verify?.isIdentical, matchConfidence: verify?.matchConfidence });
  return Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined));
}

const FAST_POLLING = { intervalInMs: 1, maxIntervalInMs: 1, timeoutInMs: 30_000 };

async function startFlow(plan: FlowPlan, played: Exchange[]) {
  const transport = replayTransport(played);
  const client = replayClient(transport, plan.flow.apiVersion);
  const created = plan.create === undefined ? undefined : ((await callFor(client, plan.create)) as LivenessSession);
  const sessionOrId = created ?? idOf(plan.reads[0].request);
  return { transport, client, sessionOrId };
}

function waitFor(client: FaceSessionClient, kind: Kind, sessionOrId: LivenessSession | string) {
  return kind === "liveness"
    ? client.waitForLivenessSessionResult(sessionOrId, FAST_POLLING)
    : client.waitForLivenessWithVerifySessionResult(sessionOrId as LivenessWithVerifySession | string, FAST_POLLING);
}

describe("recorded flows, played end to end", () => {
  it("include a liveness and a liveness-with-verify flow", () => {
    expect(plans.map((p) => p.kind)).toEqual(expect.arrayContaining(["liveness", "withVerify"]));
  });

  describe.each(plans.map((p) => [`${p.flow.file} (${p.kind})`, p] as const))("%s", (_, plan) => {
    const final = plan.reads.at(-1)!.response!.body as WireSession;

    it("waitFor...Result polls through the recorded reads and ends with the recorded final session", async () => {
      const played = [...(plan.create ? [plan.create] : []), ...plan.reads];
      const { transport, client, sessionOrId } = await startFlow(plan, played);
      const outcome = await waitFor(client, plan.kind, sessionOrId);
      expect(outcome.reason).toBe(final.status.toLowerCase());
      expectNoFieldLost(final, outcome.session);
      expect(transport.played()).toBe(played.length);
    });

    it("finalize... waits, summarizes, downloads the image and deletes as recorded", async () => {
      const played = [plan.create, ...plan.reads, plan.image, plan.remove].filter((e): e is Exchange => e !== undefined);
      const { transport, client, sessionOrId } = await startFlow(plan, played);
      const options = { wait: FAST_POLLING, downloadSessionImage: plan.image !== undefined, keepSession: plan.remove === undefined };
      const result =
        plan.kind === "liveness"
          ? await client.finalizeLivenessSession(sessionOrId, options)
          : await client.finalizeLivenessWithVerifySession(sessionOrId as LivenessWithVerifySession | string, options);
      expect(result.waitOutcome?.reason).toBe(final.status.toLowerCase());
      expectNoFieldLost(final, result.session);
      const { verdict, reason, ...facts } = result.summary;
      expect(facts).toEqual(expectedSummary(final, plan.kind));
      // A recorded flow ends in a terminal session: the verdict is final, and agrees with accepted.
      expect(verdict).toBe(facts.accepted ? "accepted" : "rejected");
      expect(reason === undefined).toBe(facts.accepted);
      expect(result.deleted).toBe(plan.remove !== undefined);
      if (plan.image !== undefined) expect(Buffer.from(result.sessionImage!)).toEqual(recordedBodyBytes(plan.image.response!));
      expect(transport.sent).toEqual(played.map((e) => `${e.request.method} ${e.request.path}`));
    });
  });
});
