// @module-tag slow
/**
 * The generator contract's leak classifier (issue #12 item 5, docs/adversarial.md; it replaces the
 * label-leak test, which covered graph-user-listing and formatting only, on its own training data):
 * every profile and every technique in one tenant (helpers/leak.ts), a naive Bayes classifier on formatting features
 * (key order, key set, null vs missing, id shapes, GUID shapes, timestamp shapes, value types, equal
 * ids) and on population features (device id, sign-in outcome and method, app-only vs delegated,
 * network kind), compared within one operation of one record type, trained on some attack tools and
 * tested on the held-out one (leave one technique out). Pass: balanced accuracy ≤ chance + 0.05 on
 * the held-out tools, per source and feature family (one-sided: below chance is not a leak).
 *
 * Where the data still leaks today the case is an expected failure (`it.fails`) with its measured
 * figure, naming issue #13 ("A tenant that looks like a tenant"), which removes the leaks: the suite
 * stays green and turns red when #13 fixes one, so the marker is removed then. Re-measure with
 * `npx tsx test/adversarial/measure-leaks.ts --folds`.
 */
import { describe, expect, it } from 'vitest';
import { PROFILES, TECHNIQUES } from '../../generators/registry.js';
import { SOURCE_IDS, type SourceId } from '../../src/core/sources.js';
import { FAMILIES, type Family, leakScenario, leaveOneTechniqueOut, sampleOf } from './helpers/leak.js';
import { generateInMemory } from './helpers/run.js';

const CHANCE = 0.5;
const MARGIN = 0.05;

/**
 * Measured balanced accuracy per source and family; null where no held-out comparison is possible,
 * with the reason in NOT_COMPARABLE.
 */
const MEASURED: Readonly<Record<SourceId, Readonly<Record<Family, number | null>>>> = {
  ual: { formatting: 0.5, population: 1 },
  graphActivity: { formatting: 0.46, population: 0.97 },
  signIns: { formatting: 0.5, population: 0.94 },
  aadGraphActivity: { formatting: null, population: null },
  endpointPowerShell: { formatting: null, population: null },
};

const NOT_COMPARABLE: Readonly<Partial<Record<SourceId, string>>> = {
  aadGraphActivity: 'one technique (roadrecon) writes AAD Graph activity: there is no other tool to train on',
  endpointPowerShell: 'no benign profile writes PowerShell 4104 events: there is nothing benign to compare with',
};

const d = generateInMemory(
  leakScenario(
    PROFILES.map((p) => p.info.id),
    TECHNIQUES.map((t) => t.info.id),
  ),
);
const samples = d.records.map(sampleOf);

describe('leak classifier', () => {
  it('sees every profile and every technique', () => {
    const modules = new Set(d.records.map((r) => r.label.module));
    for (const p of PROFILES) expect(modules, `profile ${p.info.id}`).toContain(p.info.id);
    for (const t of TECHNIQUES) expect(modules, `technique ${t.info.id}`).toContain(t.info.id);
  });

  it('compares like with like: records of one operation of one record type', () => {
    const groups = new Set(samples.filter((s) => s.source === 'graphActivity').map((s) => s.group));
    expect(groups).toContain('GET|list');
    expect(groups).toContain('GET|object');
  });

  it('declares as behaviour what it leaves out: a tool whose Graph rows repeat the request id says so on its page', () => {
    const repeats = new Map<string, boolean>();
    for (const r of d.records) {
      if (r.source !== 'graphActivity' || !r.label.malicious) continue;
      const p = (JSON.parse(r.line ?? JSON.stringify(r.record)) as { properties: Record<string, unknown> }).properties;
      const same = p.clientRequestId === p.requestId;
      repeats.set(r.label.module, (repeats.get(r.label.module) ?? true) && same);
    }
    expect([...repeats.values()].some(Boolean)).toBe(true);
    for (const t of TECHNIQUES) {
      if (!repeats.get(t.info.id)) continue;
      expect(t.info.behaviour?.join(' ') ?? '', t.info.id).toContain('`clientRequestId` equals `requestId`');
    }
  });

  // #13 item 1: what is left out of formatting as the tools' behaviour must still occur among benign
  // callers, or a lazy rule on it wins: no benign user runs a raw-HTTP script against Graph today
  // (measured: 0 of 49,935 benign delegated rows repeat their request id; docs/adversarial.md)
  it('the behaviour left out also occurs among benign callers: some benign delegated Graph calls repeat their request id as clientRequestId', () => {
    const benignDelegated = d.records.filter((r) => {
      if (r.source !== 'graphActivity' || r.label.malicious) return false;
      const p = (JSON.parse(r.line ?? JSON.stringify(r.record)) as { properties: Record<string, unknown> }).properties;
      return p.C_Idtyp === 'user' && p.clientRequestId === p.requestId;
    });
    expect(benignDelegated.length).toBeGreaterThan(0);
  });

  // #12 item 5: where the population family still tells a held-out tool apart, what it reads is
  // the campaign's behaviour (the operator's own session), and the technique's page must say so and
  // why: the two traits that weigh most for the held-out tool are named on its page.
  it('declares as behaviour what the population family reads: every held-out tool it tells apart names its two heaviest traits on its page', () => {
    let told = 0;
    for (const source of SOURCE_IDS) {
      const r = leaveOneTechniqueOut(samples, source, 'population', true);
      for (const f of r.folds) {
        const ba = (f.tp / (f.tp + f.fn) + f.tn / (f.tn + f.fp)) / 2;
        if (!(ba > CHANCE + MARGIN)) continue;
        told++;
        const heaviest = [...(f.evidence?.attack ?? new Map<string, number>()).entries()]
          .filter(([, llr]) => llr > 0)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 2)
          .map(([k]) => k.split(' = ')[0] as string);
        expect(heaviest.length, `${f.technique} on ${source}`).toBeGreaterThan(0);
        const page = TECHNIQUES.find((t) => t.info.id === f.technique)?.info.behaviour?.join(' ') ?? '';
        for (const trait of heaviest)
          expect(page, `${f.technique} on ${source}: \`${trait}\``).toContain(`\`${trait}\``);
      }
    }
    expect(told).toBeGreaterThan(0);
  });

  for (const source of SOURCE_IDS) {
    for (const family of FAMILIES) {
      const measured = MEASURED[source][family];
      const title = `${source}, ${family} features: balanced accuracy on held-out tools ≤ ${CHANCE + MARGIN}`;
      if (measured === null) {
        it(`${source}, ${family} features: not comparable (${NOT_COMPARABLE[source]})`, () => {
          expect(leaveOneTechniqueOut(samples, source, family).balancedAccuracy).toBeNull();
        });
      } else if (measured > CHANCE + MARGIN) {
        // #13: formatting or population marks on one side only (measured `measured`)
        it.fails(`${title} (expected failure until issue #13: measured ${measured.toFixed(2)})`, () => {
          const r = leaveOneTechniqueOut(samples, source, family);
          expect(r.balancedAccuracy).not.toBeNull();
          expect(r.balancedAccuracy as number).toBeLessThanOrEqual(CHANCE + MARGIN);
        });
      } else {
        it(title, () => {
          const r = leaveOneTechniqueOut(samples, source, family);
          expect(r.balancedAccuracy).not.toBeNull();
          expect(r.balancedAccuracy as number).toBeLessThanOrEqual(CHANCE + MARGIN);
        });
      }
    }
  }
});
