/**
 * builtin:baseline keeps up with the replay (issue 20): records per second of the detector's own CPU
 * on one core (the lockstep replay's CPU with it on the replay's thread, minus the same replay with no
 * detector), over the quickstart mix at
 * 1,000 users × 7 days, and what it holds at the end of each simulated day — bounded by the
 * principals and the window, not by the run's length.
 *
 *   npm run bench -- baseline
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaselineDetector, baselineOptions } from '../detectors/baseline/index.js';
import { runOnDataset } from '../harness/run/dataset-run.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../src/core/detector.js';
import type { Benchmark, Figure } from './index.js';
import { quickstartMix } from './quickstart-mix.js';

const here = dirname(fileURLToPath(import.meta.url));
const ts = import.meta.url.endsWith('.ts');
const ROOT = join(here, '..', ...(ts ? [] : ['..']));
const DAY = 24 * 60 * 60_000;
const USERS = Number(process.env.ENUMBENCH_BENCH_USERS ?? 1000);
const DAYS = Number(process.env.ENUMBENCH_BENCH_DAYS ?? 7);

const cpuMs = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};

/** a detector's state sampled at each simulated midnight (builtin:baseline's, or none) */
class Sampled implements Detector {
  readonly name: string;
  records = 0;
  nextDay = Number.NaN;
  readonly days: ReturnType<BaselineDetector['stateSize']>[] = [];
  constructor(readonly inner: BaselineDetector | undefined) {
    this.name = inner ? 'builtin:baseline' : 'none';
  }
  start(ctx: DetectorContext): void {
    this.inner?.start(ctx);
    this.nextDay = Math.floor(ctx.now() / DAY) * DAY + DAY;
  }
  ingest(batch: readonly DeliveredRecord[], ctx: DetectorContext): void {
    while (ctx.now() >= this.nextDay) {
      if (this.inner) this.days.push(this.inner.stateSize());
      this.nextDay += DAY;
    }
    this.records += batch.length;
    this.inner?.ingest(batch, ctx);
  }
  stop(ctx: DetectorContext): void {
    this.inner?.stop(ctx);
  }
}

/** the lockstep replay's CPU (this thread and every other of the process) with the detector given */
async function cpuOfRun(dir: string, d: Sampled): Promise<{ ms: number; alerts: number }> {
  const t = process.cpuUsage();
  const run = await runOnDataset({ dir, detector: d, drainMs: 0 });
  return { ms: cpuMs(t), alerts: run.lockstep.alerts.length };
}

export const baselineBenchmark: Benchmark = {
  name: 'baseline',
  description: `builtin:baseline in-process over the quickstart mix, ${USERS} users × ${DAYS} days: records/s of its own CPU (replay with it minus replay without), its state at each simulated midnight`,
  async run() {
    const root = mkdtempSync(join(tmpdir(), 'enumbench-bench-baseline-'));
    const figures: Figure[] = [];
    try {
      const file = join(root, 'mix.yaml');
      writeFileSync(
        file,
        quickstartMix({
          name: 'bench-baseline',
          users: USERS,
          start: '2026-11-02T00:00:00Z',
          duration: `${DAYS}d`,
          at: `+${Math.max(0, DAYS - 2)}d14h20m`,
        }),
      );
      const dir = join(root, 'ds');
      const cli = join(ROOT, 'dist', 'harness', 'cli', 'main.js');
      execFileSync(process.execPath, [cli, 'generate', file, '--out', dir, '--quiet']);
      // the detector's CPU: the replay with it minus the replay with no detector (the best of two each)
      const none = Math.min(
        (await cpuOfRun(dir, new Sampled(undefined))).ms,
        (await cpuOfRun(dir, new Sampled(undefined))).ms,
      );
      let d = new Sampled(new BaselineDetector(baselineOptions({})));
      let withIt = await cpuOfRun(dir, d);
      const again = new Sampled(new BaselineDetector(baselineOptions({})));
      const second = await cpuOfRun(dir, again);
      if (second.ms < withIt.ms) [d, withIt] = [again, second];
      const own = Math.max(1, withIt.ms - none);
      figures.push({ label: 'records ingested', value: `${d.records} (${withIt.alerts} alerts)` });
      figures.push({ label: 'replay CPU, no detector', value: `${(none / 1000).toFixed(1)} s` });
      figures.push({ label: 'replay CPU, builtin:baseline', value: `${(withIt.ms / 1000).toFixed(1)} s` });
      figures.push({
        label: "builtin:baseline's own CPU (the difference)",
        value: `${(own / 1000).toFixed(1)} s → ${Math.round(d.records / (own / 1000))} records/s`,
      });
      d.days.forEach((s, i) => {
        figures.push({
          label: `state after day ${i + 1}`,
          value: `${s.principals} principals, ${s.reads} reads in window, ${s.readIds} read ids, ${s.hours} hour buckets, ${s.networks} networks, ${s.sessions} sessions, ${s.tokens} tokens`,
        });
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
