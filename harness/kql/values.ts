/**
 * KQL values in the evaluator. Every value is a plain JavaScript value; its KQL type is known
 * statically (the binder's), so datetimes are epoch milliseconds and timespans milliseconds, both
 * numbers, and the type decides how they print. `null` is KQL's null; strings are never null (an
 * absent string is "").
 */

/**
 * Each table row's ingestion time (`ingestion_time()`), kept beside the row so that results
 * compare and serialise as plain column bags; operators that copy a row carry it over.
 */
const INGESTION = new WeakMap<object, number>();

export function ingestionOf(row: object): number | null {
  return INGESTION.get(row) ?? null;
}

export function setIngestion(row: object, t: number): void {
  INGESTION.set(row, t);
}

export function carryIngestion(from: object, to: object): void {
  const t = INGESTION.get(from);
  if (t !== undefined) INGESTION.set(to, t);
}

/** 100-ns ticks are not kept: enumbench times have millisecond precision. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function formatTimespan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${sign}${days ? `${days}.` : ''}${p2(h)}:${p2(m)}:${p2(s)}${frac ? `.${String(frac * 10_000).padStart(7, '0')}` : ''}`;
}

/** KQL `tostring` of a value of static type `type`. */
export function toKqlString(v: unknown, type?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (type === 'datetime') return formatDateTime(v);
    if (type === 'timespan') return formatTimespan(v);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** A value as it appears in an alert's details (datetimes as ISO text). */
export function toJsonValue(v: unknown, type?: string): unknown {
  if (typeof v === 'number' && (type === 'datetime' || type === 'timespan')) return toKqlString(v, type);
  return v ?? null;
}

/** KQL timespan literal text (`5m`, `1.5h`, `30s`, `100ms`, `2d`, `10tick`, `time(1h)`) as ms. */
export function parseTimespan(text: string): number | undefined {
  let t = text.trim();
  const wrapped = /^(?:time|timespan)\((.*)\)$/i.exec(t);
  if (wrapped) t = wrapped[1]!.trim();
  const m =
    /^(-?\d+(?:\.\d+)?)\s*(d|day|days|h|hr|hrs|hour|hours|m|min|minute|minutes|s|sec|second|seconds|ms|milli|millis|millisecond|milliseconds|microsecond|microseconds|tick|ticks)?$/i.exec(
      t,
    );
  if (m) {
    const n = Number(m[1]);
    const unit = (m[2] ?? 'd').toLowerCase();
    const per: Record<string, number> = {
      d: 86_400_000,
      day: 86_400_000,
      days: 86_400_000,
      h: 3_600_000,
      hr: 3_600_000,
      hrs: 3_600_000,
      hour: 3_600_000,
      hours: 3_600_000,
      m: 60_000,
      min: 60_000,
      minute: 60_000,
      minutes: 60_000,
      s: 1000,
      sec: 1000,
      second: 1000,
      seconds: 1000,
      ms: 1,
      milli: 1,
      millis: 1,
      millisecond: 1,
      milliseconds: 1,
      microsecond: 0.001,
      microseconds: 0.001,
      tick: 0.0001,
      ticks: 0.0001,
    };
    return n * per[unit]!;
  }
  const hms = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(t);
  if (hms) {
    const [, neg, d, h, mi, s, f] = hms;
    const ms =
      Number(d ?? 0) * 86_400_000 +
      Number(h) * 3_600_000 +
      Number(mi) * 60_000 +
      Number(s ?? 0) * 1000 +
      (f ? Number(`0.${f}`) * 1000 : 0);
    return neg ? -ms : ms;
  }
  return undefined;
}

/** Deep equality for set and grouping keys. */
export function keyOf(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number') return `d${v}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  return `j${JSON.stringify(v)}`;
}

/** The comparison KQL sort and min/max use: numbers numerically, strings ordinally, nulls first. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
