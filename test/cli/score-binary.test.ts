// @module-tag slow
/**
 * `enumbench score` through the built binary, as a CI job runs it. Like test/cli/cli.test.ts it
 * needs `npm run build` first (`npm test` does it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAlertsJsonl } from '../../src/scoring/index.js';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { makeTruth, received, writeWorld } from '../scoring/world.js';

let dir = '';

beforeAll(() => {
  dir = tempDir('enumbench-bin-');
  const truth = makeTruth();
  writeWorld(dir, truth);
  writeFileSync(
    join(dir, 'alerts.jsonl'),
    formatAlertsJsonl([received({ rule: 'bulk', sessionId: 'sess-hound' }, 640)], {
      scenario: truth.scenario.name,
      hash: truth.scenario.hash,
      seed: truth.seed,
    }),
  );
});

const enumbench = (args: string[]) => runBin(args, { cwd: dir, env: { GITHUB_STEP_SUMMARY: undefined } });

describe('enumbench score (built binary)', () => {
  it('exits 0 when the gates hold', async () => {
    const r = await enumbench([
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--threshold',
      'recall{technique:azurehound}>=1',
    ]);
    expect(r.stdout).toContain('✓ recall{technique:azurehound} >= 1  observed=1.00 (n=1, 95% ≥ 0.21)');
    expect(r.code).toBe(0);
  });

  it('exits 1 on a crossed gate and writes a JUnit file that says why', async () => {
    const r = await enumbench([
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--threshold',
      'recall>=1',
      '--report',
      'junit',
      '--out',
      'rep',
    ]);
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'rep/junit.xml'), 'utf8')).toContain(
      '<failure message="observed=0.50 (n=2, 95% ≥ 0.09)"',
    );
  });

  it('exits 4 on invalid input', async () => {
    const r = await enumbench([
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--threshold',
      'recal>=1',
    ]);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('unknown metric "recal"');
    expect((await enumbench(['score', '--truth', 'truth.json'])).code).toBe(4);
  });
});
