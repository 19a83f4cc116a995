/**
 * The adversarial-baseline suite, defined for one half of the library (baselines-1.test.ts and
 * baselines-2.test.ts, so the two halves run on two workers). Adversarial baselines must not win (issue #12 item 4, docs/adversarial.md): on every library
 * scenario with benign activity, none of the lazy rules in baselines.ts reaches precision ≥ 0.9 with
 * recall ≥ 0.9 (on a scenario without an attack: none stays silent all day).
 *
 * Each scenario is generated once and replayed once into all baselines (run-baselines.ts). The figure
 * asserted is a baseline's *advantage*: min(recall, precision), or 1 when it raised no false positive
 * where there is no attack; it wins at 0.9. MEASURED holds today's figures (re-measure with
 * `npx tsx test/adversarial/measure-baselines.ts --ts`); the bound is the measured figure plus 0.15,
 * never above 0.89, so a change in the data that brings a rule near perfect fails here.
 *
 * Where a baseline wins today the data still gives a free signal — issue #13 ("A tenant that looks
 * like a tenant") removes them. Those cases are expected failures (`it.fails`) with the measured
 * figure: the suite stays green, and turns red when #13 fixes one, so the marker is removed then.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenario/types.js';
import { BASELINES } from './baselines.js';
import { MEASURED } from './measured.js';
import { advantage, type BaselineFigures, measureBaselines } from './run-baselines.js';
import { adversarialScenarios } from './scenarios.js';

const WIN = 0.9;
const SLACK = 0.15;
/** a whole scenario is generated and replayed in the hook: the limit only catches a hang */
const SCENARIO_LIMIT_MS = 15 * 60_000;

/** Define the suite for the scenarios at positions ≡ part (mod parts) of the library's sorted list. */
export function baselineSuite(part: number, parts: number): void {
  const all = adversarialScenarios();
  const scenarios = all.filter((_, i) => i % parts === part);

  if (part === 0)
    it('runs every library scenario with benign activity, and has a measured figure for each baseline there', () => {
      expect(all.length).toBeGreaterThanOrEqual(15);
      for (const s of all) {
        for (const b of BASELINES) expect(MEASURED[s.name]?.[b.id], `${s.name} × ${b.id}`).toBeTypeOf('number');
      }
    });

  describe.each(scenarios.map((s) => [s.name, s] as const))('adversarial baselines on %s', (name, s) => {
    scenarioSuite(name, s.scenario);
  });
}

function scenarioSuite(name: string, scenario: Scenario): void {
  const figures = new Map<string, BaselineFigures>();
  beforeAll(async () => {
    for (const f of await measureBaselines(scenario)) figures.set(f.baseline, f);
  }, SCENARIO_LIMIT_MS);

  for (const b of BASELINES) {
    const measured = MEASURED[name]?.[b.id] ?? 1;
    const describeFigures = () => {
      const f = figures.get(b.id) as BaselineFigures;
      return `${b.id} on ${name}: recall ${f.recall}, precision ${f.precision}, ${f.falsePositives} false-positive incidents`;
    };
    if (measured >= WIN) {
      // #13: the data still gives this rule a free signal here (measured advantage `measured`)
      it.fails(`${b.id} does not win (expected failure until issue #13: measured ${measured.toFixed(2)})`, () => {
        expect(advantage(figures.get(b.id) as BaselineFigures), describeFigures()).toBeLessThan(WIN);
      });
    } else {
      const bound = Math.min(WIN - 0.01, measured + SLACK);
      it(`${b.id} does not win (advantage ≤ ${bound.toFixed(2)}, measured ${measured.toFixed(2)})`, () => {
        expect(advantage(figures.get(b.id) as BaselineFigures), describeFigures()).toBeLessThanOrEqual(bound);
      });
    }
  }
}
