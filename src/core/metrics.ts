/**
 * The metric catalogue: every figure a scorecard holds, its unit, the aggregates it accepts
 * (`latency.p95`, `recall.lower`) and the tags it may be sliced by. Shared by the threshold parser
 * (which refuses `precision{technique:x}`: false positives have no technique) and the scorer.
 */

export const TAG_NAMES = ['technique', 'profile', 'source', 'scenario', 'rule'] as const;
export type TagName = (typeof TAG_NAMES)[number];

export type MetricUnit = 'ratio' | 'per_day' | 'duration' | 'count';

export interface MetricInfo {
  name: string;
  unit: MetricUnit;
  description: string;
  /** tags this metric may be sliced by */
  tags: readonly TagName[];
  /** accepted aggregates after a dot; '' means the bare name is accepted */
  aggregates: readonly string[];
  /** whether a larger value is better (for regression gates) */
  higherIsBetter: boolean;
}

const RATE_AGG = ['', 'lower', 'upper'] as const;
const DIST_AGG = ['p50', 'p95', 'max', 'mean'] as const;

export const METRICS: readonly MetricInfo[] = [
  {
    name: 'recall',
    unit: 'ratio',
    description:
      'Strict recall: detected campaigns / campaigns. Matches by evidence, session/token or principal+IP only. `.lower`/`.upper` are the 95% Wilson bounds.',
    tags: ['technique', 'source', 'scenario'],
    aggregates: RATE_AGG,
    higherIsBetter: true,
  },
  {
    name: 'weak_recall',
    unit: 'ratio',
    description:
      'Recall that also counts weak matches: an alert on attacker context (its sign-ins) or naming only the compromised account.',
    tags: ['technique', 'source', 'scenario'],
    aggregates: RATE_AGG,
    higherIsBetter: true,
  },
  {
    name: 'max_recall',
    unit: 'ratio',
    description:
      'The highest recall any detector could reach with what this tenant collects (observable campaigns / campaigns).',
    tags: ['technique', 'scenario'],
    aggregates: [''],
    higherIsBetter: true,
  },
  {
    name: 'precision',
    unit: 'ratio',
    description:
      'True-positive incidents / (true-positive + false-positive incidents); weak incidents are neither. Undefined (not 0) when there is neither.',
    tags: ['rule', 'scenario'],
    aggregates: RATE_AGG,
    higherIsBetter: true,
  },
  {
    name: 'f1',
    unit: 'ratio',
    description: 'Harmonic mean of strict recall and precision.',
    tags: ['scenario'],
    aggregates: [''],
    higherIsBetter: true,
  },
  {
    name: 'evidence_precision',
    unit: 'ratio',
    description: 'Share of the records cited by true-positive alerts that are evidence of the technique.',
    tags: ['rule', 'technique', 'scenario'],
    aggregates: [''],
    higherIsBetter: true,
  },
  {
    name: 'weak_incidents',
    unit: 'count',
    description:
      'Weak incidents (by campaign): alerts on attacker context or naming only the compromised account, on a campaign not strictly detected. Neither true nor false.',
    tags: ['rule', 'scenario'],
    aggregates: [''],
    higherIsBetter: true,
  },
  {
    name: 'false_positives',
    unit: 'count',
    description: 'False-positive incidents (grouped by rule, principal and day).',
    tags: ['profile', 'rule', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'false_positives_per_day',
    unit: 'per_day',
    description: 'False-positive incidents per simulated day of the scored window.',
    tags: ['profile', 'rule', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'alerts_per_day',
    unit: 'per_day',
    description: 'Raw alerts per simulated day (alert fatigue), true and false alike.',
    tags: ['rule', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'latency',
    unit: 'duration',
    description: 'Time to detect, from campaign start to the arrival of the first matching alert (simulated time).',
    tags: ['technique', 'scenario'],
    aggregates: DIST_AGG,
    higherIsBetter: false,
  },
  {
    name: 'latency_from_available',
    unit: 'duration',
    description: "Time to detect, from the campaign's first available record to the first matching alert.",
    tags: ['technique', 'scenario'],
    aggregates: DIST_AGG,
    higherIsBetter: false,
  },
  {
    name: 'processing_delay',
    unit: 'duration',
    description: "The detector's own delay: alert arrival minus the availability of the newest record it cites.",
    tags: ['rule', 'scenario'],
    aggregates: DIST_AGG,
    higherIsBetter: false,
  },
  {
    name: 'missed_unobservable',
    unit: 'count',
    description: 'Missed campaigns that nothing this tenant collects could show.',
    tags: ['technique', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'missed_never_collected',
    unit: 'count',
    description: 'Missed campaigns whose records were published but never fetched by the collector.',
    tags: ['technique', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'missed_not_detected',
    unit: 'count',
    description: 'Missed campaigns whose records were collected but not detected.',
    tags: ['technique', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'leaks',
    unit: 'count',
    description: 'Alerts citing a record before it was available (a protocol violation that fails the run).',
    tags: ['rule', 'scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
  {
    name: 'malformed_alerts',
    unit: 'count',
    description: 'Alerts refused as malformed (reported with their line, never silently dropped).',
    tags: ['scenario'],
    aggregates: [''],
    higherIsBetter: false,
  },
];

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));

export function findMetric(name: string): MetricInfo | undefined {
  return BY_NAME.get(name);
}

export const METRIC_NAMES: readonly string[] = METRICS.map((m) => m.name);
