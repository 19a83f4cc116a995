/**
 * Figures from outcomes. Every figure of the metric catalogue (src/core/metrics.ts) is computed for
 * the whole scorecard and for every slice the catalogue allows (`recall{technique:azurehound}`,
 * `false_positives_per_day{profile:helpdesk}`, `precision{rule:x}`…), keyed by the canonical
 * threshold key, so thresholds and baselines look figures up by the key they parse.
 */
import { METRICS, type TagName } from '../core/metrics.js';
import { canonicalKey } from '../scenario/thresholds.js';
import { buildIncidents } from './incidents.js';
import { mean, percentile, ratio, wilson } from './stats.js';
import type { AlertOutcome, CampaignOutcome, Incident, MetricValue, RunInfo, Scorecard } from './types.js';

type Material = Pick<Scorecard, 'runs' | 'campaigns' | 'alerts' | 'incidents'>;

interface Slice {
  runs: readonly RunInfo[];
  campaigns: readonly CampaignOutcome[];
  alerts: readonly AlertOutcome[];
  incidents: readonly Incident[];
  /** restrict false-positive incidents to this profile */
  profile?: string;
}

type Figures = Map<string, MetricValue>;

function rate(out: Figures, name: string, k: number, n: number): void {
  const w = wilson(k, n);
  out.set(name, { value: ratio(k, n), n, k });
  out.set(`${name}.lower`, { value: w.lower, n, k });
  out.set(`${name}.upper`, { value: w.upper, n, k });
}

function dist(out: Figures, name: string, values: readonly number[]): void {
  const n = values.length;
  out.set(`${name}.p50`, { value: percentile(values, 50), n });
  out.set(`${name}.p95`, { value: percentile(values, 95), n });
  out.set(`${name}.max`, { value: percentile(values, 100), n });
  out.set(`${name}.mean`, { value: mean(values), n });
}

function figures(s: Slice): Figures {
  const out: Figures = new Map();
  const days = s.runs.reduce((t, r) => t + r.days, 0);
  const perDay = (x: number): MetricValue => ({ value: days > 0 ? x / days : null, n: x });
  const cs = s.campaigns;
  const detected = cs.filter((c) => c.detected);
  rate(out, 'recall', detected.length, cs.length);
  rate(out, 'weak_recall', cs.filter((c) => c.weaklyDetected).length, cs.length);
  out.set('max_recall', {
    value: ratio(cs.filter((c) => c.observable).length, cs.length),
    n: cs.length,
    k: cs.filter((c) => c.observable).length,
  });

  // incidents: precision is true / (true + false); weak incidents (attacker context, principal
  // alone) are neither, and are counted apart (docs/scoring.md "Weak matches and precision")
  const tp = s.incidents.filter((i) => i.kind === 'tp');
  const tpKeys = new Set(tp.map((i) => `${i.scenario}\u0000${i.seed}\u0000${i.key}`));
  const weakOnly = s.incidents.filter(
    (i) => i.kind === 'weak' && !tpKeys.has(`${i.scenario}\u0000${i.seed}\u0000${i.key}`),
  );
  const fpAll = s.incidents.filter((i) => i.kind === 'fp');
  rate(out, 'precision', tp.length, tp.length + fpAll.length);
  out.set('weak_incidents', { value: weakOnly.length });
  const recall = out.get('recall')?.value ?? null;
  const precision = out.get('precision')?.value ?? null;
  out.set('f1', {
    value:
      recall === null || precision === null
        ? null
        : recall + precision === 0
          ? 0
          : (2 * recall * precision) / (recall + precision),
  });

  // evidence precision: over true-positive alerts about these campaigns
  const ids = new Set(cs.map((c) => `${c.scenario}\u0000${c.seed}\u0000${c.id}`));
  let mal = 0;
  let considered = 0;
  for (const a of s.alerts) {
    if (a.verdict !== 'tp' || a.evidence.considered === 0) continue;
    if (!a.campaigns.some((c) => ids.has(`${a.scenario}\u0000${a.seed}\u0000${c}`))) continue;
    mal += a.evidence.malicious;
    considered += a.evidence.considered;
  }
  out.set('evidence_precision', { value: ratio(mal, considered), n: considered, k: mal });

  const fp = s.profile === undefined ? fpAll : fpAll.filter((i) => (i.profile ?? 'unknown') === s.profile);
  out.set('false_positives', { value: fp.length });
  out.set('false_positives_per_day', perDay(fp.length));
  const scored = s.alerts.filter((a) => a.verdict !== 'history');
  out.set('alerts_per_day', perDay(scored.length));

  dist(
    out,
    'latency',
    detected.map((c) => c.latency as number),
  );
  dist(
    out,
    'latency_from_available',
    detected.filter((c) => c.latencyFromAvailable !== null).map((c) => c.latencyFromAvailable as number),
  );
  dist(
    out,
    'processing_delay',
    s.alerts.filter((a) => a.processingDelay !== null).map((a) => a.processingDelay as number),
  );
  out.set('missed_unobservable', { value: cs.filter((c) => c.miss === 'unobservable').length });
  out.set('missed_never_collected', { value: cs.filter((c) => c.miss === 'never_collected').length });
  out.set('missed_not_detected', { value: cs.filter((c) => c.miss === 'not_detected').length });
  out.set('leaks', { value: s.alerts.filter((a) => a.leak).length });
  out.set('malformed_alerts', { value: s.runs.reduce((t, r) => t + r.alerts.malformed, 0) });
  return out;
}

function uniq(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** The values each tag takes in this material (the slices the scorecard can provide). */
export function tagValues(m: Material): Record<TagName, string[]> {
  return {
    technique: uniq(m.campaigns.map((c) => c.technique)),
    source: uniq(m.campaigns.flatMap((c) => c.sources)),
    profile: uniq([
      ...m.runs.flatMap((r) => r.profiles ?? []),
      ...m.incidents.filter((i) => i.kind === 'fp').map((i) => i.profile ?? 'unknown'),
    ]),
    rule: uniq(m.alerts.map((a) => a.rule)),
    scenario: uniq(m.runs.map((r) => r.scenario)),
  };
}

function sliceFor(m: Material, tag: TagName, value: string): Slice {
  switch (tag) {
    case 'technique':
      return { ...m, campaigns: m.campaigns.filter((c) => c.technique === value) };
    case 'source':
      return { ...m, campaigns: m.campaigns.filter((c) => c.sources.includes(value as never)) };
    case 'profile':
      return { ...m, profile: value };
    case 'rule': {
      const alerts = m.alerts.filter((a) => a.rule === value);
      return { ...m, alerts, incidents: buildIncidents(alerts) };
    }
    case 'scenario':
      return {
        runs: m.runs.filter((r) => r.scenario === value),
        campaigns: m.campaigns.filter((c) => c.scenario === value),
        alerts: m.alerts.filter((a) => a.scenario === value),
        incidents: m.incidents.filter((i) => i.scenario === value),
      };
  }
}

function emitInto(
  all: Map<string, MetricValue>,
  f: Figures,
  tags: Partial<Record<TagName, string>>,
  tag: TagName | null,
) {
  for (const info of METRICS) {
    if (tag !== null && !info.tags.includes(tag)) continue;
    for (const agg of info.aggregates) {
      const v = f.get(agg ? `${info.name}.${agg}` : info.name);
      if (v) all.set(canonicalKey(info.name, agg, tags), v);
    }
  }
}

/**
 * The figures of one slice, computed on demand, even for a value with no data: a rule that never
 * fired has `false_positives{rule:x}` = 0 and `precision{rule:x}` undefined.
 */
export function sliceMetrics(m: Material, tag: TagName, value: string): Record<string, MetricValue> {
  const all = new Map<string, MetricValue>();
  emitInto(all, figures(sliceFor(m, tag, value)), { [tag]: value }, tag);
  return Object.fromEntries(all);
}

/** Every figure, whole and sliced, keyed by canonical threshold key; keys sorted. */
export function computeMetrics(m: Material): Record<string, MetricValue> {
  const all = new Map<string, MetricValue>();
  const emit = (f: Figures, tags: Partial<Record<TagName, string>>, tag: TagName | null) => emitInto(all, f, tags, tag);
  emit(figures(m), {}, null);
  const values = tagValues(m);
  for (const tag of Object.keys(values) as TagName[]) {
    for (const value of values[tag]) emit(figures(sliceFor(m, tag, value)), { [tag]: value }, tag);
  }
  const sorted: Record<string, MetricValue> = {};
  for (const k of [...all.keys()].sort()) sorted[k] = all.get(k) as MetricValue;
  return sorted;
}
