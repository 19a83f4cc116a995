/**
 * One generation for bench/generate.ts, in its own process so that its CPU time and peak memory
 * are its own: `node generate-child.js <scenario.yaml> <out> <jobs>` prints one JSON line.
 * jobs 1 generates on this thread (generateDataset), more with worker threads (--jobs).
 */
import { readFileSync } from 'node:fs';
import { buildCatalog } from '../harness/catalog.js';
import { generateDataset } from '../harness/dataset/generate.js';
import { generateDatasetParallel } from '../harness/dataset/generate-parallel.js';
import { wallNow } from '../src/core/clock.js';
import { loadScenario } from '../src/scenario/index.js';

const [file, out, jobsArg] = process.argv.slice(2);
if (!file || !out) throw new Error('usage: generate-child <scenario.yaml> <out> [jobs]');
const jobs = Number(jobsArg ?? 1);
const r = loadScenario(readFileSync(file, 'utf8'), file, buildCatalog());
if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
const opts = { out, scenarioHash: r.hash, toolVersion: 'bench' };
const cpu0 = process.cpuUsage();
const t0 = wallNow();
const res = jobs > 1 ? await generateDatasetParallel(r.scenario, { ...opts, jobs }) : generateDataset(r.scenario, opts);
const ms = wallNow() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    records: res.records,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytes: Object.values(res.manifest.files).reduce((n, f) => n + f.bytes, 0),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
