/**
 * `enumbench run DIR` and `enumbench score` memory: the quickstart mix (workforce + one Graph user
 * listing, e5-diagnostics) at a fixed tenant size, generated to disk once per length, then run by
 * the real CLI in its own process (`run DIR --detector builtin:volume`: lockstep replay, detector,
 * scoring, reports) and its alerts scored again (`score --truth DIR --alerts …`). Reports each
 * process's peak RSS (process.resourceUsage().maxRSS, written at exit by rss-at-exit.ts), wall and
 * CPU time. The lengths grow in simulated time at a fixed tenant size: a flat peak RSS is memory
 * bounded independently of the dataset's length.
 *
 *   npm run bench -- run-memory
 *   ENUMBENCH_BENCH_RUN="1000:1d,1000:3d,1000:7d"   sizes as users:duration
 *   ENUMBENCH_BENCH_CLI=/other/build/dist/harness/cli/main.js   measure another build (before/after)
 *   ENUMBENCH_BENCH_KEEP=1   keep the generated datasets (in $TMPDIR/enumbench-bench-run) for the next run
 *   ENUMBENCH_BENCH_RUN_SCENARIO=1   also `run scenario.yaml` (generation and replay in one process)
 *   ENUMBENCH_BENCH_DETECTOR=none   a detector that keeps nothing (null-detector.ts): the bench's own
 *                                   memory; or any --detector spec (default builtin:volume)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wallNow } from '../src/core/clock.js';
import type { Benchmark, Figure } from './index.js';
import { quickstartMix } from './quickstart-mix.js';

const here = dirname(fileURLToPath(import.meta.url));
const ts = import.meta.url.endsWith('.ts');
const CLI = process.env.ENUMBENCH_BENCH_CLI ?? join(here, '..', 'harness', 'cli', ts ? 'main.ts' : 'main.js');
const HOOK = join(here, ts ? 'rss-at-exit.ts' : 'rss-at-exit.js');
const TSX = ['--import', 'tsx'];
const DETECTOR_ENV = process.env.ENUMBENCH_BENCH_DETECTOR ?? 'builtin:volume';
/** `--detector` spec of null-detector.ts: a detector that reads everything and keeps nothing */
export const NULL_DETECTOR = `module:${join(here, ts ? 'null-detector.ts' : 'null-detector.js')}`;
const DETECTOR = DETECTOR_ENV === 'none' ? NULL_DETECTOR : DETECTOR_ENV;

export interface RunSize {
  users: number;
  duration: string;
}

const DEFAULT_SIZES = '1000:1d,1000:3d,1000:7d';

export function parseRunSizes(spec: string): RunSize[] {
  return spec
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const m = /^\s*(\d+):(\w+)\s*$/.exec(s);
      if (!m) throw new Error(`bad size "${s}": use users:duration, e.g. 1000:7d`);
      return { users: Number(m[1]), duration: m[2] as string };
    });
}

const scenarioText = (s: RunSize) =>
  quickstartMix({
    name: 'bench-run',
    users: s.users,
    tenant: 'countries: [US]',
    start: '2026-11-02T00:00:00Z',
    duration: s.duration,
    at: '+14h20m',
    attackId: 'phished-listing',
  });

function script(path: string): string[] {
  return path.endsWith('.ts') ? [...TSX, path] : [path];
}

export interface Child {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  maxRssMiB: number;
  cpuMs: number;
}

/** Run the CLI in a child process with the peak-RSS hook preloaded. */
export function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Child> {
  const stats = join(mkdtempSync(join(tmpdir(), 'enumbench-rss-')), 'rss.json');
  const t0 = wallNow();
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [...(ts ? TSX : []), '--import', HOOK, ...(CLI.endsWith('.ts') && !ts ? TSX : []), CLI, ...args],
      { env: { ...env, ENUMBENCH_RSS_FILE: stats }, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => {
        const ms = wallNow() - t0;
        let s = { maxRssKiB: Number.NaN, cpuMs: Number.NaN };
        try {
          s = JSON.parse(readFileSync(stats, 'utf8')) as typeof s;
        } catch {
          // killed before its exit handler ran
        }
        rmSync(dirname(stats), { recursive: true, force: true });
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr, ms, maxRssMiB: s.maxRssKiB / 1024, cpuMs: s.cpuMs });
      },
    ),
  );
}

/** The quickstart-mix dataset of this size in `root`, generated once (kept while its scenario text is the same). */
export async function dataset(size: RunSize, root: string): Promise<{ dir: string; mib: number; records: number }> {
  const key = `${size.users}u-${size.duration}`;
  const dir = join(root, key);
  const text = scenarioText(size);
  const stampFile = join(root, `${key}.stamp`);
  if (!existsSync(join(dir, 'manifest.json')) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== text) {
    rmSync(dir, { recursive: true, force: true });
    const file = join(root, `${key}.yaml`);
    writeFileSync(file, text);
    // always generated by this build: a before/after comparison replays the same bytes
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [...script(join(here, '..', 'harness', 'cli', ts ? 'main.ts' : 'main.js')), 'generate', file, '--out', dir],
        { maxBuffer: 1 << 24 },
        (err, _out, stderr) => (err ? reject(new Error(`generate: ${err.message}\n${stderr}`)) : resolve()),
      ),
    );
    writeFileSync(stampFile, text);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    files: Record<string, { bytes: number }>;
    counts: Record<string, number>;
  };
  const bytes = Object.values(manifest.files).reduce((n, f) => n + f.bytes, 0);
  const records = Object.entries(manifest.counts)
    .filter(([k]) => k !== 'deliveries')
    .reduce((n, [, v]) => n + v, 0);
  return { dir, mib: bytes / 2 ** 20, records };
}

export interface RunMemory {
  size: RunSize;
  records: number;
  datasetMiB: number;
  run: Child;
  score: Child | null;
  /** `run scenario.yaml`, when asked for */
  scenario: Child | null;
  alerts: number | null;
  recall: number | null;
}

export async function runOnce(size: RunSize, root: string): Promise<RunMemory> {
  const ds = await dataset(size, root);
  const out = mkdtempSync(join(tmpdir(), 'enumbench-bench-run-out-'));
  try {
    // `run <input>` into the bench's detector, JSON summary on stdout, reports in `out`
    const runOf = (input: string) =>
      cli([
        'run',
        input,
        '--detector',
        DETECTOR,
        '--out',
        out,
        '--report',
        'json',
        '--json',
        '--no-progress',
        '--allow-no-gates',
      ]);
    const run = await runOf(ds.dir);
    let alerts: number | null = null;
    let recall: number | null = null;
    try {
      const summary = JSON.parse(run.stdout) as {
        scenarios: { alerts: { received: number }; metrics: { recall?: { value: number } } }[];
      };
      alerts = summary.scenarios[0]?.alerts.received ?? null;
      recall = summary.scenarios[0]?.metrics.recall?.value ?? null;
    } catch {
      // a failed run prints no summary
    }
    let score: Child | null = null;
    const alertsDir = join(out, 'alerts', 'bench-run');
    const file = existsSync(alertsDir) ? readdirSync(alertsDir)[0] : undefined;
    if (file !== undefined)
      score = await cli(['score', '--truth', ds.dir, '--alerts', join(alertsDir, file), '--json']);
    let scenario: Child | null = null;
    if (process.env.ENUMBENCH_BENCH_RUN_SCENARIO === '1') {
      rmSync(out, { recursive: true, force: true });
      scenario = await runOf(join(root, `${size.users}u-${size.duration}.yaml`));
    }
    return { size, records: ds.records, datasetMiB: ds.mib, run, score, scenario, alerts, recall };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function failure(c: Child): string {
  const line =
    c.stderr
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.slice(0, 160) ?? '';
  return `exit ${c.code}${Number.isFinite(c.maxRssMiB) ? `, peak RSS ${fmt(c.maxRssMiB)} MiB` : ''}: ${line}`;
}

export const runMemoryBenchmark: Benchmark = {
  name: 'run-memory',
  description: `\`run DIR\` (lockstep replay into ${DETECTOR_ENV}, scoring) and \`score\`: peak RSS as the dataset grows`,
  async run() {
    const sizes = parseRunSizes(process.env.ENUMBENCH_BENCH_RUN ?? DEFAULT_SIZES);
    const root = join(tmpdir(), 'enumbench-bench-run');
    mkdirSync(root, { recursive: true });
    const figures: Figure[] = [];
    try {
      for (const size of sizes) {
        const label = `${fmt(size.users)} users × ${size.duration}`;
        const before = load();
        let r: RunMemory;
        try {
          r = await runOnce(size, root);
        } catch (e) {
          figures.push({ label, value: `failed: ${String((e as Error).message).split('\n')[0]}` });
          continue;
        }
        const head = `${fmt(r.records)} records (${fmt(r.datasetMiB)} MiB)`;
        // exit 0 or 1 (a gate crossed) is a completed run
        const run =
          r.run.code <= 1
            ? `run: peak RSS ${fmt(r.run.maxRssMiB)} MiB, ${secs(r.run.ms)} (${fmt((r.records / r.run.ms) * 1000)} records/s, CPU ${secs(r.run.cpuMs)}), ${r.alerts ?? '?'} alerts, recall ${r.recall ?? '-'}`
            : `run failed: ${failure(r.run)}`;
        const score = r.score
          ? r.score.code <= 1
            ? `score: peak RSS ${fmt(r.score.maxRssMiB)} MiB, ${secs(r.score.ms)}`
            : `score failed: ${failure(r.score)}`
          : 'score: no alerts file';
        const scenario = r.scenario
          ? r.scenario.code <= 1
            ? `; run scenario.yaml (generate + replay): peak RSS ${fmt(r.scenario.maxRssMiB)} MiB, ${secs(r.scenario.ms)}`
            : `; run scenario.yaml failed: ${failure(r.scenario)}`
          : '';
        figures.push({ label, value: `${head}; ${run}; ${score}${scenario}; load ${before} → ${load()}` });
      }
    } finally {
      if (process.env.ENUMBENCH_BENCH_KEEP !== '1') rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
