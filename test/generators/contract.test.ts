// @module-tag slow
/**
 * The generator contract: every profile and every technique in the registries runs it.
 * Deterministic bytes for a seed, time order, every record valid against its source's schema,
 * labels present before split and absent after.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compose, mergeActors } from '../../generators/compose/index.js';
import { PROFILES, TECHNIQUES } from '../../generators/registry.js';
import type { LabelledRecord } from '../../src/core/records.js';
import { SOURCE_IDS } from '../../src/core/sources.js';
import { generateInMemory } from './helpers/run.js';
import { attack, makeScenario } from './helpers/scenario.js';
import { validateRecord } from './helpers/schemas.js';

const H = 3_600_000;

function scenarioFor(kind: 'profile' | 'technique', id: string) {
  const start = '2026-11-03T00:00:00Z';
  if (kind === 'profile') {
    return makeScenario({
      // a Monday: weekly reports (admin-report, license-script) run inside the window
      users: 40,
      durationMs: 30 * H,
      start: '2026-11-02T00:00:00Z',
      // every role a benign profile acts as by default, including the Entra Connect Sync_ account
      roles: {
        'Global Administrator': 2,
        'Exchange Administrator': 1,
        'Helpdesk Administrator': 2,
        'User Administrator': 1,
        'Directory Synchronization Accounts': 1,
      },
      activity: [{ id, profile: id, actors: null, schedule: null, app: null, options: {} }],
      attacks: [],
    });
  }
  return makeScenario({
    users: 300,
    durationMs: 24 * H,
    start,
    activity: [],
    attacks: [attack({ id: 'c1', technique: id, at: Date.parse(start) + 15 * H, options: { pageSize: 50 } })],
  });
}

const MODULES = [
  ...PROFILES.map((p) => ['profile', p.info.id] as const),
  ...TECHNIQUES.map((t) => ['technique', t.info.id] as const),
];

function digest(lines: Record<string, string[]>): string {
  const h = createHash('sha256');
  for (const s of SOURCE_IDS) for (const l of lines[s] ?? []) h.update(`${s}\t${l}\n`);
  return h.digest('hex');
}

describe.each(MODULES)('generator contract: %s %s', (kind, id) => {
  const s = scenarioFor(kind, id);
  const a = generateInMemory(s);

  it('produces records', () => {
    expect(a.records.length).toBeGreaterThan(0);
  });

  it('is deterministic: same scenario and seed, same bytes', () => {
    const b = generateInMemory(s);
    expect(digest(b.lines)).toBe(digest(a.lines));
    expect(b.delivery).toEqual(a.delivery);
    expect(b.labels).toEqual(a.labels);
  });

  it('changes with the seed', () => {
    const c = generateInMemory(s, { seed: s.seed + 1 });
    expect(digest(c.lines)).not.toBe(digest(a.lines));
  });

  it('is time-ordered and inside the window', () => {
    let prev = Number.NEGATIVE_INFINITY;
    for (const r of a.records) {
      expect(r.time).toBeGreaterThanOrEqual(prev);
      expect(Number.isInteger(r.time)).toBe(true);
      prev = r.time;
    }
    expect(a.records[0]?.time).toBeGreaterThanOrEqual(s.time.historyStart);
    expect(prev).toBeLessThan(s.time.end + 5 * 60_000);
  });

  it('emits only collected sources, every record valid against its schema', () => {
    for (const r of a.records) {
      expect(s.telemetry.sources).toContain(r.source);
      const problems = validateRecord(r.source, r.record);
      if (problems.length) throw new Error(`${r.source} ${r.id}: ${problems.join('; ')}`);
    }
  });

  it('labels every record before split, and none survive split', () => {
    for (const r of a.records) {
      expect(r.label.module).toBe(id);
      expect(r.label.malicious).toBe(kind === 'technique');
    }
    const all = Object.values(a.lines).flat().join('\n');
    expect(all).not.toMatch(/"(label|malicious|campaign|actor)"\s*:/);
    expect(all).not.toContain('attack:');
    expect(a.labels.length).toBe(a.records.length);
  });

  it('has unique record ids per source', () => {
    const seen = new Set<string>();
    for (const r of a.records) {
      const k = `${r.source}/${r.id}`;
      expect(seen.has(k)).toBe(false);
      seen.add(k);
    }
  });

  it('evaluates lazily: taking the first records does not generate the whole window', () => {
    const c = compose(s);
    const it = mergeActors(c.actors);
    const first: LabelledRecord[] = [];
    for (const r of it) {
      first.push(r);
      if (first.length === 5) break;
    }
    expect(first.length).toBeGreaterThan(0);
  });
});
