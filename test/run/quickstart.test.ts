/**
 * The real pipeline on the quickstart: the generators write a dataset, builtin:volume replays it in
 * lockstep, scoring judges it; twice, byte for byte; and `score` on the run's alerts file gives the
 * same scorecard.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import type { CliIO } from '../../harness/cli/io.js';
import { runCli } from '../../harness/cli/program.js';
import { generateDataset } from '../../harness/dataset/generate.js';
import { runDatasets, runScenarios, seedsFor } from '../../harness/run/index.js';
import { loadScenarioFile } from '../../harness/scenario-files.js';
import { renderSummaryJson } from '../../src/report/index.js';
import { judgingSeeds } from '../../src/scoring/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir = '';

beforeAll(async () => {
  const catalog = buildCatalog();
  const r = await loadScenarioFile(join(ROOT, 'scenarios', 'quickstart.yaml'), catalog);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  dir = mkdtempSync(join(tmpdir(), 'enumbench-quickstart-'));
  generateDataset(r.scenario, { out: dir, scenarioHash: r.hash, toolVersion: 'test' });
});

describe('quickstart, in process', () => {
  it('builtin:volume catches the listing; two runs give byte-identical summary.json; score reproduces it', async () => {
    const run = () => runDatasets({ datasets: [dir], detector: 'builtin:volume', cwd: dir, version: 'test' });
    const a = await run();
    const b = await run();
    expect(a.detectorFailures).toEqual([]);
    const card = a.report.scenarios[0]?.card;
    expect(card?.metrics.recall?.value).toBe(1);
    expect(card?.metrics.leaks?.value).toBe(0);
    expect(card?.campaigns[0]?.matchedBy).toBe('evidence');
    expect(renderSummaryJson(a.report)).toBe(renderSummaryJson(b.report));

    writeFileSync(join(dir, 'alerts.jsonl'), a.alerts[0]?.text ?? '');
    let out = '';
    const io: CliIO = {
      out: (t) => {
        out += t;
      },
      err: () => {},
      env: { NO_COLOR: '1' },
      cwd: dir,
      stdoutIsTTY: false,
      stderrIsTTY: false,
    };
    expect(await runCli(['node', 'enumbench', 'score', '--truth', dir, '--alerts', 'alerts.jsonl', '--json'], io)).toBe(
      0,
    );
    expect(JSON.parse(out).scenarios[0].metrics).toEqual(JSON.parse(JSON.stringify(card?.metrics)));
  });
});

describe('runScenarios', () => {
  it('generates each judging seed, runs, combines, and gates on the scenario expect: block', async () => {
    const catalog = buildCatalog();
    const file = join(ROOT, 'scenarios', 'quickstart.yaml');
    const r = await loadScenarioFile(file, catalog);
    if (!r.ok) throw new Error('load');
    const workDir = mkdtempSync(join(tmpdir(), 'enumbench-work-'));
    const out = await runScenarios({
      scenarios: [{ file: 'scenarios/quickstart.yaml', scenario: r.scenario, hash: r.hash }],
      seeds: 2,
      workDir,
      detector: 'builtin:volume',
      cwd: workDir,
      version: 'test',
    });
    expect(seedsFor(r.scenario, undefined, 2)).toEqual(judgingSeeds(1089, 2));
    expect(out.datasets).toHaveLength(2);
    const s = out.report.scenarios[0];
    expect(s?.card.runs.map((x) => x.seed)).toEqual(judgingSeeds(1089, 2));
    expect(s?.verdicts.filter((v) => v.origin === 'expect').map((v) => v.key)).toEqual([
      'recall',
      'latency.p95',
      'false_positives_per_day',
    ]);
    expect(s?.replay).toBe('enumbench run scenarios/quickstart.yaml --seed 1089 --seeds 2 --detector builtin:volume');
  });
});
