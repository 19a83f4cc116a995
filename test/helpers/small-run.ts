/**
 * The end-to-end tests of `run` with detectors that are programs: the small scenario generated once
 * into `<tmp>/ds` (with the test's detector files written beside it), and `run` over it through the
 * built binary with `--allow-no-gates`, each run into its own output folder under `tmp`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { runBin } from './cli.js';
import { smallScenario } from './small-scenario.js';

export function smallDatasetRuns(tmp: string, files: Record<string, string> = {}) {
  const dataset = join(tmp, 'ds');
  beforeAll(async () => {
    writeFileSync(join(tmp, 'small.yaml'), smallScenario());
    for (const [f, text] of Object.entries(files)) writeFileSync(join(tmp, f), text);
    const g = await runBin(['generate', join(tmp, 'small.yaml'), '--out', dataset], { cwd: tmp });
    expect(g.code).toBe(0);
  }, 120_000);
  const run = (detector: string, out: string, extra: string[] = [], env: Record<string, string> = {}) =>
    runBin(['run', dataset, '--detector', detector, '--out', join(tmp, out), '--allow-no-gates', ...extra], {
      cwd: tmp,
      env,
      timeoutMs: 120_000,
    });
  return { dataset, run };
}
