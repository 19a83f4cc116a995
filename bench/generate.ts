/**
 * Generation throughput and memory: the quickstart mix (workforce + graph-user-listing) scaled to a
 * 2,000-user tenant, written as JSONL to a temporary directory. Each run is its own process
 * (bench/generate-child.ts), so CPU time and peak RSS are that run's alone.
 *
 *   one core     generate on one thread: records/s by wall clock and per CPU-second, peak RSS
 *   two cores    generate --jobs 2 (two worker threads; this thread merges and writes the same
 *                bytes): records/s by wall clock, CPU-seconds of all threads, peak RSS
 *   long run     ENUMBENCH_BENCH_LONG=1: a ~10-million-record run, to show memory stays flat
 *
 * Wall-clock figures need idle cores: the load average is printed with them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heapLimitFor } from '../harness/dataset/generate.js';
import type { Benchmark, Figure } from './index.js';
import { quickstartMix } from './quickstart-mix.js';

const scenarioText = (users: number, duration: string) =>
  quickstartMix({ name: 'bench-generate', users, start: '2026-11-02T00:00:00Z', duration, at: '+14h20m' });

interface Run {
  records: number;
  ms: number;
  cpuMs: number;
  bytes: number;
  maxRssMb: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** Generate in a child process, with the heap limit `enumbench generate` would give itself. */
function runChild(text: string, users: number, jobs: number): Promise<Run> {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'enumbench-bench-'));
  const file = join(dir, 'bench.yaml');
  writeFileSync(file, text);
  return new Promise<Run>((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        `--max-old-space-size=${heapLimitFor(users)}`,
        join(here, 'generate-child.js'),
        file,
        join(dir, 'out'),
        String(jobs),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(JSON.parse(out) as Run);
      else reject(new Error(`generate (jobs ${jobs}) exit ${code}`));
    });
  });
}

async function measure(users: number, duration: string, prefix = '', twoCores = true): Promise<Figure[]> {
  const text = scenarioText(users, duration);
  const loadBefore = load();
  const one = await runChild(text, users, 1);
  const oneCore: Figure[] = [
    { label: `${prefix}records`, value: fmt(one.records) },
    {
      label: `${prefix}written`,
      value: `${(one.bytes / 2 ** 20).toFixed(0)} MiB (${Math.round(one.bytes / one.records)} B per record incl. delivery+labels)`,
    },
    { label: `${prefix}one core: records per CPU-second`, value: fmt(one.records / (one.cpuMs / 1000)) },
    {
      label: `${prefix}one core: records/s (wall)`,
      value: `${fmt(one.records / (one.ms / 1000))} (${(one.ms / 1000).toFixed(1)} s)`,
    },
    { label: `${prefix}one core: peak RSS`, value: `${one.maxRssMb.toFixed(0)} MiB` },
  ];
  if (!twoCores)
    return [
      ...oneCore,
      { label: `${prefix}load average (1, 5, 15 min)`, value: `${loadBefore} before, ${load()} after` },
    ];
  const two = await runChild(text, users, 2);
  return [
    ...oneCore,
    {
      label: `${prefix}two cores (--jobs 2): records/s (wall)`,
      value: `${fmt(two.records / (two.ms / 1000))} (${(two.ms / 1000).toFixed(1)} s)`,
    },
    {
      label: `${prefix}two cores: CPU-seconds, all threads`,
      value: `${(two.cpuMs / 1000).toFixed(1)} (${fmt(two.records / (two.cpuMs / 1000))} records per CPU-second)`,
    },
    { label: `${prefix}two cores: peak RSS`, value: `${two.maxRssMb.toFixed(0)} MiB` },
    { label: `${prefix}load average (1, 5, 15 min)`, value: `${loadBefore} before, ${load()} after` },
  ];
}

export const generateBenchmark: Benchmark = {
  name: 'generate',
  description: 'write a dataset (quickstart mix, 2,000 users, 2 days) as JSONL: records/s and peak memory',
  async run() {
    const figures = await measure(2000, '2d');
    if (process.env.ENUMBENCH_BENCH_LONG === '1') figures.push(...(await measure(4000, '28d', 'long run: ', false)));
    return figures;
  },
};
