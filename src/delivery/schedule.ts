/**
 * The seeded availability schedule: when each record becomes available to a collector, and in
 * which blob. Pure (no I/O); shared by `generate` (delivery.jsonl) and the replay.
 *
 * - Latency: log-normal with the source's median and p95 (`scenario.delivery[source].latency`),
 *   clamped to [1 s, max]; drawn from a hash of (seed, source, id), so it does not depend on order.
 * - Duplicates: a share of records is delivered twice (`duplicates`), the second copy later — in
 *   the UAL typically in another blob (management-activity-api.md §7: collectors must dedupe on Id).
 * - Blobs: UAL content is cut per content type into blobs of at most `maxRecords` records whose
 *   availability times fall in one `maxSpan` window; diagnostic-settings sources land in the hourly
 *   append blob `insights-logs-<category>/resourceId=…/y=/m=/d=/h=/m=00/PT1H.json` of the
 *   record's event hour. Blob counters follow the order records are scheduled in (event-time order),
 *   which is why shards are merged before their delivery files are made final.
 */
import type { ContentType, DeliveryEntry } from '../core/dataset.js';
import type { SourceId } from '../core/sources.js';
import type { SourceDelivery } from '../scenario/types.js';
import { fnv1a, unit } from './hash.js';

const Z95 = 1.6448536269514722;

export interface ScheduleInput {
  id: string;
  source: SourceId;
  /** event time */
  time: number;
  /** UAL: the content type; diagnostic sources: the category (e.g. "SignInLogs"); endpoint: the computer */
  channel: string;
}

export interface DeliveryScheduleOptions {
  seed: number;
  tenantId: string;
  delivery: Readonly<Record<SourceId, SourceDelivery>>;
}

/** The content type a UAL record is published under, from its RecordType. */
export function ualContentType(recordType: number): ContentType {
  switch (recordType) {
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
      return 'Audit.SharePoint';
    case 8:
    case 9:
    case 15:
      return 'Audit.AzureActiveDirectory';
    case 11:
    case 13:
    case 63:
      return 'DLP.All';
    default:
      return 'Audit.General';
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class DeliverySchedule {
  private readonly seedHash: number;
  /** fnv1a(source, seedHash) and fnv1a(`${source}/dup`, seedHash), per source (the id is hashed on top) */
  private readonly latencyBase = new Map<SourceId, number>();
  private readonly dupBase = new Map<SourceId, number>();
  private readonly counters = new Map<string, number>();
  private readonly resourceId: string;

  constructor(private readonly opts: DeliveryScheduleOptions) {
    this.seedHash = fnv1a(`delivery/${opts.seed}`);
    this.resourceId = `/TENANTS/${opts.tenantId.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`;
  }

  /** The latency (ms) a record gets; pure in (seed, source, id). */
  latency(source: SourceId, id: string): number {
    const spec = this.opts.delivery[source].latency;
    let base = this.latencyBase.get(source);
    if (base === undefined) {
      base = fnv1a(source, this.seedHash);
      this.latencyBase.set(source, base);
    }
    const h = fnv1a(id, base);
    const u1 = unit(h, 1);
    const u2 = unit(h, 2);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    const mu = Math.log(Math.max(1, spec.median));
    const sigma = spec.p95 > spec.median ? (Math.log(spec.p95) - mu) / Z95 : 0;
    const v = Math.exp(mu + sigma * z);
    return Math.round(Math.min(Math.max(v, 1000), Math.max(1000, spec.max)));
  }

  /** The delivery entries of one record: one, or two for a duplicate. */
  schedule(r: ScheduleInput): DeliveryEntry[] {
    const spec = this.opts.delivery[r.source];
    const at = r.time + this.latency(r.source, r.id);
    const out: DeliveryEntry[] = [this.entry(r, at, false)];
    if (spec.duplicates > 0) {
      let base = this.dupBase.get(r.source);
      if (base === undefined) {
        base = fnv1a(`${r.source}/dup`, this.seedHash);
        this.dupBase.set(r.source, base);
      }
      const h = fnv1a(r.id, base);
      if (unit(h, 3) < spec.duplicates) {
        const later = at + 60_000 + Math.round(unit(h, 4) * 30 * 60_000);
        out.push(this.entry(r, later, true));
      }
    }
    return out;
  }

  private entry(r: ScheduleInput, at: number, duplicate: boolean): DeliveryEntry {
    const blob = this.blob(r, at);
    const e: DeliveryEntry = { id: r.id, source: r.source, at, blob };
    if (r.source === 'ual') e.contentType = r.channel as ContentType;
    if (duplicate) e.duplicate = true;
    return e;
  }

  private blob(r: ScheduleInput, at: number): string {
    const spec = this.opts.delivery[r.source];
    if (r.source === 'ual') {
      const span = Math.max(1000, spec.blob.maxSpan);
      const w = Math.floor(at / span) * span;
      const key = `${r.channel}|${w}`;
      const n = this.counters.get(key) ?? 0;
      this.counters.set(key, n + 1);
      const part = Math.floor(n / Math.max(1, spec.blob.maxRecords));
      const ts = new Date(w).toISOString().replace(/[-:]/g, '').slice(0, 15);
      return `${r.channel}/${ts}Z/${part}`;
    }
    const hour = Math.floor(r.time / 3_600_000);
    const cached = this.hourBlobs.get(r.channel);
    if (cached && cached.hour === hour) return cached.blob;
    const d = new Date(hour * 3_600_000);
    const path = `y=${d.getUTCFullYear()}/m=${pad2(d.getUTCMonth() + 1)}/d=${pad2(d.getUTCDate())}/h=${pad2(d.getUTCHours())}/m=00/PT1H.json`;
    const blob =
      r.source === 'endpointPowerShell'
        ? `endpoint/${r.channel}/${path}`
        : `insights-logs-${r.channel.toLowerCase()}/resourceId=${this.resourceId}/${path}`;
    this.hourBlobs.set(r.channel, { hour, blob });
    return blob;
  }

  private readonly hourBlobs = new Map<string, { hour: number; blob: string }>();

  /** Forget blob counters for windows that can no longer receive records (bounded memory on long runs). */
  prune(before: number): void {
    for (const k of this.counters.keys()) {
      const w = Number(k.slice(k.indexOf('|') + 1));
      if (w < before) this.counters.delete(k);
    }
  }
}
