/**
 * `stdio:"CMD ARGS"`: a detector that is a separate program reading records on stdin and writing
 * alerts on stdout, driven in lockstep across the pipe (docs/detectors.md "stdio:"). It is a
 * Detector like an in-process one, so the in-process lockstep runner replays into it unchanged.
 *
 * The protocol, one JSON object per line:
 *   bench → detector   {"source": "graphActivity", "record": {…}}     a record, in availability order
 *                      {"tick": N, "now": "2026-11-02T14:05:00.000Z"}  simulated time has reached `now`
 *   detector → bench   {"rule": …}                                    an alert
 *                      {"ack": N}                                     everything up to tick N is handled
 * End of input (stdin closed) means the replay is over: the detector writes its last alerts and exits.
 *
 * Alerts written before the acknowledgement of tick N are stamped with tick N's time, whatever the
 * pipe's timing: they are held until that acknowledgement and handed over then, so two runs give
 * the same stamps. Those written after the last acknowledgement are stamped at the replay's end.
 */
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import { DetectorChild } from './child.js';

export interface StdioDetectorOptions {
  command: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stderrFile: string;
  /** wall time the program has to exit after its stdin is closed (default 30 s) */
  exitTimeoutMs?: number;
  /** wall time between SIGTERM and SIGKILL (default 5 s) */
  graceMs?: number;
  /** alert lines held between two acknowledgements before the detector counts as flooding */
  maxHeld?: number;
}

export class StdioDetectorError extends Error {}

export interface StdioDetector extends Detector {
  /** stop the program whatever state the run left it in (after a failure the runner does not call stop) */
  kill(): Promise<void>;
  /** the runner gave up waiting for it: hand over what it wrote and the bench has not taken */
  abandon(): void;
}

export function stdioDetector(o: StdioDetectorOptions): StdioDetector {
  let child: DetectorChild | null = null;
  let ctx: DetectorContext | null = null;
  /** alert lines (parsed, or the raw text when not JSON) since the last acknowledgement */
  let held: unknown[] = [];
  const maxHeld = o.maxHeld ?? 200_000;
  let tickNo = 0;
  let waiting: { n: number; resolve: () => void; reject: (e: Error) => void } | null = null;

  const tail = () => {
    const t = (child?.stderrTail() ?? []).filter((l) => l.trim() !== '').slice(-10);
    return t.length ? `; the last lines of its stderr:\n    ${t.join('\n    ')}` : '';
  };
  const exitText = () => {
    const e = child?.exit;
    if (!e) return 'is running';
    if (child?.spawnError) return `could not be started: ${child.spawnError.message}`;
    if (e.code === 127) return 'could not be started: command not found (exit status 127)';
    return e.signal ? `was killed by ${e.signal}` : `exited with status ${e.code}`;
  };
  /** hand the held alerts to the bench, stamped with the clock's now */
  const flush = () => {
    const c = ctx;
    if (!c) return;
    const lines = held;
    held = [];
    for (const a of lines) {
      try {
        c.emit(a as never);
      } catch {
        return; // flooding: the runner stops the detector at the next call
      }
    }
  };
  const onLine = (line: string) => {
    const t = line.trim();
    if (t === '') return;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      v = t;
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'ack' in v && Object.keys(v).length === 1) {
      const n = (v as { ack: unknown }).ack;
      if (waiting && n === waiting.n) {
        const w = waiting;
        waiting = null;
        flush();
        w.resolve();
      }
      return;
    }
    // past the limit the detector is flooding: the runner's own limit (lower) has stopped it by then
    if (held.length < maxHeld) held.push(v);
  };
  const write = (text: string): void | Promise<void> => {
    const stdin = child?.stdin;
    if (!stdin || !child?.running) throw new StdioDetectorError(`the detector ${exitText()}${tail()}`);
    if (stdin.write(text)) return;
    return new Promise((resolve, reject) => {
      const gone = () => reject(new StdioDetectorError(`the detector ${exitText()}${tail()}`));
      stdin.once('drain', () => {
        child?.child.off('exit', gone);
        resolve();
      });
      child?.child.once('exit', gone);
    });
  };

  return {
    name: `stdio:${o.command}`,
    abandon() {
      flush();
    },
    async kill() {
      if (child) await child.stop(o.graceMs ?? 5_000);
    },
    start(c) {
      ctx = c;
      child = new DetectorChild({
        command: o.command,
        cwd: o.cwd,
        env: o.env,
        stderrFile: o.stderrFile,
        stdin: true,
        graceMs: o.graceMs ?? 5_000,
        onLine,
      });
      void child.exited.then(() => {
        if (waiting) {
          const w = waiting;
          waiting = null;
          flush(); // what it wrote before dying is kept, stamped at the tick it did not acknowledge
          w.reject(new StdioDetectorError(`the detector ${exitText()} before acknowledging tick ${w.n}${tail()}`));
        }
      });
    },
    ingest(batch: readonly DeliveredRecord[]) {
      let text = '';
      for (const d of batch) text += `{"source":${JSON.stringify(d.source)},"record":${JSON.stringify(d.record)}}\n`;
      return write(text);
    },
    async tick(now) {
      const n = tickNo++;
      const acked = new Promise<void>((resolve, reject) => {
        waiting = { n, resolve, reject };
      });
      if (!child?.running) throw new StdioDetectorError(`the detector ${exitText()}${tail()}`);
      await write(`{"tick":${n},"now":"${new Date(now).toISOString()}"}\n`);
      await acked;
    },
    async stop() {
      const ch = child;
      if (!ch) return;
      ch.stdin?.end();
      let timer: NodeJS.Timeout | undefined;
      const exited = await Promise.race([
        ch.exited.then(() => true),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), o.exitTimeoutMs ?? 30_000);
        }),
      ]);
      clearTimeout(timer);
      const { killed } = await ch.stop(o.graceMs ?? 5_000);
      flush();
      if (!exited)
        throw new StdioDetectorError(
          `the detector did not exit within ${o.exitTimeoutMs ?? 30_000} ms of the end of its input${killed ? ', ignored SIGTERM and was killed' : ' and was stopped'}${tail()}`,
        );
      if (ch.exit && (ch.exit.code !== 0 || ch.exit.signal))
        throw new StdioDetectorError(`the detector ${exitText()}${tail()}`);
    },
  };
}
