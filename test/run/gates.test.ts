// @module-tag slow
/**
 * Gates travel with the data (issue 14): a dataset's manifest carries the scenario's `expect:`
 * block and its sha256; `run DIR` and `score` apply it unless `--no-expect`; every report says where
 * its gates came from; a run gated by nothing but the built-in leak check exits 4 unless
 * `--allow-no-gates`; a baseline of another scenario or seed set is refused, saying what differs.
 * Through the built binary, as a CI job runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-gates-');
const SCENARIO = join(tmp, 'gated.yaml');
const OTHER = join(tmp, 'other.yaml');
const SILENT = ['--detector', 'module:./silent.mjs', '--no-progress'];
const DS7 = join(tmp, 'ds7');
const DS8 = join(tmp, 'ds8');

const scenario = (name: string) => `name: ${name}
description: A 40-user tenant for one hour; one account pages through the users from a VPS.
seed: 7
tenant: {users: 40}
time: {start: 2026-11-02T13:00:00Z, duration: 1h}
activity: [{profile: workforce}]
attacks:
  - technique: graph-user-listing
    session: {network: vps, signIn: password}
    at: "+20m"
expect:
  recall: ">= 1"
  false_positives_per_day: "<= 5"
`;

const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);

beforeAll(async () => {
  writeFileSync(SCENARIO, scenario('gated'));
  writeFileSync(OTHER, scenario('other'));
  writeFileSync(
    join(tmp, 'silent.mjs'),
    `export default () => ({ name: 'silent', start() {}, ingest() {}, stop() {} });\n`,
  );
  writeFileSync(join(tmp, 'empty.jsonl'), '');
  for (const [dir, seed] of [
    [DS7, '7'],
    [DS8, '8'],
  ] as const) {
    const g = await runBin(['generate', SCENARIO, '--out', dir, '--seed', seed, '--quiet'], { cwd: tmp });
    expect(g.code, g.stderr).toBe(0);
  }
});

describe('gates travel with the data', () => {
  it('the manifest carries the expect block and its sha256', () => {
    const m = JSON.parse(readFileSync(join(DS7, 'manifest.json'), 'utf8'));
    expect(m.expect).toEqual({ recall: ['>= 1'], false_positives_per_day: ['<= 5'] });
    expect(m.expectSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('run DIR applies them: a detector that finds nothing fails (it used to pass on the leak check alone)', async () => {
    const out = join(tmp, 'run-dir');
    const r = await runBin(['run', 'ds7', ...SILENT, '--out', out], { cwd: tmp });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/failed: 1 of 3 gate\(s\) crossed/);
    expect(r.stdout).toMatch(/expect: 2 gate\(s\) from ds7\/manifest\.json \(expect sha256 [0-9a-f]{12}\)/);
    const s = summary(out);
    expect(s.scenarios[0].gates[0]).toMatchObject({ origin: 'expect', from: 'ds7/manifest.json', count: 2 });
    expect(s.scenarios[0].thresholds.find((v: { key: string }) => v.key === 'recall')).toMatchObject({
      origin: 'expect',
      status: 'fail',
    });
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('expect: 2 gate(s) from ds7/manifest.json');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(
      'Gates from: expect: 2 gate(s) from ds7/manifest.json',
    );
  });

  it('score applies them too: an empty alerts file fails', async () => {
    const r = await runBin(['score', '--truth', 'ds7', '--alerts', 'empty.jsonl'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/expect: 2 gate\(s\) from ds7\/manifest\.json/);
  });

  it('--no-expect leaves no gate: exit 4 with a verdict that says so; --allow-no-gates lets it pass', async () => {
    const r = await runBin(['run', 'ds7', ...SILENT, '--no-expect', '--out', join(tmp, 'no-expect')], { cwd: tmp });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/no gates: "gated" has no gate but the built-in leak check/);
    expect(r.stdout).toMatch(/expect: 0 gate\(s\) from ds7\/manifest\.json \(ignored \(--no-expect\)\)/);
    expect(summary(join(tmp, 'no-expect')).outcome).toBe('ungated');
  });

  it('score --no-expect: the same', async () => {
    const s = await runBin(['score', '--truth', 'ds7', '--alerts', 'empty.jsonl', '--no-expect'], { cwd: tmp });
    expect(s.code).toBe(4);
    expect(s.stdout).toMatch(/no gates: "gated"/);
  });

  it('--allow-no-gates lets a run without gates pass, and says so', async () => {
    const a = await runBin(
      ['run', 'ds7', ...SILENT, '--no-expect', '--allow-no-gates', '--out', join(tmp, 'allowed')],
      { cwd: tmp },
    );
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/passed without gates \(--allow-no-gates\): "gated" checked for leaks only/);
    expect(summary(join(tmp, 'allowed')).allowNoGates).toBe(true);
  });

  it('a run DIR of a scenario file applies the file’s expect and names the file', async () => {
    const r = await runBin(['run', 'gated.yaml', ...SILENT, '--out', join(tmp, 'from-yaml')], { cwd: tmp });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/expect: 2 gate\(s\) from gated\.yaml/);
  });

  it('a manifest whose gates were edited after generation is refused', async () => {
    const dir = join(tmp, 'edited');
    const g = await runBin(['generate', SCENARIO, '--out', dir, '--quiet'], { cwd: tmp });
    expect(g.code).toBe(0);
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    m.expect = { recall: ['>= 0'] };
    writeFileSync(path, JSON.stringify(m, null, 2));
    const r = await runBin(['run', 'edited', ...SILENT, '--out', join(tmp, 'edited-out')], { cwd: tmp });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/edited\/manifest\.json: its expect block does not match its expectSha256/);
    noStack(r.stderr);
  });
});

describe('a baseline of another scenario, seed set or format version is refused', () => {
  const base = join(tmp, 'base');
  const file = join(base, 'summary.json');
  beforeAll(async () => {
    const b = await runBin(['run', 'ds7', ...SILENT, '--allow-no-gates', '--no-expect', '--out', base], {
      cwd: tmp,
    });
    expect(b.code, b.stderr).toBe(0);
  });

  it('another seed set: says what differs, before the detector runs', async () => {
    const seed = await runBin(['run', 'ds8', ...SILENT, '--baseline', file, '--out', join(tmp, 'b1')], { cwd: tmp });
    expect(seed.code).toBe(4);
    expect(seed.stderr).toMatch(/is not a baseline for this run: scenario "gated" ran seed\(s\) 7; this run 8/);
    noStack(seed.stderr);
  });

  it('another scenario', async () => {
    const og = await runBin(['generate', OTHER, '--out', 'other-ds', '--quiet'], { cwd: tmp });
    expect(og.code).toBe(0);
    const other = await runBin(['run', 'other-ds', ...SILENT, '--baseline', file, '--out', join(tmp, 'b2')], {
      cwd: tmp,
    });
    expect(other.code).toBe(4);
    expect(other.stderr).toMatch(/it has no scenario "other" \(it has "gated"\)/);
  });

  it('another version of the scenario (score)', async () => {
    const s = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      join(tmp, 'edited-base.json'),
      JSON.stringify({ ...s, scenarios: [{ ...s.scenarios[0], hash: 'f'.repeat(64) }] }),
    );
    const hash = await runBin(
      ['score', '--truth', 'ds7', '--alerts', 'empty.jsonl', '--baseline', 'edited-base.json'],
      { cwd: tmp },
    );
    expect(hash.code).toBe(4);
    expect(hash.stderr).toMatch(
      /scenario "gated" was made from another version of the scenario \(hash ffffffffffff; this run [0-9a-f]{12}\)/,
    );
  });

  it('another dataset format version', async () => {
    const s = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(join(tmp, 'old-format.json'), JSON.stringify({ ...s, datasetFormatVersion: 0 }));
    const fmt = await runBin(['run', 'ds7', ...SILENT, '--baseline', 'old-format.json', '--out', join(tmp, 'b3')], {
      cwd: tmp,
    });
    expect(fmt.code).toBe(4);
    expect(fmt.stderr).toMatch(/dataset format 0; this run has schema \d+ and dataset format \d+/);
  });

  it('the same scenario and seeds: accepted, and named as a gate source', async () => {
    const same = await runBin(['run', 'ds7', ...SILENT, '--baseline', file, '--out', join(tmp, 'b4')], { cwd: tmp });
    expect(same.code, same.stderr).toBe(1);
    expect(same.stdout).toMatch(/baseline: 4 gate\(s\) from .*base\/summary\.json/);
  });
});
