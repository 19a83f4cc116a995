import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { iatTime, offsetTime, ticksTime, ualTime } from '../../../generators/records/common.js';

/** The formats written the slow, obvious way. */
const iso = (ms: number) => new Date(Math.floor(ms)).toISOString();
const pad4 = (n: number) => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n));

// 1970 … 2200, with fractions of a millisecond (ticks are separate)
const times = fc.oneof(
  fc.integer({ min: 0, max: 7_258_118_400_000 }),
  fc.double({ min: 0, max: 7_258_118_400_000, noNaN: true }),
);

describe('record time formats', () => {
  test.prop([fc.array(fc.tuple(times, fc.integer({ min: 0, max: 9999 })), { maxLength: 300 })])(
    'equal the ISO strings they abbreviate, whatever order times come in (the minute cache)',
    (xs) => {
      for (const [ms, ticks] of xs) {
        const s = iso(ms);
        expect(ticksTime(ms, ticks)).toBe(`${s.slice(0, 23)}${pad4(ticks)}Z`);
        expect(offsetTime(ms, ticks)).toBe(`${s.slice(0, 23)}${pad4(ticks)}+00:00`);
        expect(ualTime(ms)).toBe(s.slice(0, 19));
        expect(iatTime(ms)).toBe(`${s.slice(0, 19)}.0000000Z`);
      }
    },
  );

  test.prop([times, fc.integer({ min: -50, max: 50_000 })])('print out-of-range ticks as before', (ms, ticks) => {
    expect(ticksTime(ms, ticks)).toBe(`${iso(ms).slice(0, 23)}${pad4(ticks)}Z`);
  });
});
