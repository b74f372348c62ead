import { existsSync } from "node:fs";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

/**
 * The browser of the browser tests: Debian's Chromium (`apt-get install chromium`), driven by
 * playwright-core, which downloads no browser of its own. `CHROMIUM_PATH` overrides the path.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags every launch uses. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];

/** Chromium's fake camera: a test pattern instead of a device, with permission granted. */
export const FAKE_CAMERA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

/**
 * Whether the browser tests can run here. Without Chromium they are skipped with a message that
 * says so, except under CI (`CI=true`), where a missing browser is a failure.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).`;
  if (process.env.CI === "true") throw new Error(`${message} CI must install it.`);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** Launches headless Chromium with {@link CHROMIUM_ARGS} plus `extraArgs`. */
export function launchChromium(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], ...options });
}
