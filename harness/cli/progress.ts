/**
 * Progress of a generation or a replay, on stderr: on a terminal a bar with the records, the
 * simulated time reached, the rate and the time left; elsewhere (CI logs) a plain line every
 * `intervalMs` of wall time (default 10 s), so a long job is never silent. `--quiet` and
 * `--no-progress` silence both. One reporter for every command (generate, run, serve).
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { SingleBar } from 'cli-progress';
import { wallNow } from '../../src/core/clock.js';
import { parseDuration } from '../../src/scenario/units.js';
import type { CliIO } from './io.js';

/** the plain line's interval when the option is not given */
export const DEFAULT_PROGRESS_INTERVAL = '10s';
const DEFAULT_INTERVAL_MS = 10_000;
export const PROGRESS_INTERVAL_HELP = `without a terminal: print a progress line this often (default ${DEFAULT_PROGRESS_INTERVAL})`;

/** `--progress-interval`: a non-negative duration (0: a line at every update) */
export function parseProgressInterval(v: string): number {
  const d = parseDuration(v);
  if (!d.ok || d.value < 0)
    throw new InvalidArgumentError(`a duration such as 10s or 1m (0: every update)${d.ok ? '' : `: ${d.message}`}`);
  return d.value;
}

export interface ProgressUpdate {
  /** share of the work done, 0..1 (simulated time covered) */
  done: number;
  records: number;
  /** the simulated time reached (epoch ms) */
  simTime: number;
}

export interface Progress {
  /** begin a task, e.g. "generating quickstart · seed 7" */
  start(label: string): void;
  update(u: ProgressUpdate): void;
  stop(): void;
}

export interface ProgressOptions {
  io: Pick<CliIO, 'err' | 'stderrIsTTY'>;
  /** false with --quiet, --json, --no-progress */
  enabled: boolean;
  /** plain line interval (ms) */
  intervalMs?: number;
  /** the wall clock (tests) */
  now?: () => number;
  /** the bar's stream (default process.stderr) */
  stream?: NodeJS.WritableStream;
}

const SILENT: Progress = { start() {}, update() {}, stop() {} };

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function simText(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16)}Z`;
}

export function createProgress(o: ProgressOptions): Progress {
  if (!o.enabled) return SILENT;
  const now = o.now ?? wallNow;
  let label = '';
  let t0 = 0;
  const rate = (records: number) => Math.round(records / Math.max(0.001, (now() - t0) / 1000));
  const eta = (done: number) => (done > 0 && done < 1 ? ((now() - t0) * (1 - done)) / done : 0);

  if (o.io.stderrIsTTY) {
    const bar = new SingleBar({
      stream: o.stream ?? process.stderr,
      format: ' {bar} {percentage}% | {records} records | simulated {sim} | {rate} rec/s | ETA {left}',
      hideCursor: true,
      clearOnComplete: true,
    });
    let running = false;
    return {
      start(l) {
        label = l;
        t0 = now();
        running = true;
        bar.start(1000, 0, { records: 0, sim: '…', rate: 0, left: '…' });
      },
      update(u) {
        if (!running) return;
        bar.update(Math.round(u.done * 1000), {
          records: u.records,
          sim: simText(u.simTime),
          rate: rate(u.records),
          left: seconds(eta(u.done)),
        });
      },
      stop() {
        if (!running) return;
        running = false;
        bar.stop();
      },
    };
  }

  const intervalMs = o.intervalMs ?? DEFAULT_INTERVAL_MS;
  let last = 0;
  return {
    start(l) {
      label = l;
      t0 = now();
      last = t0;
    },
    update(u) {
      const t = now();
      if (t - last < intervalMs || u.done >= 1) return;
      last = t;
      o.io.err(
        `  ${label}: ${Math.floor(u.done * 100)}% · ${u.records} records · simulated ${simText(u.simTime)} · ${rate(u.records)} rec/s · about ${seconds(eta(u.done))} left\n`,
      );
    },
    stop() {},
  };
}
