/**
 * The console's HTML: the sign-in page, the page a one-time link opens, and the console itself.
 * Static markup only (no data, no secret): the script fills the console in from the JSON API.
 */

const BASE = "/emulator/console/";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function document(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${BASE}console.css">
${head}</head>
<body>
${body}
</body>
</html>
`;
}

/** The sign-in form (the emulator key), with an optional message. */
export function loginPage(message?: string): string {
  return document(
    "Sign in · Face liveness emulator console",
    `<main class="login">
<h1>Face liveness emulator console</h1>
${message !== undefined ? `<p class="notice" role="alert">${escapeHtml(message)}</p>` : ""}
<form method="post" action="${BASE}login">
<label>Emulator key <input type="password" name="key" autocomplete="off" required autofocus></label>
<button type="submit">Sign in</button>
</form>
<p class="hint">The key is printed when the emulator starts, next to a one-time sign-in link.</p>
</main>`,
  );
}

/** What a one-time link answers: the cookie is set; the page moves on to the console. */
export function redirectPage(): string {
  return document(
    "Signed in · Face liveness emulator console",
    `<main class="login"><h1>Signed in</h1><p><a href="${BASE}">Open the console</a></p></main>`,
    `<meta http-equiv="refresh" content="0; url=${BASE}">\n`,
  );
}

const OUTCOME_OPTIONS = `<option value="realface">Real face</option>
<option value="spoofface">Spoof</option>
<option value="uncertain">Uncertain</option>
<option value="error">Attempt error…</option>`;

/** Attempt error codes offered as suggestions: the ones the service's documents show (any PascalCase code may be typed). */
const ERROR_CODES = ["FaceWithMaskDetected"];

/** The console page. */
export function appPage(): string {
  return document(
    "Face liveness emulator console",
    `<header>
<h1>Face liveness emulator <span>console</span></h1>
<p id="summary" aria-live="polite">Loading…</p>
<form method="post" action="${BASE}logout"><button type="submit" class="quiet">Sign out</button></form>
</header>
<main>
<section id="sessions" aria-label="Sessions">
<h2>Sessions <span id="session-count" class="count"></span></h2>
<p id="no-sessions" class="hint" hidden>No sessions yet. Create one with the client; it shows up here at once.</p>
<div id="session-list"></div>
</section>
<aside id="faults" aria-label="Faults">
<h2>Faults</h2>
<p class="hint">Apply to the next matching API requests (never to the device).</p>
<form id="fault-form">
<label>Kind <select name="kind"><option value="status">HTTP error</option><option value="delay">Delay</option><option value="drop">Dropped connection</option></select></label>
<label data-for="status">Status <select name="status"><option>429</option><option>503</option><option>500</option><option>502</option><option>504</option><option>403</option></select></label>
<label data-for="status">Retry-After (s) <input name="retryAfterSeconds" type="number" min="0" max="3600" value="1"></label>
<label data-for="delay" hidden>Delay (ms) <input name="ms" type="number" min="0" max="120000" value="2000"></label>
<label>Next N requests <input name="count" type="number" min="1" max="1000" value="1"></label>
<label>Method <select name="method"><option value="">any</option><option>GET</option><option>POST</option><option>DELETE</option><option>PATCH</option></select></label>
<label>Path <select name="path"><option value="">any</option><option value="/detectLiveness-sessions">/detectLiveness-sessions</option><option value="/detectLivenessWithVerify-sessions">/detectLivenessWithVerify-sessions</option><option value="/sessionImages">/sessionImages</option><option value="/detect">/detect</option><option value="/settings">/settings</option></select></label>
<button type="submit" data-action="add-fault">Add fault</button>
</form>
<ol id="fault-list"></ol>
<div class="row"><button type="button" data-action="clear-faults" class="quiet">Clear faults</button>
<button type="button" data-action="reset" class="danger">Reset emulator</button></div>
<p id="message" class="notice" role="status" hidden></p>
</aside>
</main>
<datalist id="error-codes">${ERROR_CODES.map((c) => `<option value="${c}">`).join("")}</datalist>
<template id="session-template">
<article class="session">
<div class="head"><span class="kind"></span><span class="status"></span><span class="removed" hidden></span><code class="id"></code></div>
<dl class="facts"></dl>
<div class="images"></div>
<table class="attempts"><thead><tr><th>#</th><th>attempt</th><th>outcome</th><th>client IP</th><th>session image</th></tr></thead><tbody></tbody></table>
<form class="device">
<button type="button" data-action="start">Start</button>
<label>Finish as <select name="outcome">${OUTCOME_OPTIONS}</select></label>
<label class="error-code" hidden>code <input name="errorCode" list="error-codes" value="FaceWithMaskDetected" pattern="[A-Z][A-Za-z0-9]{0,63}" size="22"></label>
<label class="match" hidden>match confidence <input name="matchConfidence" type="number" min="0" max="1" step="0.01" value="0.9"></label>
<label class="camera" hidden><input type="checkbox" name="camera"> session image from camera</label>
<button type="submit" data-action="finish">Finish attempt</button>
<video class="preview" muted playsinline hidden></video>
</form>
</article>
</template>
<script src="${BASE}console.js"></script>`,
  );
}
