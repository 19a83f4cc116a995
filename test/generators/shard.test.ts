// @module-tag slow
/**
 * `--shard i/n`: disjoint parts of the same dataset (actors partitioned, world plan shared) whose
 * merge equals the unsharded dataset byte for byte; and a dataset written twice has identical sha256s.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../../generators/world/plan.js';
import { generateDataset } from '../../harness/dataset/generate.js';
import { generateDatasetParallel } from '../../harness/dataset/generate-parallel.js';
import { mergeShards } from '../../harness/dataset/merge.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { attack, makeScenario } from './helpers/scenario.js';

const H = 3_600_000;
const start = '2026-11-03T00:00:00Z';
const s = makeScenario({
  users: 50,
  durationMs: 20 * H,
  historyMs: 6 * H,
  start,
  attacks: [
    attack({ id: 'a', at: Date.parse(start) + 14 * H, options: { pageSize: 10 } }),
    attack({ id: 'b', at: Date.parse(start) + 16 * H, options: { pageSize: 25 } }),
  ],
});
const root = mkdtempSync(join(tmpdir(), 'enumbench-shard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const gen = (out: string, shard: { index: number; count: number } | null = null, logAnalytics = false) =>
  generateDataset(s, { out: join(root, out), shard, scenarioHash: 'h', toolVersion: '0.0.0-test', logAnalytics });
/** a dataset's files, and its answer key's (beside it, DIR.truth/) as `key/<file>` */
const files = (dir: string) => ({
  ...Object.fromEntries(
    readdirSync(join(root, dir))
      .sort()
      .map((f) => [f, readFileSync(join(root, dir, f), 'utf8')]),
  ),
  ...Object.fromEntries(
    readdirSync(join(root, `${dir}.truth`))
      .sort()
      .map((f) => [`key/${f}`, readFileSync(join(root, `${dir}.truth`, f), 'utf8')]),
  ),
});

describe('datasets on disk', () => {
  const full = gen('full');

  it('writes the layout of CONTRACTS.md §3 with a sha256 per file', () => {
    const names = readdirSync(join(root, 'full')).sort();
    expect(names).toEqual(
      [
        'aad-graph-activity.jsonl',
        'delivery.jsonl',
        'endpoint-powershell.jsonl',
        'graph-activity.jsonl',
        'ip-networks.csv',
        'manifest.json',
        'signins.jsonl',
        'ual.jsonl',
      ].sort(),
    );
    for (const f of names.filter((n) => n !== 'manifest.json'))
      expect(full.manifest.files[f]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // the answer key: beside the dataset, never listed in its manifest
    expect(readdirSync(join(root, 'full.truth')).sort()).toEqual(['labels.jsonl', 'truth.json']);
    expect(full.truthDir).toBe(join(root, 'full.truth'));
    expect(Object.keys(full.manifest.files).filter((f) => /truth|labels/.test(f))).toEqual([]);
    expect(full.manifest.formatVersion).toBe(2);
  });

  it('is byte-identical when generated twice', () => {
    gen('again');
    expect(files('again')).toEqual(files('full'));
  });

  it('shards are disjoint and merge into the unsharded dataset', () => {
    const p0 = gen('s0', { index: 0, count: 2 });
    const p1 = gen('s1', { index: 1, count: 2 });
    expect(p0.records + p1.records).toBe(full.records);
    expect(p0.records).toBeGreaterThan(0);
    expect(p1.records).toBeGreaterThan(0);
    mergeShards([join(root, 's0'), join(root, 's1')], join(root, 'merged'), s, buildWorld(s).tenantId);
    expect(files('merged')).toEqual(files('full'));
  });

  it('with --log-analytics, the merged shards carry the same Log Analytics rows as the unsharded dataset', () => {
    gen('la-full', null, true);
    gen('la-s0', { index: 0, count: 2 }, true);
    gen('la-s1', { index: 1, count: 2 }, true);
    mergeShards([join(root, 'la-s0'), join(root, 'la-s1')], join(root, 'la-merged'), s, buildWorld(s).tenantId);
    const merged = files('la-merged');
    expect(merged['graph-activity.la.jsonl']?.length).toBeGreaterThan(1000);
    expect(merged).toEqual(files('la-full'));
  });

  it('worker threads (--jobs) write the same bytes as one thread, also for a shard', async () => {
    const base = { scenarioHash: 'h', toolVersion: '0.0.0-test' };
    const j2 = await generateDatasetParallel(s, { ...base, out: join(root, 'j2'), jobs: 2 });
    expect(j2.records).toBe(full.records);
    expect(files('j2')).toEqual(files('full'));
    // tiny batches: the ring of each worker turns hundreds of times
    await generateDatasetParallel(s, { ...base, out: join(root, 'j3'), jobs: 3, batchRecords: 7 });
    expect(files('j3')).toEqual(files('full'));
    gen('p1', { index: 1, count: 2 });
    await generateDatasetParallel(s, { ...base, out: join(root, 'p1j2'), jobs: 2, shard: { index: 1, count: 2 } });
    expect(files('p1j2')).toEqual(files('p1'));
  });

  it('worker threads report a scenario error as the one-thread run does', async () => {
    const dup = makeScenario({
      users: 10,
      durationMs: 2 * H,
      attacks: [],
      activity: [
        { id: 'w', profile: 'workforce', actors: null, schedule: null, app: null, options: {} },
        { id: 'w', profile: 'workforce', actors: null, schedule: null, app: null, options: {} },
      ],
    });
    const opts = { out: join(root, 'dup'), scenarioHash: 'h', toolVersion: '0.0.0-test' };
    expect(() => generateDataset(dup, opts)).toThrow(EnumbenchError);
    const err = await generateDatasetParallel(dup, { ...opts, jobs: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnumbenchError);
    expect((err as EnumbenchError).code).toBe('E_ACTOR_DUPLICATE');
  });
});
