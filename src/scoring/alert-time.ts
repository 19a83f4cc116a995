/**
 * Times as SIEM exports write them, parsed to epoch ms. One parser for every importer:
 *
 * - ISO 8601 with `T` or a space between date and time, any fraction, and a zone (`Z`, `+hh:mm`,
 *   `+hhmm`, ` UTC`, ` GMT`) — Sentinel/Log Analytics JSON, Splunk `_time`, Elastic `@timestamp`;
 * - the Log Analytics portal's CSV form `11/4/2026, 3:02:00.123 PM` (US month/day, 12-hour clock);
 * - epoch seconds (`1793718120`, `1793718120.5`) and milliseconds (`1793718120500`), as numbers or
 *   strings: a magnitude below 10^11 is seconds (until the year 5138), above is milliseconds;
 * - zone-less forms only with a time zone (`--timezone`, or a column header such as
 *   `TimeGenerated [UTC]` that names it): a zone-less time is ambiguous by up to 14 hours, which is
 *   larger than most latency gates, so it is refused rather than guessed.
 *
 * Pure: returns a value or a message with a hint, never throws.
 */

import { zonedToEpoch } from '../core/time-zone.js';
import { parseDuration } from '../scenario/units.js';

export type TimeParse = { ok: true; value: number } | { ok: false; message: string; hint?: string };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(AM|PM|am|pm)?$/;
const EPOCH = /^-?\d{1,16}(\.\d+)?$/;
/** below this an epoch number is seconds; at or above, milliseconds (10^11 s is the year 5138) */
export const EPOCH_SECONDS_BELOW = 1e11;

const ZONE_HINT =
  'give the zone the export was written in with --timezone (e.g. --timezone UTC or --timezone America/New_York)';

function fractionMs(frac: string | undefined): number {
  if (!frac) return 0;
  return Math.floor(Number(`0.${frac}`) * 1000);
}

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

function zoneOffsetText(zone: string): number {
  if (zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) as RegExpExecArray;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

export interface TimeParseOptions {
  /** IANA zone for zone-less times (`--timezone`, or a `[UTC]` column header) */
  timeZone?: string | undefined;
}

/** Parse one exported time (string or number). */
export function parseExportTime(input: unknown, opts: TimeParseOptions = {}): TimeParse {
  if (typeof input === 'number') return epochTime(input, String(input));
  if (typeof input !== 'string') {
    return { ok: false, message: `expected a time, not ${input === null ? 'null' : typeof input}` };
  }
  const s = input.trim();
  if (s === '') return { ok: false, message: 'empty time' };
  if (EPOCH.test(s)) return epochTime(Number(s), s);
  const iso = ISO.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    return wallTime(
      +(y as string),
      +(mo as string),
      +(d as string),
      +(h as string),
      +(mi as string),
      +(sec ?? 0),
      frac,
      zone,
      s,
      opts,
    );
  }
  const us = US.exec(s);
  if (us) {
    const [, mo, d, y, h, mi, sec, frac, ampm] = us;
    let hour = +(h as string);
    if (ampm) {
      if (hour < 1 || hour > 12) return { ok: false, message: `not a valid 12-hour time: "${input}"` };
      const pm = ampm.toUpperCase() === 'PM';
      hour = (hour % 12) + (pm ? 12 : 0);
    }
    return wallTime(
      +(y as string),
      +(mo as string),
      +(d as string),
      hour,
      +(mi as string),
      +(sec ?? 0),
      frac,
      undefined,
      s,
      opts,
    );
  }
  return {
    ok: false,
    message: `not a time: "${input}"`,
    hint: 'expected ISO 8601 ("2026-11-04T15:02:00Z", "2026-11-04 15:02:00.123 UTC"), "11/4/2026, 3:02:00.000 PM", or epoch seconds or milliseconds',
  };
}

function epochTime(n: number, text: string): TimeParse {
  if (!Number.isFinite(n) || n < 0) return { ok: false, message: `not an epoch time: "${text}"` };
  const ms = Math.abs(n) < EPOCH_SECONDS_BELOW ? Math.round(n * 1000) : Math.round(n);
  if (ms > 8.64e15) return { ok: false, message: `epoch time out of range: "${text}"` };
  return { ok: true, value: ms };
}

function wallTime(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string | undefined,
  zone: string | undefined,
  text: string,
  opts: TimeParseOptions,
): TimeParse {
  if (!validDate(y, mo, d, h, mi, s)) return { ok: false, message: `not a valid calendar time: "${text}"` };
  const wall = Date.UTC(y, mo - 1, d, h, mi, s) + fractionMs(frac);
  if (zone !== undefined) return { ok: true, value: wall - zoneOffsetText(zone) };
  if (opts.timeZone === undefined) {
    return { ok: false, message: `"${text}" has no time zone`, hint: ZONE_HINT };
  }
  return { ok: true, value: zonedToEpoch(wall, opts.timeZone) };
}

/**
 * `--time-offset`: how far the replay the alerts were raised on was shifted from the dataset (what
 * `serve` prints as its shift, or `shiftMs` from its clock). Alerts' times are moved back by it. A
 * signed duration (`25d5h46m34s`, `+3h`, `-90m`) or whole milliseconds (`2180794000`, as `shiftMs`).
 */
export function parseTimeOffset(input: string): TimeParse {
  const s = input.trim();
  if (/^[+-]?\d+$/.test(s)) return { ok: true, value: Number(s) };
  const sign = s.startsWith('-') ? -1 : 1;
  const d = parseDuration(s.replace(/^[+-]/, ''));
  if (!d.ok) {
    return {
      ok: false,
      message: `not a time offset: "${input}"`,
      hint: 'give the shift `serve` printed: a signed duration such as "25d5h46m34s" or "-3h", or milliseconds such as 2180794000',
    };
  }
  return { ok: true, value: sign * d.value };
}
