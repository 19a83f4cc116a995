/**
 * Local time for working hours. Offsets come from the platform's time-zone database (Intl), read
 * once per simulated day at plan time, never per record.
 */
import { DAY } from '../../src/core/clock.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The UTC offset of `tz` at instant `t`, in minutes (e.g. -300 for New York in winter). */
export function tzOffsetMinutes(tz: string, t: number): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(tz).formatToParts(t);
  } catch {
    return 0;
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(t / 60_000) * 60_000) / 60_000);
}

/** Offsets at noon UTC of each of `days` days from `day0`. */
export function tzOffsetsFor(tz: string, day0: number, days: number): Int16Array {
  const out = new Int16Array(days + 2);
  for (let d = 0; d < out.length; d++) out[d] = tzOffsetMinutes(tz, day0 + d * DAY + DAY / 2);
  return out;
}

export function isValidTimezone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}
