// @module-tag slow
/**
 * Progress and estimates (issue 14 item 5): replay showed no progress at all and generation a bar
 * only on a terminal, so CI logs were silent until the end. Now a plain line every interval without
 * a terminal (the interval injected: no test waits 10 s), silenced by --quiet; and `validate`
 * estimates records, disk and time — checked against a real generation.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../harness/cli/progress.js';
import { runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-progress-');

describe('the progress reporter without a terminal', () => {
  const make = (enabled = true) => {
    let now = 0;
    const lines: string[] = [];
    const p = createProgress({
      io: { err: (t) => lines.push(t), stderrIsTTY: false },
      enabled,
      intervalMs: 10_000,
      now: () => now,
    });
    return { p, lines, advance: (ms: number) => (now += ms) };
  };
  const at = Date.UTC(2026, 10, 2, 14, 0);

  it('prints a line once per interval: records, simulated time, rate, time left', () => {
    const { p, lines, advance } = make();
    p.start('generating x · seed 1');
    advance(9_999);
    p.update({ done: 0.25, records: 5_000, simTime: at });
    expect(lines).toEqual([]);
    advance(1);
    p.update({ done: 0.25, records: 10_000, simTime: at });
    expect(lines).toEqual([
      '  generating x · seed 1: 25% · 10000 records · simulated 2026-11-02T14:00Z · 1000 rec/s · about 30 s left\n',
    ]);
    advance(5_000);
    p.update({ done: 0.3, records: 12_000, simTime: at });
    expect(lines).toHaveLength(1);
    p.stop();
  });

  it('is silent when disabled (--quiet, --no-progress)', () => {
    const { p, lines, advance } = make(false);
    p.start('x');
    advance(60_000);
    p.update({ done: 0.5, records: 1, simTime: at });
    expect(lines).toEqual([]);
  });
});

describe('generate and validate', () => {
  const scenario = join(tmp, 'mid.yaml');
  writeFileSync(
    scenario,
    smallScenario()
      .replace('name: small', 'name: mid')
      .replace('tenant: {users: 60}', 'tenant: {users: 180}')
      .replace('duration: 2h', 'duration: 6h'),
  );

  it('generate prints progress lines on a pipe (CI); --quiet prints nothing', async () => {
    const a = await runBin(['generate', scenario, '--out', join(tmp, 'a'), '--progress-interval', '0'], { cwd: tmp });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(
      /^ {2}generating mid · seed 7: \d+% · \d+ records · simulated 2026-11-02T\d\d:\d\dZ · \d+ rec\/s · about .+ left$/m,
    );
    const q = await runBin(['generate', scenario, '--out', join(tmp, 'q'), '--progress-interval', '0', '--quiet'], {
      cwd: tmp,
    });
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr).toBe('');
  });

  it("validate's estimate is within a factor of 1.5 of a real generation's records and bytes", async () => {
    const v = await runBin(['validate', scenario, '--json'], { cwd: tmp });
    expect(v.code, v.stderr).toBe(0);
    const est = JSON.parse(v.stdout).files[0].estimate;
    const g = await runBin(['generate', scenario, '--out', join(tmp, 'real'), '--json'], { cwd: tmp });
    expect(g.code, g.stderr).toBe(0);
    const records = JSON.parse(g.stdout).records as number;
    const dir = join(tmp, 'real');
    const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    // the sample is a real one: more than one shard, so the scale-up is exercised
    expect(est.sample.shards).toBeGreaterThan(1);
    expect(est.records / records).toBeGreaterThan(1 / 1.5);
    expect(est.records / records).toBeLessThan(1.5);
    expect(est.bytes / bytes).toBeGreaterThan(1 / 1.5);
    expect(est.bytes / bytes).toBeLessThan(1.5);
    const h = await runBin(['validate', scenario], { cwd: tmp });
    expect(h.stderr).toMatch(
      /estimate: about [\d,]+ records, \d+ MiB on disk; generate ≈ \d+ s, replay into builtin:volume ≈ \d+ s/,
    );
  });
});
