import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { rngStream } from '../../src/core/rng.js';
import { inBusinessHours, localTime, scheduleRuns } from '../../src/scenario/schedule.js';

const H = 3_600_000;
const DAY = 24 * H;
const MON = Date.UTC(2026, 10, 2); // Monday 2026-11-02 00:00Z

describe('scheduleRuns', () => {
  it('every 30m runs on the :00/:30 grid inside the window', () => {
    const runs = [
      ...scheduleRuns({ kind: 'every', everyMs: 30 * 60_000, jitterMs: 0 }, 'UTC', MON + 10 * 60_000, MON + 2 * H),
    ];
    expect(runs.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['00:30', '01:00', '01:30']);
  });

  it('cron runs in the tenant time zone (09:00 New York on Mondays = 14:00Z in November)', () => {
    const runs = [...scheduleRuns({ kind: 'cron', cron: '0 9 * * 1' }, 'America/New_York', MON, MON + 14 * DAY)];
    expect(runs.map((t) => new Date(t).toISOString())).toEqual([
      '2026-11-02T14:00:00.000Z',
      '2026-11-09T14:00:00.000Z',
    ]);
  });

  it('a run exactly at `from` is included; `to` is exclusive', () => {
    const runs = [...scheduleRuns({ kind: 'cron', cron: '0 1 * * *' }, 'UTC', MON + H, MON + DAY + H)];
    expect(runs).toEqual([MON + H]);
  });

  test.prop([
    fc.integer({ min: 1, max: 240 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 10 * DAY }),
    fc.integer({ min: 1, max: 3 * DAY }),
    fc.integer(),
  ])(
    'every: sorted, inside the window, seeded jitter below the interval, reproducible',
    (minutes, jitterMin, offset, span, seed) => {
      const everyMs = minutes * 60_000;
      const jitterMs = Math.min(jitterMin * 60_000, everyMs - 1);
      const from = MON + offset;
      const to = from + span;
      const s = { kind: 'every' as const, everyMs, jitterMs };
      const a = [...scheduleRuns(s, 'UTC', from, to, rngStream(seed, 'sched'))];
      const b = [...scheduleRuns(s, 'UTC', from, to, rngStream(seed, 'sched'))];
      expect(a).toEqual(b);
      for (let i = 0; i < a.length; i++) {
        const t = a[i] as number;
        expect(t).toBeGreaterThanOrEqual(from);
        expect(t).toBeLessThan(to);
        if (i > 0) expect(t).toBeGreaterThan(a[i - 1] as number);
      }
      expect(a.length).toBeLessThanOrEqual(Math.ceil(span / everyMs) + 1);
    },
  );
});

describe('local time and business hours', () => {
  it('reads the weekday and hour in a zone', () => {
    expect(localTime(MON + 14 * H, 'America/New_York')).toEqual({ weekday: 1, hour: 9, minute: 0 });
    expect(localTime(MON + 2 * H, 'America/New_York')).toEqual({ weekday: 0, hour: 21, minute: 0 });
  });
  it('business hours follow the zone and the working days', () => {
    const bh = { start: 9, end: 18, days: [1, 2, 3, 4, 5] };
    expect(inBusinessHours(MON + 14 * H, 'America/New_York', bh)).toBe(true);
    expect(inBusinessHours(MON + 13 * H, 'America/New_York', bh)).toBe(false);
    expect(inBusinessHours(MON + 5 * DAY + 15 * H, 'America/New_York', bh)).toBe(false); // Saturday
  });
});
