#!/usr/bin/env node
import { CLI_USAGE, CLI_VERSION, parseCliArgs, startCli } from "./cliApp.js";
import type { RunningEmulator } from "./http.js";

/**
 * `azure-face-liveness-emulator`: serves the liveness-session emulator over HTTP until SIGINT or
 * SIGTERM. See {@link CLI_USAGE}.
 */
async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let options;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(CLI_USAGE);
    return;
  }
  if (options.version) {
    process.stdout.write(`${CLI_VERSION}\n`);
    return;
  }
  // Handlers go in before the server starts: a signal during start-up still closes it (and
  // removes a temporary CA file) instead of killing the process.
  let stopping: NodeJS.Signals | undefined;
  let started: Promise<RunningEmulator> | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) return;
    stopping = signal;
    process.stdout.write(`Received ${signal}; stopping.\n`);
    void started?.then((running) => running.close()).then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`Error while stopping: ${(error as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  started = startCli(options, {
    log: (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${line}\n`),
  });
  await started;
}

main().catch((error: unknown) => {
  process.stderr.write(`azure-face-liveness-emulator: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
