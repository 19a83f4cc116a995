/**
 * What the replay publishes: a tenant's deliveries in availability order, each with its record's
 * JSON text. A dataset directory (dataset.ts) streams them from disk and an in-memory publication
 * (tests) from arrays; the replay reads one delivery at a time, so it holds only the deliveries
 * whose blob is still open, never the whole schedule. Nothing here knows about the truth: a
 * publication carries records and delivery only.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { ContentType, DeliveryEntry } from '../../src/core/dataset.js';
import type { SourceId } from '../../src/core/sources.js';

/** One delivery and a way to read its record. */
export interface PendingDelivery {
  readonly entry: DeliveryEntry;
  /** the record's JSON text exactly as stored (one line of the dataset file); read on demand */
  text(): string;
  /** where the record is stored, as `file:line`, when it comes from a file (for error messages) */
  origin?(): string;
}

/** Deliveries in availability order (stable: equal times keep the order of the schedule). */
export interface DeliveryStream {
  peek(): PendingDelivery | undefined;
  next(): PendingDelivery | undefined;
  /** release files; the stream is empty afterwards */
  close(): void;
  /** deliveries read ahead and held, waiting for their turn (a memory gauge) */
  held?(): number;
}

export interface Publication {
  /** the tenant the records belong to (OrganizationId / tenantId) */
  readonly tenantId: string;
  /** the seed of the dataset (drives blob order and fault streams) */
  readonly seed: number;
  /** the tenant's primary domain, when known (accepted as a tenant name by the token endpoints) */
  readonly domain?: string | undefined;
  /** simulated window covered by the deliveries */
  readonly simStart: EpochMs;
  readonly simEnd: EpochMs;
  /** deliveries per source, duplicates included */
  readonly deliveryCounts: Readonly<Partial<Record<SourceId, number>>>;
  /**
   * the Management Activity API content types its UAL deliveries land in (sorted); undefined when
   * some UAL delivery names none (its type is then read from the record as it is published)
   */
  readonly contentTypes?: readonly ContentType[] | undefined;
  /** the latest availability of a delivery naming `blob`; undefined when none does */
  blobEnd(blob: string): EpochMs | undefined;
  /** a new stream over every delivery, in availability order */
  open(): DeliveryStream;
}

/** Collects the content types of UAL deliveries as they are scanned (Publication.contentTypes). */
export function contentTypeSet(): { add(e: DeliveryEntry): void; result(): ContentType[] | undefined } {
  const seen = new Set<ContentType>();
  let unknown = false;
  return {
    add: (e) => {
      if (e.source !== 'ual') return;
      if (e.contentType) seen.add(e.contentType);
      else unknown = true;
    },
    result: () => (unknown ? undefined : [...seen].sort()),
  };
}

/** Sort deliveries by availability (stable), as the schedule promises. */
export function sortDeliveries(entries: DeliveryEntry[]): DeliveryEntry[] {
  return entries
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].at - b[0].at || a[1] - b[1])
    .map(([e]) => e);
}

/** key under which memoryPublication looks a record up */
export function recordKey(source: SourceId, id: string): string {
  return `${source}\u0000${id}`;
}

/** A stream over an array already in availability order. */
export function arrayStream(items: readonly PendingDelivery[]): DeliveryStream {
  let i = 0;
  let closed = false;
  return {
    peek: () => (closed ? undefined : items[i]),
    next: () => (closed ? undefined : items[i++]),
    close: () => {
      closed = true;
    },
  };
}

/** An in-memory publication (tests, the in-process path). */
export function memoryPublication(opts: {
  tenantId: string;
  seed: number;
  domain?: string;
  deliveries: DeliveryEntry[];
  records: ReadonlyMap<string, string> | Record<string, string>;
  simStart?: EpochMs;
  simEnd?: EpochMs;
}): Publication {
  const deliveries = sortDeliveries(opts.deliveries.slice());
  const map: ReadonlyMap<string, string> =
    opts.records instanceof Map ? opts.records : new Map(Object.entries(opts.records as Record<string, string>));
  const first = deliveries[0]?.at ?? 0;
  const last = deliveries[deliveries.length - 1]?.at ?? first;
  const counts: Partial<Record<SourceId, number>> = {};
  const ends = new Map<string, EpochMs>();
  const types = contentTypeSet();
  for (const e of deliveries) {
    types.add(e);
    counts[e.source] = (counts[e.source] ?? 0) + 1;
    if (e.blob) ends.set(e.blob, Math.max(ends.get(e.blob) ?? e.at, e.at));
  }
  const items: PendingDelivery[] = deliveries.map((entry) => ({
    entry,
    text: () => {
      const t = map.get(recordKey(entry.source, entry.id)) ?? map.get(entry.id);
      if (t === undefined) throw new Error(`publication: no ${entry.source} record ${entry.id}`);
      return t;
    },
  }));
  return {
    tenantId: opts.tenantId,
    seed: opts.seed,
    domain: opts.domain,
    simStart: Math.min(opts.simStart ?? first, first),
    simEnd: Math.max(opts.simEnd ?? last, last),
    deliveryCounts: counts,
    contentTypes: types.result(),
    blobEnd: (blob) => ends.get(blob),
    open: () => arrayStream(items),
  };
}
