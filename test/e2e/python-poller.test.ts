// @module-tag slow
/**
 * examples/detectors/poller.py end to end: the Python 3 standard-library poller of the Management
 * Activity API and the Graph activity feed, run unchanged by `enumbench run --detector process:`
 * over the built binary, on the end-to-end tests' small scenario (the README's quickstart command
 * is the same with scenarios/quickstart.yaml; it takes minutes, so it is checked by hand).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-py-poller-');
const DATASET = join(tmp, 'ds');
const POLLER = `process:python3 ${join(ROOT, 'examples', 'detectors', 'poller.py')}`;
const metrics = (out: string) =>
  (
    JSON.parse(readFileSync(join(tmp, out, 'summary.json'), 'utf8')) as {
      scenarios: { metrics: Record<string, { value: number | null }> }[];
    }
  ).scenarios[0]?.metrics ?? {};

beforeAll(async () => {
  writeFileSync(join(tmp, 'small.yaml'), smallScenario());
  const g = await runBin(['generate', join(tmp, 'small.yaml'), '--out', DATASET], { cwd: tmp });
  expect(g.code).toBe(0);
}, 120_000);

const run = (out: string, extra: string[], env: Record<string, string> = {}) =>
  runBin(['run', DATASET, '--detector', POLLER, '--out', join(tmp, out), '--allow-no-gates', ...extra], {
    cwd: tmp,
    env,
    timeoutMs: 180_000,
  });

describe('examples/detectors/poller.py', () => {
  it('collects every record it is served (paging, blobs, append-blob ranges): alerting on each detects the campaign', async () => {
    // a wall-clock poller at --speed max: it exits by itself once the clock says done, ending the drain
    const r = await run('all', ['--drain', '2m'], { ALERT_ON: 'all', POLL_SECONDS: '1' });
    expect(r.stderr).toMatch(/never collected 0/);
    expect(r.code).toBe(0);
    const m = metrics('all');
    expect(m.recall?.value).toBe(1);
    expect(m.missed_never_collected?.value).toBe(0);
  });

  it('in HTTP lockstep, its rule detects the listing; the misses are split three ways', async () => {
    const r = await run('rule', ['--speed', 'lockstep', '--tick', '5m', '--drain', '2m'], { MIN_OBJECTS: '50' });
    expect(r.code).toBe(0);
    const m = metrics('rule');
    expect(m.recall?.value).toBe(1);
    for (const k of ['missed_unobservable', 'missed_never_collected', 'missed_not_detected'])
      expect(m[k]?.value).toBe(0);
    expect(r.stdout).toMatch(/missed\.+: unobservable=0 never_collected=0 not_detected=0/);
  });
});
