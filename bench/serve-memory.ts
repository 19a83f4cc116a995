/**
 * `enumbench serve` memory and throughput: a tenant generated to disk, then served by the real CLI
 * (`serve DIR --speed max`, its own process) to a collector in a third process that lists and
 * fetches every content blob and reads every diagnostic append blob. Reports the serve process's
 * peak RSS (VmHWM, Linux), the RSS peak of each simulated day, the size of the spill directory,
 * records per second and the ledger's "never collected" count. The sizes grow in simulated time at a
 * fixed tenant size: a flat peak RSS, day after day, is bounded memory.
 *
 *   npm run bench -- serve-memory
 *   ENUMBENCH_BENCH_SERVE="10000:6h,10000:12h,10000:24h"   sizes as users:duration[@start]
 *   ENUMBENCH_BENCH_CLI=/other/build/dist/harness/cli/main.js   measure another build (before/after)
 *   ENUMBENCH_BENCH_KEEP=1   keep the generated datasets (in $TMPDIR/enumbench-bench-serve) for the next run
 *   ENUMBENCH_BENCH_JOBS=2   worker threads generating a dataset (the bytes are the same for any number)
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAY, wallNow } from '../src/core/clock.js';
import type { Benchmark, Figure } from './index.js';
import { quickstartMix } from './quickstart-mix.js';

const here = dirname(fileURLToPath(import.meta.url));
const ts = import.meta.url.endsWith('.ts');
export const CLI = process.env.ENUMBENCH_BENCH_CLI ?? join(here, '..', 'harness', 'cli', ts ? 'main.ts' : 'main.js');
export const COLLECTOR = join(here, ts ? 'serve-collector.ts' : 'serve-collector.js');
const TSX = ['--import', 'tsx'];

export interface ServeSize {
  users: number;
  duration: string;
  /** ISO start of the window */
  start: string;
}

const DEFAULT_SIZES = '10000:2h@2026-11-02T09:00:00Z,10000:4h@2026-11-02T09:00:00Z,10000:8h@2026-11-02T09:00:00Z';

export function parseSizes(spec: string): ServeSize[] {
  return spec
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const m = /^\s*(\d+):(\w+)(?:@(\S+))?\s*$/.exec(s);
      if (!m) throw new Error(`bad size "${s}": use users:duration[@ISO start], e.g. 10000:12h@2026-11-02T06:00:00Z`);
      return { users: Number(m[1]), duration: m[2] as string, start: m[3] ?? '2026-11-02T00:00:00Z' };
    });
}

const scenarioText = (s: ServeSize) =>
  quickstartMix({ name: 'bench-serve', users: s.users, start: s.start, duration: s.duration, at: '+1h' });

export function node(script: string): string[] {
  return script.endsWith('.ts') ? [...TSX, script] : [script];
}

export function run(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { env: env ?? process.env, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** peak and current RSS of a process, from /proc (Linux); undefined elsewhere */
export function rssOf(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? Number.NaN);
    return { hwm: kb('VmHWM') * 1024, rss: kb('VmRSS') * 1024 };
  } catch {
    return undefined;
  }
}

export function firstLine(p: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    p.stderr?.on('data', (c) => {
      err += c;
    });
    p.stdout?.on('data', (c) => {
      buf += c;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    p.once('exit', (code) => reject(new Error(`serve exited (${code}) before it was ready: ${err}`)));
  });
}

export interface ServeRun {
  size: ServeSize;
  records: number;
  deliveries: number;
  datasetMiB: number;
  /** the spill directory on disk when everything has been collected (allocated blocks) */
  spillMiB: number;
  peakRssMiB: number;
  /** RSS sampled every 250 ms: [seconds since serve started, MiB, simulated day (0 = the window's first)] */
  curve: [number, number, number][];
  /**
   * the highest RSS sampled while the replay published each simulated day (null: a day published
   * between two samples), then after publication
   */
  peakRssByDayMiB: (number | null)[];
  peakRssAfterMiB: number;
  readyMs: number;
  publishMs: number;
  collectMs: number;
  neverCollected: number;
  collected: { ual: number; diagnosticLines: number };
}

async function dataset(size: ServeSize, root: string): Promise<{ dir: string; mib: number }> {
  const key = `${size.users}u-${size.duration}-${size.start.replace(/[:]/g, '')}`;
  const dir = join(root, key);
  const text = scenarioText(size);
  const stampFile = join(dir, 'bench-scenario.yaml');
  if (!existsSync(join(dir, 'manifest.json')) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== text) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = join(root, `${key}.yaml`);
    writeFileSync(file, text);
    const jobs = process.env.ENUMBENCH_BENCH_JOBS ?? '2';
    await run([...node(CLI), 'generate', file, '--out', dir, '--json', '--no-progress', '--jobs', jobs]);
    writeFileSync(stampFile, text);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    files: Record<string, { bytes: number }>;
  };
  // the manifest lists the served files only (the answer key is beside the dataset, DIR.truth/)
  const bytes = Object.values(manifest.files).reduce((n, f) => n + f.bytes, 0);
  return { dir, mib: bytes / 2 ** 20 };
}

/** bytes allocated on disk under a directory (what it costs, sparse or not) */
export function diskBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.blocks * 512;
  let n = st.blocks * 512;
  for (const e of readdirSync(path)) n += diskBytes(join(path, e));
  return n;
}

export async function serveOnce(size: ServeSize, root: string): Promise<ServeRun> {
  const ds = await dataset(size, root);
  const spillParent = join(root, 'spill');
  rmSync(spillParent, { recursive: true, force: true });
  mkdirSync(spillParent, { recursive: true });
  const windowStart = Date.parse(size.start);
  const t0 = wallNow();
  const serve = spawn(
    process.execPath,
    [...node(CLI), 'serve', ds.dir, '--speed', 'max', '--json', '--port', '0', '--spill-dir', spillParent],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const curve: [number, number, number][] = [];
  let peak = 0;
  // the simulated day being published, as /bench/status last said (-1 before its first answer);
  // samples taken once publication is done are marked -2
  let day = -1;
  let published = false;
  const sample = () => {
    const m = serve.pid === undefined ? undefined : rssOf(serve.pid);
    // a process on its way out has a status without memory lines
    if (!m || !Number.isFinite(m.hwm) || !Number.isFinite(m.rss)) return;
    peak = Math.max(peak, m.hwm);
    curve.push([Math.round((wallNow() - t0) / 100) / 10, Math.round(m.rss / 2 ** 20), published ? -2 : day]);
  };
  const sampler = setInterval(sample, 250);
  let watching = true;
  try {
    const info = JSON.parse(await firstLine(serve)) as Record<string, unknown> & {
      bench: { url: string; token: string };
      ENUMBENCH_CLOCK_URL: string;
    };
    const tReady = wallNow();
    const benchGet = async (path: string) =>
      (await fetch(`${info.bench.url}${path}`, { headers: { Authorization: `Bearer ${info.bench.token}` } })).json();
    // which simulated day the replay is publishing, for the RSS samples
    const days = (async () => {
      while (watching) {
        const s = (await benchGet('/bench/status')) as { clock: { nowMs: number; shiftMs: number; done: boolean } };
        if (s.clock.done) published = true;
        else day = Math.floor((s.clock.nowMs - s.clock.shiftMs - windowStart) / DAY);
        await new Promise((r) => setTimeout(r, 250));
      }
    })().catch(() => undefined);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(info)) if (k.startsWith('ENUMBENCH_') && typeof v === 'string') env[k] = v;
    // publication time: until the clock says done (polled here, independently of the collector)
    let tPublished = 0;
    const watch = (async () => {
      for (;;) {
        const c = (await (await fetch(info.ENUMBENCH_CLOCK_URL)).json()) as { done: boolean };
        if (c.done) {
          tPublished = wallNow();
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const child = JSON.parse(await run(node(COLLECTOR), env)) as {
      ms: number;
      ualRecords: number;
      diagnosticLines: number;
    };
    const tCollected = wallNow();
    await watch;
    watching = false;
    await days;
    const ledger = (await benchGet('/bench/ledger')) as {
      published: { records: number; deliveries: number };
      neverCollected: { count: number };
    };
    sample();
    const spillMiB = diskBytes(spillParent) / 2 ** 20;
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGINT');
    await exited;
    const peakRssByDayMiB: number[] = [];
    let peakRssAfterMiB = 0;
    for (const [, mib, d] of curve) {
      if (d === -2) peakRssAfterMiB = Math.max(peakRssAfterMiB, mib);
      else if (d >= 0) peakRssByDayMiB[d] = Math.max(peakRssByDayMiB[d] ?? 0, mib);
    }
    return {
      size,
      records: ledger.published.records,
      deliveries: ledger.published.deliveries,
      datasetMiB: Math.round(ds.mib),
      spillMiB: Math.round(spillMiB),
      peakRssMiB: Math.round(peak / 2 ** 20),
      curve,
      peakRssByDayMiB: Array.from(peakRssByDayMiB, (v) => v ?? null),
      peakRssAfterMiB,
      readyMs: tReady - t0,
      publishMs: tPublished - tReady,
      collectMs: tCollected - tReady,
      neverCollected: ledger.neverCollected.count,
      collected: { ual: child.ualRecords, diagnosticLines: child.diagnosticLines },
    };
  } finally {
    watching = false;
    clearInterval(sampler);
    if (serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(spillParent, { recursive: true, force: true });
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export const serveMemoryBenchmark: Benchmark = {
  name: 'serve-memory',
  description: '`serve DIR --speed max` to a collector in another process: peak RSS and records/s as the replay grows',
  async run() {
    const sizes = parseSizes(process.env.ENUMBENCH_BENCH_SERVE ?? DEFAULT_SIZES);
    const root = join(tmpdir(), 'enumbench-bench-serve');
    mkdirSync(root, { recursive: true });
    const figures: Figure[] = [];
    try {
      for (const size of sizes) {
        const label = `${fmt(size.users)} users × ${size.duration}`;
        let r: ServeRun;
        try {
          r = await serveOnce(size, root);
        } catch (e) {
          figures.push({
            label,
            value: `failed: ${String((e as Error).message)
              .split('\n')
              .slice(0, 2)
              .join(' ')}`,
          });
          continue;
        }
        const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
        figures.push({
          label,
          value: `${fmt(r.records)} records (${fmt(r.datasetMiB)} MiB, spilled ${fmt(r.spillMiB)} MiB): peak RSS ${fmt(r.peakRssMiB)} MiB (by simulated day ${r.peakRssByDayMiB.map((v) => v ?? '–').join(', ')}; after ${r.peakRssAfterMiB}), ${fmt((r.records / Math.max(1, r.publishMs)) * 1000)} records/s published, ${fmt((r.deliveries / Math.max(1, r.collectMs)) * 1000)} delivered/s to the collector (${s(r.collectMs)}, start-up ${s(r.readyMs)}), never collected ${r.neverCollected}`,
        });
      }
    } finally {
      if (process.env.ENUMBENCH_BENCH_KEEP !== '1') rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  // standalone: one JSON line per size, with the RSS curve
  const sizes = parseSizes(process.argv[2] ?? process.env.ENUMBENCH_BENCH_SERVE ?? DEFAULT_SIZES);
  const root = join(tmpdir(), 'enumbench-bench-serve');
  mkdirSync(root, { recursive: true });
  for (const size of sizes) process.stdout.write(`${JSON.stringify(await serveOnce(size, root))}\n`);
}
