/**
 * `enumbench run --detector stdio:"CMD"` end to end through the built binary: the contract's test
 * detectors (always, never, late, crash, hang, flood, garbage) over the pipe protocol of
 * docs/detectors.md, the Python example, and byte-identical results run after run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-stdio-run-');
const DATASET = join(tmp, 'ds');
const EXAMPLE = join(ROOT, 'examples', 'detectors', 'stdio_detector.py');
const summary = (dir: string) => JSON.parse(readFileSync(join(tmp, dir, 'summary.json'), 'utf8'));
const metric = (dir: string, name: string) => summary(dir).scenarios[0].metrics[name]?.value;

/** the protocol loop every test detector shares: `onRecord` and `onTick` return lines to write */
const loop = (body: string) => `
import { createInterface } from 'node:readline';
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
${body}
for await (const line of createInterface({ input: process.stdin })) {
  const m = JSON.parse(line);
  if ('tick' in m) onTick(m); else onRecord(m);
}
if (typeof onEnd === 'function') onEnd();
`;
const ack = 'function onTick(m) { out({ ack: m.tick }); }';
const DETECTORS: Record<string, string> = {
  'always.mjs': loop(
    `${ack}\nfunction onRecord(m) { const p = m.record.properties ?? {}; out({ rule: 'all', evidence: [m.record.Id ?? p.requestId ?? p.id] }); }`,
  ),
  'never.mjs': loop(`${ack}\nfunction onRecord() {}`),
  'late.mjs': loop(
    `${ack}\nconst ids = [];\nfunction onRecord(m) { const p = m.record.properties ?? {}; ids.push(m.record.Id ?? p.requestId ?? p.id); }\nfunction onEnd() { for (const id of ids) out({ rule: 'late', evidence: [id] }); }`,
  ),
  'crash.mjs': loop(
    `let n = 0;\nfunction onTick(m) { if (n === 0) out({ rule: 'early', principal: 'nobody@contoso.onmicrosoft.com' }); out({ ack: m.tick }); if (++n === 20) { console.error('fatal: out of rules'); process.exit(3); } }\nfunction onRecord() {}`,
  ),
  'hang.mjs': loop('function onTick() {}\nfunction onRecord() {}'),
  'flood.mjs': loop(
    `let done = false;\nfunction onTick(m) { if (!done) { done = true; const l = JSON.stringify({ rule: 'f', principal: 'x@y' }) + '\\n'; for (let i = 0; i < 20; i++) process.stdout.write(l.repeat(10_000)); } out({ ack: m.tick }); }\nfunction onRecord() {}`,
  ),
  'garbage.mjs': loop(
    `let once = true;\nfunction onTick(m) { if (once) { once = false; console.log('not json'); out({ rule: 7, principal: 'x' }); out({ rule: 'ok', principal: 'a@contoso.onmicrosoft.com' }); } out({ ack: m.tick }); }\nfunction onRecord() {}`,
  ),
};

beforeAll(async () => {
  writeFileSync(join(tmp, 'small.yaml'), smallScenario());
  for (const [f, text] of Object.entries(DETECTORS)) writeFileSync(join(tmp, f), text);
  const g = await runBin(['generate', join(tmp, 'small.yaml'), '--out', DATASET], { cwd: tmp });
  expect(g.code).toBe(0);
}, 120_000);

const run = (detector: string, out: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runBin(['run', DATASET, '--detector', detector, '--out', join(tmp, out), '--allow-no-gates', ...extra], {
    cwd: tmp,
    env,
    timeoutMs: 120_000,
  });
const node = (f: string) => `stdio:${process.execPath} ${join(tmp, f)}`;

describe('run --detector stdio:', () => {
  it('always alerts: every campaign detected, stamped at the tick it was written in', async () => {
    const r = await run(node('always.mjs'), 'always');
    expect(r.code).toBe(0);
    expect(metric('always', 'recall')).toBe(1);
    expect(metric('always', 'latency.p95')).toBeLessThan(60 * 60_000);
  });

  it('never alerts: the miss is "collected, not detected" (the bench handed it every record)', async () => {
    const r = await run(node('never.mjs'), 'never');
    expect(r.code).toBe(0);
    expect(metric('never', 'missed_not_detected')).toBe(1);
    expect(metric('never', 'missed_never_collected')).toBe(0);
  });

  it('alerts late (only at the end of its input): detected, stamped at the end of the replay', async () => {
    const r = await run(node('late.mjs'), 'late');
    expect(r.code).toBe(0);
    expect(metric('late', 'recall')).toBe(1);
    expect(metric('late', 'latency.p95')).toBeGreaterThan(metric('always', 'latency.p95'));
  });

  it('crashes mid-run: exit 2 with its partial results and the last lines of its stderr', async () => {
    const r = await run(node('crash.mjs'), 'crash');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exited with status 3/);
    expect(r.stderr).toMatch(/fatal: out of rules/);
    expect(readFileSync(join(tmp, 'crash', 'alerts', 'small', 'seed-7.jsonl'), 'utf8')).toMatch(/early/);
  });

  it('hangs (never acknowledges a tick): stopped after --ack-timeout, exit 2', async () => {
    const r = await run(node('hang.mjs'), 'hang', ['--ack-timeout', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/failed \(timeout\) during tick/);
  });

  it('floods: counted, bounded, exit 2', async () => {
    const r = await run(node('flood.mjs'), 'flood');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/failed \(flood\)/);
  });

  it('writes garbage and wrong types: reported and counted (exit 4), the good alert kept', async () => {
    const r = await run(node('garbage.mjs'), 'garbage');
    expect(r.code).toBe(4);
    expect(metric('garbage', 'malformed_alerts')).toBe(2);
    expect(readFileSync(join(tmp, 'garbage', 'alerts', 'small', 'seed-7.jsonl'), 'utf8')).toMatch(/"rule":"ok"/);
  });

  it('the Python example detects the listing, and two runs give byte-identical summary.json', async () => {
    const env = { MIN_OBJECTS: '20' };
    const a = await run(`stdio:python3 ${EXAMPLE}`, 'py1', [], env);
    const b = await run(`stdio:python3 ${EXAMPLE}`, 'py2', [], env);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(metric('py1', 'recall')).toBe(1);
    expect(readFileSync(join(tmp, 'py1', 'summary.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'py2', 'summary.json'), 'utf8'),
    );
  });
});
