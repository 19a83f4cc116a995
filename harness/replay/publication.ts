/**
 * The seam between what is published and how: a `Publication` yields the seeded availability
 * schedule (DeliveryEntry, in availability order) and the record text each entry points to. A
 * dataset directory is one implementation (dataset.ts); the generators' in-memory stream will be
 * another. Nothing here knows about the truth: a publication carries records and delivery only.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { SourceId } from '../../src/core/sources.js';

export interface Publication {
  /** the tenant the records belong to (OrganizationId / tenantId) */
  readonly tenantId: string;
  /** the seed of the dataset (drives blob order and fault streams) */
  readonly seed: number;
  /** the tenant's primary domain, when known (accepted as a tenant name by the token endpoints) */
  readonly domain?: string | undefined;
  /** every delivery, sorted by `at` (stable) */
  readonly deliveries: readonly DeliveryEntry[];
  /** simulated window covered by the deliveries */
  readonly simStart: EpochMs;
  readonly simEnd: EpochMs;
  /** the record's JSON text exactly as served (one line of the dataset file), or undefined */
  record(source: SourceId, id: string): string | undefined;
}

/** Sort deliveries by availability (stable), as the schedule promises. */
export function sortDeliveries(entries: DeliveryEntry[]): DeliveryEntry[] {
  return entries
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].at - b[0].at || a[1] - b[1])
    .map(([e]) => e);
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
  return {
    tenantId: opts.tenantId,
    seed: opts.seed,
    domain: opts.domain,
    deliveries,
    simStart: Math.min(opts.simStart ?? first, first),
    simEnd: Math.max(opts.simEnd ?? last, last),
    record: (source, id) => map.get(`${source}\u0000${id}`) ?? map.get(id),
  };
}

/** key under which memoryPublication looks a record up */
export function recordKey(source: SourceId, id: string): string {
  return `${source}\u0000${id}`;
}
