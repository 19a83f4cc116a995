/**
 * Keeps one actor's stream in time order. Actors plan events in order but some events spill a few
 * seconds forward or back (a script block logged before the sign-in it triggers, a UAL record a
 * second after the request, a duplicated sign-in row); a small reorder window absorbs that. A record
 * older than the window is a generator bug and throws.
 */
import { internalError } from '../../src/core/errors.js';
import type { LabelledRecord } from '../../src/core/records.js';

export const REORDER_WINDOW_MS = 30 * 60_000;

/** Order key: event time, then source and id (total and stable across runs and shards). */
export function compareRecords(a: LabelledRecord, b: LabelledRecord): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class OrderedStream implements Iterator<LabelledRecord> {
  private readonly buf: LabelledRecord[] = [];
  private maxSeen = Number.NEGATIVE_INFINITY;
  private lastOut = Number.NEGATIVE_INFINITY;
  private done = false;

  constructor(
    private readonly src: Iterator<LabelledRecord>,
    private readonly actor: string,
    private readonly window = REORDER_WINDOW_MS,
  ) {}

  next(): IteratorResult<LabelledRecord> {
    for (;;) {
      const head = this.buf[0];
      if (head && (this.done || head.time <= this.maxSeen - this.window)) {
        const out = this.pop();
        if (out.time < this.lastOut) throw internalError(`actor ${this.actor} emitted a record out of order`);
        this.lastOut = out.time;
        return { value: out, done: false };
      }
      if (this.done) return { value: undefined, done: true };
      const r = this.src.next();
      if (r.done) {
        this.done = true;
        continue;
      }
      const rec = r.value;
      if (rec.time < this.lastOut) {
        throw internalError(
          `actor ${this.actor} emitted a record ${(this.lastOut - rec.time) / 1000}s older than one already released (reorder window ${this.window / 60000} min)`,
        );
      }
      if (rec.time > this.maxSeen) this.maxSeen = rec.time;
      this.push(rec);
    }
  }

  // a tiny binary heap on compareRecords
  private push(x: LabelledRecord): void {
    const h = this.buf;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compareRecords(h[p] as LabelledRecord, x) <= 0) break;
      h[i] = h[p] as LabelledRecord;
      i = p;
    }
    h[i] = x;
  }

  private pop(): LabelledRecord {
    const h = this.buf;
    const top = h[0] as LabelledRecord;
    const last = h.pop() as LabelledRecord;
    if (h.length) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && compareRecords(h[r] as LabelledRecord, h[l] as LabelledRecord) < 0 ? r : l;
        if (compareRecords(last, h[c] as LabelledRecord) <= 0) break;
        h[i] = h[c] as LabelledRecord;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
