/**
 * Repetition: one campaign is an anecdote. Scorecards of N seeds (and of several scenarios) combine
 * by pooling their outcomes and recomputing every figure: recall over all campaigns of all seeds,
 * with a Wilson interval, so a gate can use the lower bound (`recall.lower >= 0.8`).
 */
import { EnumbenchError } from '../core/errors.js';
import { computeMetrics } from './metrics.js';
import type { Scorecard } from './types.js';

export function combineScorecards(cards: readonly Scorecard[]): Scorecard {
  const first = cards[0];
  if (!first) throw new EnumbenchError('E_COMBINE_EMPTY', 'no scorecards to combine');
  for (const c of cards) {
    if (c.schemaVersion !== first.schemaVersion || c.datasetFormatVersion !== first.datasetFormatVersion) {
      throw new EnumbenchError(
        'E_COMBINE_VERSION',
        `cannot combine scorecards of different versions (schema ${c.schemaVersion} vs ${first.schemaVersion}, dataset format ${c.datasetFormatVersion} vs ${first.datasetFormatVersion})`,
        { hint: 'regenerate every dataset with the same enumbench version' },
      );
    }
    if (c.options.toleranceMs !== first.options.toleranceMs || c.options.evidenceCap !== first.options.evidenceCap) {
      throw new EnumbenchError('E_COMBINE_OPTIONS', 'cannot combine scorecards scored with different options', {
        hint: 'score every seed with the same --tolerance and --evidence-cap',
      });
    }
  }
  const seen = new Set<string>();
  for (const c of cards) {
    for (const r of c.runs) {
      const k = `${r.scenario}\u0000${r.seed}`;
      if (seen.has(k)) {
        throw new EnumbenchError('E_COMBINE_DUPLICATE', `scenario "${r.scenario}" seed ${r.seed} is given twice`, {
          hint: 'each (scenario, seed) may be scored once; duplicated runs would inflate the sample size',
        });
      }
      seen.add(k);
    }
  }
  const base = {
    schemaVersion: first.schemaVersion,
    datasetFormatVersion: first.datasetFormatVersion,
    options: first.options,
    runs: cards.flatMap((c) => c.runs),
    campaigns: cards.flatMap((c) => c.campaigns),
    alerts: cards.flatMap((c) => c.alerts),
    incidents: cards.flatMap((c) => c.incidents),
    leaks: cards.flatMap((c) => c.leaks),
    notes: [...new Set(cards.flatMap((c) => c.notes))],
  };
  return { ...base, metrics: computeMetrics(base) };
}
