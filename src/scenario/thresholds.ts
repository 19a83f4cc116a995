/**
 * Thresholds: the `expect:` block of a scenario and the `--threshold` flag, k6-style.
 * Parsed and checked against the metric catalogue before any record is generated.
 *
 * Grammar (BNF). In YAML a threshold is `key: condition` or `key: [condition, ...]`;
 * on the command line it is one string `key condition`.
 *
 *   threshold  ::= key ws* condition
 *   key        ::= metric [ "." aggregate ] [ "{" tag ":" value { "," tag ":" value } "}" ]
 *   metric     ::= [a-z_]+                         ; a name from src/core/metrics.ts
 *   aggregate  ::= "lower" | "upper" | "p50" | "p95" | "max" | "mean"
 *   tag        ::= "technique" | "profile" | "source" | "scenario" | "rule"
 *   value      ::= ( any character but "," "}" )+  ; trimmed
 *   condition  ::= op ws* quantity
 *   op         ::= "<=" | ">=" | "==" | "!=" | "<" | ">"
 *   quantity   ::= number [ "%" ] | duration        ; duration as in units.ts, e.g. "2h", "90s"
 *
 * Examples: `recall >= 0.95`, `recall{technique:roadrecon} == 1`, `recall.lower >= 0.8`,
 * `latency.p95 <= 2h`, `false_positives_per_day <= 1`, `precision{rule:graph-bulk-listing} >= 90%`.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../core/catalog.js';
import { findMetric, METRIC_NAMES, type MetricInfo, TAG_NAMES, type TagName } from '../core/metrics.js';
import { SOURCE_IDS } from '../core/sources.js';
import { closest } from './suggest.js';
import { formatDuration, parseDuration } from './units.js';

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Condition {
  op: ThresholdOp;
  /** ratios as fractions (95% → 0.95), durations in milliseconds */
  value: number;
  /** as written */
  text: string;
}

export interface Threshold {
  /** canonical key: metric[.aggregate][{tag:value,...}] with tags sorted */
  key: string;
  metric: string;
  /** '' when none */
  aggregate: string;
  tags: Partial<Record<TagName, string>>;
  conditions: Condition[];
}

export interface ThresholdProblem {
  /** 'key' or the index of the condition the problem is in */
  where: 'key' | number;
  message: string;
  hint?: string;
}

const KEY_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z0-9_]+))?(?:\{([^}]*)\})?$/;
const COND_RE = /^(<=|>=|==|!=|<|>)\s*(.+)$/;

/** Names the catalogue gives for validating tag values; empty lists mean "don't check". */
export interface ThresholdContext {
  catalog?: Catalog;
}

export function parseThresholdKey(
  raw: string,
  ctx: ThresholdContext = {},
):
  | { ok: true; metric: MetricInfo; aggregate: string; tags: Partial<Record<TagName, string>> }
  | { ok: false; problems: ThresholdProblem[] } {
  const text = raw.trim();
  const m = KEY_RE.exec(text);
  if (!m) {
    return {
      ok: false,
      problems: [
        {
          where: 'key',
          message: `cannot parse threshold metric "${raw}"`,
          hint: 'write metric[.aggregate][{tag:value}], e.g. "recall{technique:azurehound}" or "latency.p95"',
        },
      ],
    };
  }
  const [, name, agg = '', tagText] = m as unknown as [string, string, string | undefined, string | undefined];
  const problems: ThresholdProblem[] = [];
  const metric = findMetric(name);
  if (!metric) {
    const guess = closest(name, METRIC_NAMES);
    return {
      ok: false,
      problems: [
        {
          where: 'key',
          message: `unknown metric "${name}"`,
          hint: guess ? `did you mean \`${guess}\`?` : `metrics: ${METRIC_NAMES.join(', ')}`,
        },
      ],
    };
  }
  if (!metric.aggregates.includes(agg)) {
    const allowed = metric.aggregates.filter((a) => a !== '');
    if (agg === '') {
      problems.push({
        where: 'key',
        message: `"${name}" is a distribution: say which statistic`,
        hint: `use ${allowed.map((a) => `\`${name}.${a}\``).join(', ')}`,
      });
    } else {
      problems.push({
        where: 'key',
        message: `"${name}" has no aggregate ".${agg}"`,
        hint: allowed.length
          ? `use ${allowed.map((a) => `\`${name}.${a}\``).join(', ')}${metric.aggregates.includes('') ? ` or plain \`${name}\`` : ''}`
          : `\`${name}\` takes no aggregate`,
      });
    }
  }
  const tags: Partial<Record<TagName, string>> = {};
  if (tagText !== undefined) {
    const parts = tagText.split(',');
    for (const part of parts) {
      const i = part.indexOf(':');
      const tag = (i < 0 ? part : part.slice(0, i)).trim();
      const value = i < 0 ? '' : part.slice(i + 1).trim();
      if (i < 0 || tag === '' || value === '') {
        problems.push({
          where: 'key',
          message: `bad tag "${part.trim()}" in "${raw}"`,
          hint: 'write tags as {tag:value}, e.g. {technique:azurehound}',
        });
        continue;
      }
      if (!(TAG_NAMES as readonly string[]).includes(tag)) {
        const guess = closest(tag, TAG_NAMES);
        problems.push({
          where: 'key',
          message: `unknown tag "${tag}"`,
          hint: guess ? `did you mean \`${guess}\`?` : `tags: ${TAG_NAMES.join(', ')}`,
        });
        continue;
      }
      const t = tag as TagName;
      if (!metric.tags.includes(t)) {
        problems.push({
          where: 'key',
          message: `"${name}" cannot be sliced by ${t}${whyNot(name, t)}`,
          hint: metric.tags.length ? `"${name}" may be sliced by ${metric.tags.join(', ')}` : `"${name}" takes no tags`,
        });
        continue;
      }
      if (tags[t] !== undefined) {
        problems.push({ where: 'key', message: `tag "${t}" given twice in "${raw}"` });
        continue;
      }
      const known = knownValues(t, ctx);
      if (known && !known.includes(value)) {
        const guess = closest(value, known);
        problems.push({
          where: 'key',
          message: `unknown ${t} "${value}"`,
          hint: guess
            ? `did you mean \`${guess}\`?`
            : known.length
              ? `${t}s: ${known.join(', ')}`
              : `no ${t}s are registered`,
        });
        continue;
      }
      tags[t] = value;
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, metric, aggregate: agg, tags };
}

function whyNot(metric: string, tag: TagName): string {
  if ((metric === 'precision' || metric === 'f1') && (tag === 'technique' || tag === 'profile' || tag === 'source')) {
    return ': false positives have no technique, and precision mixes every profile';
  }
  if ((metric === 'recall' || metric === 'weak_recall' || metric.startsWith('latency')) && tag === 'profile') {
    return ': campaigns belong to techniques, not benign profiles';
  }
  if (metric.startsWith('false_positives') && tag === 'technique') return ': false positives have no technique';
  return '';
}

function knownValues(tag: TagName, ctx: ThresholdContext): readonly string[] | null {
  if (tag === 'source') return SOURCE_IDS;
  if (!ctx.catalog) return null;
  if (tag === 'technique') return ctx.catalog.techniques.map((t) => t.id);
  if (tag === 'profile') return ctx.catalog.profiles.map((p) => p.id);
  return null;
}

export function parseCondition(
  raw: unknown,
  metric: MetricInfo,
): { ok: true; value: Condition } | { ok: false; message: string; hint?: string } {
  if (typeof raw === 'number') {
    return { ok: false, message: `a condition needs an operator: ${raw}`, hint: `write e.g. ">= ${raw}"` };
  }
  if (typeof raw !== 'string') {
    return { ok: false, message: 'a condition must be a string such as ">= 0.9"', hint: 'quote it in YAML: ">= 0.9"' };
  }
  const text = raw.trim();
  const m = COND_RE.exec(text);
  if (!m) {
    return {
      ok: false,
      message: `cannot parse condition "${raw}"`,
      hint: 'write an operator and a value: "<= 2h", ">= 0.95", "== 1" (operators: < <= > >= == !=)',
    };
  }
  const op = m[1] as ThresholdOp;
  const q = (m[2] as string).trim();
  if (metric.unit === 'duration') {
    if (/^\d+(\.\d+)?$/.test(q) && Number(q) !== 0) {
      return { ok: false, message: `"${metric.name}" is a duration: "${q}" needs a unit`, hint: `e.g. "${op} ${q}m"` };
    }
    const d = parseDuration(q);
    if (!d.ok) return { ok: false, message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
    return { ok: true, value: { op, value: d.value, text } };
  }
  const num = /^(-?\d+(?:\.\d+)?)(%)?$/.exec(q);
  if (!num) {
    const d = parseDuration(q);
    if (d.ok) {
      return { ok: false, message: `"${metric.name}" is not a duration (its unit is ${metric.unit}); "${q}" is` };
    }
    return {
      ok: false,
      message: `not a number: "${q}"`,
      hint: metric.unit === 'ratio' ? 'ratios are 0..1 or a percentage, e.g. 0.95 or 95%' : undefined,
    } as {
      ok: false;
      message: string;
      hint?: string;
    };
  }
  let value = Number(num[1]);
  if (num[2] === '%') {
    if (metric.unit !== 'ratio') return { ok: false, message: `"${metric.name}" is not a ratio; drop the %` };
    value /= 100;
  }
  if (metric.unit === 'ratio' && (value < 0 || value > 1)) {
    return {
      ok: false,
      message: `"${metric.name}" is a ratio between 0 and 1; ${q} is outside`,
      hint: 'e.g. ">= 0.95" or ">= 95%"',
    };
  }
  if (value < 0) return { ok: false, message: `"${metric.name}" is never negative; ${q} is` };
  return { ok: true, value: { op, value, text } };
}

/** Build a threshold from a YAML key and its condition(s); problems point at the key or a condition. */
export function parseThreshold(
  key: string,
  conditions: unknown,
  ctx: ThresholdContext = {},
): { ok: true; value: Threshold } | { ok: false; problems: ThresholdProblem[] } {
  const k = parseThresholdKey(key, ctx);
  if (!k.ok) return k;
  const list = Array.isArray(conditions) ? conditions : [conditions];
  if (list.length === 0)
    return { ok: false, problems: [{ where: 'key', message: `no condition for "${key}"`, hint: 'e.g. ">= 0.9"' }] };
  const problems: ThresholdProblem[] = [];
  const conds: Condition[] = [];
  list.forEach((c, i) => {
    const r = parseCondition(c, k.metric);
    if (r.ok) conds.push(r.value);
    else
      problems.push({
        where: Array.isArray(conditions) ? i : 0,
        message: r.message,
        ...(r.hint ? { hint: r.hint } : {}),
      });
  });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      key: canonicalKey(k.metric.name, k.aggregate, k.tags),
      metric: k.metric.name,
      aggregate: k.aggregate,
      tags: k.tags,
      conditions: conds,
    },
  };
}

/**
 * Thresholds back in the form a scenario's `expect:` block writes them (canonical key → the
 * conditions as written): what a dataset's manifest carries, so the gates travel with the data.
 * `parseExpectBlock` reads it back into the same thresholds.
 */
export function expectBlock(thresholds: readonly Threshold[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of thresholds) out[t.key] = [...(out[t.key] ?? []), ...t.conditions.map((c) => c.text)];
  return out;
}

/** sha256 of an `expect:` block in canonical form (keys sorted): names a set of gates in reports. */
export function expectHash(block: Readonly<Record<string, readonly string[]>>): string {
  const sorted = Object.keys(block)
    .sort()
    .map((k) => [k, block[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/** Read an `expect:` block back (from a manifest); each problem names its key. */
export function parseExpectBlock(
  block: unknown,
  ctx: ThresholdContext = {},
): { ok: true; value: Threshold[] } | { ok: false; problems: string[] } {
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    return { ok: false, problems: ['`expect` is not a mapping of threshold keys to conditions'] };
  }
  const value: Threshold[] = [];
  const problems: string[] = [];
  for (const [key, conds] of Object.entries(block)) {
    const r = parseThreshold(key, conds, ctx);
    if (r.ok) value.push(r.value);
    else
      for (const p of r.problems) problems.push(`expect "${key}": ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

/** The number of gates (conditions) in a list of thresholds. */
export function gateCount(thresholds: readonly Threshold[]): number {
  return thresholds.reduce((n, t) => n + t.conditions.length, 0);
}

/** Parse the command-line form `key op value`, e.g. "recall{technique:azurehound}>=0.9". */
export function parseThresholdLine(line: string, ctx: ThresholdContext = {}) {
  const m = /^(.*?)(<=|>=|==|!=|<|>)(.*)$/.exec(line.trim());
  if (!m) {
    return {
      ok: false as const,
      problems: [
        {
          where: 'key' as const,
          message: `cannot parse threshold "${line}"`,
          hint: 'write e.g. "recall>=0.9" or "latency.p95<=2h"',
        },
      ],
    };
  }
  return parseThreshold((m[1] as string).trim(), `${m[2]}${(m[3] as string).trim()}`, ctx);
}

export function canonicalKey(metric: string, aggregate: string, tags: Partial<Record<TagName, string>>): string {
  const t = Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
  return `${metric}${aggregate ? `.${aggregate}` : ''}${t ? `{${t}}` : ''}`;
}

/** Evaluate one condition. `observed` undefined/null means "no value" and fails. */
export function holds(cond: Condition, observed: number | null | undefined): boolean {
  if (observed === null || observed === undefined || Number.isNaN(observed)) return false;
  const eps = 1e-9;
  switch (cond.op) {
    case '<':
      return observed < cond.value - eps;
    case '<=':
      return observed <= cond.value + eps;
    case '>':
      return observed > cond.value + eps;
    case '>=':
      return observed >= cond.value - eps;
    case '==':
      return Math.abs(observed - cond.value) <= eps;
    case '!=':
      return Math.abs(observed - cond.value) > eps;
  }
}

/** Human form of a condition value for the metric's unit. */
export function formatQuantity(unit: MetricInfo['unit'], value: number): string {
  if (unit === 'duration') return formatDuration(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}
