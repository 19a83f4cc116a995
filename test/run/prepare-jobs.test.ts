// @module-tag slow
/**
 * `run` and `serve` generate a scenario's dataset with `--jobs` worker threads (default auto): the
 * datasets are the bytes one thread writes, for every seed of a `--seeds` run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import { prepareInputs } from '../../harness/run/run-scenarios.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-prepare-jobs-');

const SCENARIO = `
name: prepare-jobs
seed: 7
tenant: {users: 120, countries: [US]}
time: {start: 2026-11-02T13:00:00Z, duration: 2h}
telemetry: {collection: e5-diagnostics}
activity:
  - profile: workforce
attacks:
  - id: listing
    technique: graph-user-listing
    actor: {account: random-user}
    at: "+30m"
`;

describe('prepareInputs with worker threads', () => {
  it('writes the same datasets with jobs 1, 2 and auto, seed by seed', async () => {
    const file = join(tmp, 'prepare-jobs.yaml');
    writeFileSync(file, SCENARIO);
    const prepare = (jobs: number | 'auto') =>
      prepareInputs({
        inputs: [file],
        catalog: buildCatalog(),
        cwd: tmp,
        out: join(tmp, `jobs-${jobs}`),
        version: 'test',
        seeds: 2,
        jobs,
      });
    const [one] = await prepare(1);
    const [two] = await prepare(2);
    const [auto] = await prepare('auto');
    expect(one?.seeds).toHaveLength(2);
    expect(two?.seeds).toEqual(one?.seeds);
    const manifests = (dirs: readonly string[]) =>
      dirs.map((d) => JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')).files);
    const a = manifests(one?.datasets ?? []);
    const b = manifests(two?.datasets ?? []);
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
    expect(manifests(auto?.datasets ?? [])).toEqual(a);
    // two seeds, two different datasets: the comparison is not between empty or equal files
    expect(a[0]['graph-activity.jsonl'].sha256).not.toBe(a[1]['graph-activity.jsonl'].sha256);
    expect(a[0]['graph-activity.jsonl'].bytes).toBeGreaterThan(0);
  });
});
