import type { MetricUnit } from '../core/metrics.js';

/** Where a gate came from. */
export type VerdictOrigin = 'expect' | 'cli' | 'baseline' | 'builtin';

/**
 * The verdict on one condition of one threshold. `error` means the scorecard cannot provide the
 * figure (a slice it does not have, a latency gate on self-reported times): invalid input, reported
 * beside the other verdicts.
 */
export interface Verdict {
  /** canonical key, e.g. `recall{technique:azurehound}` */
  key: string;
  metric: string;
  /** the condition as written, e.g. `>= 0.95`; for baselines `>= 0.93 (baseline 0.95 - 0.02)` */
  condition: string;
  origin: VerdictOrigin;
  status: 'pass' | 'fail' | 'error';
  /** null: no value (undefined figure) or not available */
  observed: number | null;
  unit: MetricUnit;
  /** the sample behind a rate or a distribution */
  n?: number;
  /** for rates: the 95% Wilson lower bound of the same figure */
  lower?: number | null;
  /** why it failed or could not be evaluated */
  message?: string;
  hint?: string;
}
