/**
 * `--report navigator`: an ATT&CK Navigator layer (layer format 4.5, domain enterprise-attack)
 * whose score per ATT&CK id is the measured recall, in percent, over every campaign of the run
 * tagged with that id (T1087.004, T1087.003, T1069.003, and the other ids a technique carries),
 * with the 95% interval, the weak recall, the maximum achievable recall and the bench techniques
 * behind it in the comment and metadata. The scenarios, seeds, detector and verdict are in the
 * description. Format: https://github.com/mitre-attack/attack-navigator/blob/master/layers/spec/v4.5/layerformat.md
 * Deterministic: techniques sorted by id, no time of writing.
 */
import { wilson } from '../scoring/stats.js';
import type { CampaignOutcome } from '../scoring/types.js';
import { type Report, reportOutcome, verdictText } from './model.js';

export const NAVIGATOR_LAYER_VERSION = '4.5';
/** the oldest Navigator that reads layer format 4.5 (the format's own rule) */
export const NAVIGATOR_VERSION = '4.9.0';

export interface NavigatorTechnique {
  techniqueID: string;
  score: number;
  comment: string;
  metadata: { name: string; value: string }[];
}

export interface NavigatorLayer {
  name: string;
  versions: { navigator: string; layer: string };
  domain: 'enterprise-attack';
  description: string;
  sorting: number;
  layout: { layout: 'side'; showID: boolean; showName: boolean; expandedSubtechniques: 'annotated' };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

function scored(id: string, cs: readonly CampaignOutcome[]): NavigatorTechnique {
  const n = cs.length;
  const k = cs.filter((c) => c.detected).length;
  const weak = cs.filter((c) => c.weaklyDetected).length;
  const observable = cs.filter((c) => c.observable).length;
  const { lower, upper } = wilson(k, n);
  const recall = n ? k / n : 0;
  const techniques = [...new Set(cs.map((c) => c.technique))].sort();
  const byTechnique = techniques.map((t) => {
    const of = cs.filter((c) => c.technique === t);
    return `${t} ${of.filter((c) => c.detected).length}/${of.length}`;
  });
  return {
    techniqueID: id,
    score: Math.round(recall * 100),
    comment: `recall ${k}/${n} (${pct(recall)}, 95% ${pct(lower)}–${pct(upper)}); weak recall ${weak}/${n}; max achievable ${observable}/${n}; by bench technique: ${byTechnique.join(', ')}`,
    metadata: [
      { name: 'recall', value: `${k}/${n}` },
      { name: 'recall 95% interval', value: `${pct(lower)}–${pct(upper)}` },
      { name: 'weak recall', value: `${weak}/${n}` },
      { name: 'max achievable recall', value: `${observable}/${n}` },
      { name: 'bench techniques', value: byTechnique.join(', ') },
    ],
  };
}

export function buildNavigatorLayer(r: Report): NavigatorLayer {
  const campaigns = r.scenarios.flatMap((s) => s.card.campaigns);
  const ids = [...new Set(campaigns.flatMap((c) => c.attack))].sort();
  const detectors = [...new Set(r.scenarios.map((s) => s.details?.detector).filter((d): d is string => !!d))];
  const scenarios = r.scenarios.map(
    (s) => `${s.name} (seed${s.card.runs.length > 1 ? 's' : ''} ${s.card.runs.map((x) => x.seed).join(', ')})`,
  );
  return {
    name: `enumbench: ${r.scenarios.map((s) => s.name).join(', ') || 'no scenario'}`,
    versions: { navigator: NAVIGATOR_VERSION, layer: NAVIGATOR_LAYER_VERSION },
    domain: 'enterprise-attack',
    description: `Measured recall per ATT&CK technique (score = percent of the run's campaigns strictly detected). Scenarios: ${scenarios.join('; ') || 'none'}. Detector: ${detectors.join(', ') || 'alerts file'}. Verdict: ${verdictText(r)}.`,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques: ids.map((id) =>
      scored(
        id,
        campaigns.filter((c) => c.attack.includes(id)),
      ),
    ),
    gradient: { colors: ['#ff6666', '#ffe766', '#8ec843'], minValue: 0, maxValue: 100 },
    legendItems: [
      { label: 'recall 0%', color: '#ff6666' },
      { label: 'recall 50%', color: '#ffe766' },
      { label: 'recall 100%', color: '#8ec843' },
    ],
    metadata: [
      { name: 'tool', value: `${r.tool.name} ${r.tool.version}` },
      { name: 'outcome', value: reportOutcome(r) },
      ...r.scenarios.map((s) => ({ name: `replay ${s.name}`, value: s.replay })),
    ],
  };
}

export function renderNavigator(r: Report): string {
  return `${JSON.stringify(buildNavigatorLayer(r), null, 2)}\n`;
}
