/**
 * When a scheduled profile runs: the instants of a normalised `Schedule` inside [from, to).
 * `every` runs are aligned to the schedule's own grid (from the Unix epoch, so a 30-minute cycle
 * lands on :00 and :30 whatever the window) and shifted by a seeded jitter; `cron` runs are
 * evaluated in the tenant's time zone (croner). Rates are not schedules: they return nothing here.
 */
import { Cron } from 'croner';
import type { Rng } from '../core/rng.js';
import type { Schedule } from './types.js';

/** At most this many runs per call: a guard against a schedule far denser than any real job. */
export const MAX_RUNS = 1_000_000;

export function* scheduleRuns(
  schedule: Schedule,
  timezone: string,
  from: number,
  to: number,
  rng?: Rng,
): Generator<number> {
  if (to <= from) return;
  let count = 0;
  if (schedule.kind === 'every') {
    const step = schedule.everyMs;
    let t = Math.ceil(from / step) * step;
    for (; t < to && count < MAX_RUNS; t += step, count++) {
      const jitter = schedule.jitterMs > 0 && rng ? Math.floor(rng.float() * schedule.jitterMs) : 0;
      if (t + jitter < to) yield t + jitter;
    }
    return;
  }
  if (schedule.kind === 'cron') {
    const cron = new Cron(schedule.cron, { timezone, paused: true });
    // croner's nextRun(d) returns the first run strictly after d
    let next = cron.nextRun(new Date(from - 1));
    while (next && next.getTime() < to && count < MAX_RUNS) {
      yield next.getTime();
      count++;
      next = cron.nextRun(next);
    }
  }
}

/** Local wall-clock parts of an instant in a time zone (for business hours and working days). */
export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function localTime(t: number, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(t)) {
    if (p.type === 'weekday') weekday = WEEKDAY[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { weekday, hour, minute };
}

/** Whether `t` falls in business hours ({start, end, days}) in the tenant's zone. */
export function inBusinessHours(
  t: number,
  timezone: string,
  hours: { start: number; end: number; days: readonly number[] },
): boolean {
  const l = localTime(t, timezone);
  const h = l.hour + l.minute / 60;
  return hours.days.includes(l.weekday) && h >= hours.start && h < hours.end;
}
