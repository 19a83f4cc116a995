/** Formatting figures for people: ratios with two decimals, durations rounded to the second. */
import type { MetricUnit } from '../core/metrics.js';
import { formatDuration } from '../scenario/units.js';
import type { MetricValue } from '../scoring/types.js';
import type { Verdict } from '../thresholds/types.js';

export function fmt(unit: MetricUnit, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'undefined';
  switch (unit) {
    case 'ratio':
    case 'per_day':
      return value.toFixed(2);
    case 'duration':
      return formatDuration(Math.round(value / 1000) * 1000);
    case 'count':
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export function fmtRate(v: MetricValue | undefined, lower?: MetricValue, upper?: MetricValue): string {
  if (!v) return 'n/a';
  const base = fmt('ratio', v.value);
  if (v.n === undefined) return base;
  const ci =
    lower?.value !== null && lower?.value !== undefined && upper?.value !== null && upper?.value !== undefined
      ? `, 95% ${lower.value.toFixed(2)}–${upper.value.toFixed(2)}`
      : '';
  return `${base} (${v.k ?? 0}/${v.n}${ci})`;
}

export function fmtDist(metrics: Record<string, MetricValue>, name: string): string {
  const p50 = metrics[`${name}.p50`];
  if (!p50 || p50.value === null) return `n/a (n=${p50?.n ?? 0})`;
  return `p50=${fmt('duration', p50.value)} p95=${fmt('duration', metrics[`${name}.p95`]?.value)} max=${fmt('duration', metrics[`${name}.max`]?.value)} (n=${p50.n ?? 0})`;
}

/** `observed=1.00 (n=20, 95% ≥ 0.84)` */
export function fmtObserved(v: Verdict): string {
  let s = `observed=${fmt(v.unit, v.observed)}`;
  const extra: string[] = [];
  if (v.n !== undefined) extra.push(`n=${v.n}`);
  if (v.lower !== undefined && v.lower !== null) extra.push(`95% ≥ ${v.lower.toFixed(2)}`);
  if (extra.length) s += ` (${extra.join(', ')})`;
  return s;
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function fmtDays(days: number): string {
  return Number.isInteger(days) ? `${days}d` : `${days.toFixed(2)}d`;
}

/** The mark every report carries when latency gated on self-reported alert times (`--trust-alert-time`). */
export function trustedArrivalMark(runs: readonly { arrival: string }[]): string | null {
  if (!runs.some((r) => r.arrival.endsWith('-trusted'))) return null;
  return "latency from self-reported alert times (--trust-alert-time): the SIEM's own clock, not the bench's";
}
