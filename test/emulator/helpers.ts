import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { FaceLivenessEmulator, type FaceLivenessEmulatorOptions } from "../../src/emulator/index.js";

export const KEY = "emulator-test-key";
export const ORIGIN = "https://face.test";
export const BASE = `${ORIGIN}/face/v1.2`;
export const DEVICE_URL = `${BASE}/emulator/device/attempts`;

/** Bytes of a file in test/fixtures/images. */
export function fixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(__dirname, "..", "fixtures", "images", name)));
}

/** A manual clock for the emulator's `now` option. */
export function manualClock(start = Date.UTC(2025, 0, 1)) {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => void (time += ms),
  };
}

export interface CallInit {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  json?: unknown;
  /** Send no subscription key. */
  anonymous?: boolean;
}

/** An emulator plus a `call()` that sends a request straight to `handle()`. */
export function setup(options: FaceLivenessEmulatorOptions = {}) {
  const emulator = new FaceLivenessEmulator({ key: KEY, ...options });
  async function call(path: string, init: CallInit = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.anonymous ? {} : { "ocp-apim-subscription-key": KEY }) };
    let body = init.body;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    Object.assign(headers, init.headers);
    const url = path.startsWith("http") ? path : `${BASE}${path}`;
    return emulator.handle(new Request(url, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body }));
  }
  async function createLiveness(fields: Record<string, unknown> = {}): Promise<any> {
    const response = await call("/detectLiveness-sessions", { json: { livenessOperationMode: "Passive", ...fields } });
    expect(response.status).toBe(200);
    return response.json();
  }
  async function createWithVerify(fields: Record<string, string> = {}, image: Uint8Array<ArrayBuffer> = fixture("face.png")): Promise<any> {
    const response = await call("/detectLivenessWithVerify-sessions", { body: verifyForm(fields, image) });
    expect(response.status).toBe(200);
    return response.json();
  }
  async function device(authToken: string, body: unknown): Promise<Response> {
    return emulator.handle(
      new Request(DEVICE_URL, {
        method: "POST",
        headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  }
  return { emulator, call, createLiveness, createWithVerify, device };
}

/** A with-verify form: `livenessOperationMode=Passive` unless overridden, plus the image (`null`: no image part). */
export function verifyForm(fields: Record<string, string> = {}, image: Uint8Array<ArrayBuffer> | null = fixture("face.png"), filename = "face.png"): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries({ livenessOperationMode: "Passive", ...fields })) form.append(name, value);
  if (image !== null) form.append("verifyImage", new Blob([image]), filename);
  return form;
}

/** A hand-written multipart body, for shapes `FormData` cannot produce (e.g. a file part without filename). */
export function rawMultipart(parts: Array<{ name: string; filename?: string; type?: string; data: string | Uint8Array }>) {
  const boundary = "emulator-test-boundary";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename !== undefined ? `; filename="${part.filename}"` : "";
    const type = part.type !== undefined ? `\r\nContent-Type: ${part.type}` : "";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}${type}\r\n\r\n`));
    chunks.push(Buffer.from(part.data));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** Asserts a Face error response: status, body `{error:{code,message}}`, and no `x-ms-error-code` (none is recorded). */
export async function expectError(response: Response, status: number, code: string, message?: string | RegExp): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("x-ms-error-code")).toBeNull();
  expect(response.headers.get("apim-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  if (message instanceof RegExp) expect(body.error.message).toMatch(message);
  else if (message !== undefined) expect(body.error.message).toBe(message);
  return body.error.message;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SHA256_UPPER = /^[0-9A-F]{64}$/;
