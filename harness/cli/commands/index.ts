/**
 * The commands of `enumbench`, in the order `--help` lists them. Adding a command is adding one
 * file and one line here.
 */
import type { CommandModule } from '../command.js';
import { listCommand } from './list.js';
import { serveCommand } from './serve.js';

export const COMMANDS: readonly CommandModule[] = [listCommand, serveCommand];
