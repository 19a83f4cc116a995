// @module-tag slow
/**
 * `enumbench score` on real SIEM export samples (test/fixtures/siem/) against the hand-built world:
 * each scores the same (both campaigns detected, one false positive on the sync account); latency
 * gates only with --trust-alert-time, marked in every report; --time-offset maps alerts raised on a
 * shifted replay back; bad options are refused before any file is read.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess as run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeWorld } from '../scoring/world.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'siem');
const SAMPLES = [
  'sentinel-securityalert-api.json',
  'sentinel-securityalert-portal.csv',
  'sentinel-incidents-union.json',
  'splunk-notable-export.json',
  'splunk-notable.csv',
  'elastic-alerts.ndjson',
];
let dir = '';

beforeAll(() => {
  dir = tempDir('enumbench-score-exports-');
  writeWorld(dir);
  for (const s of SAMPLES) copyFileSync(join(FIXTURES, s), join(dir, s));
});

describe('score on SIEM exports', () => {
  it.each(SAMPLES)('%s: both campaigns detected, one false-positive incident', async (sample) => {
    const args = ['score', '--truth', '.', '--alerts', sample, '--json', '--allow-no-gates'];
    if (sample.endsWith('.csv') && sample.startsWith('splunk')) args.push('--timezone', 'UTC');
    const r = await run(dir, args);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as {
      scenarios: { arrival: string; metrics: Record<string, { value: number | null }> }[];
    };
    const s = summary.scenarios[0];
    expect(s?.arrival).toBe('self-reported');
    expect(s?.metrics.recall?.value).toBe(1);
    expect(s?.metrics.false_positive_incidents?.value ?? s?.metrics.false_positives?.value).toBe(1);
    expect(r.code).toBe(0);
  });

  it('latency gates are refused on self-reported times, and allowed with --trust-alert-time, marked in every report', async () => {
    const base = ['score', '--truth', '.', '--alerts', 'elastic-alerts.ndjson', '--threshold', 'latency.p95<=2h'];
    const refused = await run(dir, base);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toContain('--trust-alert-time');
    const trusted = await run(dir, [...base, '--trust-alert-time', '--report', 'json,junit,md', '--out', 'trusted']);
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain('⚠ latency from self-reported alert times (--trust-alert-time)');
    expect(trusted.stdout).toContain('✓ latency.p95 <= 2h');
    expect(trusted.stdout).toContain('--trust-alert-time  # seed 1089');
    const out = join(dir, 'trusted');
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toContain('"arrival": "self-reported-trusted"');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(
      '<property name="arrival" value="latency from self-reported',
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('latency from self-reported alert times');
  });

  it('--time-offset maps alerts raised on a shifted replay back onto the dataset', async () => {
    const shift = 25 * 86_400_000 + 5 * 3_600_000 + 46 * 60_000 + 34_000;
    const shifted = readFileSync(join(FIXTURES, 'elastic-alerts.ndjson'), 'utf8').replace(
      /"(2026-11-0\dT[0-9:.]+Z)"/g,
      (_m, t: string) => `"${new Date(Date.parse(t) + shift).toISOString()}"`,
    );
    writeFileSync(join(dir, 'shifted.ndjson'), shifted);
    const without = await run(dir, ['score', '--truth', '.', '--alerts', 'shifted.ndjson']);
    expect(without.code).toBe(4);
    expect(without.stderr).toContain('every alert arrived outside');
    expect(without.stderr).toContain('--time-offset');
    for (const offset of ['25d5h46m34s', String(shift)]) {
      const r = await run(dir, [
        'score',
        '--truth',
        '.',
        '--alerts',
        'shifted.ndjson',
        '--time-offset',
        offset,
        '--json',
        '--allow-no-gates',
      ]);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout).scenarios[0];
      expect(s.metrics.recall.value).toBe(1);
      expect(s.notes.join(' ')).toContain('alert times moved back by 3w4d5h46m34s');
    }
  });

  it('bad --timezone, --time-offset and --map are refused before any file is read', async () => {
    const base = ['score', '--truth', 'missing.json', '--alerts', 'missing.ndjson'];
    const tz = await run(dir, [...base, '--timezone', 'Mars/Olympus']);
    expect(tz.code).toBe(4);
    expect(tz.stderr).toContain('unknown time zone "Mars/Olympus"');
    const off = await run(dir, [...base, '--time-offset', 'soon']);
    expect(off.code).toBe(4);
    expect(off.stderr).toContain('not a time offset');
    const map = await run(dir, [...base, '--map', 'user=UserPrincipalName']);
    expect(map.code).toBe(4);
    expect(map.stderr).toContain('FIELD=COLUMN');
    const fmt = await run(dir, [...base, '--alerts-format', 'qradar']);
    expect(fmt.code).toBe(4);
  });
});
