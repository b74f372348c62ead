import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureKeyCredential, FaceSessionClient, getLatestAttempt, isRestError } from "azure-face-liveness";
import { listen, type RunningEmulator } from "azure-face-liveness/emulator";
import { FAKE_CAMERA_ARGS, chromiumAvailable, launchChromium } from "./chromium";

/**
 * The console in a real browser: the app server (the client) creates sessions, the person at
 * the console plays the end user, and the client sees the outcome. Also makes the README's
 * screenshot (`UPDATE_SCREENSHOT=1` writes it to docs/; otherwise to temp/).
 */

const ROOT = join(__dirname, "..", "..");
const FACE_JPG = readFileSync(join(ROOT, "test", "fixtures", "images", "face.jpg"));
const FACE_PNG = readFileSync(join(ROOT, "test", "fixtures", "images", "face.png"));
const WAIT = { intervalInMs: 100, timeoutInMs: 30_000 };

async function signedInPage(browser: Browser, running: RunningEmulator): Promise<{ context: BrowserContext; page: Page }> {
  const origin = new URL(running.endpoint).origin;
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, permissions: ["camera"], locale: "en-US", timezoneId: "UTC" });
  await context.grantPermissions(["camera"], { origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(running.console!.createLoginUrl());
  await page.waitForURL(running.console!.url);
  await page.waitForFunction(() => document.getElementById("summary")?.textContent?.startsWith("Endpoint") === true);
  return { context, page };
}

/** Polls until the page shows what is expected (the page itself polls once a second). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 50 });

const card = (page: Page, sessionId: string) => page.locator(`[data-session-id="${sessionId}"]`);

async function finishAs(
  page: Page,
  sessionId: string,
  outcome: "realface" | "spoofface" | "uncertain" | "error",
  extra: { errorCode?: string; matchConfidence?: number; camera?: boolean } = {},
): Promise<void> {
  const c = card(page, sessionId);
  await c.locator('select[name="outcome"]').selectOption(outcome);
  if (extra.errorCode !== undefined) await c.locator('input[name="errorCode"]').fill(extra.errorCode);
  if (extra.matchConfidence !== undefined) await c.locator('input[name="matchConfidence"]').fill(String(extra.matchConfidence));
  if (extra.camera === true) {
    await c.locator('input[name="camera"]').check();
    await poll(() => c.locator("video.preview").evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  }
  await c.locator('[data-action="finish"]').click();
}

const canRun = chromiumAvailable();

describe.skipIf(!canRun)("emulator console in Chromium", { timeout: 45_000 }, () => {
  let browser: Browser;
  let running: RunningEmulator;
  let page: Page;
  let client: FaceSessionClient;
  let preview: FaceSessionClient;

  beforeAll(async () => {
    browser = await launchChromium(FAKE_CAMERA_ARGS);
    running = await listen();
    client = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), { retryOptions: { maxRetries: 0 } });
    preview = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key), {
      apiVersion: "v1.3-preview.1",
      retryOptions: { maxRetries: 0 },
    });
    ({ page } = await signedInPage(browser, running));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it("shows a new session at once and finishes it as a real face: the client's wait resolves succeeded", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "PassiveActive", deviceCorrelationId: "device-42" });
    const c = card(page, session.sessionId);
    await poll(() => c.count()).toBe(1);
    expect(await c.locator(".kind").textContent()).toBe("Liveness");
    expect(await c.locator(".status").first().textContent()).toBe("NotStarted");
    expect(await c.locator('[data-fact="apiVersion"] dd').textContent()).toBe("v1.2");
    expect(await c.locator('[data-fact="mode"] dd').textContent()).toBe("PassiveActive");
    expect(await c.locator('[data-fact="deviceCorrelationId"] dd').textContent()).toBe("device-42");
    expect(await c.locator('[data-fact="token"] dd').textContent()).toBe(`…${session.authToken.slice(-4)} (${session.authToken.length} chars)`);
    // Newest first: the session just created is the first card.
    expect(await page.locator("[data-session-id]").first().getAttribute("data-session-id")).toBe(session.sessionId);

    const waiting = client.waitForLivenessSessionResult(session, WAIT);
    await c.locator('[data-action="start"]').click();
    await poll(() => c.getAttribute("data-status")).toBe("Running");
    expect((await client.getLivenessSessionResult(session.sessionId)).status).toBe("Running");
    await finishAs(page, session.sessionId, "realface");
    const outcome = await waiting;
    expect(outcome.reason).toBe("succeeded");
    expect(getLatestAttempt(outcome.session!)?.result?.livenessDecision).toBe("realface");
    await poll(() => c.locator(".attempts tbody .outcome").first().textContent()).toBe("realface");
    // Once an attempt succeeded the session takes no more: both buttons are off.
    expect(await c.locator('[data-action="finish"]').isDisabled()).toBe(true);

    const content = await page.content();
    expect(content).not.toContain(session.authToken);
    expect(content).not.toContain(running.key);
  });

  it("finishes an attempt as a spoof", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    await poll(() => card(page, session.sessionId).count()).toBe(1);
    const waiting = client.waitForLivenessSessionResult(session, WAIT);
    await finishAs(page, session.sessionId, "spoofface");
    const outcome = await waiting;
    expect(outcome.reason).toBe("succeeded");
    expect(getLatestAttempt(outcome.session!)?.result?.livenessDecision).toBe("spoofface");
  });

  it("fails an attempt with a chosen error code, then lets the end user try again (v1.3-preview.1, 2 attempts)", async () => {
    const session = await preview.createLivenessSession({ livenessOperationMode: "Passive", numberOfClientAttemptsAllowed: 2 });
    const c = card(page, session.sessionId);
    await poll(() => c.count()).toBe(1);
    expect(await c.locator('[data-fact="apiVersion"] dd').textContent()).toBe("v1.3-preview.1");
    const firstAttempt = preview.waitForLivenessSessionResult(session, { ...WAIT, until: "firstAttempt" });
    await finishAs(page, session.sessionId, "error", { errorCode: "FaceWithMaskDetected" });
    const first = await firstAttempt;
    expect(first.reason).toBe("attemptFinished");
    if (first.reason !== "attemptFinished") return;
    expect(first.attempt.error?.code).toBe("FaceWithMaskDetected");
    expect(first.attempt.error?.message).toBe("Mask detected on face image.");
    await poll(() => c.locator('[data-fact="attempts"] dd').textContent()).toBe("1 of 2 (1 left)");

    const waiting = preview.waitForLivenessSessionResult(session, WAIT);
    await finishAs(page, session.sessionId, "uncertain");
    const outcome = await waiting;
    expect(outcome.reason).toBe("succeeded");
    expect(outcome.session!.results.attempts.map((a) => a.attemptStatus)).toEqual(["Succeeded", "Failed"]);
    expect(getLatestAttempt(outcome.session!)?.result?.livenessDecision).toBe("uncertain");
  });

  it("fails a one-attempt session with an attempt error: the client's wait resolves failed", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    await poll(() => card(page, session.sessionId).count()).toBe(1);
    const waiting = client.waitForLivenessSessionResult(session, WAIT);
    await finishAs(page, session.sessionId, "error", { errorCode: "FaceWithMaskDetected" });
    const outcome = await waiting;
    expect(outcome.reason).toBe("failed");
    expect(getLatestAttempt(outcome.session!)?.error?.code).toBe("FaceWithMaskDetected");
    // A code that is not PascalCase is refused by the console and changes nothing.
    await poll(() => card(page, session.sessionId).getAttribute("data-status")).toBe("Failed");
  });

  it("shows a verify session's reference image and finishes it with a chosen match confidence", async () => {
    const session = await client.createLivenessWithVerifySession({
      livenessOperationMode: "Passive",
      verifyImage: FACE_JPG,
      enableSessionImage: true,
    });
    const c = card(page, session.sessionId);
    await poll(() => c.count()).toBe(1);
    expect(await c.locator(".kind").textContent()).toBe("Liveness with verify");
    await poll(() => c.locator("img.reference").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const waiting = client.waitForLivenessWithVerifySessionResult(session, WAIT);
    await finishAs(page, session.sessionId, "realface", { matchConfidence: 0.31 });
    const outcome = await waiting;
    expect(outcome.reason).toBe("succeeded");
    const result = getLatestAttempt(outcome.session!)?.result;
    expect(result?.verifyResult).toEqual({ matchConfidence: 0.31, isIdentical: false });
    await poll(() => c.locator(".attempts tbody .outcome").first().textContent()).toBe("realface · match 0.31 (not identical)");
    // The attempt's session image is shown too.
    await poll(() => c.locator(".attempts tbody img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  });

  it("takes the session image from the camera", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive", enableSessionImage: true });
    await poll(() => card(page, session.sessionId).count()).toBe(1);
    const waiting = client.waitForLivenessSessionResult(session, WAIT);
    await finishAs(page, session.sessionId, "realface", { camera: true });
    const outcome = await waiting;
    expect(outcome.reason).toBe("succeeded");
    const attempt = getLatestAttempt(outcome.session!)!;
    const image = await client.getSessionImage(attempt.result!.sessionImageId!);
    const chunks: Buffer[] = [];
    for await (const chunk of image.readableStreamBody) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]); // the camera frame, as a JPEG
    // The reported face rectangle lies inside the camera picture (640x480 from the fake camera).
    const face = attempt.result!.targets!.color!.faceRectangle!;
    expect(face.left + face.width).toBeLessThanOrEqual(640);
    expect(face.top + face.height).toBeLessThanOrEqual(480);
    const faces = await client.detectFromSessionImage(attempt.result!.sessionImageId!);
    expect(faces[0]?.faceRectangle).toEqual(face);
  });

  it("queues a 503 with Retry-After from the page, and the client sees it on its next request", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    await poll(() => card(page, session.sessionId).count()).toBe(1);
    const form = page.locator("#fault-form");
    await form.locator('select[name="kind"]').selectOption("status");
    await form.locator('select[name="status"]').selectOption("503");
    await form.locator('input[name="retryAfterSeconds"]').fill("7");
    await form.locator('input[name="count"]').fill("1");
    await form.locator('select[name="method"]').selectOption("GET");
    await form.locator('select[name="path"]').selectOption("/detectLiveness-sessions");
    await form.locator('[data-action="add-fault"]').click();
    await poll(() => page.locator("#fault-list li").allTextContents()).toEqual([
      "HTTP 503 with Retry-After 7s · next 1 request(s) · GET /detectLiveness-sessions",
    ]);
    const error = await client.getLivenessSessionResult(session.sessionId).catch((e: unknown) => e);
    expect(isRestError(error)).toBe(true);
    if (!isRestError(error)) return;
    expect(error.statusCode).toBe(503);
    expect(error.response?.headers.get("retry-after")).toBe("7");
    // Used up: the next request goes through, and the page's queue empties.
    expect((await client.getLivenessSessionResult(session.sessionId)).sessionId).toBe(session.sessionId);
    await poll(() => page.locator("#fault-list li").count()).toBe(0);
  });

  it("queues a dropped connection and a 429 from the page; the client's retry policy waits out the 429", async () => {
    const retrying = new FaceSessionClient(running.endpoint, new AzureKeyCredential(running.key));
    const form = page.locator("#fault-form");
    await form.locator('select[name="kind"]').selectOption("drop");
    await form.locator('select[name="method"]').selectOption("POST");
    await form.locator('select[name="path"]').selectOption("/detectLiveness-sessions");
    await form.locator('[data-action="add-fault"]').click();
    await poll(() => page.locator("#fault-list li").count()).toBe(1);
    const dropped = await client.createLivenessSession({ livenessOperationMode: "Passive" }).catch((e: unknown) => e);
    expect(isRestError(dropped)).toBe(true);
    expect(isRestError(dropped) && dropped.code).toBe("ECONNRESET"); // no response at all
    expect(isRestError(dropped) && dropped.statusCode).toBeUndefined();

    await form.locator('select[name="kind"]').selectOption("status");
    await form.locator('select[name="status"]').selectOption("429");
    await form.locator('input[name="retryAfterSeconds"]').fill("1");
    await form.locator('select[name="method"]').selectOption("");
    await form.locator('select[name="path"]').selectOption("");
    await form.locator('[data-action="add-fault"]').click();
    await poll(() => page.locator("#fault-list li").count()).toBe(1);
    const started = Date.now();
    const session = await retrying.createLivenessSession({ livenessOperationMode: "Passive" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(session.status).toBe("NotStarted");
  });

  it("marks a session the app server deleted", async () => {
    const session = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    await poll(() => card(page, session.sessionId).count()).toBe(1);
    await client.deleteLivenessSession(session.sessionId);
    const c = card(page, session.sessionId);
    await poll(() => c.locator(".removed").textContent()).toMatch(/^Deleted /);
    expect(await c.locator("form.device").isHidden()).toBe(true);
  });

  it("ignores another local page that tries to drive it with the signed-in browser's cookie (CSRF)", async () => {
    await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const count = running.emulator.sessionCount;
    const target = `${running.console!.url}api/reset`;
    // Another server on the same host, another port: same site, so the SameSite=Strict cookie
    // travels with its requests; the console's Origin check is what refuses them.
    const attacker = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<form id="f" method="post" action="${target}" enctype="text/plain"><input name='{"x":"' value='"}'></form>
<script>
Promise.allSettled([
  fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include", body: "{}" }),
  fetch(${JSON.stringify(target)}, { method: "POST", credentials: "include", headers: { "content-type": "application/json" }, body: "{}" }),
]).then(() => document.getElementById("f").submit());
</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const evil = await page.context().newPage();
    try {
      const answered = evil.waitForResponse((r) => r.url() === target && r.request().method() === "POST" && r.request().resourceType() === "document");
      await evil.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      expect((await answered).status()).toBe(403);
      expect(running.emulator.sessionCount).toBe(count);
    } finally {
      await evil.close();
      attacker.closeAllConnections();
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  it("signs in with the key typed into the form, and signs out", async () => {
    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(running.console!.url);
      await fresh.locator('input[name="key"]').fill("not the key");
      await fresh.locator('button[type="submit"]').click();
      await poll(() => fresh.locator(".notice").textContent()).toBe("That is not the emulator key.");
      await fresh.locator('input[name="key"]').fill(running.key);
      await fresh.locator('button[type="submit"]').click();
      await poll(() => fresh.locator("#session-count").textContent()).toMatch(/^\(\d+\)$/);
      expect(await fresh.content()).not.toContain(running.key);
      await fresh.locator('header button[type="submit"]').click();
      await poll(() => fresh.locator('input[name="key"]').count()).toBe(1);
      const state = await fresh.evaluate(async () => (await fetch("/emulator/console/api/state")).status);
      expect(state).toBe(401);
    } finally {
      await context.close();
    }
  });

  it("resets the emulator from the page", async () => {
    await page.locator('[data-action="reset"]').click();
    await poll(() => page.locator("[data-session-id]").count()).toBe(0);
    expect(running.emulator.sessionCount).toBe(0);
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
  });

  it("makes the README screenshot", async () => {
    const shot = await listen();
    try {
      const c = new FaceSessionClient(shot.endpoint, new AzureKeyCredential(shot.key), { retryOptions: { maxRetries: 0 } });
      const p = new FaceSessionClient(shot.endpoint, new AzureKeyCredential(shot.key), { apiVersion: "v1.3-preview.1" });
      const deleted = await c.createLivenessSession({ livenessOperationMode: "Passive" });
      await c.deleteLivenessSession(deleted.sessionId);
      const verify = await c.createLivenessWithVerifySession({ livenessOperationMode: "Passive", verifyImage: FACE_PNG, enableSessionImage: true });
      shot.emulator.simulateDevice(verify.authToken, { outcome: "realface", matchConfidence: 0.93 });
      const retry = await p.createLivenessSession({ livenessOperationMode: "PassiveActive", numberOfClientAttemptsAllowed: 3, deviceCorrelationId: "kiosk-7" });
      shot.emulator.simulateDevice(retry.authToken, "FaceWithMaskDetected");
      shot.emulator.simulateDevice(retry.authToken, { stage: "start" });
      await c.createLivenessSession({ livenessOperationMode: "PassiveActive", deviceCorrelationId: "5b0a0b4e-2d64-4c55-8f0e-6a5c0e3b9a11" });
      shot.emulator.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 2, count: 3 });
      const { context, page: view } = await signedInPage(browser, shot);
      await poll(() => view.locator("[data-session-id]").count()).toBe(4);
      await poll(() => view.locator("img.reference").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      await card(view, retry.sessionId).locator('select[name="outcome"]').selectOption("error");
      const png = await view.screenshot({ fullPage: true });
      expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
      expect(png.readUInt32BE(16)).toBe(1280); // width from the IHDR chunk
      const target = process.env.UPDATE_SCREENSHOT === "1" ? join(ROOT, "docs", "emulator-console.png") : join(ROOT, "temp", "emulator-console.png");
      mkdirSync(join(target, ".."), { recursive: true });
      writeFileSync(target, png);
      await context.close();
    } finally {
      await shot.close();
    }
  });
});
