/**
 * Refusing to score alerts against the truth of another dataset: a run's alerts file names its
 * dataset in a header line; a file without one is checked by what it cites and when it arrived.
 */
import { DAY } from '../core/clock.js';
import { EnumbenchError } from '../core/errors.js';
import type { Truth } from '../core/truth.js';
import type { AlertsFile } from './alerts-file.js';
import { norm } from './match.js';

/** Below this many distinct cited ids, "none is known" proves nothing. */
const MIN_CITED = 10;

export function checkSameDataset(
  truth: Truth,
  file: AlertsFile,
  isKnownRecord: ((id: string) => boolean) | null,
): EnumbenchError | null {
  const hint = 'score alerts against the truth.json of the dataset they were raised on (same scenario and seed)';
  const d = file.dataset;
  if (d && (d.hash !== truth.scenario.hash || d.seed !== truth.seed)) {
    return new EnumbenchError(
      'E_DATASET_MISMATCH',
      `the alerts were raised on scenario "${d.scenario}" seed ${d.seed} (${d.hash}); the truth is scenario "${truth.scenario.name}" seed ${truth.seed} (${truth.scenario.hash})`,
      { hint },
    );
  }
  if (isKnownRecord) {
    const cited = new Set<string>();
    for (const a of file.alerts) for (const id of a.alert.evidence ?? []) cited.add(norm(id));
    if (cited.size >= MIN_CITED && ![...cited].some(isKnownRecord)) {
      return new EnumbenchError(
        'E_DATASET_MISMATCH',
        `the alerts cite ${cited.size} record ids and none of them is in this dataset`,
        { hint },
      );
    }
  }
  if (file.alerts.length > 0) {
    const lo = truth.window.historyStart - DAY;
    const hi = truth.window.end + 7 * DAY;
    if (file.alerts.every((a) => a.arrivedAt < lo || a.arrivedAt > hi)) {
      return new EnumbenchError(
        'E_DATASET_MISMATCH',
        `every alert arrived outside this dataset's time window (${new Date(truth.window.historyStart).toISOString()} .. ${new Date(truth.window.end).toISOString()})`,
        {
          hint: `${hint}; alerts raised on a \`serve\` replay are dated by its shift: pass the shift it printed with --time-offset`,
        },
      );
    }
  }
  return null;
}
