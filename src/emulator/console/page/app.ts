import type { AttemptView, ConsoleView, FaultView, SessionView } from "../view.js";

/**
 * The console's browser program, written as one self-contained function (it uses nothing from
 * outside its body) so that the server can send its source text as `console.js`: type-checked
 * with the rest of the package, no bundler, no framework. It polls the JSON API once a second
 * and renders with DOM calls and `textContent` only (never HTML strings), so no session field
 * can inject markup.
 */
function consoleApp(): void {
  const BASE = "/emulator/console/";
  const POLL_MS = 1000;
  const MAX_CAMERA_SIDE = 1280;

  interface Card {
    readonly root: HTMLElement;
    json: string;
    stream?: MediaStream;
  }
  const cards = new Map<string, Card>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const one = <T extends Element>(root: ParentNode, selector: string): T => root.querySelector(selector) as T;
  function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className !== undefined) node.className = className;
    return node;
  }
  const clock = (ms: number): string => new Date(ms).toLocaleString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", month: "short", day: "numeric" });
  function duration(ms: number): string {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }

  function message(text: string, isError = false): void {
    const box = byId<HTMLParagraphElement>("message");
    box.textContent = text;
    box.hidden = text === "";
    box.dataset.kind = isError ? "error" : "info";
  }

  async function api(method: string, path: string, body?: unknown): Promise<ConsoleView | undefined> {
    const init: RequestInit = { method, credentials: "same-origin", cache: "no-store" };
    if (method !== "GET") {
      init.headers = { "content-type": "application/json" };
      init.body = JSON.stringify(body ?? {});
    }
    const response = await fetch(`${BASE}api/${path}`, init);
    if (response.status === 401) {
      location.reload();
      return undefined;
    }
    const data = (await response.json()) as ConsoleView & { error?: { code: string; message: string } };
    if (!response.ok) throw new Error(`${response.status} ${data.error?.code ?? ""}: ${data.error?.message ?? "request failed"}`);
    return data;
  }

  async function act(method: string, path: string, body: unknown, done: string): Promise<void> {
    try {
      const view = await api(method, path, body);
      if (view !== undefined) render(view);
      message(done);
    } catch (error) {
      message((error as Error).message, true);
    }
  }

  function fact(list: HTMLElement, name: string, value: string, key: string): void {
    const row = element("div");
    row.dataset.fact = key;
    row.append(element("dt", name), element("dd", value));
    row.title = value;
    list.append(row);
  }

  function outcomeText(a: AttemptView): string {
    if (a.errorCode !== undefined) return `error ${a.errorCode}`;
    if (a.decision === undefined) return "—";
    const match = a.matchConfidence !== undefined ? ` · match ${a.matchConfidence.toFixed(2)} (${a.isIdentical ? "identical" : "not identical"})` : "";
    return a.decision + match;
  }

  function attemptRow(a: AttemptView): HTMLTableRowElement {
    const row = element("tr");
    row.dataset.attemptId = String(a.attemptId);
    const status = element("span", a.status, "status");
    status.dataset.status = a.status;
    const outcome = element("td", outcomeText(a));
    outcome.className = "outcome";
    if (a.errorMessage !== undefined) outcome.title = a.errorMessage;
    const image = element("td");
    if (a.sessionImageId !== undefined) {
      const link = element("a");
      link.href = `${BASE}api/session-images/${encodeURIComponent(a.sessionImageId)}`;
      link.target = "_blank";
      const img = element("img");
      img.src = link.href;
      img.alt = `session image of attempt ${a.attemptId}`;
      link.append(img);
      image.append(link);
    } else {
      image.textContent = "—";
    }
    const statusCell = element("td");
    statusCell.append(status);
    row.append(element("td", String(a.attemptId)), statusCell, outcome, element("td", a.clientIps.join(", ") || "—"), image);
    return row;
  }

  function fillCard(card: Card, s: SessionView): void {
    const root = card.root;
    root.dataset.status = s.status;
    root.classList.toggle("gone", s.removed !== undefined);
    one(root, ".kind").textContent = s.kind === "liveness" ? "Liveness" : "Liveness with verify";
    const status = one<HTMLElement>(root, ".status");
    status.textContent = s.status;
    status.dataset.status = s.status;
    const removed = one<HTMLElement>(root, ".removed");
    removed.hidden = s.removed === undefined;
    if (s.removed !== undefined) removed.textContent = `${s.removed.reason === "deleted" ? "Deleted" : "Expired"} ${clock(s.removed.at)}`;
    one(root, ".id").textContent = s.sessionId;
    const facts = one<HTMLElement>(root, ".facts");
    facts.replaceChildren();
    fact(facts, "API", s.apiVersion, "apiVersion");
    fact(facts, "mode", s.mode, "mode");
    fact(facts, "created", clock(s.createdAt), "created");
    fact(facts, "token", s.authToken, "token");
    fact(facts, "token expires", "", "expires");
    fact(facts, "device id", s.deviceCorrelationId ?? (s.deviceCorrelationIdSetInClient ? "set in client" : "—"), "deviceCorrelationId");
    fact(facts, "attempts", `${s.attempts.length} of ${s.attemptsAllowed} (${s.attemptsLeft} left)`, "attempts");
    fact(facts, "session image", s.enableSessionImage ? "kept" : "off", "sessionImage");
    if (s.verify !== undefined) fact(facts, "verify threshold", String(s.verify.threshold), "threshold");
    const images = one<HTMLElement>(root, ".images");
    images.replaceChildren();
    if (s.verify?.hasImage === true) {
      const figure = element("figure");
      const img = element("img");
      img.src = `${BASE}api/sessions/${s.sessionId}/reference-image`;
      img.alt = "reference image";
      img.className = "reference";
      figure.append(img, element("figcaption", "reference image"));
      images.append(figure);
    }
    one(root, ".attempts tbody").replaceChildren(...s.attempts.map(attemptRow));
    one<HTMLElement>(root, "label.match").hidden = s.kind !== "livenessWithVerify";
    const canCapture = s.enableSessionImage && typeof navigator.mediaDevices?.getUserMedia === "function";
    one<HTMLElement>(root, "label.camera").hidden = !canCapture;
    one<HTMLFormElement>(root, "form.device").hidden = s.removed !== undefined;
    if (s.removed !== undefined) stopCamera(card);
  }

  function refreshCard(card: Card, s: SessionView, now: number): void {
    const left = s.tokenExpiresAt - now;
    const expires = one(card.root, '[data-fact="expires"] dd');
    expires.textContent = s.removed !== undefined ? "revoked" : left > 0 ? `in ${duration(left)}` : `expired ${duration(-left)} ago`;
    expires.parentElement!.title = clock(s.tokenExpiresAt);
    const running = s.attempts[0]?.status === "Running";
    const usable = s.removed === undefined && left > 0;
    one<HTMLButtonElement>(card.root, '[data-action="start"]').disabled = !usable || running || s.attemptsLeft === 0;
    one<HTMLButtonElement>(card.root, '[data-action="finish"]').disabled = !usable || (!running && s.attemptsLeft === 0);
  }

  function stopCamera(card: Card): void {
    card.stream?.getTracks().forEach((t) => t.stop());
    delete card.stream;
    const video = one<HTMLVideoElement>(card.root, "video.preview");
    video.srcObject = null;
    video.hidden = true;
    one<HTMLInputElement>(card.root, 'input[name="camera"]').checked = false;
  }

  async function startCamera(card: Card): Promise<void> {
    try {
      card.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
      const video = one<HTMLVideoElement>(card.root, "video.preview");
      video.srcObject = card.stream;
      video.hidden = false;
      await video.play();
    } catch (error) {
      stopCamera(card);
      message(`No camera: ${(error as Error).message}`, true);
    }
  }

  async function capture(card: Card): Promise<string> {
    const video = one<HTMLVideoElement>(card.root, "video.preview");
    const scale = Math.min(1, MAX_CAMERA_SIDE / Math.max(video.videoWidth, video.videoHeight, 1));
    const canvas = element("canvas");
    canvas.width = Math.max(1, Math.round(video.videoWidth * scale));
    canvas.height = Math.max(1, Math.round(video.videoHeight * scale));
    canvas.getContext("2d")!.drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    if (blob === null) throw new Error("The camera picture could not be encoded.");
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function createCard(sessionId: string): Card {
    const template = byId<HTMLTemplateElement>("session-template");
    const root = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
    root.dataset.sessionId = sessionId;
    const card: Card = { root, json: "" };
    const form = one<HTMLFormElement>(root, "form.device");
    const field = <T extends Element>(name: string): T => form.elements.namedItem(name) as unknown as T;
    const path = `sessions/${sessionId}/attempts`;
    field<HTMLSelectElement>("outcome").addEventListener("change", () => {
      const isError = field<HTMLSelectElement>("outcome").value === "error";
      one<HTMLElement>(root, "label.error-code").hidden = !isError;
    });
    field<HTMLInputElement>("camera").addEventListener("change", () => {
      if (field<HTMLInputElement>("camera").checked) void startCamera(card);
      else stopCamera(card);
    });
    one(root, '[data-action="start"]').addEventListener("click", () => void act("POST", path, { stage: "start" }, "Attempt started."));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const outcome = field<HTMLSelectElement>("outcome").value;
        const body: Record<string, unknown> = { stage: "complete", outcome };
        if (outcome === "error") body.errorCode = field<HTMLInputElement>("errorCode").value.trim();
        if (!one<HTMLElement>(root, "label.match").hidden) body.matchConfidence = Number(field<HTMLInputElement>("matchConfidence").value);
        try {
          if (card.stream !== undefined && outcome !== "error") body.sessionImage = await capture(card);
        } catch (error) {
          message((error as Error).message, true);
          return;
        }
        await act("POST", path, body, `Attempt finished: ${outcome === "error" ? String(body.errorCode) : outcome}.`);
        stopCamera(card);
      })();
    });
    cards.set(sessionId, card);
    return card;
  }

  function faultText(f: FaultView): string {
    const what =
      f.kind === "status"
        ? `HTTP ${f.status}${f.retryAfterSeconds !== undefined ? ` with Retry-After ${f.retryAfterSeconds}s` : ""}`
        : f.kind === "delay"
          ? `delay ${f.ms} ms`
          : "dropped connection";
    const where = `${f.method ?? "any method"} ${f.path ?? "any path"}`;
    return `${what} · next ${f.remaining ?? "∞"} request(s) · ${where}`;
  }

  function render(view: ConsoleView): void {
    const list = byId("session-list");
    const seen = new Set<string>();
    for (const s of view.sessions) {
      seen.add(s.sessionId);
      const card = cards.get(s.sessionId) ?? createCard(s.sessionId);
      const json = JSON.stringify(s);
      if (card.json !== json) {
        fillCard(card, s);
        card.json = json;
      }
      refreshCard(card, s, view.now);
      list.append(card.root); // moves it into place: newest first
    }
    for (const [id, card] of cards) {
      if (!seen.has(id)) {
        stopCamera(card);
        card.root.remove();
        cards.delete(id);
      }
    }
    byId("no-sessions").hidden = view.sessions.length > 0;
    const hidden = view.sessionTotal - view.sessions.length;
    byId("session-count").textContent = `(${view.sessionTotal}${hidden > 0 ? `, newest ${view.sessions.length} shown` : ""})`;
    byId("fault-list").replaceChildren(...view.faults.map((f) => element("li", faultText(f))));
    byId("summary").textContent = `Endpoint ${location.origin} · abuse monitoring ${view.abuseMonitoringEnabled ? "on" : "off"} · emulator clock ${clock(view.now)}`;
  }

  async function poll(): Promise<void> {
    clearTimeout(timer);
    try {
      const view = await api("GET", "state");
      if (view !== undefined) render(view);
    } catch (error) {
      message(`The emulator does not answer: ${(error as Error).message}`, true);
    } finally {
      timer = setTimeout(() => void poll(), POLL_MS);
    }
  }

  function wireFaults(): void {
    const form = byId<HTMLFormElement>("fault-form");
    const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value;
    const showFor = (): void => {
      for (const label of form.querySelectorAll<HTMLElement>("label[data-for]")) label.hidden = label.dataset.for !== value("kind");
    };
    (form.elements.namedItem("kind") as HTMLSelectElement).addEventListener("change", showFor);
    showFor();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const kind = value("kind");
      const body: Record<string, unknown> = { kind, count: Number(value("count")) };
      if (kind === "status") {
        body.status = Number(value("status"));
        if (value("retryAfterSeconds") !== "") body.retryAfterSeconds = Number(value("retryAfterSeconds"));
      }
      if (kind === "delay") body.ms = Number(value("ms"));
      if (value("method") !== "") body.method = value("method");
      if (value("path") !== "") body.path = value("path");
      void act("POST", "faults", body, "Fault queued.");
    });
    document.querySelector('[data-action="clear-faults"]')!.addEventListener("click", () => void act("POST", "faults/clear", {}, "Faults cleared."));
    document.querySelector('[data-action="reset"]')!.addEventListener("click", () => void act("POST", "reset", {}, "Emulator reset: sessions, images and faults forgotten."));
  }

  wireFaults();
  void poll();
}

/** The source of `console.js`: the browser program above, run once the page has loaded. */
export function consoleScript(): string {
  // `__name` is defined in case a build that keeps function names wraps inner functions with it.
  return `"use strict";\nvar __name = function (target) { return target; };\n(${consoleApp.toString()})();\n`;
}
