// @module-tag slow
/**
 * `run --detector process: --faults`: a detector built on the documentation-written collector
 * (detectors/collect) meets the faults the mock injects — server errors, throttling (403 AF429,
 * storage 503 ServerBusy), slow answers, connection resets, bodies cut short, late and expired
 * content — sees them (it logs every answer that is not a success, on stderr), and the ledger
 * still accounts for every record: fetched + never collected = published. Lockstep, so the run is
 * the same every time.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-process-faults-');
const DATASET = join(tmp, 'ds');

// alerts on every record it collects; wraps fetch to log what it meets (a user's debugging aid)
const DETECTOR = `
import { collectUntilDone } from ${JSON.stringify(join(ROOT, 'dist', 'detectors', 'collect', 'run.js'))};
const seen = {};
const note = (k) => { seen[k] = (seen[k] ?? 0) + 1; };
const real = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  try {
    const res = await real(url, init);
    if (res.status >= 400) note('HTTP ' + res.status);
    const body = await res.arrayBuffer().catch((e) => { note('body cut short'); throw e; });
    const len = res.headers.get('content-length');
    if (len !== null && body.byteLength !== Number(len)) note('body cut short');
    return new Response(body, { status: res.status, headers: res.headers });
  } catch (e) {
    note('network error');
    throw e;
  }
};
let pending = [];
await collectUntilDone({
  env: process.env,
  emit: (_source, r) => pending.push({ rule: 'every-record', evidence: [r.Id ?? r.properties?.requestId ?? r.properties?.id] }),
  afterPass: async () => {
    if (pending.length) await real(process.env.ENUMBENCH_ALERTS_URL, { method: 'POST', body: JSON.stringify(pending.splice(0)) });
    console.error('met: ' + JSON.stringify(seen));
  },
});
`;

beforeAll(async () => {
  writeFileSync(join(tmp, 'small.yaml'), smallScenario());
  writeFileSync(join(tmp, 'faulty.mjs'), DETECTOR);
  const g = await runBin(['generate', join(tmp, 'small.yaml'), '--out', DATASET], { cwd: tmp });
  expect(g.code).toBe(0);
}, 120_000);

const FAULTS = 'error=0.1,throttle=0.1,slow=0.05:20ms,reset=0.05,truncate=0.1,late=0.2:10m,expired=0.1';

it('the detector meets every fault; the ledger accounts for every record', async () => {
  const out = join(tmp, 'out');
  const r = await runBin(
    [
      'run',
      DATASET,
      '--detector',
      `process:${process.execPath} ${join(tmp, 'faulty.mjs')}`,
      '--out',
      out,
      '--speed',
      'lockstep',
      '--tick',
      '10m',
      '--faults',
      FAULTS,
      '--drain',
      '60s',
      '--allow-no-gates',
    ],
    { cwd: tmp, timeoutMs: 180_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  const text = r.stdout + r.stderr;
  // what was injected: every kind
  const injected = JSON.parse(/faults injected: (\{.*\})/.exec(text)?.[1] ?? '{}') as {
    injected: Record<string, number>;
  };
  for (const kind of ['error', 'throttle', 'slow', 'reset', 'truncate', 'late', 'expired'])
    expect(injected.injected?.[kind], `${kind} in ${JSON.stringify(injected)}`).toBeGreaterThan(0);
  // what the detector met
  const logs = readdirSync(join(out, 'detector'));
  const stderr = readFileSync(join(out, 'detector', logs[0] as string), 'utf8');
  const met = JSON.parse([...stderr.matchAll(/met: (\{.*\})/g)].pop()?.[1] ?? '{}') as Record<string, number>;
  expect(met['HTTP 500'] ?? 0, stderr).toBeGreaterThan(0); // AF50000, InternalError
  expect(met['HTTP 403'] ?? 0, stderr).toBeGreaterThan(0); // AF429
  expect(met['HTTP 503'] ?? 0, stderr).toBeGreaterThan(0); // ServerBusy
  expect((met['network error'] ?? 0) + (met['body cut short'] ?? 0), stderr).toBeGreaterThan(0);
  // the ledger: every record published is either fetched or never collected; expired content
  // (injected) makes some never collected
  const m = /published (\d+) records .*?the detector fetched (\d+) .*?never collected (\d+)/.exec(text);
  expect(m, text).not.toBeNull();
  const [published, fetched, never] = (m as RegExpExecArray).slice(1).map(Number) as [number, number, number];
  expect(fetched + never).toBe(published);
  expect(never).toBeGreaterThan(0);
  expect(
    JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).scenarios[0].metrics.missed_never_collected,
  ).toBeDefined();
});
