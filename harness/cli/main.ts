#!/usr/bin/env node
/**
 * The `enumbench` command: the composition root. It builds the catalogue from the registries,
 * wires the pieces, and is the only place that picks an exit code (STYLE.md 7).
 */
import { installInterruptHandlers, interrupted } from '../interrupt.js';
import { runCli } from './program.js';

// SIGINT / SIGTERM: stop what runs, say "interrupted", exit 130 / 143 (harness/interrupt.ts)
installInterruptHandlers({
  err: (t) => process.stderr.write(t),
  exit: (code) => process.exit(code),
});

runCli(process.argv).then(
  (code) => {
    // once interrupted, the interrupt handler picks the exit code when everything is stopped
    if (!interrupted()) process.exitCode = code;
  },
  (err: unknown) => {
    if (interrupted()) return;
    // runCli never rejects for user errors; reaching this is a bug
    process.stderr.write(
      `enumbench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 3;
  },
);
