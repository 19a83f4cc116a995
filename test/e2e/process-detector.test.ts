// @module-tag slow
/**
 * `enumbench run --detector process:"CMD"` end to end through the built binary: the mock services
 * as `serve` runs them, a child process configured by the ENUMBENCH_* environment, alerts by HTTP
 * POST and on stdout, the drain, stopping the process group, the ledger's three-way split of the
 * misses, honest latency, and the faults only a program can commit (exiting early, ignoring
 * SIGTERM, wrong URLs, a command that cannot start). Crashes, hangs, floods and garbage are the
 * adapter contract's, in test/contract/process-*.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-proc-run-');
const SCENARIO = join(tmp, 'small.yaml');
const DATASET = join(tmp, 'ds');
const POLLER = join(ROOT, 'examples', 'detectors', 'poller.mjs');
const node = (file: string) => `process:${process.execPath} ${file}`;
const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const metric = (dir: string, name: string) => summary(dir).scenarios[0].metrics[name]?.value;

/** test detectors: each a few lines of Node, written as a user would */
const DETECTORS: Record<string, string> = {
  // alerts on stdout (one line) and by POST (an array), then keeps running until stopped
  'both.mjs': `
    const post = (body) => fetch(process.env.ENUMBENCH_ALERTS_URL, { method: 'POST', body: JSON.stringify(body) });
    console.log(JSON.stringify({ rule: 'stdout-rule', principal: 'nobody@contoso.onmicrosoft.com' }));
    await post([{ rule: 'post-rule', principal: 'nobody@contoso.onmicrosoft.com' }]);
    setInterval(() => {}, 1000);`,
  // never fetches anything, never alerts
  'never.mjs': 'setInterval(() => {}, 1000);',
  // exits at once with status 0, before the replay ends
  'early.mjs': '',
  // ignores SIGTERM
  'stubborn.mjs': `process.on('SIGTERM', () => console.error('ignoring SIGTERM')); setInterval(() => {}, 1000);`,
  // posts to the wrong URL and probes the bench-only port range
  'stray.mjs': `
    const u = new URL(process.env.ENUMBENCH_MANAGEMENT_URL);
    await fetch(u.origin + '/alerts', { method: 'POST', body: '{}' });
    setInterval(() => {}, 1000);`,
};

beforeAll(async () => {
  writeFileSync(SCENARIO, smallScenario());
  for (const [f, text] of Object.entries(DETECTORS)) writeFileSync(join(tmp, f), text);
  const g = await runBin(['generate', SCENARIO, '--out', DATASET], { cwd: tmp });
  expect(g.code).toBe(0);
}, 120_000);

const run = (detector: string, out: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runBin(
    ['run', DATASET, '--detector', detector, '--out', join(tmp, out), '--drain', '1s', '--allow-no-gates', ...extra],
    {
      cwd: tmp,
      env,
      timeoutMs: 120_000,
    },
  );

describe('run --detector process:', () => {
  it('the example poller collects everything; alerting on every record detects the campaign; misses split by the ledger', async () => {
    const r = await run(`process:node ${POLLER}`, 'all', ['--drain', '60s'], { ALERT_ON: 'all', POLL_SECONDS: '1' });
    expect(r.stderr).toMatch(/never collected 0/);
    expect(r.code).toBe(0);
    expect(metric(join(tmp, 'all'), 'recall')).toBe(1);
    expect(metric(join(tmp, 'all'), 'missed_never_collected')).toBe(0);
  });

  it('a detector that never fetches: the miss is "never collected", not "not detected"', async () => {
    const r = await run(node(join(tmp, 'never.mjs')), 'never');
    expect(r.code).toBe(0);
    const m = summary(join(tmp, 'never')).scenarios[0].metrics;
    expect(m.missed_never_collected.value).toBe(1);
    expect(m.missed_not_detected.value).toBe(0);
    expect(r.stderr).toMatch(/never collected \d+/);
    const kept = /stderr kept in (\S+)/.exec(r.stderr)?.[1] as string;
    expect(existsSync(join(tmp, kept))).toBe(true);
  });

  it('takes alerts from stdout and from POST, stamped by the bench', async () => {
    const r = await run(node(join(tmp, 'both.mjs')), 'both');
    expect(r.code).toBe(0);
    const lines = readFileSync(join(tmp, 'both', 'alerts', 'small', 'seed-7.jsonl'), 'utf8');
    expect(lines).toMatch(/stdout-rule/);
    expect(lines).toMatch(/post-rule/);
    expect(lines).toMatch(/"arrivedAt"/);
  });

  it('a detector that exits before the replay ends fails (exit 2)', async () => {
    const r = await run(node(join(tmp, 'early.mjs')), 'early', ['--speed', 'lockstep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exited \(status 0\) before the replay ended/);
  });

  it('a detector that ignores SIGTERM is killed after the grace period (exit 2), no process left', async () => {
    const r = await run(node(join(tmp, 'stubborn.mjs')), 'stubborn', ['--grace', '500ms']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ignored SIGTERM .* killed/);
  });

  it('requests to a wrong URL are answered with the right one and reported', async () => {
    const r = await run(node(join(tmp, 'stray.mjs')), 'stray');
    expect(r.stderr).toMatch(/1 request\(s\) to URLs the mock does not serve \(POST \/alerts\)/);
  });

  it('refuses latency gates for a wall-clock poller above 1× unless accepted (exit 4, saying why)', async () => {
    const gate = ['--threshold', 'latency.p95<=1h', '--threshold', 'recall>=0'];
    const r = await run(node(join(tmp, 'never.mjs')), 'scaled', gate);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/cannot gate: latency is scaled by the replay speed/);
    const a = await run(node(join(tmp, 'never.mjs')), 'scaled-ok', [...gate, '--accept-scaled-latency']);
    expect(a.stdout).not.toMatch(/cannot gate/);
  });

  it('a command that cannot start is refused before anything runs (exit 4)', async () => {
    const r = await run('process:no-such-detector-xyz --flag', 'nostart');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/"no-such-detector-xyz" is not on PATH/);
  });

  it('two HTTP-lockstep runs of the example poller give byte-identical summary.json', async () => {
    const args = ['--speed', 'lockstep', '--tick', '5m'];
    const env = { ALERT_ON: 'all', MIN_OBJECTS: '1000000' };
    const a = await run(`process:node ${POLLER}`, 'ls1', args, env);
    const b = await run(`process:node ${POLLER}`, 'ls2', args, env);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(readFileSync(join(tmp, 'ls1', 'summary.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'ls2', 'summary.json'), 'utf8'),
    );
    expect(metric(join(tmp, 'ls1'), 'recall')).toBe(1);
  });
});
