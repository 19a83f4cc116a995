/**
 * SIGINT and SIGTERM (Ctrl-C; what CI sends when a job is cancelled or times out), handled the same
 * way by every command: whatever is running is stopped — the detector programs' process groups and
 * the re-executed generation child get the signal; worker threads end with the process — the
 * outputs being written are left as they were (a dataset or report is renamed into place only when
 * complete, and a temporary one is removed at exit), the command says "interrupted" on stderr and
 * exits 130 (SIGINT) or 143 (SIGTERM), as a shell reports a process killed by those signals.
 *
 * A second signal while stopping stops at once: every child group is killed (SIGKILL).
 *
 * The handlers are installed by the binary only (harness/cli/main.ts); `runCli` called in-process
 * (tests) leaves the process's signals alone.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal's number, as shells report a process ended by it */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface StopResult {
  /** it said "interrupted" itself (a re-executed child) */
  reported?: boolean;
}

/** Something to stop when the command is interrupted. */
export interface Stopper {
  /** stop it (forward the signal, wait for it to end); `{ reported: true }` when it says "interrupted" itself */
  stop(signal: StopSignal): Promise<StopResult | undefined> | StopResult | undefined;
  /** on a second signal: end it at once */
  kill?(): void;
}

/** Thrown by work that notices the interruption (e.g. a generation between two batches). */
export class Interrupted extends Error {
  constructor(readonly signal: StopSignal) {
    super(`interrupted (${signal})`);
    this.name = 'Interrupted';
  }
}

let received: StopSignal | null = null;
const stoppers = new Set<Stopper>();

/** Register something to stop on interruption; returns the function that unregisters it. */
export function onInterrupt(s: Stopper): () => void {
  stoppers.add(s);
  return () => {
    stoppers.delete(s);
  };
}

/** The signal received, or null. */
export function interrupted(): StopSignal | null {
  return received;
}

export function throwIfInterrupted(): void {
  if (received) throw new Interrupted(received);
}

export interface InterruptIO {
  err(text: string): void;
  exit(code: number): void;
}

/** Install the SIGINT and SIGTERM handlers (once, by the binary). */
export function installInterruptHandlers(io: InterruptIO): void {
  const handle = (signal: StopSignal) => {
    if (received) {
      for (const s of stoppers) {
        try {
          s.kill?.();
        } catch {
          // already gone
        }
      }
      io.err(`enumbench: interrupted (${received}, then ${signal}: stopped at once)\n`);
      io.exit(SIGNAL_EXIT_CODES[received]);
      return;
    }
    received = signal;
    // the process keeps running until everything is stopped, and exits with the signal's code
    process.exitCode = SIGNAL_EXIT_CODES[signal];
    const keepAlive = setInterval(() => {}, 1000);
    const pending = [...stoppers].map(async (s) => {
      try {
        return await s.stop(signal);
      } catch {
        return undefined;
      }
    });
    void Promise.all(pending).then((results) => {
      clearInterval(keepAlive);
      if (!results.some((r) => r?.reported)) io.err(`enumbench: interrupted (${signal})\n`);
      io.exit(SIGNAL_EXIT_CODES[signal]);
    });
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
