// @module-tag slow
/**
 * HTTP lockstep with an outside detector: what it sends before acknowledging tick T is stamped T,
 * whichever channel it uses (a line on stdout, a POST), and alerts of one tick are written in one
 * canonical order — the detector below writes on stdout and POSTs its alerts in an order that
 * changes from run to run (two requests at once, their elements shuffled by the high-resolution
 * clock), then acknowledges at once: two runs still give the same alerts file, byte for byte.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-lockstep-stamps-');
const DATASET = join(tmp, 'ds');
const TICK_MS = 10 * 60_000;

const DETECTOR = `
const L = process.env.ENUMBENCH_LOCKSTEP_URL;
const post = (body) => fetch(process.env.ENUMBENCH_ALERTS_URL, { method: 'POST', body: JSON.stringify(body) });
const order = (xs) => xs.sort(() => (process.hrtime.bigint() % 2n === 0n ? 1 : -1));
for (;;) {
  const s = await (await fetch(L)).json();
  if (s.done) break;
  const mk = (n) => ({ rule: 'tick', principal: 'p' + n + '@contoso.onmicrosoft.com', sessionId: String(s.tick) });
  await new Promise((r) => process.stdout.write(JSON.stringify({ ...mk(0), rule: 'stdout' }) + '\\n', r));
  await Promise.all([post(order([mk(1), mk(2), mk(3)])), post(order([mk(4), mk(5)]))]);
  await fetch(L, { method: 'POST', body: JSON.stringify({ tick: s.tick }) });
}
`;

beforeAll(async () => {
  writeFileSync(join(tmp, 'small.yaml'), smallScenario());
  writeFileSync(join(tmp, 'ticks.mjs'), DETECTOR);
  const g = await runBin(['generate', join(tmp, 'small.yaml'), '--out', DATASET], { cwd: tmp });
  expect(g.code).toBe(0);
}, 120_000);

const run = (out: string) =>
  runBin(
    [
      'run',
      DATASET,
      '--detector',
      `process:${process.execPath} ${join(tmp, 'ticks.mjs')}`,
      '--out',
      join(tmp, out),
      '--speed',
      'lockstep',
      '--tick',
      '10m',
      '--drain',
      '1s',
      '--allow-no-gates',
    ],
    { cwd: tmp, timeoutMs: 120_000 },
  );

function alertsFile(out: string): string {
  const dir = join(tmp, out, 'alerts');
  const [scenario] = readdirSync(dir);
  const sub = join(dir, scenario as string);
  return readFileSync(join(sub, readdirSync(sub)[0] as string), 'utf8');
}

it('alerts sent before an acknowledgement are stamped with its tick, in one order run after run', async () => {
  const a = await run('a');
  const b = await run('b');
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  const text = alertsFile('a');
  expect(text).toBe(alertsFile('b'));
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l) as { arrivedAt: string; alert: { rule: string; sessionId: string } });
  const ticks = new Set(rows.map((r) => r.alert.sessionId));
  expect(ticks.size).toBeGreaterThan(5);
  expect(rows.length).toBe(ticks.size * 6);
  const t0 = Date.parse(rows[0]?.arrivedAt as string);
  const last = Math.max(...[...ticks].map(Number));
  for (const r of rows) {
    const tick = Number(r.alert.sessionId);
    // the last tick may be cut short by the end of the replay
    if (tick < last) expect(Date.parse(r.arrivedAt) - t0, JSON.stringify(r)).toBe(tick * TICK_MS);
  }
});
