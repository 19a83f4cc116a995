/**
 * Label-leak test (DESIGN.md "Scoring"): a trivial classifier on meaningless features — key order,
 * id formats, sub-second timestamps, null vs missing fields — must score no better than chance at
 * telling malicious records from benign ones. Records are compared within one kind (source plus
 * RecordType or category), so the mix of kinds (a real signal) does not count as a leak.
 */
import { describe, expect, it } from 'vitest';
import type { LabelledRecord } from '../../src/core/records.js';
import { generateInMemory } from './helpers/run.js';
import { attack, makeScenario } from './helpers/scenario.js';

const H = 3_600_000;
const start = '2026-11-03T00:00:00Z';
const d = generateInMemory(
  makeScenario({
    users: 300,
    durationMs: 24 * H,
    start,
    attacks: [
      attack({ id: 'a', at: Date.parse(start) + 14 * H, options: { pageSize: 5 } }),
      attack({
        id: 'b',
        at: Date.parse(start) + 17 * H,
        session: { network: 'residential-proxy', country: null, signIn: 'deviceCode', userAgent: null },
        options: { pageSize: 7, concurrency: 4 },
      }),
    ],
  }),
);

function keyOrder(v: unknown, prefix = ''): string {
  if (v === null || typeof v !== 'object') return '';
  // arrays are leaves: their length and contents are values (policies applied, trusted networks)
  if (Array.isArray(v)) return '';
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${prefix}${k}${x !== null && typeof x === 'object' ? `{${keyOrder(x)}}` : ''}`)
    .join(',');
}

const shape = (s: string) => s.replace(/[0-9a-f]/g, 'h').replace(/[A-Z]/g, 'A');

function subSecond(r: Record<string, unknown>): string {
  const t = String(r.time ?? r.TimeCreated ?? r.CreationTime ?? '');
  const m = /\.(\d+)/.exec(t);
  if (!m) return 'none';
  const frac = m[1] as string;
  return `${frac.length}:${frac.match(/0*$/)?.[0].length ?? 0}:${frac.slice(0, 3) === '000'}`;
}

/**
 * Fields whose null-ness is a real signal, not a representation artefact: an attacker's unregistered
 * device has no device id (telemetry.md §5 "unmanaged device"), and so do benign personal devices.
 */
const MEANINGFUL_NULLS = new Set(['properties.C_DeviceId']);

function nullSignature(v: unknown, prefix = ''): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return '';
  const out: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (MEANINGFUL_NULLS.has(`${prefix}${k}`)) continue;
    if (x === null) out.push(`${prefix}${k}`);
    else if (typeof x === 'object' && !Array.isArray(x)) out.push(nullSignature(x, `${prefix}${k}.`));
  }
  return out.filter(Boolean).join(',');
}

const FEATURES: Record<string, (r: LabelledRecord) => string> = {
  'key order': (r) => keyOrder(r.record),
  'id format': (r) => shape(r.id),
  'sub-second timestamp': (r) => subSecond(r.record),
  'null vs missing': (r) => nullSignature(r.record),
};

function kindOf(r: LabelledRecord): string {
  const x = r.record as Record<string, unknown>;
  return `${r.source}/${x.RecordType ?? x.category ?? ''}`;
}

/** Balanced accuracy of "predict malicious when P(value|malicious) > P(value|benign)", on the training data itself. */
function balancedAccuracy(mal: string[], ben: string[]): number {
  const pm = new Map<string, number>();
  const pb = new Map<string, number>();
  for (const v of mal) pm.set(v, (pm.get(v) ?? 0) + 1 / mal.length);
  for (const v of ben) pb.set(v, (pb.get(v) ?? 0) + 1 / ben.length);
  const predictMal = (v: string) => (pm.get(v) ?? 0) > (pb.get(v) ?? 0);
  const tpr = mal.filter(predictMal).length / mal.length;
  const tnr = ben.filter((v) => !predictMal(v)).length / ben.length;
  return (tpr + tnr) / 2;
}

describe('label leak', () => {
  const kinds = new Map<string, { mal: LabelledRecord[]; ben: LabelledRecord[] }>();
  for (const r of d.records) {
    const k = kindOf(r);
    const e = kinds.get(k) ?? { mal: [], ben: [] };
    kinds.set(k, e);
    (r.label.malicious ? e.mal : e.ben).push(r);
  }
  const comparable = [...kinds.entries()].filter(([, e]) => e.mal.length >= 2 && e.ben.length >= 30);

  it('has malicious records of several kinds to compare', () => {
    expect(comparable.length).toBeGreaterThanOrEqual(2);
    expect(comparable.some(([, e]) => e.mal.length >= 50)).toBe(true);
  });

  for (const [feature, f] of Object.entries(FEATURES)) {
    it(`a classifier on ${feature} does no better than chance`, () => {
      for (const [kind, e] of comparable) {
        const acc = balancedAccuracy(e.mal.map(f), e.ben.map(f));
        expect.soft(acc, `${feature} on ${kind} (${e.mal.length} malicious)`).toBeLessThan(0.62);
      }
    });
  }
});
