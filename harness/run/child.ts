/**
 * A detector that is a separate program: started through the shell in its own process group, so
 * stopping it (SIGTERM, then SIGKILL after a grace period) reaches everything it started and
 * nothing is orphaned. Its stdout is read line by line by the caller; its stderr is kept whole in a
 * file of the run's output folder, and its last lines are at hand for the failure message. It starts
 * in an empty private working directory with an environment that does not lead to an answer key
 * (detector-place.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { wallNow } from '../../src/core/clock.js';
import { userError } from '../../src/core/errors.js';
import { onInterrupt, throwIfInterrupted } from '../interrupt.js';
import { type DetectorPlace, detectorPlace } from './detector-place.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DetectorChildOptions {
  command: string;
  /** where `run` was started: relative paths in the command line are read from here (the program starts elsewhere) */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** where stderr is written in full */
  stderrFile: string;
  /** give the child a stdin pipe (stdio: detectors); else stdin is /dev/null */
  stdin?: boolean;
  /** when enumbench is interrupted: wall time between forwarding the signal and SIGKILL (default 5 s) */
  graceMs?: number;
  onLine(line: string, lineNo: number): void;
}

const TAIL_LINES = 20;

export class DetectorChild {
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  exit: ChildExit | null = null;
  /** set when the program could not be started at all */
  spawnError: Error | null = null;
  private readonly tail: string[] = [];
  private partial = '';
  private readonly stderr: WriteStream;
  private readonly stdoutDone: Promise<void>;
  private readonly place: DetectorPlace;
  private readonly unregister: () => void;

  constructor(o: DetectorChildOptions) {
    // nothing new starts once enumbench is interrupted
    throwIfInterrupted();
    this.stderr = createWriteStream(o.stderrFile);
    this.place = detectorPlace(o.command, o.cwd, o.env);
    this.child = spawn(this.place.command, {
      shell: true,
      detached: true,
      cwd: this.place.cwd,
      env: this.place.env as NodeJS.ProcessEnv,
      stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    this.child.stdin?.on('error', () => {
      // the detector closed its stdin (exited): what it did not read is its loss, reported by its exit
    });
    // the working directory goes once the program has exited (and again after stop(), for what its group wrote)
    this.exited = new Promise<ChildExit>((done) => {
      this.child.once('error', (e) => {
        this.spawnError = e;
        this.exit = { code: null, signal: null };
        done(this.exit);
      });
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        done(this.exit);
      });
    }).finally(() => this.place.dispose());
    (this.child.stderr as Readable).on('data', (d: Buffer) => {
      this.stderr.write(d);
      const text = this.partial + d.toString('utf8');
      const lines = text.split('\n');
      this.partial = (lines.pop() ?? '').slice(-2000);
      for (const l of lines) {
        this.tail.push(l.length > 500 ? `${l.slice(0, 500)}…` : l);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
      }
    });
    let n = 0;
    const rl = createInterface({ input: this.child.stdout as Readable, crlfDelay: Number.POSITIVE_INFINITY });
    rl.on('line', (l) => o.onLine(l, ++n));
    this.stdoutDone = new Promise((r) => rl.once('close', () => r()));
    // SIGINT / SIGTERM to enumbench reach the detector's whole process group (it is detached, so a
    // terminal's Ctrl-C does not), then SIGKILL after the grace period
    this.unregister = onInterrupt({
      stop: async (signal) => {
        await this.stop(o.graceMs ?? 5_000, signal);
        return undefined;
      },
      kill: () => this.signal('SIGKILL'),
    });
  }

  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** the last lines of stderr */
  stderrTail(): string[] {
    return this.partial === '' ? this.tail.slice() : [...this.tail, this.partial].slice(-TAIL_LINES);
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // the group is gone
    }
  }

  /**
   * Stop the whole process group: SIGTERM (or `first`), then SIGKILL after `graceMs`. Resolves once
   * stdout is read to its end; `killed` says whether SIGKILL was needed.
   */
  async stop(graceMs: number, first: NodeJS.Signals = 'SIGTERM'): Promise<{ killed: boolean }> {
    let killed = false;
    if (this.running || this.groupAlive()) {
      this.signal(first);
      // the shell may exit at once while what it started ignores the signal: wait for the whole group
      const until = wallNow() + graceMs;
      while ((this.running || this.groupAlive()) && wallNow() < until) await new Promise((r) => setTimeout(r, 25));
      if (this.running || this.groupAlive()) {
        killed = true;
        this.signal('SIGKILL');
        await this.exited;
      }
    }
    await this.drained();
    this.place.dispose();
    return { killed };
  }

  /** whether any process of the detector's group is still alive */
  groupAlive(): boolean {
    const pid = this.child.pid;
    return pid !== undefined && processGroupAlive(pid);
  }

  /** stdout read to its end and stderr written */
  async drained(): Promise<void> {
    // every process of the group is gone, so the pipe closes; a grandchild that left the group may hold it
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.stdoutDone, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    await new Promise<void>((r) => this.stderr.end(() => r()));
    if (!this.groupAlive()) this.unregister();
  }
}

/**
 * Whether process `pid` is alive: it exists and, where /proc tells, is not a zombie (exited, not yet
 * reaped — an orphan's zombie waits for init, which some containers' init leaves for long).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc: kill(0) is all there is
  }
}

/**
 * Whether any process of group `pgid` is alive. kill(0) counts a process that has exited and is
 * not yet reaped (a zombie); where /proc tells, only live members count.
 */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  const live = liveGroupMembers(pgid);
  return live === undefined || live > 0;
}

/** How many processes of group `pgid` are alive (not zombies), from /proc; undefined without /proc. */
function liveGroupMembers(pgid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let live = 0;
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live++;
  }
  return live;
}

/**
 * The program a command line starts, checked before anything is generated: an absolute or relative
 * path must be an executable file, a bare name must be on PATH. Shell syntax the check cannot read
 * (variables, subshells, builtins) is left to the shell.
 */
export function checkCommand(command: string, cwd: string, env: Readonly<Record<string, string | undefined>>): void {
  const trimmed = command.trim();
  if (trimmed === '') {
    throw userError('E_DETECTOR_SPEC', 'the detector command is empty', 'e.g. --detector process:"python3 poller.py"');
  }
  const first = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*([^\s;&|<>()$`'"]+)/.exec(trimmed)?.[1];
  if (first === undefined || /^(?:exec|env|cd|\.|source|command|nice|nohup|timeout)$/.test(first)) return;
  const executable = (p: string) => {
    try {
      if (!statSync(p).isFile()) return false;
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (first.includes('/')) {
    const p = isAbsolute(first) ? first : resolve(cwd, first);
    if (!existsSync(p))
      throw userError('E_DETECTOR_COMMAND', `cannot start the detector: ${first} does not exist (from ${cwd})`);
    if (!executable(p))
      throw userError(
        'E_DETECTOR_COMMAND',
        `cannot start the detector: ${first} is not an executable file`,
        `chmod +x ${first}, or name its interpreter, e.g. process:"python3 ${first}"`,
      );
    return;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, first))) return;
  }
  throw userError(
    'E_DETECTOR_COMMAND',
    `cannot start the detector: "${first}" is not on PATH`,
    'install it, or give its path, e.g. process:"./bin/my-detector"',
  );
}
