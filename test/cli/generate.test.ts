// @module-tag slow
/**
 * `enumbench generate` end to end (the built binary): the quickstart dataset, identical sha256s on a
 * second run, on one thread and with --jobs 2 (the default is --jobs auto), no Get-* ExchangeAdmin
 * records without the hypothesis, refusals with exit code 4.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTO_JOBS_MAX, AUTO_JOBS_MAX_USERS, autoJobs } from '../../harness/dataset/generate-parallel.js';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-gen-');

describe('enumbench generate', () => {
  it(
    'writes the quickstart dataset; twice gives identical sha256 sums',
    async () => {
      const a = await runBin(['generate', 'scenarios/quickstart.yaml', '--out', join(tmp, 'a'), '--no-progress']);
      expect(a.code).toBe(0);
      expect(a.stderr).toMatch(/seed 1089 · reproduce: enumbench generate scenarios\/quickstart\.yaml/);
      // the default is --jobs auto: one worker thread per core, at most two (the quickstart's 1,000 users)
      const threads = autoJobs(1000);
      expect(a.stderr).toContain(threads === 1 ? '(one thread)' : `${threads} worker threads)`);
      const b = await runBin([
        'generate',
        'scenarios/quickstart.yaml',
        '--out',
        join(tmp, 'b'),
        '--jobs',
        '1',
        '--quiet',
      ]);
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
      // three quickstart generations are CPU-bound work: the limit only catches a hang, so it leaves
      // room for a machine shared with other jobs (over 60 s under load 12)
    },
    10 * 60_000,
  );

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

  it('--log-analytics also writes the Graph requests as Log Analytics rows, one per record, in the manifest', async () => {
    const p = join(tmp, 'la.yaml');
    writeFileSync(
      p,
      'name: la\ntenant: {users: 40}\ntime: {start: 2026-11-03T14:00:00Z, duration: 3h}\nactivity:\n  - profile: workforce\n',
    );
    const r = await runBin(['generate', p, '--out', join(tmp, 'la'), '--log-analytics', '--quiet']);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(tmp, 'la', 'manifest.json'), 'utf8'));
    expect(m.files['graph-activity.la.jsonl'].bytes).toBeGreaterThan(0);
    const lines = (f: string) =>
      readFileSync(join(tmp, 'la', f), 'utf8')
        .split('\n')
        .filter(Boolean);
    const diag = lines('graph-activity.jsonl').map((l) => JSON.parse(l));
    const rows = lines('graph-activity.la.jsonl').map((l) => JSON.parse(l));
    expect(rows.length).toBe(diag.length);
    expect(rows.length).toBeGreaterThan(100);
    const workspace = rows[0].TenantId;
    for (const [i, row] of rows.entries()) {
      expect(row.Type).toBe('MicrosoftGraphActivityLogs');
      expect(row.RequestId).toBe(diag[i].properties.requestId);
      expect(row.TimeGenerated).toBe(diag[i].time);
      expect(row.ClientAuthMethod).toBe(Number(diag[i].properties.clientAuthMethod));
      expect(row.AadTenantId).toBe(diag[i].properties.tenantId);
      // the workspace is not the Entra tenant
      expect(row.TenantId).toBe(workspace);
      expect(row.TenantId).not.toBe(row.AadTenantId);
      expect(row._BilledSize).toBeGreaterThan(300);
    }
    // a collection without Graph activity logs: refused, with a hint
    const u = join(tmp, 'la-ual.yaml');
    writeFileSync(
      u,
      'name: la-ual\ntenant: {users: 10}\ntelemetry: {collection: ual-only}\nactivity:\n  - profile: workforce\n',
    );
    const bad = await runBin(['generate', u, '--out', join(tmp, 'la-ual'), '--log-analytics']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/does not collect them/);
    expect(bad.stderr).toMatch(/hint:/);
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

  it('--jobs takes auto or 1..64; anything else is refused with exit code 4', async () => {
    for (const v of ['0', '65', '1.5', 'many']) {
      const r = await runBin(['generate', 'scenarios/quickstart.yaml', '--out', join(tmp, 'never'), '--jobs', v]);
      expect(r.code, v).toBe(4);
      expect(r.stderr, v).toMatch(/jobs is auto or an integer 1\.\.64/);
    }
  });

  it('--jobs auto: one thread per core, at most two; one thread for tenants over 5,000 users', () => {
    expect(autoJobs(1000, 1)).toBe(1);
    expect(autoJobs(1000, 2)).toBe(2);
    expect(autoJobs(1000, 16)).toBe(AUTO_JOBS_MAX);
    expect(AUTO_JOBS_MAX).toBe(2);
    expect(autoJobs(1000, 0)).toBe(1);
    expect(autoJobs(AUTO_JOBS_MAX_USERS, 2)).toBe(2);
    expect(autoJobs(AUTO_JOBS_MAX_USERS + 1, 2)).toBe(1);
    expect(autoJobs(10_000, 16)).toBe(1);
  });
});
