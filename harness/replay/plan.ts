/**
 * The replay's plan, made as the deliveries stream by: which deliveries land in which content blob
 * and in what order blobs and diagnostic appends are published. It reads deliveries in
 * availability order and holds only the blobs still open (a named blob until the stream passes
 * the last delivery naming it, a cut blob until it is full or its `maxSpan` is over) and the
 * events that cannot be released yet, so memory is bounded by blob size and span, not by the
 * length of the replay.
 *
 * Order: events are released by (availability, diagnostic before content, position of their first
 * delivery in the stream): exactly the stable sort by availability of "every diagnostic delivery,
 * then every blob in the order it was opened" that a whole-schedule plan gives (planBlobs).
 */
import { Heap } from 'heap-js';
import type { EpochMs } from '../../src/core/clock.js';
import type { ContentType, DeliveryEntry } from '../../src/core/dataset.js';
import { type BlobLimits, DEFAULT_BLOB_LIMITS, type PlannedBlob } from './blobs.js';
import { arrayStream, type DeliveryStream, type PendingDelivery } from './publication.js';

export type PlanEvent =
  | {
      kind: 'content';
      /** simulated availability: the latest availability of its deliveries, plus any late delay */
      at: EpochMs;
      key: string;
      contentType: ContentType;
      /** position of its first delivery in the stream */
      first: number;
      entries: PendingDelivery[];
    }
  | { kind: 'diagnostic'; at: EpochMs; first: number; item: PendingDelivery };

export interface PlanOptions {
  limits: BlobLimits;
  contentTypeOf(d: PendingDelivery): ContentType;
  /** the latest availability of any delivery naming a blob (Publication.blobEnd) */
  blobEnd(blob: string): EpochMs | undefined;
  /** extra simulated delay of a content blob (fault injection), asked once per blob */
  late?(key: string): number;
}

interface OpenBlob {
  key: string;
  contentType: ContentType;
  first: number;
  firstAt: EpochMs;
  maxAt: EpochMs;
  late: number;
  /** named blobs: complete once the stream has passed this availability */
  end: EpochMs;
  entries: PendingDelivery[];
}

interface Key {
  at: EpochMs;
  kind: 'content' | 'diagnostic';
  first: number;
}

function rank(k: Key): number {
  return k.kind === 'diagnostic' ? 0 : 1;
}

function compare(a: Key, b: Key): number {
  return a.at - b.at || rank(a) - rank(b) || a.first - b.first;
}

export class Plan {
  private readonly ready = new Heap<PlanEvent>(compare);
  private readonly cuts = new Map<ContentType, OpenBlob>();
  private readonly cutCount = new Map<ContentType, number>();
  private readonly named = new Map<string, OpenBlob>();
  private readonly namedByEnd = new Heap<OpenBlob>((a, b) => a.end - b.end);
  private pulled = 0;
  private exhausted = false;

  constructor(
    private readonly stream: DeliveryStream,
    private readonly opts: PlanOptions,
  ) {}

  /** the next event, reading ahead in the stream until it is certain; undefined at the end */
  peek(): PlanEvent | undefined {
    for (;;) {
      const top = this.ready.peek();
      if (this.exhausted) return top;
      if (top && this.releasable(top)) return top;
      this.pull();
    }
  }

  shift(): PlanEvent | undefined {
    const e = this.peek();
    if (e) this.ready.pop();
    return e;
  }

  close(): void {
    this.stream.close();
  }

  /** events and open blobs held right now (a memory gauge for tests and benchmarks) */
  held(): { deliveries: number; events: number; openBlobs: number } {
    return {
      deliveries: this.stream.held?.() ?? 0,
      events: this.ready.length,
      openBlobs: this.cuts.size + this.named.size,
    };
  }

  private releasable(ev: PlanEvent): boolean {
    const next = this.stream.peek();
    if (next !== undefined) {
      // anything still unread is available at next.at or later, and comes after in the stream
      if (ev.at > next.entry.at) return false;
      if (ev.at === next.entry.at && ev.kind === 'content') return false;
    }
    // an open blob ends no earlier than its latest delivery so far
    for (const b of this.cuts.values()) if (!this.precedes(ev, b)) return false;
    for (const b of this.named.values()) if (!this.precedes(ev, b)) return false;
    return true;
  }

  private precedes(ev: PlanEvent, b: OpenBlob): boolean {
    return compare(ev, { at: b.maxAt + b.late, kind: 'content', first: b.first }) < 0;
  }

  private pull(): void {
    const d = this.stream.next();
    if (!d) {
      this.exhausted = true;
      for (const b of this.cuts.values()) this.complete(b);
      this.cuts.clear();
      for (const b of this.named.values()) this.complete(b);
      this.named.clear();
      return;
    }
    const index = this.pulled++;
    const e = d.entry;
    if (e.source === 'ual') this.addContent(d, index);
    else if (e.source !== 'endpointPowerShell')
      this.ready.push({ kind: 'diagnostic', at: e.at, first: index, item: d });
    this.closeFinished();
  }

  private open(key: string, contentType: ContentType, first: number, at: EpochMs, end: EpochMs): OpenBlob {
    const late = Math.max(0, this.opts.late?.(key) ?? 0);
    return { key, contentType, first, firstAt: at, maxAt: at, late, end, entries: [] };
  }

  private addContent(d: PendingDelivery, index: number): void {
    const e = d.entry;
    const ct = this.opts.contentTypeOf(d);
    let b: OpenBlob | undefined;
    if (e.blob) {
      const key = `${ct}|${e.blob}`;
      b = this.named.get(key);
      if (!b) {
        b = this.open(key, ct, index, e.at, this.opts.blobEnd(e.blob) ?? Number.POSITIVE_INFINITY);
        this.named.set(key, b);
        this.namedByEnd.push(b);
      }
    } else {
      const { maxRecords, maxSpanMs } = this.opts.limits;
      b = this.cuts.get(ct);
      if (b && (b.entries.length >= maxRecords || e.at - b.firstAt > maxSpanMs)) {
        this.cuts.delete(ct);
        this.complete(b);
        b = undefined;
      }
      if (!b) {
        const n = (this.cutCount.get(ct) ?? 0) + 1;
        this.cutCount.set(ct, n);
        b = this.open(`${ct}|cut-${n}`, ct, index, e.at, Number.POSITIVE_INFINITY);
        this.cuts.set(ct, b);
      }
    }
    b.entries.push(d);
    if (e.at > b.maxAt) b.maxAt = e.at;
  }

  /** complete the blobs no later delivery can join */
  private closeFinished(): void {
    const nextAt = this.stream.peek()?.entry.at ?? Number.POSITIVE_INFINITY;
    for (let b = this.namedByEnd.peek(); b && b.end < nextAt; b = this.namedByEnd.peek()) {
      this.namedByEnd.pop();
      this.named.delete(b.key);
      this.complete(b);
    }
    const { maxRecords, maxSpanMs } = this.opts.limits;
    for (const [ct, b] of this.cuts) {
      if (b.entries.length >= maxRecords || nextAt - b.firstAt > maxSpanMs) {
        this.cuts.delete(ct);
        this.complete(b);
      }
    }
  }

  private complete(b: OpenBlob): void {
    this.ready.push({
      kind: 'content',
      at: b.maxAt + b.late,
      key: b.key,
      contentType: b.contentType,
      first: b.first,
      entries: b.entries,
    });
  }
}

/**
 * Group UAL deliveries (sorted by `at`) into blobs, in the order the blobs were opened. Entries
 * that name a blob stay together; the others are cut per content type by the limits.
 */
export function planBlobs(
  entries: readonly DeliveryEntry[],
  contentTypeOf: (e: DeliveryEntry) => ContentType,
  limits: BlobLimits = DEFAULT_BLOB_LIMITS,
): PlannedBlob[] {
  const ends = new Map<string, EpochMs>();
  for (const e of entries) if (e.blob) ends.set(e.blob, Math.max(ends.get(e.blob) ?? e.at, e.at));
  const plan = new Plan(arrayStream(entries.map((entry) => ({ entry, text: () => '' }))), {
    limits,
    contentTypeOf: (d) => contentTypeOf(d.entry),
    blobEnd: (b) => ends.get(b),
  });
  const out: Extract<PlanEvent, { kind: 'content' }>[] = [];
  for (let ev = plan.shift(); ev; ev = plan.shift()) if (ev.kind === 'content') out.push(ev);
  return out
    .sort((a, b) => a.first - b.first)
    .map((b) => ({ key: b.key, contentType: b.contentType, at: b.at, entries: b.entries.map((d) => d.entry) }));
}
