/**
 * The ledger: what was published and what a collector fetched, so a run can name the records a
 * collector never fetched (the "never collected" miss class of the scorecard). Bench-only: it is
 * served on the bench port, behind the bench token.
 *
 * It holds counts and, per blob, what was fetched: a flag for a content blob (fetched in full),
 * the byte ranges read for an append blob. Which records a blob holds is in the stores' id lists
 * on disk; a summary reads them back. A record is collected when any of its deliveries was fetched
 * (a content blob sent in full, or a storage range holding its whole line); each record has one
 * first delivery, and later ones carry `duplicate`.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { SourceId } from '../../src/core/sources.js';
import type { ContentBlobEvent, DiagnosticAppendEvent, PublishedRecord } from '../replay/replay.js';
import type { ContentStore, StoredBlob } from './content-store.js';
import type { AppendBlob, AppendBlobStore } from './storage.js';

export interface LedgerSummary {
  published: {
    records: number;
    deliveries: number;
    contentBlobs: number;
    appends: number;
    bySource: Record<string, number>;
  };
  fetched: {
    records: number;
    bySource: Record<string, number>;
    contentFetches: number;
    storageReads: number;
    failedFetches: number;
  };
  neverCollected: { count: number; bySource: Record<string, number>; sample: { source: SourceId; id: string }[] };
  /**
   * webhook notifications (Management Activity API): blobs named in batches the webhook answered
   * with 200, and attempts that failed (each is retried; docs/mock.md "Webhooks")
   */
  notified: { blobs: number; batches: number; failedAttempts: number };
}

/** byte ranges [start, end), sorted, disjoint and not touching */
type Ranges = [number, number][];

function addRange(ranges: Ranges, start: number, end: number): void {
  let s = start;
  let e = end;
  const out: Ranges = [];
  let placed = false;
  for (const r of ranges) {
    if (r[1] < s) out.push(r);
    else if (r[0] > e) {
      if (!placed) {
        out.push([s, e]);
        placed = true;
      }
      out.push(r);
    } else {
      s = Math.min(s, r[0]);
      e = Math.max(e, r[1]);
    }
  }
  if (!placed) out.push([s, e]);
  ranges.splice(0, ranges.length, ...out);
}

function covers(ranges: Ranges, start: number, end: number): boolean {
  for (const r of ranges) if (r[0] <= start && end <= r[1]) return true;
  return false;
}

type Visit = (source: SourceId, id: string, duplicate: boolean, fetched: boolean) => void;

export class Ledger {
  private records = 0;
  private deliveries = 0;
  private readonly bySource: Record<string, number> = {};
  private contentBlobs = 0;
  private appends = 0;
  private contentFetches = 0;
  private storageReads = 0;
  private failedFetches = 0;
  private readonly notifications = { blobs: 0, batches: 0, failedAttempts: 0 };
  private readonly fetchedContent = new Set<StoredBlob>();
  private readonly readRanges = new Map<AppendBlob, Ranges>();

  constructor(
    private readonly content: ContentStore,
    private readonly storage: AppendBlobStore,
  ) {}

  private publish(records: readonly PublishedRecord[]): void {
    for (const r of records) {
      this.deliveries++;
      if (r.duplicate) continue;
      this.records++;
      this.bySource[r.source] = (this.bySource[r.source] ?? 0) + 1;
    }
  }

  onContent = (b: ContentBlobEvent): void => {
    this.contentBlobs++;
    this.publish(b.records);
  };

  onDiagnostic = (d: DiagnosticAppendEvent): void => {
    this.appends++;
    this.publish(d.records);
  };

  /** a collector received this content blob in full */
  contentFetched(b: StoredBlob): void {
    this.contentFetches++;
    this.fetchedContent.add(b);
  }

  /** a collector received bytes [start, endInclusive] of this append blob */
  storageRead(b: AppendBlob, start: number, endInclusive: number): void {
    this.storageReads++;
    let r = this.readRanges.get(b);
    if (!r) {
      r = [];
      this.readRanges.set(b, r);
    }
    addRange(r, start, endInclusive + 1);
  }

  /** the running counts, without reading the stores back (cheap: for progress lines) */
  counters(): {
    records: number;
    contentFetches: number;
    storageReads: number;
    failedFetches: number;
    notifiedBlobs: number;
  } {
    return {
      notifiedBlobs: this.notifications.blobs,
      records: this.records,
      contentFetches: this.contentFetches,
      storageReads: this.storageReads,
      failedFetches: this.failedFetches,
    };
  }

  /**
   * Whether every delivery published so far was fetched whole: each content blob that can still
   * be fetched (not expired, by age or by fault injection) received in full, each append blob read
   * to its end. Cheap (no store is read back): `serve --exit-when-done` asks it while it drains.
   */
  allFetched(now: EpochMs): boolean {
    for (const b of this.content.all) {
      if (!this.fetchedContent.has(b) && !b.expiredEarly && now < b.expiration) return false;
    }
    for (const b of this.storage.all) {
      if (b.length > 0 && !covers(this.readRanges.get(b) ?? [], 0, b.length)) return false;
    }
    return true;
  }

  failedFetch(): void {
    this.failedFetches++;
  }

  /** a webhook notification batch naming `blobs` content blobs was answered, with 200 or not */
  notified = (blobs: number, ok: boolean): void => {
    if (ok) {
      this.notifications.blobs += blobs;
      this.notifications.batches++;
    } else this.notifications.failedAttempts++;
  };

  /** every delivery published, read back from the stores' id lists, one blob at a time */
  private visit(fn: Visit): void {
    for (const b of this.content.all) {
      const fetched = this.fetchedContent.has(b);
      this.content.forEachRecord(b, (source, id, duplicate) => fn(source, id, duplicate, fetched));
    }
    for (const b of this.storage.all) {
      const ranges = this.readRanges.get(b) ?? [];
      this.storage.forEachSpan(b, (source, id, duplicate, start, end) =>
        fn(source, id, duplicate, covers(ranges, start, end)),
      );
    }
  }

  /**
   * calls `missing` for each record none of whose deliveries was fetched (and `fetchedOne` for each
   * of the others); returns the fetched
   */
  private walk(
    missing: (source: SourceId, id: string) => void,
    fetchedOne?: (source: SourceId, id: string) => void,
  ): {
    fetched: number;
    fetchedBySource: Record<string, number>;
  } {
    // a first delivery missed is made good by a duplicate fetched: those are few, keep their keys
    const dupFetched = new Set<string>();
    this.visit((source, id, duplicate, fetched) => {
      if (duplicate && fetched) dupFetched.add(`${source}\u0000${id}`);
    });
    let count = 0;
    const fetchedBySource: Record<string, number> = {};
    this.visit((source, id, duplicate, fetched) => {
      if (duplicate) return;
      if (fetched || (dupFetched.size > 0 && dupFetched.has(`${source}\u0000${id}`))) {
        count++;
        fetchedBySource[source] = (fetchedBySource[source] ?? 0) + 1;
        fetchedOne?.(source, id);
      } else missing(source, id);
    });
    return { fetched: count, fetchedBySource };
  }

  /**
   * `source\0id` of every record fetched: what a replay that stopped early (its detector failed)
   * scores as collected — a record never published was never collected either
   */
  collectedKeys(): Set<string> {
    const out = new Set<string>();
    this.walk(
      () => {},
      (source, id) => out.add(`${source}\u0000${id}`),
    );
    return out;
  }

  neverCollected(): { source: SourceId; id: string }[] {
    const out: { source: SourceId; id: string }[] = [];
    this.walk((source, id) => out.push({ source, id }));
    return out;
  }

  summary(sampleSize = 20): LedgerSummary {
    const missBySource: Record<string, number> = {};
    const sample: { source: SourceId; id: string }[] = [];
    let missing = 0;
    const { fetched, fetchedBySource } = this.walk((source, id) => {
      missing++;
      missBySource[source] = (missBySource[source] ?? 0) + 1;
      if (sample.length < sampleSize) sample.push({ source, id });
    });
    return {
      published: {
        records: this.records,
        deliveries: this.deliveries,
        contentBlobs: this.contentBlobs,
        appends: this.appends,
        bySource: { ...this.bySource },
      },
      fetched: {
        records: fetched,
        bySource: fetchedBySource,
        contentFetches: this.contentFetches,
        storageReads: this.storageReads,
        failedFetches: this.failedFetches,
      },
      neverCollected: { count: missing, bySource: missBySource, sample },
      notified: { ...this.notifications },
    };
  }
}
