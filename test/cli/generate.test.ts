/**
 * `enumbench generate` end to end (the built binary): the quickstart dataset, identical sha256s on a
 * second run and with --jobs 2, no Get-* ExchangeAdmin records without the hypothesis, refusals
 * with exit code 4.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'enumbench-gen-'));

describe('enumbench generate', () => {
  it('writes the quickstart dataset; twice gives identical sha256 sums', async () => {
    const a = await runBin(['generate', 'scenarios/quickstart.yaml', '--out', join(tmp, 'a'), '--no-progress']);
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/seed 1089 · reproduce: enumbench generate scenarios\/quickstart\.yaml/);
    const b = await runBin(['generate', 'scenarios/quickstart.yaml', '--out', join(tmp, 'b'), '--quiet']);
    expect(b.code).toBe(0);
    const c = await runBin([
      'generate',
      'scenarios/quickstart.yaml',
      '--out',
      join(tmp, 'c'),
      '--jobs',
      '2',
      '--quiet',
    ]);
    expect(c.code).toBe(0);
    const ma = JSON.parse(readFileSync(join(tmp, 'a', 'manifest.json'), 'utf8'));
    const mb = JSON.parse(readFileSync(join(tmp, 'b', 'manifest.json'), 'utf8'));
    const mc = JSON.parse(readFileSync(join(tmp, 'c', 'manifest.json'), 'utf8'));
    expect(mb.files).toEqual(ma.files);
    // worker threads write the same bytes
    expect(mc.files).toEqual(ma.files);
    expect(Object.keys(ma.files)).toContain('graph-activity.jsonl');
    expect(ma.hypotheses).toEqual([]);
    const ual = readFileSync(join(tmp, 'a', 'ual.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const r of ual.filter((x) => x.RecordType === 1)) expect(r.Operation).not.toMatch(/^Get-/);
  });

  it('--json prints a machine summary; --shard writes a part', async () => {
    const r = await runBin([
      'generate',
      'scenarios/quickstart.yaml',
      '--out',
      join(tmp, 's0'),
      '--shard',
      '0/2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.manifest.shard).toEqual({ index: 0, count: 2 });
  });

  it('refuses a scenario the tenant cannot satisfy, with exit code 4 and a hint', async () => {
    const p = join(tmp, 'bad.yaml');
    writeFileSync(
      p,
      'name: bad\ntenant: {users: 5, roles: {Global Administrator: 4, Helpdesk Administrator: 3}}\nactivity:\n  - profile: workforce\n',
    );
    const r = await runBin(['generate', p, '--out', join(tmp, 'bad')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/hint:/);
    const bad = await runBin(['generate', p, '--out', join(tmp, 'bad'), '--shard', '2/2']);
    expect(bad.code).toBe(4);
    const jobs = await runBin(['generate', p, '--out', join(tmp, 'bad'), '--jobs', '2']);
    expect(jobs.code).toBe(4);
    expect(jobs.stderr).toMatch(/hint:/);
  });
});
