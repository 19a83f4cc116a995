import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CliIO } from '../../harness/cli/io.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'harness', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built `enumbench` binary as a user would, with a clean colour environment. */
export function runBin(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      ...opts.env,
    };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run the CLI in this process (runCli with a fake CliIO): fast, for tests of one command's logic. */
export async function runInProcess(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../harness/cli/program.js');
  const io = { stdout: '', stderr: '' };
  const cli: CliIO = {
    out: (t) => {
      io.stdout += t;
    },
    err: (t) => {
      io.stderr += t;
    },
    env: { NO_COLOR: '1', ...env },
    cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  };
  const code = await runCli(['node', 'enumbench', ...args], cli);
  return { code, ...io };
}

/**
 * Start the built `enumbench serve … --json` and wait for its first stdout line (the CONTRACTS.md
 * §4 object). The caller stops the child (SIGINT).
 */
export async function startServe(
  args: string[],
  opts: { cwd?: string } = {},
): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--json'], {
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { child, env: JSON.parse(line) as Record<string, string> };
}
