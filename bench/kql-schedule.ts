/**
 * `kql:` on its schedule against `run` with builtin:volume, on the same dataset: the quickstart mix
 * (run-memory.ts) at 1,000 users × 1 day, each run by the real CLI in its own process
 * (`run DIR --detector …`: lockstep replay, detector, scoring). The rule is one summarize over the
 * Graph activity logs, run every 5 minutes over a 5-minute and over a 1-hour period (each run reads
 * every row of its period: a 1-hour period reads each row twelve times).
 *
 *   npm run bench -- kql
 *   ENUMBENCH_BENCH_KQL="1000:1d"   size as users:duration
 *   ENUMBENCH_BENCH_KEEP=1          keep the dataset (shared with run-memory) for the next run
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, Figure } from './index.js';
import { type Child, cli, dataset, NULL_DETECTOR, parseRunSizes } from './run-memory.js';

export const KQL_BENCH_RULE = `MicrosoftGraphActivityLogs
| summarize Requests = count(), Paths = dcount(RequestUri), Bytes = sum(ResponseSizeBytes) by UserId, bin(TimeGenerated, 5m)
| where Requests > 500
`;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function summaryOf(c: Child): string {
  if (c.code > 1) return `failed (exit ${c.code}): ${c.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  let alerts = '?';
  try {
    alerts = String(
      (JSON.parse(c.stdout) as { scenarios: { alerts: { received: number } }[] }).scenarios[0]?.alerts.received,
    );
  } catch {
    // no summary
  }
  return `${secs(c.ms)} wall, CPU ${secs(c.cpuMs)}, peak RSS ${fmt(c.maxRssMiB)} MiB, ${alerts} alerts`;
}

export const kqlScheduleBenchmark: Benchmark = {
  name: 'kql-schedule',
  description: '`run DIR --detector kql:` (one summarize, every 5 minutes) against `run DIR --detector builtin:volume`',
  async run() {
    const [size] = parseRunSizes(process.env.ENUMBENCH_BENCH_KQL ?? '1000:1d');
    if (!size) return [];
    const root = join(tmpdir(), 'enumbench-bench-run');
    mkdirSync(root, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), 'enumbench-bench-kql-'));
    const figures: Figure[] = [];
    try {
      const ds = await dataset(size, root);
      const rule = join(work, 'summarize.kql');
      writeFileSync(rule, KQL_BENCH_RULE);
      const run = (detector: string[]) =>
        cli([
          'run',
          ds.dir,
          ...detector,
          '--out',
          join(work, 'out'),
          '--report',
          'json',
          '--json',
          '--no-progress',
          '--allow-no-gates',
        ]);
      const label = `${fmt(size.users)} users × ${size.duration} (${fmt(ds.records)} records)`;
      figures.push({ label, value: `load ${loadavg()[0]?.toFixed(1)}` });
      const none = await run(['--detector', NULL_DETECTOR]);
      figures.push({ label: 'no detector (null-detector.ts)', value: summaryOf(none) });
      const volume = await run(['--detector', 'builtin:volume']);
      figures.push({ label: 'builtin:volume', value: summaryOf(volume) });
      for (const period of ['5m', '1h']) {
        const k = await run(['--detector', `kql:${rule}`, '--query-frequency', '5m', '--query-period', period]);
        // the rule's own cost: the run's CPU beyond the same run with a detector that does nothing
        const own =
          k.code <= 1 && volume.code <= 1 && none.code <= 1
            ? ` — whole run ${(k.cpuMs / volume.cpuMs).toFixed(2)}× builtin:volume's CPU; the rule's own CPU (beyond no detector) ${secs(k.cpuMs - none.cpuMs)}, ${((k.cpuMs - none.cpuMs) / volume.cpuMs).toFixed(2)}× builtin:volume's run`
            : '';
        figures.push({ label: `kql: every 5m over ${period}`, value: `${summaryOf(k)}${own}` });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
      if (process.env.ENUMBENCH_BENCH_KEEP !== '1') rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
