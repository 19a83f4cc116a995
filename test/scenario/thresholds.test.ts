import { describe, expect, it } from 'vitest';
import { holds, parseThreshold, parseThresholdLine } from '../../src/scenario/thresholds.js';
import { TEST_CATALOG } from '../fixtures/catalog.js';

const ctx = { catalog: TEST_CATALOG };

describe('threshold grammar', () => {
  it.each([
    ['recall', '>= 0.95', 'recall', '', {}, 0.95],
    ['recall{technique:azurehound}', '== 1', 'recall', '', { technique: 'azurehound' }, 1],
    ['recall.lower', '>= 80%', 'recall', 'lower', {}, 0.8],
    ['latency.p95', '<= 2h', 'latency', 'p95', {}, 7_200_000],
    [
      'latency.max{technique:graph-user-listing}',
      '< 90m',
      'latency',
      'max',
      { technique: 'graph-user-listing' },
      5_400_000,
    ],
    ['false_positives_per_day', '<= 1', 'false_positives_per_day', '', {}, 1],
    [
      'false_positives_per_day{profile:backup-app}',
      '== 0',
      'false_positives_per_day',
      '',
      { profile: 'backup-app' },
      0,
    ],
    ['precision{rule:graph-bulk-listing}', '>= 0.9', 'precision', '', { rule: 'graph-bulk-listing' }, 0.9],
  ])('%s: %s', (key, cond, metric, aggregate, tags, value) => {
    const r = parseThreshold(key, cond, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ metric, aggregate, tags });
    expect(r.value.conditions[0]?.value).toBe(value);
  });

  it('accepts a list of conditions', () => {
    const r = parseThreshold('latency.p95', ['<= 2h', '> 0'], ctx);
    expect(r.ok && r.value.conditions.length).toBe(2);
  });

  it('canonical keys sort tags', () => {
    const r = parseThreshold('recall{technique:azurehound,scenario:s1}', '>= 1', ctx);
    expect(r.ok && r.value.key).toBe('recall{scenario:s1,technique:azurehound}');
  });

  it.each([
    ['recal', '>= 1', /unknown metric "recal"/, /did you mean `recall`/],
    ['precision{technique:azurehound}', '>= 0.9', /cannot be sliced by technique/, /rule, scenario/],
    ['false_positives_per_day{technique:azurehound}', '<= 1', /cannot be sliced by technique/, /profile/],
    ['recall{profile:workforce}', '>= 1', /cannot be sliced by profile/, /technique/],
    ['latency', '<= 2h', /say which statistic/, /latency\.p95/],
    ['latency.p99', '<= 2h', /no aggregate/, /latency\.p95/],
    ['recall{technique:azurehund}', '>= 1', /unknown technique/, /azurehound/],
    ['recall{tech:azurehound}', '>= 1', /unknown tag "tech"/, /technique/],
    ['recall{source:graph}', '>= 1', /unknown source/, /graphActivity/],
    ['recall', '0.9', /cannot parse condition/, /operator/],
    ['recall', '>= 1.5', /between 0 and 1/, /95%/],
    ['latency.p95', '<= 2', /needs a unit/, /2m/],
    ['latency.p95', '<= soon', /not a duration/, /unit/],
    ['false_positives_per_day', '<= 2h', /not a duration/, null],
    ['recall', 0.9, /needs an operator/, />= 0.9/],
    ['recall{technique}', '>= 1', /bad tag/, /technique:azurehound/],
    ['recall..x', '>= 1', /cannot parse threshold metric/, /metric/],
  ])('refuses %s: %s', (key, cond, message, hint) => {
    const r = parseThreshold(key, cond, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]?.message).toMatch(message);
    if (hint) expect(r.problems[0]?.hint).toMatch(hint);
  });

  it('parses the command-line form', () => {
    const r = parseThresholdLine('recall{technique:azurehound}>=0.9', ctx);
    expect(r.ok && r.value.conditions[0]).toMatchObject({ op: '>=', value: 0.9 });
    expect(parseThresholdLine('latency.p95 <= 30m', ctx).ok).toBe(true);
    expect(parseThresholdLine('recall', ctx).ok).toBe(false);
  });

  it('evaluates conditions; a missing value fails', () => {
    const c = (op: '<' | '<=' | '>' | '>=' | '==' | '!=', value: number) => ({ op, value, text: '' });
    expect(holds(c('>=', 0.9), 0.9)).toBe(true);
    expect(holds(c('>=', 0.9), 0.89)).toBe(false);
    expect(holds(c('<', 1), 1)).toBe(false);
    expect(holds(c('==', 1), 1)).toBe(true);
    expect(holds(c('!=', 1), 0)).toBe(true);
    expect(holds(c('<=', 5), null)).toBe(false);
    expect(holds(c('<=', 5), Number.NaN)).toBe(false);
  });
});
