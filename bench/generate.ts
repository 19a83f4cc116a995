/**
 * Generation throughput and memory: the quickstart mix (workforce + graph-user-listing) scaled to a
 * 2,000-user tenant, written as JSONL to a temporary directory.
 *
 *   one core     generate in this process, records/s by wall clock and by CPU time, peak RSS
 *   two cores    two `generate --shard i/2` processes side by side (both halves of one dataset)
 *   long run     ENUMBENCH_BENCH_LONG=1: a ~10-million-record run, to show memory stays flat
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../harness/catalog.js';
import { generateDataset } from '../harness/dataset/generate.js';
import { loadScenario } from '../src/scenario/index.js';
import type { Benchmark, Figure } from './index.js';

const scenarioText = (users: number, duration: string) => `
name: bench-generate
seed: 1089
tenant: {users: ${users}, countries: [US, GB], roles: {Global Administrator: 3, Exchange Administrator: 2, Helpdesk Administrator: 8}}
time: {start: 2026-11-02T00:00:00Z, duration: ${duration}}
telemetry: {collection: e5-diagnostics}
activity:
  - profile: workforce
attacks:
  - id: listing
    technique: graph-user-listing
    actor: {account: random-user}
    session: {network: vps, country: NL, signIn: password}
    at: "+14h20m"
`;

function load(text: string) {
  const r = loadScenario(text, 'bench.yaml', buildCatalog());
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r;
}

function runOneCore(text: string): Figure[] {
  const r = load(text);
  const out = mkdtempSync(join(tmpdir(), 'enumbench-bench-'));
  const cpu0 = process.cpuUsage();
  const res = generateDataset(r.scenario, { out, scenarioHash: r.hash, toolVersion: 'bench' });
  const cpu = process.cpuUsage(cpu0);
  const bytes = Object.values(res.manifest.files).reduce((n, f) => n + f.bytes, 0);
  rmSync(out, { recursive: true, force: true });
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return [
    { label: 'records', value: res.records.toLocaleString('en-US') },
    { label: 'one core: records/s (wall)', value: Math.round(res.records / (res.ms / 1000)).toLocaleString('en-US') },
    { label: 'one core: records per CPU-second', value: Math.round(res.records / cpuS).toLocaleString('en-US') },
    {
      label: 'written',
      value: `${(bytes / 2 ** 20).toFixed(0)} MiB (${Math.round(bytes / res.records)} B per record incl. delivery+labels)`,
    },
    { label: 'peak RSS (this process)', value: `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB` },
  ];
}

async function runTwoCores(text: string): Promise<Figure[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const cli = join(here, '..', 'harness', 'cli', 'main.js');
  const dir = mkdtempSync(join(tmpdir(), 'enumbench-bench2-'));
  const file = join(dir, 'bench.yaml');
  writeFileSync(file, text);
  const t0 = process.hrtime.bigint();
  const results = await Promise.all(
    [0, 1].map(
      (i) =>
        new Promise<number>((resolve, reject) => {
          const p = spawn(
            process.execPath,
            [cli, 'generate', file, '--out', join(dir, `s${i}`), '--shard', `${i}/2`, '--json', '--no-progress'],
            {
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          let out = '';
          p.stdout.on('data', (d) => {
            out += d;
          });
          p.on('close', (code) =>
            code === 0
              ? resolve((JSON.parse(out) as { records: number }).records)
              : reject(new Error(`shard ${i} exit ${code}`)),
          );
        }),
    ),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  const n = results.reduce((a, b) => a + b, 0);
  return [
    {
      label: 'two cores (2 shard processes): records/s',
      value: `${Math.round(n / s).toLocaleString('en-US')} (${n.toLocaleString('en-US')} records in ${s.toFixed(1)} s incl. start-up)`,
    },
  ];
}

export const generateBenchmark: Benchmark = {
  name: 'generate',
  description: 'write a dataset (quickstart mix, 2,000 users, 2 days) as JSONL: records/s and peak memory',
  async run() {
    const text = scenarioText(2000, '2d');
    const figures = runOneCore(text);
    figures.push(...(await runTwoCores(text)));
    if (process.env.ENUMBENCH_BENCH_LONG === '1') {
      const long = runOneCore(scenarioText(4000, '28d'));
      for (const f of long) figures.push({ label: `long run: ${f.label}`, value: f.value });
    }
    return figures;
  },
};
