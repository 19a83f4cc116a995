/**
 * The ledger: every record published and every blob fetch, so a run can name the records a
 * collector never fetched (the "never collected" miss class of the scorecard). Bench-only: it is
 * served on the bench port, behind the bench token.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { SourceId } from '../../src/core/sources.js';
import type { ContentBlobEvent, DiagnosticAppendEvent, PublishedRecord } from '../replay/replay.js';

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
}

export class Ledger {
  private readonly published = new Map<string, { source: SourceId; id: string; at: EpochMs }>();
  private readonly fetched = new Set<string>();
  private deliveries = 0;
  private contentBlobs = 0;
  private appends = 0;
  private contentFetches = 0;
  private storageReads = 0;
  private failedFetches = 0;

  private key(source: SourceId, id: string): string {
    return `${source}\u0000${id}`;
  }

  private publish(records: readonly PublishedRecord[], at: EpochMs): void {
    for (const r of records) {
      this.deliveries++;
      const k = this.key(r.source, r.id);
      if (!this.published.has(k)) this.published.set(k, { source: r.source, id: r.id, at });
    }
  }

  onContent = (b: ContentBlobEvent): void => {
    this.contentBlobs++;
    this.publish(b.records, b.createdWall);
  };

  onDiagnostic = (d: DiagnosticAppendEvent): void => {
    this.appends++;
    this.publish(d.records, d.createdWall);
  };

  /** a collector received these records in full */
  collected(records: Iterable<{ source: SourceId; id: string }>, kind: 'content' | 'storage'): void {
    if (kind === 'content') this.contentFetches++;
    else this.storageReads++;
    for (const r of records) this.fetched.add(this.key(r.source, r.id));
  }

  failedFetch(): void {
    this.failedFetches++;
  }

  neverCollected(): { source: SourceId; id: string }[] {
    const out: { source: SourceId; id: string }[] = [];
    for (const [k, v] of this.published) if (!this.fetched.has(k)) out.push({ source: v.source, id: v.id });
    return out;
  }

  summary(sampleSize = 20): LedgerSummary {
    const bySource: Record<string, number> = {};
    const fetchedBySource: Record<string, number> = {};
    const missBySource: Record<string, number> = {};
    const sample: { source: SourceId; id: string }[] = [];
    let fetchedCount = 0;
    let missing = 0;
    for (const [k, v] of this.published) {
      bySource[v.source] = (bySource[v.source] ?? 0) + 1;
      if (this.fetched.has(k)) {
        fetchedCount++;
        fetchedBySource[v.source] = (fetchedBySource[v.source] ?? 0) + 1;
      } else {
        missing++;
        missBySource[v.source] = (missBySource[v.source] ?? 0) + 1;
        if (sample.length < sampleSize) sample.push({ source: v.source, id: v.id });
      }
    }
    return {
      published: {
        records: this.published.size,
        deliveries: this.deliveries,
        contentBlobs: this.contentBlobs,
        appends: this.appends,
        bySource,
      },
      fetched: {
        records: fetchedCount,
        bySource: fetchedBySource,
        contentFetches: this.contentFetches,
        storageReads: this.storageReads,
        failedFetches: this.failedFetches,
      },
      neverCollected: { count: missing, bySource: missBySource, sample },
    };
  }
}
