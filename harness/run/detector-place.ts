/**
 * Where a detector that is a separate program (`process:`, `stdio:`) starts: a working directory
 * and an environment that do not lead to an answer key (docs/detectors.md "What a detector is
 * given").
 *
 *   - its working directory is a new, empty, private folder (removed when it has stopped), not the
 *     directory `run` was started from, which may hold datasets and their keys;
 *   - the relative paths in its command line that name an existing file or folder (from where
 *     `run` was started) are made absolute, so `process:"python3 examples/detectors/poller.py"`
 *     and `stdio:"./my-detector --rules rules/"` work as typed; the program named first is looked
 *     up on PATH as usual unless it holds a `/`;
 *   - its environment is the bench's minus the variables that say where the bench was started
 *     (PWD, OLDPWD, INIT_CWD and npm's npm_* variables); ENUMBENCH_* are set by the caller.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Variables dropped from a detector program's environment: they name the bench's working directory or project. */
export function leadsToBench(name: string): boolean {
  return name === 'PWD' || name === 'OLDPWD' || name === 'INIT_CWD' || /^npm_/i.test(name);
}

const PLAIN = /^[\w@%+=:,./-]+$/;

function quote(p: string): string {
  return PLAIN.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line with its relative paths made absolute from `from`: a whitespace-separated
 * word without quotes or shell syntax that names an existing file or folder there (in
 * `--flag=PATH` form too). The first word (the program) only when it holds a `/`; words after a
 * shell operator are left alone when they are the program of the next command.
 */
export function absolutizeCommand(command: string, from: string): string {
  const words = command.split(/(\s+)/);
  let commandPosition = true;
  return words
    .map((w) => {
      if (w === '' || /^\s+$/.test(w)) return w;
      const wasCommand = commandPosition;
      commandPosition = /^(?:;|&&|\|\||\||&)$/.test(w) || (wasCommand && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
      if (!PLAIN.test(w)) return w;
      if (wasCommand && !w.includes('/')) return w;
      if (wasCommand && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) return w;
      const eq = w.startsWith('-') ? w.indexOf('=') : -1;
      const head = eq >= 0 ? w.slice(0, eq + 1) : '';
      const path = eq >= 0 ? w.slice(eq + 1) : w;
      if (path === '' || path.startsWith('-') || isAbsolute(path) || path.startsWith('~')) return w;
      const abs = resolve(from, path);
      return existsSync(abs) ? `${head}${quote(abs)}` : w;
    })
    .join('');
}

export interface DetectorPlace {
  cwd: string;
  command: string;
  env: Record<string, string | undefined>;
  /** remove the working directory (once the program and everything it started are gone) */
  dispose(): void;
}

/** A fresh working directory, the command line and the environment for a detector program started from `from`. */
export function detectorPlace(
  command: string,
  from: string,
  env: Readonly<Record<string, string | undefined>>,
): DetectorPlace {
  const cwd = mkdtempSync(join(tmpdir(), 'enumbench-detector-'));
  const clean: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!leadsToBench(k)) clean[k] = v;
  return {
    cwd,
    command: absolutizeCommand(command, from),
    env: clean,
    dispose: () => rmSync(cwd, { recursive: true, force: true }),
  };
}
