// @module-tag slow
/**
 * The real pipeline on the quickstart: the generators write a dataset, builtin:volume replays it in
 * lockstep, scoring judges it; twice, byte for byte; and `score` on the run's alerts file gives the
 * same scorecard.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import type { CliIO } from '../../harness/cli/io.js';
import { runCli } from '../../harness/cli/program.js';
import { generateDataset } from '../../harness/dataset/generate.js';
import { runDatasets } from '../../harness/run/index.js';
import { loadScenarioFile } from '../../harness/scenario-files.js';
import { renderSummaryJson } from '../../src/report/index.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir = '';
/** generating, replaying twice and scoring the quickstart is CPU-bound work: the limit only catches a hang */
const HANG_LIMIT_MS = 10 * 60_000;

beforeAll(async () => {
  const catalog = buildCatalog();
  const r = await loadScenarioFile(join(ROOT, 'scenarios', 'quickstart.yaml'), catalog);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  dir = tempDir('enumbench-quickstart-');
  generateDataset(r.scenario, { out: dir, scenarioHash: r.hash, toolVersion: 'test' });
}, HANG_LIMIT_MS);

describe('quickstart, in process', () => {
  it(
    'builtin:volume catches the listing; two runs give byte-identical summary.json; score reproduces it',
    async () => {
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
      expect(
        await runCli(['node', 'enumbench', 'score', '--truth', dir, '--alerts', 'alerts.jsonl', '--json'], io),
      ).toBe(0);
      expect(JSON.parse(out).scenarios[0].metrics).toEqual(JSON.parse(JSON.stringify(card?.metrics)));
    },
    HANG_LIMIT_MS,
  );
});
