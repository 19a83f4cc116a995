import type { Command } from '@commander-js/extra-typings';
import type { Catalog } from '../../src/core/catalog.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import type { Outcome } from '../../src/report/model.js';
import type { CliIO, Style } from './io.js';

/** What every command receives from the composition root. */
export interface CommandContext {
  io: CliIO;
  catalog: Catalog;
  version: string;
  /** colour for stderr / stdout */
  errStyle: Style;
  outStyle: Style;
  /** record the exit code the command decided on */
  exit(code: number): void;
}

export interface CommandModule {
  name: string;
  register(program: Command, ctx: CommandContext): void;
}

/** The exit code of a report's outcome: passed 0, failed 1, invalid input or no gates 4. */
export function outcomeExitCode(outcome: Outcome): number {
  switch (outcome) {
    case 'passed':
      return ExitCode.Passed;
    case 'failed':
      return ExitCode.ThresholdsCrossed;
    default:
      return ExitCode.InvalidInput;
  }
}

/** `--no-expect` and `--allow-no-gates`, as `run` and `score` describe them. */
export const NO_EXPECT_HELP =
  "ignore the scenario's `expect:` gates (from the scenario file, or the dataset manifest that carries them)";
export const ALLOW_NO_GATES_HELP =
  'let a scenario gated by nothing but the built-in leak check pass (without it such a run exits 4)';
