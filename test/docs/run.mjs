// Runs the documentation: every ```ts block of the Markdown files below is extracted into its
// own module, type-checked (strict; moduleResolution node16 and bundler, against the built
// package as a user would import it) and run against the emulator.
//
// A block may have hidden code in HTML comments around it (not shown on the rendered page):
//
//   <!-- docs:prelude
//   import { docsEnvironment } from "./env.mjs";          // test/docs/env.ts
//   const { client, res } = await docsEnvironment();       // emulator, client, res.json stand-in
//   -->
//   ```ts
//   ...the block a reader sees...
//   ```
//   <!-- docs:check
//   assert.equal(session.status, "Succeeded");              // `assert` is node:assert/strict
//   -->
//
// The prelude runs first, then the block, then the check; a block fails when it does not
// type-check, throws, runs longer than 60 s, or (with docsEnvironment) got an error answer from
// the emulator it did not expect. A block that must not run says so with `<!-- docs:skip REASON -->`
// before it. Failures name the block as FILE:LINE (its opening fence).
//
// Usage: node test/docs/run.mjs   (after `npm run build`: blocks import the built package)
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOCUMENTS = ["README.md", "src/emulator/README.md"];
// Inside the repository, so `azure-face-liveness` resolves to the built package by self-reference.
const work = join(root, "temp", "docs");
const TIMEOUT_MS = 60_000;

/** @returns {{ doc: string, line: number, heading: string, prelude: string, code: string, check: string, skip?: string }[]} */
function extractBlocks(doc) {
  const lines = readFileSync(join(root, doc), "utf8").split("\n");
  const blocks = [];
  let heading = "";
  let pending = { prelude: "", skip: undefined };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, "");
    const hidden = /^<!-- docs:(prelude|check)\s*$/.exec(line);
    if (hidden) {
      const end = lines.indexOf("-->", i);
      if (end === -1) throw new Error(`${doc}:${i + 1}: docs:${hidden[1]} comment is not closed by a line "-->"`);
      const body = lines.slice(i + 1, end).join("\n");
      if (hidden[1] === "prelude") pending.prelude = body;
      else if (blocks.length > 0 && blocks.at(-1).checkAllowedUntil >= i) blocks.at(-1).check = body;
      else throw new Error(`${doc}:${i + 1}: a docs:check comment must follow a code block directly`);
      i = end;
      continue;
    }
    const skip = /^<!-- docs:skip (.+) -->$/.exec(line);
    if (skip) pending.skip = skip[1];
    const fence = /^```(ts|typescript)\s*$/.exec(line);
    if (fence) {
      const end = lines.indexOf("```", i + 1);
      if (end === -1) throw new Error(`${doc}:${i + 1}: code block is not closed`);
      blocks.push({ doc, line: i + 1, heading, prelude: pending.prelude, code: lines.slice(i + 1, end).join("\n"), check: "", skip: pending.skip, checkAllowedUntil: end + 2 });
      pending = { prelude: "", skip: undefined };
      i = end;
    } else if (/^```/.test(line)) {
      // another language: skip to its end so a ``` inside it is not read as an opening fence
      const end = lines.indexOf("```", i + 1);
      if (end !== -1) i = end;
      pending = { prelude: "", skip: undefined };
    }
  }
  return blocks;
}

/** Writes a block's module; returns the Markdown location of each of its lines. */
function writeModule(block, file) {
  const parts = [
    ['import assert from "node:assert/strict";', () => `${block.doc}:${block.line} (harness)`],
    [block.prelude, (n) => `${block.doc}:${block.line} (prelude line ${n})`],
    [block.code, (n) => `${block.doc}:${block.line + n}`],
    [block.check, (n) => `${block.doc}:${block.line} (check line ${n})`],
    ["void assert;\nexport {};", () => `${block.doc}:${block.line} (harness)`],
  ];
  const text = [];
  const where = [];
  for (const [code, locate] of parts) {
    if (code === "") continue;
    code.split("\n").forEach((l, n) => {
      text.push(l);
      where.push(locate(n + 1));
    });
  }
  writeFileSync(file, `${text.join("\n")}\n`);
  return where;
}

const blocks = DOCUMENTS.flatMap(extractBlocks);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
copyFileSync(join(root, "test", "docs", "env.ts"), join(work, "env.mts"));
const out = join(work, "out"); // the node16 build of each module, run from here
mkdirSync(out);
copyFileSync(join(root, "samples", "assets", "reference.jpg"), join(out, "reference.jpg"));
const modules = new Map(); // file name → { block, where }
for (const block of blocks) {
  if (block.skip) continue;
  const name = `${block.doc.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}-L${block.line}.mts`;
  modules.set(name, { block, where: writeModule(block, join(work, name)) });
}

/** Rewrites `name.mts(12,5)` / `name.mts:12:5` in tool output to the Markdown location. */
function locate(text) {
  return text.replace(/([\w.-]+)\.m[tj]s(?:\((\d+),(\d+)\)|:(\d+):(\d+))/g, (all, base, l1, c1, l2, c2) => {
    const entry = modules.get(`${base}.mts`);
    const line = Number(l1 ?? l2);
    return entry?.where[line - 1] ? `${entry.where[line - 1]}:${c1 ?? c2}` : all;
  });
}

const compilerOptions = { target: "ES2022", lib: ["ES2022"], strict: true, types: ["node"], skipLibCheck: true, rootDir: "." };
const configs = {
  node16: { ...compilerOptions, module: "node16", moduleResolution: "node16", sourceMap: true, outDir: "out" },
  bundler: { ...compilerOptions, module: "ESNext", moduleResolution: "bundler", noEmit: true },
};
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const failures = new Map(); // block label → messages
const label = (block) => `${block.doc}:${block.line} (${block.heading})`;
const fail = (block, message) => failures.set(label(block), [...(failures.get(label(block)) ?? []), message]);

for (const [name, compiler] of Object.entries(configs)) {
  writeFileSync(join(work, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: compiler, include: ["*.mts"] }, null, 2));
  const result = spawnSync(process.execPath, [tsc, "-p", `tsconfig.${name}.json`, "--pretty", "false"], { cwd: work, encoding: "utf8" });
  for (const line of `${result.stdout}${result.stderr}`.split("\n")) {
    const file = /^([\w.-]+\.mts)\(/.exec(line)?.[1];
    const entry = file && modules.get(file);
    if (entry) fail(entry.block, locate(line).replace(/^(\S+): error /, `$1 type error (moduleResolution ${name}): `));
    else if (line.trim() !== "") console.log(locate(line));
  }
}

let passed = 0;
for (const block of blocks) {
  if (block.skip) {
    console.log(`skip ${label(block)}: ${block.skip}`);
    continue;
  }
  const name = [...modules].find(([, e]) => e.block === block)[0];
  if (!failures.has(label(block))) {
    const runner = `const env = await import("./env.mjs"); await import("./${name.replace(/\.mts$/, ".mjs")}"); env.assertNoErrorAnswers(); process.exit(0);`;
    const env = { ...process.env };
    delete env.FACE_ENDPOINT;
    delete env.FACE_APIKEY;
    delete env.AZURE_LOG_LEVEL;
    const result = spawnSync(process.execPath, ["--enable-source-maps", "--input-type=module", "-e", runner], { cwd: out, encoding: "utf8", timeout: TIMEOUT_MS, env });
    if (result.error?.code === "ETIMEDOUT" || result.signal) fail(block, `did not finish within ${TIMEOUT_MS / 1000} s`);
    else if (result.status !== 0) fail(block, `failed when run:\n${locate(`${result.stderr}${result.stdout}`).trim().split("\n").slice(0, 12).map((l) => `       ${l}`).join("\n")}`);
  }
  const messages = failures.get(label(block));
  if (messages === undefined) {
    passed++;
    console.log(`ok   ${label(block)}`);
  } else {
    console.log(`FAIL ${label(block)}\n${messages.map((m) => `     ${m}`).join("\n")}`);
  }
}
const failed = blocks.filter((b) => !b.skip).length - passed;
console.log(`docs: ${passed} passed, ${failed} failed (${blocks.length} blocks in ${DOCUMENTS.join(", ")}; generated modules in ${relative(root, work)})`);
process.exit(failed === 0 && blocks.length > 0 ? 0 : 1);
