/**
 * Durations, rates and ranges: parsed once, here. Each parser returns a value or a message
 * (never throws), so the loader can report every mistake at once.
 *
 *   duration ::= "0" | part+            part ::= number unit     unit ::= ms | s | m | min | h | d | w
 *   rate     ::= number "/" [number] per per ::= s | sec | m | min | h | hour | d | day | w | week
 *   range    ::= value ".." value
 */
/** A rate: `count` events per `perMs` milliseconds (e.g. 4/h = {count: 4, perMs: 3_600_000}). */
export interface Rate {
  count: number;
  perMs: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint?: string };

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
};

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|min|m|h|d|w)/y;

export function parseDuration(input: unknown): Parsed<number> {
  if (typeof input === 'number') {
    if (input === 0) return { ok: true, value: 0 };
    return {
      ok: false,
      message: `a duration needs a unit: ${input}`,
      hint: `write it with a unit, e.g. "${input}m" or "${input}s"`,
    };
  }
  if (typeof input !== 'string') return { ok: false, message: 'expected a duration such as "30m"' };
  const s = input.trim();
  if (s === '0') return { ok: true, value: 0 };
  if (s === '') return { ok: false, message: 'empty duration', hint: 'use e.g. "90s", "30m", "2h", "7d"' };
  let total = 0;
  DURATION_PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(s);
    if (!m) {
      return {
        ok: false,
        message: `not a duration: "${input}"`,
        hint: 'use a number and a unit (ms, s, m, h, d, w), e.g. "90s", "30m", "1h30m", "7d"',
      };
    }
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = DURATION_PART.lastIndex;
  }
  if (!Number.isFinite(total)) return { ok: false, message: `duration out of range: "${input}"` };
  return { ok: true, value: Math.round(total) };
}

/** Canonical form: largest units first, e.g. 5_400_000 → "1h30m"; 0 → "0". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  let rest = Math.round(Math.abs(ms));
  let out = ms < 0 ? '-' : '';
  for (const [unit, size] of [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const RATE_RE = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|sec|min|m|hour|h|day|d|week|w)$/;

export function parseRate(input: unknown): Parsed<Rate> {
  if (typeof input !== 'string') {
    return {
      ok: false,
      message: 'expected a rate such as "4/h" or "1/min"',
      hint: 'write the count, a slash and a unit',
    };
  }
  const m = RATE_RE.exec(input.trim());
  if (!m) {
    return {
      ok: false,
      message: `not a rate: "${input}"`,
      hint: 'use count/unit, e.g. "4/h", "1/min", "30/d", "1/5min"',
    };
  }
  const count = Number(m[1]);
  const per = (m[2] === undefined ? 1 : Number(m[2])) * (UNIT_MS[m[3] as string] as number);
  if (per <= 0) return { ok: false, message: `a rate's period must be positive: "${input}"` };
  return { ok: true, value: { count, perMs: per } };
}

/** Canonical form of a rate, e.g. {4, 3_600_000} → "4/h"; {1, 300_000} → "1/5m". */
export function formatRate(rate: Rate): string {
  for (const [unit, size] of [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    if (rate.perMs >= size && rate.perMs % size === 0) {
      const n = rate.perMs / size;
      return `${rate.count}/${n === 1 ? '' : n}${unit}`;
    }
  }
  return `${rate.count}/${rate.perMs}ms`;
}

/** Events per millisecond: for comparing rates and drawing from rate ranges. */
export function ratePerMs(rate: Rate): number {
  return rate.count / rate.perMs;
}

/** Split "a..b" into its two ends; null if it is not a range. */
export function splitRange(input: string): [string, string] | null {
  const i = input.indexOf('..');
  if (i < 0) return null;
  const a = input.slice(0, i).trim();
  const b = input.slice(i + 2).trim();
  if (a === '' || b === '' || b.includes('..')) return null;
  return [a, b];
}

/** Parse an ISO 8601 date-time with a zone (Z or ±hh:mm); a bare date means midnight UTC. */
export function parseTime(input: unknown): Parsed<number> {
  if (input instanceof Date) return { ok: true, value: input.getTime() };
  if (typeof input !== 'string') {
    return { ok: false, message: 'expected a time such as "2026-11-02T09:00:00Z"' };
  }
  const s = input.trim();
  const full = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
  if (!full.test(s) && !dateOnly.test(s)) {
    return {
      ok: false,
      message: `not a time: "${input}"`,
      hint: 'use ISO 8601 with a zone, e.g. "2026-11-04T14:20:00Z" or "2026-11-04T09:20:00-05:00"',
    };
  }
  const t = Date.parse(dateOnly.test(s) ? `${s}T00:00:00Z` : s.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(t)) return { ok: false, message: `not a valid calendar time: "${input}"` };
  // Date.parse accepts 2026-02-30; reject days that roll over
  const day = s.slice(0, 10);
  if (!dateOnly.test(s) && /Z$/.test(s) && new Date(t).toISOString().slice(0, 10) !== day) {
    return { ok: false, message: `not a valid calendar date: "${input}"` };
  }
  if (dateOnly.test(s) && new Date(t).toISOString().slice(0, 10) !== day) {
    return { ok: false, message: `not a valid calendar date: "${input}"` };
  }
  return { ok: true, value: t };
}
