/**
 * `--report navigator`: the layer validates against ATT&CK Navigator layer format 4.5 (the
 * property tables of layers/spec/v4.5/layerformat.md in mitre-attack/attack-navigator, transcribed
 * below as a strict schema: required fields, types, enumerations, gradient maxValue > minValue, at
 * least two colours), and its scores are the measured recall.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Report } from '../../src/report/index.js';
import { renderNavigator } from '../../src/report/index.js';
import { scoreRun } from '../../src/scoring/index.js';
import { HELPDESK, makeDelivery, makeLabels, makeTruth, received } from '../scoring/world.js';

const Metadata = z.union([
  z.strictObject({ name: z.string(), value: z.string() }),
  z.strictObject({ divider: z.boolean() }),
]);
const Link = z.union([
  z.strictObject({ label: z.string(), url: z.string().regex(/^[a-z][a-z0-9+.-]*:\/\//i) }),
  z.strictObject({ divider: z.boolean() }),
]);
const HEX = z.string().regex(/^#[0-9a-fA-F]{6}$/);
/** Navigator layer format 4.5 */
const Layer45 = z.strictObject({
  versions: z
    .strictObject({
      attack: z.string().optional(),
      navigator: z.string().regex(/^\d+\.\d+\.\d+$/),
      layer: z.literal('4.5'),
    })
    .refine((v) => {
      const [a = 0, b = 0] = v.navigator.split('.').map(Number);
      return a > 4 || (a === 4 && b >= 9);
    }, 'navigator must be at least 4.9.0')
    .optional(),
  name: z.string(),
  description: z.string().optional(),
  domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']),
  customDataURL: z.string().optional(),
  filters: z.strictObject({ platforms: z.array(z.string()).optional() }).optional(),
  sorting: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  layout: z
    .strictObject({
      layout: z.enum(['side', 'flat', 'mini']).optional(),
      showID: z.boolean().optional(),
      showName: z.boolean().optional(),
      showAggregateScores: z.boolean().optional(),
      countUnscored: z.boolean().optional(),
      aggregateFunction: z.enum(['average', 'min', 'max', 'sum']).optional(),
      expandedSubtechniques: z.enum(['none', 'all', 'annotated']).optional(),
    })
    .optional(),
  hideDisabled: z.boolean().optional(),
  techniques: z
    .array(
      z.strictObject({
        techniqueID: z.string().regex(/^T\d{4}(\.\d{3})?$/),
        tactic: z.string().optional(),
        comment: z.string().optional(),
        enabled: z.boolean().optional(),
        score: z.number().optional(),
        color: z.string().optional(),
        metadata: z.array(Metadata).optional(),
        links: z.array(Link).optional(),
        showSubtechniques: z.boolean().optional(),
      }),
    )
    .optional(),
  gradient: z
    .strictObject({ colors: z.array(HEX).min(2), minValue: z.number(), maxValue: z.number() })
    .refine((g) => g.maxValue > g.minValue, 'maxValue must be > minValue')
    .optional(),
  legendItems: z.array(z.strictObject({ label: z.string(), color: z.string() })).optional(),
  showTacticRowBackground: z.boolean().optional(),
  tacticRowBackground: z.string().optional(),
  selectTechniquesAcrossTactics: z.boolean().optional(),
  selectSubtechniquesWithParent: z.boolean().optional(),
  selectVisibleTechniques: z.boolean().optional(),
  metadata: z.array(Metadata).optional(),
  links: z.array(Link).optional(),
});

function report(alerts = [received({ rule: 'bulk', principal: HELPDESK, evidence: ['h1', 'h2', 'h3'] }, 655)]): Report {
  const card = scoreRun({ truth: makeTruth(), labels: makeLabels(), delivery: makeDelivery(), alerts });
  return {
    tool: { name: 'enumbench', version: '0.1.0' },
    command: 'run',
    scenarios: [
      {
        name: 'unit <b>',
        card,
        verdicts: [],
        gates: [],
        replay: 'enumbench run unit.yaml --seed 1089',
        details: { detector: 'builtin:volume', seeds: [] },
      },
    ],
    problems: [],
  };
}

describe('the ATT&CK Navigator layer', () => {
  it('validates against layer format 4.5 and scores each ATT&CK id by measured recall', () => {
    const layer = JSON.parse(renderNavigator(report()));
    const r = Layer45.safeParse(layer);
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    expect(layer.versions.layer).toBe('4.5');
    // both world campaigns are T1087.004; one (hound) is strictly detected
    expect(layer.techniques).toEqual([expect.objectContaining({ techniqueID: 'T1087.004', score: 50 })]);
    expect(layer.techniques[0].comment).toMatch(/recall 1\/2 .*azurehound 1\/1, roadrecon 0\/1/);
    expect(layer.description).toContain('unit <b> (seed 1089)');
    expect(layer.description).toContain('builtin:volume');
  });

  it('a silent detector scores 0, never leaves the technique unscored', () => {
    const layer = JSON.parse(renderNavigator(report([])));
    expect(Layer45.safeParse(layer).success).toBe(true);
    expect(layer.techniques[0].score).toBe(0);
  });

  it('a run without campaigns is still a valid layer, with no technique scored', () => {
    const r = report([]);
    const s = r.scenarios[0];
    if (!s) throw new Error('no scenario');
    const layer = JSON.parse(renderNavigator({ ...r, scenarios: [{ ...s, card: { ...s.card, campaigns: [] } }] }));
    expect(Layer45.safeParse(layer).success).toBe(true);
    expect(layer.techniques).toEqual([]);
  });

  it('the schema refuses what the format forbids (the check can fail)', () => {
    const good = JSON.parse(renderNavigator(report()));
    expect(Layer45.safeParse({ ...good, domain: 'enterprise' }).success).toBe(false);
    expect(Layer45.safeParse({ ...good, versions: { navigator: '4.8.2', layer: '4.5' } }).success).toBe(false);
    expect(Layer45.safeParse({ ...good, gradient: { colors: ['#ffffff'], minValue: 0, maxValue: 1 } }).success).toBe(
      false,
    );
    expect(Layer45.safeParse({ ...good, techniques: [{ techniqueID: 'T1087.4', score: 1 }] }).success).toBe(false);
    const { name: _, ...nameless } = good;
    expect(Layer45.safeParse(nameless).success).toBe(false);
  });
});
