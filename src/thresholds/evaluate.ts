/**
 * Evaluating thresholds (`expect:` and `--threshold`) against a scorecard. Pure: returns one
 * verdict per condition; the CLI decides the exit code. A threshold the scorecard cannot answer
 * is an `error` verdict with a message, and the others are still evaluated.
 */
import { findMetric, type MetricInfo, type TagName } from '../core/metrics.js';
import { holds, type Threshold } from '../scenario/thresholds.js';
import { sliceMetrics, tagValues } from '../scoring/metrics.js';
import type { MetricValue, Scorecard } from '../scoring/types.js';
import type { Verdict, VerdictOrigin } from './types.js';

const LATENCY_METRICS = new Set(['latency', 'latency_from_available']);

function lowerKey(t: Threshold): string | null {
  const info = findMetric(t.metric);
  if (info?.unit !== 'ratio' || !info.aggregates.includes('lower') || t.aggregate !== '') return null;
  return t.key.replace(t.metric, `${t.metric}.lower`);
}

/**
 * A figure by key. Rules are the detector's own names, so a rule that never fired has figures too
 * (no false positives, undefined precision): computed on demand from the outcomes.
 */
export function lookupMetric(
  card: Scorecard,
  t: { key: string; tags: Partial<Record<TagName, string>> },
): MetricValue | undefined {
  const v = card.metrics[t.key];
  if (v) return v;
  const tags = Object.entries(t.tags) as [TagName, string][];
  const only = tags[0];
  if (tags.length === 1 && only && only[0] === 'rule') return sliceMetrics(card, 'rule', only[1])[t.key];
  return undefined;
}

/** Why a key is missing from the scorecard, in words a user can act on. */
function missingReason(card: Scorecard, t: Threshold): { message: string; hint?: string } {
  const tags = Object.entries(t.tags) as [TagName, string][];
  if (tags.length > 1) {
    return {
      message: `the scorecard is sliced by one tag at a time; "${t.key}" asks for ${tags.length}`,
      hint: `gate on each tag separately, e.g. ${tags.map(([k, v]) => `"${t.metric}{${k}:${v}}"`).join(' and ')}`,
    };
  }
  const [tag, value] = tags[0] ?? [];
  if (tag && value !== undefined) {
    const present = tagValues(card)[tag];
    const what: Record<TagName, string> = {
      technique: 'no campaign of technique',
      source: 'no campaign with records in source',
      profile: 'no benign actor of profile',
      rule: 'no alert from rule',
      scenario: 'no scored scenario named',
    };
    return {
      message: `${what[tag]} "${value}" in this run, so "${t.key}" has no value`,
      hint: present.length ? `${tag}s in this run: ${present.join(', ')}` : `this run has no ${tag}s at all`,
    };
  }
  return { message: `the scorecard has no figure "${t.key}"` };
}

function undefinedReason(metric: string, n: number | undefined): string {
  if (metric === 'precision') return 'undefined: the detector raised no incident';
  if (metric === 'recall' || metric === 'weak_recall' || metric === 'max_recall')
    return 'undefined: no campaign in this slice';
  if (LATENCY_METRICS.has(metric)) return 'undefined: no campaign was detected';
  if (metric === 'processing_delay') return 'undefined: no alert cited an available record';
  if (metric === 'f1') return 'undefined: precision or recall is undefined';
  return n === 0 ? 'undefined: empty sample' : 'undefined';
}

export function evaluateThresholds(
  card: Scorecard,
  thresholds: readonly Threshold[],
  origin: VerdictOrigin,
): Verdict[] {
  const selfReported = card.runs.some((r) => r.arrival === 'self-reported' || r.arrival === 'mixed');
  // runs scored with --trust-alert-time ('…-trusted') may gate latency; every report marks them
  const scaled = card.runs.find((r) => r.latencyScaled !== undefined)?.latencyScaled;
  const out: Verdict[] = [];
  for (const t of thresholds) {
    const info = findMetric(t.metric) as MetricInfo;
    const value = lookupMetric(card, t);
    const lk = lowerKey(t);
    for (const cond of t.conditions) {
      const base: Verdict = {
        key: t.key,
        metric: t.metric,
        condition: `${cond.op} ${cond.text.slice(cond.op.length).trim()}`,
        origin,
        status: 'pass',
        observed: value?.value ?? null,
        unit: info.unit,
      };
      if (value?.n !== undefined && (info.unit === 'ratio' || info.unit === 'duration')) base.n = value.n;
      if (lk) base.lower = lookupMetric(card, { key: lk, tags: t.tags })?.value ?? null;
      if (LATENCY_METRICS.has(t.metric) && selfReported) {
        out.push({
          ...base,
          status: 'error',
          message: `"${t.key}" cannot gate: alert arrivals are self-reported (\`time\` from the alerts file), not stamped by the bench`,
          hint: 'score the alerts file `enumbench run` wrote (its lines carry "arrivedAt"), drop latency gates for offline scoring, or accept the SIEM\'s clock with --trust-alert-time',
        });
        continue;
      }
      if (LATENCY_METRICS.has(t.metric) && scaled !== undefined) {
        out.push({
          ...base,
          status: 'error',
          message: `"${t.key}" cannot gate: latency is scaled by the replay speed (${scaled})`,
          hint: 'replay at --speed realtime or lockstep (ENUMBENCH_LOCKSTEP_URL), or pass --accept-scaled-latency to gate on it anyway',
        });
        continue;
      }
      if (!value) {
        out.push({ ...base, status: 'error', ...missingReason(card, t) });
        continue;
      }
      if (value.value === null) {
        out.push({ ...base, status: 'fail', message: undefinedReason(t.metric, value.n) });
        continue;
      }
      out.push(holds(cond, value.value) ? base : { ...base, status: 'fail' });
    }
  }
  return out;
}

/** Gates every run has: no leaks (an alert citing a record before it was available fails the run). */
export function builtinVerdicts(card: Scorecard): Verdict[] {
  const leaks = card.metrics.leaks?.value ?? 0;
  const v: Verdict = {
    key: 'leaks',
    metric: 'leaks',
    condition: '== 0',
    origin: 'builtin',
    status: 'pass',
    observed: leaks,
    unit: 'count',
  };
  if (leaks > 0) {
    const first = card.leaks[0];
    v.status = 'fail';
    v.message = `${leaks} alert(s) cited records before they were available${first ? ` (first: rule "${first.rule}" cited ${first.record})` : ''}: a protocol violation`;
    v.hint = 'a detector may only use records it was delivered; check it does not read the dataset files directly';
  }
  return [v];
}
