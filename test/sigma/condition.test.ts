/**
 * Sigma conditions: the parser and evaluator against written expectations, errors with their
 * column, and fast-check properties (a formatted condition parses back to itself; precedence and
 * quantifiers evaluate as their definitions).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type Condition, evaluateCondition, formatCondition, parseCondition } from '../../harness/sigma/condition.js';
import { signIn, T0 } from '../detectors/published/fixtures.js';
import { rules, run } from './helpers.js';

const NAMES = ['sel_a', 'sel_b', 'filter', '_helper'];

function ev(text: string, truth: Record<string, boolean>): boolean {
  const c = parseCondition(text);
  if (!c.ok) throw new Error(c.message);
  return evaluateCondition(c.value, (n) => truth[n] ?? false, NAMES);
}

describe('parseCondition and evaluateCondition', () => {
  const t = { sel_a: true, sel_b: false, filter: true, _helper: true };
  it.each([
    ['sel_a', true],
    ['not sel_a', false],
    ['sel_a and sel_b', false],
    ['sel_a or sel_b', true],
    ['sel_a and not filter', false],
    ['not sel_b and sel_a', true], // not binds tighter than and
    ['sel_b and filter or sel_a', true], // and binds tighter than or
    ['sel_b and (filter or sel_a)', false],
    ['1 of sel_*', true],
    ['all of sel_*', false],
    ['1 of them', true],
    ['all of them', false],
    ['all of sel_a', true],
    ['1 of sel_* and not 1 of filter*', false],
    ['NOT sel_b AND sel_a', true], // keywords are case-insensitive
  ])('%s → %s', (text, want) => {
    expect(ev(text, t)).toBe(want);
  });

  it('"them" leaves out names starting with an underscore', () => {
    expect(ev('all of them', { sel_a: true, sel_b: true, filter: true, _helper: false })).toBe(true);
  });

  it.each([
    ['sel_a and', 9, 'ends too early'],
    ['(sel_a or sel_b', 15, 'not closed'],
    ['sel_a sel_b', 6, 'after a complete condition'],
    ['2 of sel_*', 0, 'only "1 of" and "all of"'],
    ['sel_a or )', 9, 'unexpected ")"'],
    ['', 0, 'empty'],
  ])('refuses %j at column %i', (text, column, message) => {
    const c = parseCondition(text);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.column).toBe(column);
      expect(c.message).toContain(message);
      expect(c.hint).not.toBe('');
    }
  });
});

const name = fc.constantFrom('sel_a', 'sel_b', 'filter', 'x1');
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name.map((n): Condition => ({ kind: 'ref', name: n })),
    fc
      .record({
        quantifier: fc.constantFrom<'one' | 'all'>('one', 'all'),
        pattern: fc.constantFrom('sel_*', '*', 'f*'),
      })
      .map((o): Condition => ({ kind: 'of', ...o })),
    tie('c').map((arg): Condition => ({ kind: 'not', arg })),
    fc
      .record({
        kind: fc.constantFrom<'and' | 'or'>('and', 'or'),
        args: fc.array(tie('c'), { minLength: 2, maxLength: 3 }),
      })
      .map((o): Condition => o),
  ),
})).c;

function reference(c: Condition, truth: Record<string, boolean>): boolean {
  const names = Object.keys(truth);
  switch (c.kind) {
    case 'ref':
      return truth[c.name] ?? false;
    case 'not':
      return !reference(c.arg, truth);
    case 'and':
      return c.args.every((a) => reference(a, truth));
    case 'or':
      return c.args.some((a) => reference(a, truth));
    case 'of': {
      const re = new RegExp(`^${c.pattern.replace('*', '.*')}$`);
      const hit = names.filter((n) => re.test(n)).map((n) => truth[n] ?? false);
      return c.quantifier === 'all' ? hit.every(Boolean) : hit.some(Boolean);
    }
  }
}

describe('condition properties', () => {
  test.prop([condition])('a formatted condition parses back to itself', (c) => {
    const text = formatCondition(c);
    const back = parseCondition(text);
    expect(back.ok).toBe(true);
    if (back.ok) expect(formatCondition(back.value)).toBe(text);
  });

  test.prop([
    condition,
    fc.record({ sel_a: fc.boolean(), sel_b: fc.boolean(), filter: fc.boolean(), x1: fc.boolean() }),
  ])('parsing the formatted text evaluates as the definition of each operator', (c, truth) => {
    const back = parseCondition(formatCondition(c));
    if (!back.ok) throw new Error(back.message);
    expect(evaluateCondition(back.value, (n) => truth[n as keyof typeof truth] ?? false, Object.keys(truth))).toBe(
      reference(c, truth),
    );
  });

  test.prop([fc.string({ maxLength: 30 })])('any text parses or is refused with a column inside it', (text) => {
    const c = parseCondition(text);
    if (!c.ok) {
      expect(c.column).toBeGreaterThanOrEqual(0);
      expect(c.column).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('conditions in a rule', () => {
  it('selection and not filter, over records', async () => {
    const loaded = rules(`title: t
logsource: {product: azure, service: signinlogs}
detection:
  selection:
    userAgent|contains: hound
  filter:
    IPAddress|cidr: 10.0.0.0/8
  condition: selection and not filter
`);
    const alerts = await run(loaded, [
      {
        source: 'signIns',
        records: [
          signIn({ time: T0, id: 'a', userAgent: 'azurehound', ip: '203.0.113.1' }),
          signIn({ time: T0, id: 'b', userAgent: 'azurehound', ip: '10.0.0.1' }),
        ],
      },
    ]);
    expect(alerts.map((a) => a.alert.evidence)).toEqual([['a']]);
  });
});
