/**
 * `enumbench score` through the built binary (`npm run build` output), as a CI job runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAlertsJsonl } from '../../src/scoring/index.js';
import { makeDelivery, makeLabels, makeTruth, received } from '../scoring/world.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'dist/harness/cli/main.js');
let dir = '';

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    {
      cwd: ROOT,
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'enumbench-bin-'));
  const truth = makeTruth();
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  writeFileSync(
    join(dir, 'labels.jsonl'),
    makeLabels()
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  writeFileSync(
    join(dir, 'delivery.jsonl'),
    makeDelivery()
      .map((d) => JSON.stringify(d))
      .join('\n'),
  );
  writeFileSync(
    join(dir, 'alerts.jsonl'),
    formatAlertsJsonl([received({ rule: 'bulk', sessionId: 'sess-hound' }, 640)], {
      scenario: truth.scenario.name,
      hash: truth.scenario.hash,
      seed: truth.seed,
    }),
  );
}, 120_000);

const enumbench = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' },
  });

describe('enumbench score (built binary)', () => {
  it('exits 0 when the gates hold', () => {
    const r = enumbench([
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--threshold',
      'recall{technique:azurehound}>=1',
    ]);
    expect(r.stdout).toContain('✓ recall{technique:azurehound} >= 1  observed=1.00 (n=1, 95% ≥ 0.21)');
    expect(r.status).toBe(0);
  });

  it('exits 1 on a crossed gate and writes a JUnit file that says why', () => {
    const r = enumbench([
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
    expect(r.status).toBe(1);
    expect(readFileSync(join(dir, 'rep/junit.xml'), 'utf8')).toContain(
      '<failure message="observed=0.50 (n=2, 95% ≥ 0.09)"',
    );
  });

  it('exits 4 on invalid input', () => {
    const r = enumbench(['score', '--truth', 'truth.json', '--alerts', 'alerts.jsonl', '--threshold', 'recal>=1']);
    expect(r.status).toBe(4);
    expect(r.stdout).toContain('unknown metric "recal"');
    expect(enumbench(['score', '--truth', 'truth.json']).status).toBe(4);
  });
});
