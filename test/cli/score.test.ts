/**
 * `enumbench score` end to end through runCli with a fake CliIO, on the hand-built world written
 * to a temporary dataset directory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAlertsJsonl } from '../../src/scoring/index.js';
import { runInProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { at, HELPDESK, makeTruth, received, SYNC, writeWorld } from '../scoring/world.js';

const run = runInProcess;

let dir = '';
const truth = makeTruth();
const stamp = { scenario: truth.scenario.name, hash: truth.scenario.hash, seed: truth.seed };

beforeAll(() => {
  dir = tempDir('enumbench-score-');
  writeWorld(dir, truth);
  const alerts = [
    received({ rule: 'bulk', principal: HELPDESK, evidence: ['h1', 'h2', 'h3'] }, 655),
    received({ rule: 'bulk', principal: SYNC, evidence: ['s1', 's2'] }, 95),
    received({ rule: 'bulk', sessionId: 'sess-road' }, 1545),
  ];
  writeFileSync(join(dir, 'alerts.jsonl'), formatAlertsJsonl(alerts, stamp));
});

describe('enumbench score', () => {
  it('scores a run alerts file, prints the scorecard and exits 0 when every gate holds', async () => {
    const r = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--threshold',
      'recall>=1',
    ]);
    expect(r.stderr).toContain('using labels');
    expect(r.stdout).toContain('✓ recall >= 1  observed=1.00 (n=2, 95% ≥ 0.34)');
    expect(r.stdout).toContain('replay: enumbench score --truth truth.json --alerts alerts.jsonl');
    expect(r.code).toBe(0);
  });

  it('a failing threshold exits 1 and writes a JUnit file that says why; summary.json and Markdown too', async () => {
    const summaryMd = join(dir, 'step-summary.md');
    const r = await run(
      dir,
      [
        'score',
        '--truth',
        dir,
        '--alerts',
        'alerts.jsonl',
        '--threshold',
        'precision>=0.9',
        '--report',
        'json,junit,md',
        '--out',
        'rep',
      ],
      { GITHUB_STEP_SUMMARY: summaryMd },
    );
    expect(r.code).toBe(1);
    const junit = readFileSync(join(dir, 'rep', 'junit.xml'), 'utf8');
    expect(junit).toContain('<failure message="observed=0.67 (n=3, 95% ≥ 0.21)" type="threshold">');
    const summary = JSON.parse(readFileSync(join(dir, 'rep', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ schemaVersion: 2, outcome: 'failed' });
    expect(readFileSync(summaryMd, 'utf8')).toContain('## ❌ enumbench score: failed');
  });

  it('--json prints summary.json on stdout; the same inputs give byte-identical output', async () => {
    const a = await run(dir, ['score', '--truth', 'truth.json', '--alerts', 'alerts.jsonl', '--json']);
    const b = await run(dir, ['score', '--truth', 'truth.json', '--alerts', 'alerts.jsonl', '--json']);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).scenarios[0].metrics.recall.value).toBe(1);
    expect(a.stderr).toBe('');
  });

  it('malformed alerts are reported with their line and counted, the rest still scored, exit 4', async () => {
    const text = [
      JSON.stringify({ rule: 'bulk', sessionId: 'sess-hound', time: new Date(at(640)).toISOString() }),
      '{"rule": "bulk", "principal": 42, "time": "2026-11-02T10:00:00Z"}',
      'not json',
      JSON.stringify({ rule: 'bulk', principal: SYNC, severty: 'high', time: '2026-11-02T01:00:00Z' }),
      JSON.stringify({ rule: 'bulk', principal: SYNC }),
    ].join('\n');
    writeFileSync(join(dir, 'siem.jsonl'), text);
    const r = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'siem.jsonl',
      '--threshold',
      'recall>=0.5',
    ]);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('siem.jsonl:2: malformed alert: "principal" must be a string, not a number');
    expect(r.stdout).toContain('siem.jsonl:3: malformed alert: not valid JSON');
    expect(r.stdout).toContain('siem.jsonl:4: malformed alert: unknown field "severty"');
    expect(r.stdout).toContain('siem.jsonl:5: malformed alert: "time" is required');
    expect(r.stdout).toContain('malformed_alerts............: 4');
    expect(r.stdout).toContain('✓ recall >= 0.5');
  });

  it('a JSON array is accepted; latency gates refuse self-reported times', async () => {
    writeFileSync(
      join(dir, 'array.json'),
      JSON.stringify([{ rule: 'bulk', sessionId: 'sess-hound', time: new Date(at(640)).toISOString() }]),
    );
    const r = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'array.json',
      '--threshold',
      'latency.p95<=2h',
    ]);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('cannot gate: alert arrivals are self-reported');
  });

  it('refuses a truth file from another dataset', async () => {
    writeFileSync(join(dir, 'other.jsonl'), formatAlertsJsonl([], { ...stamp, seed: 7 }));
    const r = await run(dir, ['score', '--truth', 'truth.json', '--alerts', 'other.jsonl']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the alerts were raised on scenario "unit" seed 7');
  });

  it('a threshold on a slice the scorecard cannot provide is a clear error, the rest reported', async () => {
    const r = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--threshold',
      'false_positives{profile:backup-app}<=0',
      '--threshold',
      'recall>=1',
    ]);
    expect(r.code).toBe(4);
    // registered but absent from this run, or not registered at all: a clear error either way
    expect(r.stdout).toMatch(/no benign actor of profile "backup-app" in this run|unknown profile "backup-app"/);
    expect(r.stdout).toContain('✓ recall >= 1');
  });

  it('baseline regression gates; refused across format versions', async () => {
    await run(dir, ['score', '--truth', 'truth.json', '--alerts', 'alerts.jsonl', '--report', 'json', '--out', 'base']);
    const ok = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--baseline',
      'base/summary.json',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✓ recall >= 1 (baseline 1 - 0) [baseline]');
    writeFileSync(
      join(dir, 'worse.jsonl'),
      formatAlertsJsonl([received({ rule: 'bulk', sessionId: 'sess-road' }, 1545)], stamp),
    );
    const bad = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'worse.jsonl',
      '--baseline',
      'base/summary.json',
      '--max-regression',
      'recall=0.2',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('regressed from 1 to 0.5');
    const summary = JSON.parse(readFileSync(join(dir, 'base', 'summary.json'), 'utf8'));
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...summary, datasetFormatVersion: 0 }));
    const old = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--baseline',
      'old.json',
    ]);
    expect(old.code).toBe(4);
    expect(old.stderr).toContain('dataset format 0');
  });

  it('several --truth/--alerts pairs (one per seed) combine into one scorecard with Wilson intervals', async () => {
    const other = tempDir('enumbench-score-seed-');
    const t7 = { ...truth, seed: 7 };
    writeWorld(other, t7);
    writeFileSync(join(other, 'alerts.jsonl'), formatAlertsJsonl([], { ...stamp, seed: 7 }));
    const r = await run(dir, [
      'score',
      '--truth',
      'truth.json',
      '--alerts',
      'alerts.jsonl',
      '--truth',
      join(other, 'truth.json'),
      '--alerts',
      join(other, 'alerts.jsonl'),
      '--threshold',
      'recall.lower>=0.2',
    ]);
    expect(r.stdout).toContain('scenario unit · 2 seeds');
    expect(r.stdout).toContain('recall......................: 0.50 (2/4, 95% 0.15–0.85)');
    expect(r.stdout).toContain('✗ recall.lower >= 0.2  observed=0.15 (n=4)');
    expect(r.stdout).toContain('# seeds 1089, 7');
    expect(r.code).toBe(1);
    const bad = await run(dir, ['score', '--truth', 'truth.json', '--alerts', 'a', '--alerts', 'b']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('come in pairs');
  });

  it('an unknown report format is refused before any work', async () => {
    const r = await run(dir, ['score', '--truth', 'truth.json', '--alerts', 'alerts.jsonl', '--report', 'json,pdf']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('unknown report format "pdf"');
  });

  it('a missing file is a clear user error', async () => {
    const r = await run(dir, ['score', '--truth', 'nope.json', '--alerts', 'alerts.jsonl']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot read truth');
  });
});
