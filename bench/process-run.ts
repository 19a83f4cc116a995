/**
 * `run --detector process:` against `serve`, over the quickstart at `--speed max`, with the same
 * collector that keeps nothing (bench/serve-collector.ts: lists and fetches every content blob,
 * reads every diagnostic append blob, counts): records delivered per second of the collector's
 * own time (start to the end of its last poll), and the peak RSS (VmHWM) of the bench's process —
 * `serve` in one case, `run` (mock services, drain, scoring; not the detector) in the other.
 * Targets (issue #15): `process:` at least half of serve's delivery rate; RSS within 10 % of serve's.
 *
 *   npm run bench -- process-run
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, Figure } from './index.js';
import { CLI, COLLECTOR, firstLine, node, rssOf, run } from './serve-memory.js';

const here = dirname(fileURLToPath(import.meta.url));
const QUICKSTART = join(here, '..', ...(import.meta.url.endsWith('.ts') ? [] : ['..']), 'scenarios', 'quickstart.yaml');

interface Side {
  deliveries: number;
  collectorMs: number;
  peakRssMiB: number;
  wallMs: number;
}

/** sample a process's VmHWM every 100 ms until it exits; resolves with the peak (bytes) */
function peakOf(pid: number, exited: Promise<unknown>): Promise<number> {
  let peak = 0;
  const t = setInterval(() => {
    const m = rssOf(pid);
    if (m && Number.isFinite(m.hwm)) peak = Math.max(peak, m.hwm);
  }, 100);
  return exited.then(() => {
    clearInterval(t);
    return peak;
  });
}

async function viaServe(dir: string, spill: string): Promise<Side> {
  const t0 = Date.now();
  const serve = spawn(
    process.execPath,
    [...node(CLI), 'serve', dir, '--speed', 'max', '--json', '--port', '0', '--spill-dir', spill],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((r) => serve.once('exit', r));
  const peak = peakOf(serve.pid as number, exited);
  try {
    const info = JSON.parse(await firstLine(serve)) as Record<string, unknown> & {
      bench: { url: string; token: string };
    };
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(info)) if (k.startsWith('ENUMBENCH_') && typeof v === 'string') env[k] = v;
    const c = JSON.parse(await run(node(COLLECTOR), env)) as { ms: number };
    const ledger = (await (
      await fetch(`${info.bench.url}/bench/ledger`, { headers: { Authorization: `Bearer ${info.bench.token}` } })
    ).json()) as { published: { deliveries: number } };
    serve.kill('SIGINT');
    return {
      deliveries: ledger.published.deliveries,
      collectorMs: c.ms,
      peakRssMiB: (await peak) / 2 ** 20,
      wallMs: Date.now() - t0,
    };
  } finally {
    if (serve.exitCode === null) serve.kill('SIGKILL');
  }
}

async function viaRun(dir: string, out: string, deliveries: number): Promise<Side> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...node(CLI),
      'run',
      dir,
      '--detector',
      `process:${[process.execPath, ...node(COLLECTOR)].join(' ')}`,
      '--speed',
      'max',
      '--drain',
      '10m',
      '--allow-no-gates',
      '--accept-scaled-latency',
      '--out',
      out,
      '--quiet',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_FIGURES_TO: 'stderr' } },
  );
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const peak = peakOf(child.pid as number, code);
  const status = await code;
  // 1: the scenario's gates are crossed, as they must be by a collector that never alerts
  if (status !== 0 && status !== 1) throw new Error(`run exited ${status}: ${err.slice(-2000)}`);
  const logs = join(out, 'detector');
  const log = readFileSync(join(logs, readdirSync(logs)[0] as string), 'utf8');
  const c = JSON.parse(log.trim().split('\n').pop() as string) as { ms: number };
  return { deliveries, collectorMs: c.ms, peakRssMiB: (await peak) / 2 ** 20, wallMs: Date.now() - t0 };
}

export async function processVsServe(): Promise<{ serve: Side; process: Side }> {
  const root = join(tmpdir(), 'enumbench-bench-process');
  mkdirSync(root, { recursive: true });
  const dir = join(root, 'quickstart');
  try {
    rmSync(dir, { recursive: true, force: true });
    await run([...node(CLI), 'generate', QUICKSTART, '--out', dir, '--no-progress', '--json']);
    const serve = await viaServe(dir, join(root, 'spill'));
    const proc = await viaRun(dir, join(root, 'out'), serve.deliveries);
    return { serve, process: proc };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (s: Side) => (s.deliveries / Math.max(1, s.collectorMs)) * 1000;

export const processRunBenchmark: Benchmark = {
  name: 'process-run',
  description:
    '`run --detector process:` vs `serve` over the quickstart at --speed max, one collector that keeps nothing',
  async run(): Promise<Figure[]> {
    const r = await processVsServe();
    const line = (s: Side) =>
      `${fmt(rate(s))} deliveries/s (${fmt(s.deliveries)} in ${(s.collectorMs / 1000).toFixed(1)} s), peak RSS ${fmt(s.peakRssMiB)} MiB, wall ${(s.wallMs / 1000).toFixed(1)} s`;
    return [
      { label: 'serve + collector', value: line(r.serve) },
      { label: 'run --detector process: (same collector)', value: line(r.process) },
      {
        label: 'process: / serve',
        value: `rate ${(rate(r.process) / rate(r.serve)).toFixed(2)} (target ≥ 0.5), RSS ${(r.process.peakRssMiB / r.serve.peakRssMiB).toFixed(2)} (target ≤ 1.10)`,
      },
    ];
  },
};
