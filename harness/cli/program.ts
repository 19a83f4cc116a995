import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { exitCodeOf } from '../../src/core/error-codes.js';
import { EnumbenchError, formatDiagnostic } from '../../src/core/errors.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { buildCatalog } from '../catalog.js';
import { Interrupted, SIGNAL_EXIT_CODES } from '../interrupt.js';
import { resourceError } from '../output-files.js';
import type { CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { type CliIO, colorEnabled, processIO, style } from './io.js';

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'enumbench' && pkg.version) return pkg.version;
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

/** Run the CLI with argv (as process.argv: node, script, args…). Resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.Passed;
  const version = packageVersion();
  const ctx: CommandContext = {
    io,
    catalog: buildCatalog(),
    version,
    errStyle: style(colorEnabled(io, io.stderrIsTTY)),
    outStyle: style(colorEnabled(io, io.stdoutIsTTY)),
    exit: (code) => {
      exitCode = code;
    },
  };

  const program = new Command()
    .name('enumbench')
    .description(
      'Replay simulator and detection test bench for bulk enumeration of Microsoft 365 users, mailboxes and groups (MITRE ATT&CK AN1089).',
    )
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
    })
    .exitOverride();

  for (const cmd of COMMANDS) cmd.register(program, ctx);

  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        return ExitCode.Passed;
      }
      // commander already printed the message
      return ExitCode.InvalidInput;
    }
    return reportError(e, ctx);
  }
  return exitCode;
}

/** Print an error the way a person can act on it; pick the exit code from its kind. */
export function reportError(e: unknown, ctx: CommandContext): number {
  const s = ctx.errStyle;
  // the interrupt handler says "interrupted" once everything is stopped (harness/interrupt.ts)
  if (e instanceof Interrupted) return SIGNAL_EXIT_CODES[e.signal];
  // a full disk, a permission, too many open files: the user's environment, not a bug (exit 4)
  const resource = resourceError(e);
  if (resource) e = resource;
  if (e instanceof EnumbenchError) {
    if (e.diagnostics.length) {
      for (const d of e.diagnostics) {
        ctx.io.err(`${formatDiagnostic(d, s.red)}\n`);
        if (d.hint) ctx.io.err(`  ${s.dim('hint:')} ${d.hint}\n`);
      }
    } else {
      ctx.io.err(`${s.red('error:')} ${e.message}\n`);
      if (e.hint) ctx.io.err(`  ${s.dim('hint:')} ${e.hint}\n`);
    }
    if (e.kind === 'internal' && e.cause) ctx.io.err(`${s.dim(String((e.cause as Error)?.stack ?? e.cause))}\n`);
    return exitCodeOf(e.code);
  }
  ctx.io.err(
    `${s.red('internal error')} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n  ${s.dim('this is a bug in enumbench; please report it with the command you ran')}\n`,
  );
  return ExitCode.InternalError;
}
