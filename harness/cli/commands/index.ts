/**
 * The commands of `enumbench`, in the order `--help` lists them. Adding a command is adding one
 * file and one line here.
 */
import type { CommandModule } from '../command.js';
import { detectCommand } from './detect.js';
import { generateCommand } from './generate.js';
import { listCommand } from './list.js';
import { runCommand } from './run.js';
import { scoreCommand } from './score.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly CommandModule[] = [
  validateCommand,
  generateCommand,
  serveCommand,
  runCommand,
  scoreCommand,
  detectCommand,
  listCommand,
];
