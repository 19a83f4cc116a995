/**
 * The generator contract for every registered technique (iterating the registry): records exist,
 * the same scenario and seed give the same bytes, another seed changes them, the stream is
 * time-ordered and inside the window, only collected sources appear, every record is labelled with
 * its module and campaign before split and no label survives in the records, ids are unique per
 * source, and the campaign's truth names the attacker's session, token and IPs.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compose, mergeActors } from '../../../generators/compose/index.js';
import { TECHNIQUES } from '../../../generators/registry.js';
import { attack, makeScenario } from '../helpers/scenario.js';

const H = 3_600_000;
const START = '2026-11-03T00:00:00Z';

function scenarioFor(id: string) {
  return makeScenario({
    users: 300,
    durationMs: 24 * H,
    start: START,
    activity: [],
    attacks: [attack({ id: 'c1', technique: id, at: Date.parse(START) + 15 * H, options: {} })],
  });
}

function digest(recs: { source: string; id: string; record: unknown }[]): string {
  const h = createHash('sha256');
  for (const r of recs) h.update(`${r.source}\t${r.id}\t${JSON.stringify(r.record)}\n`);
  return h.digest('hex');
}

describe.each(TECHNIQUES.map((t) => t.info.id))('technique contract: %s', (id) => {
  const s = scenarioFor(id);
  const c = compose(s);
  const recs = [...mergeActors(c.actors)];

  it('produces records', () => {
    expect(recs.length).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and changes with it', () => {
    expect(digest([...mergeActors(compose(s).actors)])).toBe(digest(recs));
    expect(digest([...mergeActors(compose(s, { seed: s.seed + 1 }).actors)])).not.toBe(digest(recs));
  });

  it('is time-ordered and inside the window', () => {
    let prev = Number.NEGATIVE_INFINITY;
    for (const r of recs) {
      expect(r.time).toBeGreaterThanOrEqual(prev);
      expect(Number.isInteger(r.time)).toBe(true);
      prev = r.time;
    }
    expect(recs[0]?.time).toBeGreaterThanOrEqual(s.time.historyStart);
    expect(prev).toBeLessThan(s.time.end + 5 * 60_000);
  });

  it('emits only collected sources, labelled, with no label inside a record', () => {
    // every record names its campaign; the attacker's sign-ins are context, not evidence of the
    // technique, and a technique no source can show (gal-dump) leaves context only
    const info = TECHNIQUES.find((t) => t.info.id === id)?.info;
    const unobservable = (info?.observability ?? []).filter((o) => !o.context).length === 0;
    for (const r of recs) {
      expect(s.telemetry.sources).toContain(r.source);
      expect(r.label).toMatchObject({ module: id, malicious: true, kind: 'technique', campaign: 'c1' });
      if (r.source === 'signIns' || unobservable) expect(r.label.context, `${r.source} ${r.id}`).toBe(true);
    }
    const text = recs.map((r) => JSON.stringify(r.record)).join('\n');
    expect(text).not.toMatch(/"(label|malicious|campaign|actor)"\s*:/);
    expect(text).not.toContain('attack:');
  });

  it('has unique record ids per source', () => {
    const seen = new Set<string>();
    for (const r of recs) {
      const k = `${r.source}/${r.id}`;
      expect(seen.has(k)).toBe(false);
      seen.add(k);
    }
  });

  it("the truth names the attacker's session, tokens, IPs and app", () => {
    const f = c.campaigns[0];
    expect(f?.technique).toBe(id);
    expect(f?.sessions.size).toBeGreaterThan(0);
    expect(f?.tokens.size).toBeGreaterThan(0);
    expect(f?.ips.size).toBeGreaterThan(0);
    expect(f?.appIds.size).toBeGreaterThan(0);
  });

  it('describes itself: ATT&CK ids, options with descriptions, observability', () => {
    const mod = TECHNIQUES.find((t) => t.info.id === id);
    expect(mod?.info.attack.length).toBeGreaterThan(0);
    expect((mod?.info.description ?? '').length).toBeGreaterThan(200);
    for (const o of Object.values(mod?.info.options ?? {})) expect(o.description.length).toBeGreaterThan(10);
    expect(mod?.info.observability).toBeDefined();
    // an empty observability list is a claim: the module must say so to a purple team
    if (mod?.info.observability?.length === 0) expect(mod.info.description).toMatch(/unobservable/);
  });
});
