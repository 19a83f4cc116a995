/**
 * Blobs of the Management Activity API: which deliveries land in which content blob. The seeded
 * schedule (src/delivery) names a blob for every delivery; when a publication does not (hand-built
 * fixtures), blobs are cut per content type by `maxRecords` and `maxSpan`, as the real service
 * aggregates events harvested across servers into tenant-specific blobs. The cutting itself is
 * done as deliveries stream by (plan.ts).
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
