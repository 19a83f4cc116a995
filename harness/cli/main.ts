#!/usr/bin/env node
/**
 * The `enumbench` command: the composition root. It builds the catalogue from the registries,
 * wires the pieces, and is the only place that picks an exit code (STYLE.md 7).
 */
import { runCli } from './program.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli never rejects for user errors; reaching this is a bug
    process.stderr.write(
      `enumbench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 3;
  },
);
