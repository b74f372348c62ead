import { describe, expect, it } from "vitest";
import {
  getLatestAttempt,
  isDigestMatch,
  summarizeLivenessSession,
  summarizeLivenessWithVerifySession,
  type LivenessSession,
  type LivenessWithVerifySession,
} from "../../src/index.js";
import { example } from "../utils/recorder.js";
import {
  DIGEST,
  IMAGE_ID,
  failedAttempt,
  livenessBody,
  runningAttempt,
  succeededAttempt,
  verifyAttempt,
  withVerifyBody,
} from "../utils/sessions.js";

const liveness = (status: string, attempts: Record<string, unknown>[]) => livenessBody(status, attempts) as LivenessSession;
const withVerify = (status: string, attempts: Record<string, unknown>[]) =>
  withVerifyBody(status, attempts) as LivenessWithVerifySession;

describe("getLatestAttempt", () => {
  it("picks the highest attemptId of the spec example (listed newest first)", () => {
    const session = example("GetLivenessSessionResult").responses["200"].body as LivenessSession;
    expect(getLatestAttempt(session)?.attemptId).toBe(2);
    expect(getLatestAttempt(session)?.attemptStatus).toBe("Succeeded");
  });

  it("does not rely on array order", () => {
    const session = liveness("Running", [failedAttempt(1), runningAttempt(3), failedAttempt(2)]);
    expect(getLatestAttempt(session)?.attemptId).toBe(3);
    const oldestFirst = liveness("Succeeded", [failedAttempt(1), succeededAttempt(2)]);
    expect(getLatestAttempt(oldestFirst)?.attemptId).toBe(2);
  });

  it("returns undefined without attempts", () => {
    expect(getLatestAttempt(liveness("NotStarted", []))).toBeUndefined();
  });
});

describe("summarizeLivenessSession", () => {
  it("summarizes the spec example from attempt 2, not from the session status", () => {
    const session = example("GetLivenessSessionResult").responses["200"].body as LivenessSession;
    expect(summarizeLivenessSession(session)).toEqual({
      sessionId: "b12e033e-bda7-4b83-a211-e721c661f30e",
      status: "NotStarted",
      attemptCount: 2,
      attemptId: 2,
      attemptStatus: "Succeeded",
      livenessDecision: "realface",
      isLive: true,
      digest: DIGEST,
      sessionImageId: IMAGE_ID,
      accepted: true,
      verdict: "accepted",
    });
  });

  it("reports the latest attempt's error when it failed after an earlier success (out of order)", () => {
    const summary = summarizeLivenessSession(liveness("Failed", [succeededAttempt(1), failedAttempt(2, "FaceNotFound")]));
    expect(summary.attemptId).toBe(2);
    expect(summary.accepted).toBe(false);
    expect(summary.isLive).toBe(false);
    expect(summary.error?.code).toBe("FaceNotFound");
    expect(summary.livenessDecision).toBeUndefined();
    expect(summary.digest).toBeUndefined();
  });

  it("does not accept a spoof", () => {
    const summary = summarizeLivenessSession(liveness("Succeeded", [succeededAttempt(1, "spoofface")]));
    expect(summary).toMatchObject({ livenessDecision: "spoofface", isLive: false, accepted: false });
  });

  it("treats uncertain as not live by default, and as live only when the policy says so", () => {
    const session = liveness("Succeeded", [succeededAttempt(1, "uncertain")]);
    expect(summarizeLivenessSession(session)).toMatchObject({ isLive: false, accepted: false });
    expect(summarizeLivenessSession(session, { treatUncertainAs: "failure" })).toMatchObject({ accepted: false });
    expect(summarizeLivenessSession(session, { treatUncertainAs: "success" })).toMatchObject({
      isLive: true,
      accepted: true,
    });
  });

  it("accepts nothing while no attempt has finished", () => {
    expect(summarizeLivenessSession(liveness("NotStarted", []))).toEqual({
      sessionId: "b12e033e-bda7-4b83-a211-e721c661f30e",
      status: "NotStarted",
      attemptCount: 0,
      isLive: false,
      accepted: false,
      verdict: "pending",
      reason: "notStarted",
    });
    expect(summarizeLivenessSession(liveness("Running", [runningAttempt(1)]))).toMatchObject({
      attemptStatus: "Running",
      accepted: false,
      verdict: "pending",
      reason: "attemptRunning",
    });
  });

  it("rejects an invalid policy", () => {
    const session = liveness("Succeeded", [succeededAttempt(1)]);
    expect(() => summarizeLivenessSession(session, { treatUncertainAs: "maybe" as never })).toThrow(TypeError);
  });
});

describe("summarizeLivenessWithVerifySession", () => {
  it("reads the spec example: live but not identical, so not accepted", () => {
    const session = example("GetLivenessWithVerifySessionResult").responses["200"].body as LivenessWithVerifySession;
    expect(summarizeLivenessWithVerifySession(session)).toMatchObject({
      attemptId: 2,
      isLive: true,
      isIdentical: false,
      matchConfidence: 0.08871888,
      verifyImageHash: "43B7D8E8769533C3290DBD37A84D821B2C28CB4381DF9C6784DBC4AAF7E45018",
      accepted: false,
    });
  });

  it("applies minMatchConfidence on top of isIdentical", () => {
    const session = withVerify("Succeeded", [verifyAttempt(2, true, 0.8), failedAttempt(1)]);
    expect(summarizeLivenessWithVerifySession(session).accepted).toBe(true);
    expect(summarizeLivenessWithVerifySession(session, { minMatchConfidence: 0.7 }).accepted).toBe(true);
    expect(summarizeLivenessWithVerifySession(session, { minMatchConfidence: 0.8 }).accepted).toBe(true);
    expect(summarizeLivenessWithVerifySession(session, { minMatchConfidence: 0.81 }).accepted).toBe(false);
  });

  it("never accepts a non-identical face, whatever the threshold", () => {
    const session = withVerify("Succeeded", [verifyAttempt(1, false, 0.95)]);
    expect(summarizeLivenessWithVerifySession(session, { minMatchConfidence: 0 })).toMatchObject({
      isIdentical: false,
      accepted: false,
    });
  });

  it("does not accept an identical spoof or uncertain face unless the policy allows uncertain", () => {
    expect(summarizeLivenessWithVerifySession(withVerify("Succeeded", [verifyAttempt(1, true, 0.9, "spoofface")])).accepted).toBe(false);
    const uncertain = withVerify("Succeeded", [verifyAttempt(1, true, 0.9, "uncertain")]);
    expect(summarizeLivenessWithVerifySession(uncertain).accepted).toBe(false);
    expect(summarizeLivenessWithVerifySession(uncertain, { treatUncertainAs: "success" }).accepted).toBe(true);
  });

  it("rejects a minMatchConfidence outside 0..1", () => {
    const session = withVerify("Succeeded", [verifyAttempt(1, true, 0.9)]);
    expect(() => summarizeLivenessWithVerifySession(session, { minMatchConfidence: 1.5 })).toThrow(RangeError);
  });
});

describe("isDigestMatch", () => {
  it("matches case-insensitively", () => {
    expect(isDigestMatch(DIGEST.toLowerCase(), DIGEST)).toBe(true);
    expect(isDigestMatch(DIGEST, DIGEST)).toBe(true);
  });

  it("rejects a different digest of the same length", () => {
    const other = `${DIGEST.slice(0, -1)}0`;
    expect(other).toHaveLength(DIGEST.length);
    expect(isDigestMatch(other, DIGEST)).toBe(false);
  });

  it("returns false without throwing for different lengths, missing or empty digests", () => {
    expect(isDigestMatch(DIGEST.slice(1), DIGEST)).toBe(false);
    expect(isDigestMatch(`${DIGEST}00`, DIGEST)).toBe(false);
    expect(isDigestMatch(undefined, DIGEST)).toBe(false);
    expect(isDigestMatch(DIGEST, null)).toBe(false);
    expect(isDigestMatch("", "")).toBe(false);
  });
});
