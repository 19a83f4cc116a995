/**
 * What the HTML report's timeline draws: a dataset's records counted per source and time bucket —
 * by event time (all, and the attacker's), and by availability (when a collector could first have
 * them, so the delivery delay shows as the gap between the two). Counts only: a week-long
 * 10,000-user run is a few thousand numbers, never its records.
 */
import type { EpochMs } from '../core/clock.js';
import type { SourceId } from '../core/sources.js';

export interface SourceActivity {
  source: SourceId;
  /** records per bucket, by event time */
  records: number[];
  /** of which the attacker's (evidence and context) */
  malicious: number[];
  /** first deliveries per bucket, by availability time (duplicates not counted) */
  available: number[];
  /** records whose event time, and first deliveries whose availability, fall outside the buckets (history, late) */
  outside: { records: number; available: number };
}

export interface Activity {
  /** start of the first bucket (epoch ms) */
  start: EpochMs;
  bucketMs: number;
  buckets: number;
  sources: SourceActivity[];
}

const MINUTE = 60_000;
/** bucket widths tried in order: the first that keeps the timeline at most MAX_BUCKETS wide */
const WIDTHS = [1, 5, 15, 60, 360, 1440].map((m) => m * MINUTE);
export const MAX_BUCKETS = 400;

/** The bucket width for a window: one minute for a few hours, up to a day for a long run. */
export function bucketWidth(spanMs: number): number {
  for (const w of WIDTHS) if (spanMs / w <= MAX_BUCKETS) return w;
  return Math.ceil(spanMs / MAX_BUCKETS / (1440 * MINUTE)) * 1440 * MINUTE;
}

/**
 * Counts records into buckets over [start, end + an eighth of the window) — the tail shows the
 * deliveries that come after the window closes; what falls outside (history before the window,
 * very late availability) is counted apart, never drawn into the edge buckets.
 */
export class ActivityCounter {
  private readonly bucketMs: number;
  private readonly n: number;
  private readonly bySource = new Map<SourceId, SourceActivity>();

  constructor(
    private readonly start: EpochMs,
    end: EpochMs,
    private readonly sources: readonly SourceId[],
  ) {
    const window = Math.max(MINUTE, end - start);
    const span = window + Math.ceil(window / 8);
    this.bucketMs = bucketWidth(span);
    this.n = Math.max(1, Math.ceil(span / this.bucketMs));
  }

  /** the bucket of a time, or -1 outside them */
  private slot(t: EpochMs): number {
    const i = Math.floor((t - this.start) / this.bucketMs);
    return i < 0 || i >= this.n ? -1 : i;
  }

  private of(source: SourceId): SourceActivity {
    let a = this.bySource.get(source);
    if (!a) {
      const zeros = () => new Array<number>(this.n).fill(0);
      a = { source, records: zeros(), malicious: zeros(), available: zeros(), outside: { records: 0, available: 0 } };
      this.bySource.set(source, a);
    }
    return a;
  }

  record(source: SourceId, time: EpochMs, malicious: boolean): void {
    const a = this.of(source);
    const i = this.slot(time);
    if (i < 0) {
      a.outside.records++;
      return;
    }
    (a.records[i] as number)++;
    if (malicious) (a.malicious[i] as number)++;
  }

  available(source: SourceId, at: EpochMs, duplicate: boolean): void {
    if (duplicate) return;
    const a = this.of(source);
    const i = this.slot(at);
    if (i < 0) a.outside.available++;
    else (a.available[i] as number)++;
  }

  result(): Activity {
    for (const s of this.sources) this.of(s);
    const order = (s: SourceId) => {
      const i = this.sources.indexOf(s);
      return i < 0 ? this.sources.length : i;
    };
    return {
      start: this.start,
      bucketMs: this.bucketMs,
      buckets: this.n,
      sources: [...this.bySource.values()].sort(
        (a, b) => order(a.source) - order(b.source) || (a.source < b.source ? -1 : 1),
      ),
    };
  }
}
