/**
 * Blobs of the Management Activity API: which deliveries land in which content blob. The seeded
 * schedule (src/delivery) names a blob for every delivery; when a publication does not (hand-built
 * fixtures), blobs are cut per content type by `maxRecords` and `maxSpan`, as the real service
 * aggregates events harvested across servers into tenant-specific blobs.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { ContentType, DeliveryEntry } from '../../src/core/dataset.js';

export interface BlobLimits {
  /** at most this many records per blob */
  maxRecords: number;
  /** a blob spans at most this much availability time (ms) */
  maxSpanMs: number;
}

export const DEFAULT_BLOB_LIMITS: BlobLimits = { maxRecords: 2000, maxSpanMs: 5 * 60_000 };

export interface PlannedBlob {
  /** stable key: content type + the schedule's blob id (or a cut number) */
  key: string;
  contentType: ContentType;
  /** simulated availability: the latest availability of its deliveries */
  at: EpochMs;
  entries: DeliveryEntry[];
}

/** RecordType → content type (management-activity-api.md §3) */
export function contentTypeOfRecordType(rt: number | undefined): ContentType {
  switch (rt) {
    case 8:
    case 9:
    case 15:
      return 'Audit.AzureActiveDirectory';
    case 1:
    case 2:
    case 3:
    case 19:
    case 50:
      return 'Audit.Exchange';
    case 4:
    case 6:
    case 7:
    case 14:
    case 36:
      return 'Audit.SharePoint';
    case 11:
    case 13:
    case 33:
    case 63:
      return 'DLP.All';
    default:
      return 'Audit.General';
  }
}

/**
 * Group UAL deliveries (sorted by `at`) into blobs. Entries that name a blob stay together;
 * the others are cut per content type by the limits.
 */
export function planBlobs(
  entries: readonly DeliveryEntry[],
  contentTypeOf: (e: DeliveryEntry) => ContentType,
  limits: BlobLimits = DEFAULT_BLOB_LIMITS,
): PlannedBlob[] {
  const named = new Map<string, PlannedBlob>();
  const open = new Map<ContentType, PlannedBlob & { first: EpochMs }>();
  const out: PlannedBlob[] = [];
  const cutCount = new Map<ContentType, number>();
  for (const e of entries) {
    const ct = contentTypeOf(e);
    if (e.blob) {
      const key = `${ct}|${e.blob}`;
      let b = named.get(key);
      if (!b) {
        b = { key, contentType: ct, at: e.at, entries: [] };
        named.set(key, b);
        out.push(b);
      }
      b.entries.push(e);
      if (e.at > b.at) b.at = e.at;
      continue;
    }
    let b = open.get(ct);
    if (b && (b.entries.length >= limits.maxRecords || e.at - b.first > limits.maxSpanMs)) {
      open.delete(ct);
      b = undefined;
    }
    if (!b) {
      const n = (cutCount.get(ct) ?? 0) + 1;
      cutCount.set(ct, n);
      b = { key: `${ct}|cut-${n}`, contentType: ct, at: e.at, entries: [], first: e.at };
      open.set(ct, b);
      out.push(b);
    }
    b.entries.push(e);
    if (e.at > b.at) b.at = e.at;
  }
  return out.map(({ key, contentType, at, entries }) => ({ key, contentType, at, entries }));
}
