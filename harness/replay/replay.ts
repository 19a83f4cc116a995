/**
 * The replay engine: publishes a Publication's deliveries at their simulated availability,
 * mapped to wall time by the ReplayClock. UAL deliveries become Management Activity API content
 * blobs (records out of order inside a blob, duplicates where the schedule says so,
 * `contentCreated` = the wall time the blob became available); diagnostic-settings deliveries are
 * appended to hourly `PT1H.json` blobs. Listeners (the mock's stores, the ledger, webhooks) receive
 * every publication; the replay itself serves nothing.
 */
import { type EpochMs, wallNow } from '../../src/core/clock.js';
import type { ContentType, DeliveryEntry } from '../../src/core/dataset.js';
import { rngStream } from '../../src/core/rng.js';
import type { SourceId } from '../../src/core/sources.js';
import { type BlobLimits, contentTypeOfRecordType, DEFAULT_BLOB_LIMITS, planBlobs } from './blobs.js';
import { ReplayClock, type SpeedMode } from './clock.js';
import type { Publication } from './publication.js';
import { firstNumberField, firstStringField, rebaseJson } from './rebase.js';

export interface PublishedRecord {
  id: string;
  source: SourceId;
  /** the record as served (rebased) */
  json: string;
  duplicate: boolean;
}

export interface ContentBlobEvent {
  kind: 'content';
  contentType: ContentType;
  /** the blob's stable key in the plan */
  key: string;
  /** publication order among content blobs (1, 2, …) */
  seq: number;
  /** wall time at which the blob became available: contentCreated */
  createdWall: EpochMs;
  /** simulated availability (unshifted) */
  simAt: EpochMs;
  records: PublishedRecord[];
}

export interface DiagnosticAppendEvent {
  kind: 'diagnostic';
  source: SourceId;
  category: string;
  /** insights-logs-<category> */
  container: string;
  /** tenantId=<tid>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json */
  blobName: string;
  createdWall: EpochMs;
  simAt: EpochMs;
  records: PublishedRecord[];
}

export interface ReplayListener {
  onContent?(blob: ContentBlobEvent): void;
  onDiagnostic?(append: DiagnosticAppendEvent): void;
  onDone?(): void;
}

export interface ReplayOptions {
  speed: SpeedMode;
  blobLimits?: BlobLimits;
  /** extra simulated delay for a content blob (fault injection: late blobs) */
  lateBlob?: (key: string) => number;
  /** wall time the replay starts at (tests) */
  wallStart?: EpochMs;
  /** max mode: records published per macrotask before yielding to the servers */
  maxChunk?: number;
}

/** Default diagnostic-settings category per source, when a record carries none. */
export const DEFAULT_CATEGORY: Partial<Record<SourceId, string>> = {
  graphActivity: 'MicrosoftGraphActivityLogs',
  signIns: 'SignInLogs',
  aadGraphActivity: 'AzureADGraphActivityLogs',
};

type PlanEvent =
  | { kind: 'content'; at: EpochMs; key: string; contentType: ContentType; entries: DeliveryEntry[] }
  | { kind: 'diagnostic'; at: EpochMs; entry: DeliveryEntry };

export interface ReplayStatus {
  events: number;
  published: number;
  records: { planned: number; published: number };
  done: boolean;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function hourlyBlobName(tenantId: string, t: EpochMs): string {
  const d = new Date(t);
  return `tenantId=${tenantId}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=00/PT1H.json`;
}

export class Replay {
  readonly clock: ReplayClock;
  readonly publication: Publication;
  private readonly plan: PlanEvent[];
  private next = 0;
  private contentSeq = 0;
  private publishedRecords = 0;
  private readonly plannedRecords: number;
  private readonly listeners: ReplayListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private resolveDone!: () => void;
  readonly done: Promise<void>;
  private readonly maxChunk: number;
  private started = false;
  /** the latest wall time stamped on a publication (contentCreated, Last-Modified) */
  private newestWall: EpochMs = Number.NEGATIVE_INFINITY;

  constructor(publication: Publication, opts: ReplayOptions) {
    this.publication = publication;
    this.maxChunk = opts.maxChunk ?? 20_000;
    const ual: DeliveryEntry[] = [];
    const events: PlanEvent[] = [];
    for (const e of publication.deliveries) {
      if (e.source === 'ual') ual.push(e);
      else if (e.source !== 'endpointPowerShell') events.push({ kind: 'diagnostic', at: e.at, entry: e });
    }
    const ctOf = (e: DeliveryEntry): ContentType => {
      if (e.contentType) return e.contentType;
      const json = publication.record('ual', e.id);
      return contentTypeOfRecordType(json === undefined ? undefined : firstNumberField(json, 'RecordType'));
    };
    let simEnd = publication.simEnd;
    for (const b of planBlobs(ual, ctOf, opts.blobLimits ?? DEFAULT_BLOB_LIMITS)) {
      const late = opts.lateBlob?.(b.key) ?? 0;
      const at = b.at + Math.max(0, late);
      if (at > simEnd) simEnd = at;
      events.push({ kind: 'content', at, key: b.key, contentType: b.contentType, entries: b.entries });
    }
    // stable sort by availability: content blobs and diagnostic appends interleave by time
    this.plan = events
      .map((e, i) => [e, i] as const)
      .sort((a, b) => a[0].at - b[0].at || a[1] - b[1])
      .map(([e]) => e);
    this.plannedRecords = publication.deliveries.filter((d) => d.source !== 'endpointPowerShell').length;
    this.clock = new ReplayClock(opts.speed, publication.simStart, simEnd, opts.wallStart ?? wallNow());
    this.done = new Promise((r) => {
      this.resolveDone = r;
    });
  }

  on(listener: ReplayListener): void {
    this.listeners.push(listener);
  }

  /** Begin publishing (paced and max modes). Lockstep replays move only through advanceTo. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.clock.mode.kind === 'lockstep') {
      if (this.plan.length === 0) this.finish();
      return;
    }
    this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  status(): ReplayStatus {
    return {
      events: this.plan.length,
      published: this.next,
      records: { planned: this.plannedRecords, published: this.publishedRecords },
      done: this.clock.done,
    };
  }

  /** Lockstep (or any mode): publish everything available up to simulated `sim` (unshifted). */
  advanceTo(sim: EpochMs): number {
    const before = this.publishedRecords;
    this.clock.setCursor(sim);
    this.publishUntil(sim, Number.POSITIVE_INFINITY);
    if (this.next >= this.plan.length) this.finish();
    return this.publishedRecords - before;
  }

  /**
   * Resolves once the wall clock has moved past every publication's stamp. `contentCreated` is
   * the wall millisecond a blob was published and `endTime` is exclusive, so a collector that lists
   * up to its own "now" within that same millisecond would not see the blob yet. Whoever announces
   * a publication (the lockstep answer, /bench/advance) waits for this first: everything announced
   * is then listable with endTime = now.
   */
  listable(): Promise<void> {
    const stamp = this.newestWall;
    return new Promise((resolve) => {
      const check = () => (wallNow() > stamp ? resolve() : setTimeout(check, 1));
      check();
    });
  }

  /** the next simulated instant something becomes available, or undefined when done */
  nextAvailability(): EpochMs | undefined {
    return this.plan[this.next]?.at;
  }

  private loop = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.clock.paced) {
      this.publishUntil(this.clock.simNow(), Number.POSITIVE_INFINITY);
      if (this.next >= this.plan.length) {
        this.finish();
        return;
      }
      const nextAt = (this.plan[this.next] as PlanEvent).at;
      const wait = Math.max(1, Math.min(1000, Math.ceil(this.clock.wallAt(nextAt) - wallNow())));
      this.timer = setTimeout(this.loop, wait);
    } else {
      const nextAt = (this.plan[this.next] as PlanEvent | undefined)?.at;
      if (nextAt === undefined) {
        this.finish();
        return;
      }
      this.publishUntil(Number.POSITIVE_INFINITY, this.maxChunk);
      const last = this.plan[this.next - 1];
      if (last) this.clock.setCursor(last.at);
      if (this.next >= this.plan.length) {
        this.finish();
        return;
      }
      this.timer = setTimeout(this.loop, 0);
    }
  };

  private finish(): void {
    if (this.clock.done) return;
    this.clock.setCursor(this.clock.simEnd);
    this.clock.done = true;
    for (const l of this.listeners) l.onDone?.();
    this.resolveDone();
  }

  private publishUntil(sim: EpochMs, budget: number): void {
    let spent = 0;
    const pendingDiag = new Map<string, DiagnosticAppendEvent>();
    while (this.next < this.plan.length && spent < budget) {
      const ev = this.plan[this.next] as PlanEvent;
      if (ev.at > sim) break;
      this.next++;
      if (ev.kind === 'content') {
        spent += ev.entries.length;
        this.publishContent(ev);
      } else {
        spent++;
        this.collectDiagnostic(ev, pendingDiag);
      }
    }
    for (const d of pendingDiag.values()) {
      this.publishedRecords += d.records.length;
      for (const l of this.listeners) l.onDiagnostic?.(d);
    }
  }

  private served(source: SourceId, id: string): string {
    const raw = this.publication.record(source, id);
    if (raw === undefined) throw new Error(`replay: no ${source} record ${id}`);
    return rebaseJson(raw, this.clock.shift);
  }

  private stampWall(): EpochMs {
    const t = wallNow();
    if (t > this.newestWall) this.newestWall = t;
    return t;
  }

  private publishContent(ev: Extract<PlanEvent, { kind: 'content' }>): void {
    const rng = rngStream(this.publication.seed, 'replay', 'blob-order', ev.key);
    const order = rng.shuffle(ev.entries);
    const records: PublishedRecord[] = order.map((e) => ({
      id: e.id,
      source: 'ual',
      json: this.served('ual', e.id),
      duplicate: e.duplicate === true,
    }));
    this.contentSeq++;
    this.publishedRecords += records.length;
    const blob: ContentBlobEvent = {
      kind: 'content',
      contentType: ev.contentType,
      key: ev.key,
      seq: this.contentSeq,
      createdWall: this.stampWall(),
      simAt: ev.at,
      records,
    };
    for (const l of this.listeners) l.onContent?.(blob);
  }

  private collectDiagnostic(
    ev: Extract<PlanEvent, { kind: 'diagnostic' }>,
    pending: Map<string, DiagnosticAppendEvent>,
  ): void {
    const e = ev.entry;
    const json = this.served(e.source, e.id);
    const category = firstStringField(json, 'category') ?? DEFAULT_CATEGORY[e.source] ?? e.source;
    const time = firstStringField(json, 'time');
    const t = time === undefined ? Number.NaN : Date.parse(/[Zz]|[+-]\d{2}:\d{2}$/.test(time) ? time : `${time}Z`);
    const blobName = hourlyBlobName(this.publication.tenantId, Number.isFinite(t) ? t : e.at + this.clock.shift);
    const container = `insights-logs-${category.toLowerCase()}`;
    const k = `${container}/${blobName}`;
    let d = pending.get(k);
    if (!d) {
      d = {
        kind: 'diagnostic',
        source: e.source,
        category,
        container,
        blobName,
        createdWall: this.stampWall(),
        simAt: e.at,
        records: [],
      };
      pending.set(k, d);
    }
    d.records.push({ id: e.id, source: e.source, json, duplicate: e.duplicate === true });
  }
}
