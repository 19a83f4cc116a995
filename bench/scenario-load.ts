import { performance } from 'node:perf_hooks';
import { buildCatalog } from '../harness/catalog.js';
import { loadScenario } from '../src/scenario/index.js';
import type { Benchmark } from './index.js';

const CONTRACT_EXAMPLE = `
name: bench
seed: 1089
tenant: {users: 2000, roles: {Global Administrator: 3, Exchange Administrator: 2, Helpdesk Administrator: 12}, countries: [US, GB]}
time: {start: 2026-11-02T00:00:00Z, duration: 7d, history: 14d}
telemetry: {collection: e5-diagnostics}
delivery:
  ual: {latency: {median: 60m, p95: 90m, max: 12h}, blob: {maxRecords: 2000, maxSpan: 5m}, duplicates: 0.002}
activity:
  - profile: workforce
expect:
  recall: ">= 1"
  precision: ">= 0.8"
  latency.p95: "<= 2h"
  false_positives_per_day: "<= 1"
`;
const BROKEN = 'name: x\ntenant:\n  userz: 10\ntime:\n  duration: 7x\nexpect:\n  recal: ">= 1"\n';

/** "A typo fails in milliseconds" (STYLE.md 2): how long the loader takes on a full and a broken scenario. */
export const scenarioLoadBenchmark: Benchmark = {
  name: 'scenario-load',
  description: 'parse, validate and normalise a scenario (the loader every command runs first)',
  async run() {
    const catalog = buildCatalog();
    const time = (text: string) => {
      for (let i = 0; i < 50; i++) loadScenario(text, 'bench.yaml', catalog);
      const n = 500;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) loadScenario(text, 'bench.yaml', catalog);
      return (performance.now() - t0) / n;
    };
    return [
      { label: 'valid scenario (contract example)', value: `${time(CONTRACT_EXAMPLE).toFixed(2)} ms per load` },
      { label: 'scenario with three mistakes', value: `${time(BROKEN).toFixed(2)} ms per load` },
    ];
  },
};
