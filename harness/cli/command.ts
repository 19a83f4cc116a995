import type { Command } from '@commander-js/extra-typings';
import type { Catalog } from '../../src/core/catalog.js';
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
