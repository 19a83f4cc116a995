/**
 * Regression gates from a baseline: `--baseline previous/summary.json --max-regression
 * recall=0.02,latency.p95=10m`. Each named figure may get worse than the baseline's by at most the
 * allowance, in the direction the metric catalogue calls worse. Baselines from another summary
 * schema or dataset format version are refused.
 */
import { EnumbenchError } from '../core/errors.js';
import { findMetric, type MetricInfo, type TagName } from '../core/metrics.js';
import { canonicalKey, formatQuantity, parseThresholdKey } from '../scenario/thresholds.js';
import { parseDuration } from '../scenario/units.js';
import type { MetricValue, Scorecard } from '../scoring/types.js';
import { lookupMetric } from './evaluate.js';
import type { Verdict } from './types.js';

/** What thresholds need from a previous summary.json (report/summary.ts writes these fields). */
export interface BaselineSummary {
  schemaVersion: number;
  datasetFormatVersion: number;
  scenarios: { name: string; hash?: string; seeds?: number[]; metrics: Record<string, MetricValue> }[];
}

/** What a run is, for comparing it with a baseline: one entry per scenario. */
export interface BaselineSubject {
  name: string;
  /** the normalised scenario's sha256 */
  hash: string;
  seeds: readonly number[];
}

/**
 * Why a baseline cannot gate this run: each of this run's scenarios must be in the baseline, made
 * from the same scenario (hash) with the same seeds. Figures of another scenario or seed set are
 * not a baseline, they are another experiment. Empty when the baseline fits. (A baseline may hold
 * more scenarios than the run.)
 */
export function baselineDifferences(b: BaselineSummary, current: readonly BaselineSubject[]): string[] {
  const out: string[] = [];
  const have = b.scenarios.map((s) => `"${s.name}"`).join(', ') || 'none';
  const short = (h: string | undefined) => (h ? h.slice(0, 12) : 'none');
  for (const c of current) {
    const base = b.scenarios.find((s) => s.name === c.name);
    if (!base) {
      out.push(`it has no scenario "${c.name}" (it has ${have})`);
      continue;
    }
    if (base.hash !== c.hash) {
      out.push(
        `scenario "${c.name}" was made from another version of the scenario (hash ${short(base.hash)}; this run ${short(c.hash)})`,
      );
    }
    const seeds = [...(base.seeds ?? [])].sort((x, y) => x - y);
    const now = [...c.seeds].sort((x, y) => x - y);
    if (seeds.join(',') !== now.join(',')) {
      out.push(`scenario "${c.name}" ran seed(s) ${seeds.join(', ') || 'none'}; this run ${now.join(', ')}`);
    }
  }
  return out;
}

/** Refuse a baseline that does not fit this run, saying what differs (exit 4). */
export function assertBaselineFits(b: BaselineSummary, current: readonly BaselineSubject[], file: string): void {
  const diffs = baselineDifferences(b, current);
  if (diffs.length === 0) return;
  throw new EnumbenchError('E_BASELINE_MISMATCH', `${file} is not a baseline for this run: ${diffs.join('; ')}`, {
    hint: 'make the baseline with the same scenario files and seeds (the summary.json of the same command on the base branch)',
  });
}

export interface RegressionAllowance {
  key: string;
  metric: string;
  tags?: Partial<Record<TagName, string>>;
  /** in the metric's unit (ratios as fractions, durations in ms) */
  allowed: number;
  text: string;
}

/** The figures gated when `--baseline` is given without `--max-regression`: no regression allowed. */
export const DEFAULT_REGRESSION_KEYS = ['recall', 'precision', 'latency.p95', 'false_positives_per_day'] as const;

export function parseMaxRegression(
  text: string,
): { ok: true; value: RegressionAllowance[] } | { ok: false; problems: string[] } {
  const value: RegressionAllowance[] = [];
  const problems: string[] = [];
  for (const part of splitTopLevel(text)) {
    const i = part.lastIndexOf('=');
    if (i <= 0) {
      problems.push(`cannot parse "${part}": write key=allowance, e.g. recall=0.02 or latency.p95=10m`);
      continue;
    }
    const keyText = part.slice(0, i).trim();
    const amount = part.slice(i + 1).trim();
    const k = parseThresholdKey(keyText);
    if (!k.ok) {
      problems.push(...k.problems.map((p) => `${keyText}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`));
      continue;
    }
    const allowed = parseAllowance(k.metric, amount);
    if (typeof allowed === 'string') {
      problems.push(`${keyText}: ${allowed}`);
      continue;
    }
    const key = canonicalKey(k.metric.name, k.aggregate, k.tags);
    value.push({
      key,
      metric: k.metric.name,
      ...(Object.keys(k.tags).length ? { tags: k.tags } : {}),
      allowed,
      text: amount,
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

/** split on commas outside braces: "recall{technique:a}=0.1,latency.p95=10m" */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseAllowance(metric: MetricInfo, amount: string): number | string {
  if (metric.unit === 'duration') {
    const d = parseDuration(amount);
    return d.ok ? d.value : `${d.message}${d.hint ? ` (${d.hint})` : ''}`;
  }
  const m = /^(\d+(?:\.\d+)?)(%)?$/.exec(amount);
  if (!m) return `"${amount}" is not a number${metric.unit === 'ratio' ? ' (e.g. 0.02 or 2%)' : ''}`;
  let v = Number(m[1]);
  if (m[2] === '%') {
    if (metric.unit !== 'ratio') return `"${metric.name}" is not a ratio; drop the %`;
    v /= 100;
  }
  return v;
}

/** Check a parsed summary.json can serve as a baseline; throws a user error otherwise. */
export function checkBaseline(
  raw: unknown,
  expected: { schemaVersion: number; datasetFormatVersion: number },
  file = 'baseline',
): BaselineSummary {
  const o = raw as Partial<BaselineSummary> | null;
  if (!o || typeof o !== 'object' || typeof o.schemaVersion !== 'number' || !Array.isArray(o.scenarios)) {
    throw new EnumbenchError('E_BASELINE', `${file} is not an enumbench summary.json`, {
      hint: 'pass the summary.json a previous `enumbench run` or `enumbench score --report json` wrote',
    });
  }
  if (o.schemaVersion !== expected.schemaVersion || o.datasetFormatVersion !== expected.datasetFormatVersion) {
    throw new EnumbenchError(
      'E_BASELINE_VERSION',
      `${file} was written with summary schema ${o.schemaVersion} and dataset format ${o.datasetFormatVersion}; this run has schema ${expected.schemaVersion} and dataset format ${expected.datasetFormatVersion}`,
      { hint: 'figures from different format versions do not compare: make a new baseline with this version' },
    );
  }
  return o as BaselineSummary;
}

export function regressionVerdicts(
  card: Scorecard,
  scenario: string,
  baseline: BaselineSummary,
  allowances: readonly RegressionAllowance[],
): Verdict[] {
  const base = baseline.scenarios.find((s) => s.name === scenario);
  const list: RegressionAllowance[] = allowances.length
    ? [...allowances]
    : DEFAULT_REGRESSION_KEYS.map((k) => ({ key: k, metric: k.split('.')[0] as string, allowed: 0, text: '0' }));
  return list.map((a) => {
    const info = findMetric(a.metric) as MetricInfo;
    const current = lookupMetric(card, { key: a.key, tags: a.tags ?? {} });
    const cur = current?.value ?? null;
    const v: Verdict = {
      key: a.key,
      metric: a.metric,
      condition: '',
      origin: 'baseline',
      status: 'pass',
      observed: cur,
      unit: info.unit,
    };
    const n = current?.n;
    if (n !== undefined && (info.unit === 'ratio' || info.unit === 'duration')) v.n = n;
    const b = base?.metrics[a.key]?.value;
    const q = (x: number) => formatQuantity(info.unit, x);
    if (b === undefined) {
      return {
        ...v,
        condition: `no worse than baseline by ${a.text}`,
        status: 'error',
        message: base ? `the baseline has no figure "${a.key}"` : `the baseline has no scenario "${scenario}"`,
        hint: 'make the baseline from the same scenarios and slices',
      };
    }
    if (b === null) {
      return {
        ...v,
        condition: `no worse than baseline by ${a.text}`,
        message: 'the baseline figure is undefined: nothing to regress from',
      };
    }
    const limit = info.higherIsBetter ? b - a.allowed : b + a.allowed;
    const op = info.higherIsBetter ? '>=' : '<=';
    const condition = `${op} ${q(limit)} (baseline ${q(b)} ${info.higherIsBetter ? '-' : '+'} ${a.text})`;
    if (cur === null) return { ...v, condition, status: 'fail', message: 'undefined in this run' };
    const eps = 1e-9;
    const ok = info.higherIsBetter ? cur >= limit - eps : cur <= limit + eps;
    return ok
      ? { ...v, condition }
      : { ...v, condition, status: 'fail', message: `regressed from ${q(b)} to ${q(cur)}` };
  });
}
