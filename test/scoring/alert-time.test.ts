/**
 * The export time parser: each accepted form against a written expectation, zone-less times refused
 * without a zone, and fast-check properties over instants and zones (format → parse is the
 * identity, or keeps the local wall time in a repeated hour).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { zonedToEpoch, zoneOffsetMs } from '../../src/core/time-zone.js';
import { parseExportTime, parseTimeOffset } from '../../src/scoring/alert-time.js';

const T = Date.parse('2026-11-04T15:02:03.456Z');
const ok = (v: unknown, tz?: string) => {
  const r = parseExportTime(v, { timeZone: tz });
  if (!r.ok) throw new Error(`${String(v)}: ${r.message}`);
  return r.value;
};

describe('parseExportTime', () => {
  it.each([
    ['2026-11-04T15:02:03.456Z', T],
    ['2026-11-04T15:02:03.4560000Z', T],
    ['2026-11-04T15:02:03.456+00:00', T],
    ['2026-11-04T10:02:03.456-05:00', T],
    ['2026-11-04T16:02:03.456+0100', T],
    ['2026-11-04 15:02:03.456 UTC', T],
    ['2026-11-04 15:02:03.456Z', T],
    ['2026-11-04 15:02:03,456 GMT', T],
    ['1793804523.456', T],
    ['1793804523456', T],
    [1793804523.456, T],
    [1793804523456, T],
    ['1793804523', T - 456],
  ])('%s', (input, want) => {
    expect(ok(input)).toBe(want);
  });

  it('reads the Log Analytics portal form in the zone its header names', () => {
    expect(ok('11/4/2026, 3:02:03.456 PM', 'UTC')).toBe(T);
    expect(ok('11/4/2026, 12:00:00.000 AM', 'UTC')).toBe(Date.parse('2026-11-04T00:00:00Z'));
    expect(ok('11/4/2026, 12:00:00.000 PM', 'UTC')).toBe(Date.parse('2026-11-04T12:00:00Z'));
  });

  it('reads zone-less times in the given zone, daylight saving included', () => {
    expect(ok('2026-11-04 10:02:03.456', 'America/New_York')).toBe(T); // EST, -5
    expect(ok('2026-07-04T11:00:00', 'America/New_York')).toBe(Date.parse('2026-07-04T15:00:00Z')); // EDT, -4
    expect(ok('2026-11-04T15:02:03.456', 'UTC')).toBe(T);
  });

  it('refuses a zone-less time without a zone, with a hint', () => {
    const r = parseExportTime('2026-11-04 15:02:03');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('has no time zone');
      expect(r.hint).toContain('--timezone');
    }
  });

  it.each(['2026-02-30T00:00:00Z', '2026-11-04T24:00:00Z', '13/1/2026, 1:00:00 PM', 'yesterday', '', '-5', null])(
    'refuses %s',
    (input) => {
      expect(parseExportTime(input, { timeZone: 'UTC' }).ok).toBe(false);
    },
  );
});

const instant = fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2090-01-01T00:00:00Z') });
const zones = fc.constantFrom(
  'UTC',
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
);

function wallParts(t: number, tz: string): string {
  const local = new Date(t + zoneOffsetMs(t, tz));
  return local.toISOString().slice(0, 23).replace('T', ' ');
}

describe('time parser properties', () => {
  test.prop([instant])('ISO with Z, with an offset, space-separated UTC and epoch ms all give the instant', (t) => {
    const iso = new Date(t).toISOString();
    expect(ok(iso)).toBe(t);
    expect(ok(iso.replace('T', ' ').replace('Z', ' UTC'))).toBe(t);
    expect(ok(String(t))).toBe(t);
    expect(ok(t / 1000)).toBe(t);
  });

  test.prop([instant, fc.integer({ min: -14 * 60, max: 14 * 60 })])('any fixed offset', (t, minutes) => {
    const local = new Date(t + minutes * 60_000).toISOString().slice(0, 23);
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    expect(ok(`${local}${off}`)).toBe(t);
  });

  test.prop([instant, zones])('a zone-less wall time read in its zone keeps that wall time', (t, tz) => {
    const wall = wallParts(t, tz);
    const back = ok(wall, tz);
    expect(wallParts(back, tz)).toBe(wall);
    // the same instant unless the wall time occurs twice (autumn), when the earlier is taken
    expect(back <= t).toBe(true);
    expect(t - back).toBeLessThanOrEqual(60 * 60_000);
  });

  test.prop([instant, zones])('zonedToEpoch inverts the zone offset', (t, tz) => {
    const wall = t + zoneOffsetMs(t, tz);
    const back = zonedToEpoch(Math.floor(wall / 1000) * 1000, tz);
    expect(back + zoneOffsetMs(back, tz)).toBe(Math.floor(wall / 1000) * 1000);
  });
});

describe('parseTimeOffset', () => {
  it.each([
    ['2180794000', 2_180_794_000],
    ['3w4d5h46m34s', 3 * 604_800_000 + 4 * 86_400_000 + 5 * 3_600_000 + 46 * 60_000 + 34_000],
    ['+3h', 3 * 3_600_000],
    ['-90m', -90 * 60_000],
    ['0', 0],
  ])('%s', (input, want) => {
    const r = parseTimeOffset(input);
    expect(r.ok && r.value).toBe(want);
  });

  it.each(['', 'three hours', '3x', '+-3h'])('refuses %s with a hint', (input) => {
    const r = parseTimeOffset(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.hint).toContain('serve');
  });
});
