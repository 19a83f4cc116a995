import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatRate,
  parseDuration,
  parseRate,
  parseTime,
  splitRange,
} from '../../src/scenario/units.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1w', 604_800_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
    [0, 0],
  ])('%s → %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: ms });
  });

  it.each(['', '7', '7x', 'h', '1h 30m', '-5m', '1.h', 'abc', '30M'])('refuses %j with a hint', (input) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.hint ?? '').not.toBe('');
  });

  it('refuses a bare number with a unit hint', () => {
    const r = parseDuration(30);
    expect(r).toMatchObject({ ok: false, hint: expect.stringContaining('30m') });
  });

  test.prop([fc.integer({ min: 0, max: 10 * 365 * 86_400_000 })])('format then parse is the identity', (ms) => {
    expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
  });

  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w')), {
      minLength: 1,
      maxLength: 4,
    }),
  ])('parse then format then parse is stable (canonical form)', (parts) => {
    const text = parts.map(([n, u]) => `${n}${u}`).join('');
    const a = parseDuration(text);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const canon = formatDuration(a.value);
    expect(parseDuration(canon)).toEqual(a);
    expect(formatDuration((parseDuration(canon) as { value: number }).value)).toBe(canon);
  });
});

describe('parseRate', () => {
  it.each([
    ['4/h', 4, 3_600_000],
    ['1/min', 1, 60_000],
    ['30/d', 30, 86_400_000],
    ['2/s', 2, 1000],
    ['1/5min', 1, 300_000],
    ['10 / hour', 10, 3_600_000],
    ['0.5/min', 0.5, 60_000],
  ])('%s', (input, count, perMs) => {
    expect(parseRate(input)).toEqual({ ok: true, value: { count, perMs } });
  });

  it.each(['4', '4/', '/h', '4/x', 'four/h', 4])('refuses %j', (input) => {
    expect(parseRate(input).ok).toBe(false);
  });

  test.prop([
    fc.integer({ min: 0, max: 100_000 }),
    fc.integer({ min: 1, max: 1000 }),
    fc.constantFrom(1000, 60_000, 3_600_000, 86_400_000, 604_800_000),
  ])('format then parse is the identity', (count, n, unit) => {
    const rate = { count, perMs: n * unit };
    expect(parseRate(formatRate(rate))).toEqual({ ok: true, value: rate });
  });
});

describe('parseTime', () => {
  it('reads ISO times with zones and bare dates', () => {
    expect(parseTime('2026-11-04T14:20:00Z')).toEqual({ ok: true, value: Date.UTC(2026, 10, 4, 14, 20) });
    expect(parseTime('2026-11-04T09:20:00-05:00')).toEqual({ ok: true, value: Date.UTC(2026, 10, 4, 14, 20) });
    expect(parseTime('2026-11-04')).toEqual({ ok: true, value: Date.UTC(2026, 10, 4) });
    expect(parseTime('2026-11-04T14:20:00.1234567Z')).toEqual({
      ok: true,
      value: Date.UTC(2026, 10, 4, 14, 20, 0, 123),
    });
  });
  it.each(['2026-11-04T14:20:00', 'yesterday', '2026-02-30', '2026-13-01T00:00:00Z', 12])('refuses %j', (input) => {
    expect(parseTime(input).ok).toBe(false);
  });
});

describe('splitRange', () => {
  it('splits a..b', () => {
    expect(splitRange('1..25')).toEqual(['1', '25']);
    expect(splitRange('1/min .. 10/min')).toEqual(['1/min', '10/min']);
    expect(splitRange('25')).toBeNull();
    expect(splitRange('..5')).toBeNull();
    expect(splitRange('1..2..3')).toBeNull();
  });
});
