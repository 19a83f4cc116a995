/**
 * The replay engine: publishes a Publication's deliveries at their simulated availability,
 * mapped to wall time by the ReplayClock. UAL deliveries become Management Activity API content
 * blobs (records out of order inside a blob, duplicates where the schedule says so,
 * `contentCreated` = the wall time the blob became available); diagnostic-settings deliveries are
 * appended to hourly `PT1H.json` blobs. Listeners (the mock's stores, the ledger, webhooks) receive
 * every publication; the replay itself serves nothing and keeps nothing it has published.
 * Deliveries are read from the publication's stream as simulated time advances (plan.ts), so
 * memory holds the open blobs, not the schedule.
 */
import { type EpochMs, wallNow } from '../../src/core/clock.js';
import type { ContentType } from '../../src/core/dataset.js';
import { rngStream } from '../../src/core/rng.js';
import { DIAGNOSTIC_CATEGORIES, type SourceId } from '../../src/core/sources.js';
import { type BlobLimits, contentTypeOfRecordType, DEFAULT_BLOB_LIMITS } from './blobs.js';
import { ReplayClock, type SpeedMode } from './clock.js';
import { Plan, type PlanEvent } from './plan.js';
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
  /** the longest delay lateBlob gives: the replay's end allows for it */
  lateBlobMaxMs?: number;
  /** wall time the replay starts at (tests) */
  wallStart?: EpochMs;
  /** max mode: records published per macrotask before yielding to the servers (default 2,000) */
  maxChunk?: number;
}

/** Default diagnostic-settings category per source, when a record carries none. */
export const DEFAULT_CATEGORY: Partial<Record<SourceId, string>> = Object.fromEntries(
  Object.entries(DIAGNOSTIC_CATEGORIES).map(([source, cats]) => [source, cats[0]]),
);

export interface ReplayStatus {
  /** events (content blobs and diagnostic deliveries) published so far */
  published: number;
  records: { planned: number; published: number };
  /** what the replay holds in memory right now: deliveries read ahead, events waiting, open blobs */
  held: { deliveries: number; events: number; openBlobs: number };
  done: boolean;
}

/** diagnostic records collected before their appends are handed to the listeners */
const APPEND_BATCH = 2_000;

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
  private readonly plan: Plan;
  private publishedEvents = 0;
  private contentSeq = 0;
  private publishedRecords = 0;
  private readonly plannedRecords: number;
  private readonly listeners: ReplayListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  private resolveDone!: () => void;
  readonly done: Promise<void>;
  private readonly maxChunk: number;
  private started = false;
  /** the latest wall time stamped on a publication (contentCreated, Last-Modified) */
  private newestWall: EpochMs = Number.NEGATIVE_INFINITY;
  /** set when reading the publication failed (a dataset whose files disagree): the replay stopped */
  failure: Error | undefined;

  constructor(publication: Publication, opts: ReplayOptions) {
    this.publication = publication;
    this.maxChunk = opts.maxChunk ?? 2_000;
    const ctOf = (json: () => string, ct: ContentType | undefined): ContentType =>
      ct ?? contentTypeOfRecordType(firstNumberField(json(), 'RecordType'));
    this.plan = new Plan(publication.open(), {
      limits: opts.blobLimits ?? DEFAULT_BLOB_LIMITS,
      contentTypeOf: (d) => ctOf(() => d.text(), d.entry.contentType),
      blobEnd: (b) => publication.blobEnd(b),
      ...(opts.lateBlob ? { late: opts.lateBlob } : {}),
    });
    let planned = 0;
    for (const [source, n] of Object.entries(publication.deliveryCounts))
      if (source !== 'endpointPowerShell') planned += n ?? 0;
    this.plannedRecords = planned;
    const simEnd = publication.simEnd + Math.max(0, opts.lateBlobMaxMs ?? 0);
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
      if (this.nextEvent() === undefined) this.finish();
      return;
    }
    this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.plan.close();
  }

  status(): ReplayStatus {
    return {
      published: this.publishedEvents,
      records: { planned: this.plannedRecords, published: this.publishedRecords },
      held: this.plan.held(),
      done: this.clock.done,
    };
  }

  /** Lockstep (or any mode): publish everything available up to simulated `sim` (unshifted). */
  advanceTo(sim: EpochMs): number {
    const before = this.publishedRecords;
    this.clock.setCursor(sim);
    this.publishUntil(sim, Number.POSITIVE_INFINITY);
    if (this.nextEvent() === undefined) this.finish();
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
    return this.nextEvent()?.at;
  }

  /** the next event of the plan; a publication that cannot be read ends the replay (failure) */
  private nextEvent(): PlanEvent | undefined {
    if (this.failure) return undefined;
    try {
      return this.plan.peek();
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.plan.close();
      return undefined;
    }
  }

  private loop = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.stopped) return;
    if (this.clock.paced) {
      this.publishUntil(this.clock.simNow(), Number.POSITIVE_INFINITY);
      const next = this.nextEvent();
      if (next === undefined) {
        this.finish();
        return;
      }
      const wait = Math.max(1, Math.min(1000, Math.ceil(this.clock.wallAt(next.at) - wallNow())));
      this.timer = setTimeout(this.loop, wait);
    } else {
      const last = this.publishUntil(Number.POSITIVE_INFINITY, this.maxChunk);
      if (last !== undefined) this.clock.setCursor(last);
      if (this.nextEvent() === undefined) {
        this.finish();
        return;
      }
      // the servers answer between chunks (I/O runs before the next immediate)
      this.immediate = setImmediate(this.loop);
    }
  };

  /**
   * The replay is over: `clock.done` is set at once (lockstep refuses further acknowledgements),
   * but `done` resolves, and the listeners hear of it, only once everything published is listable
   * (see `listable`): whoever waits for `done` and then lists content up to its own now gets all of
   * it, even when the last blob was stamped in the very millisecond the replay ended.
   */
  private finish(): void {
    if (this.clock.done) return;
    this.clock.setCursor(this.clock.simEnd);
    this.clock.done = true;
    void this.listable().then(() => {
      for (const l of this.listeners) l.onDone?.();
      this.resolveDone();
    });
  }

  /** publish events available by `sim`, about `budget` records at most; returns the last one's time */
  private publishUntil(sim: EpochMs, budget: number): EpochMs | undefined {
    let spent = 0;
    let last: EpochMs | undefined;
    const pendingDiag = new Map<string, DiagnosticAppendEvent>();
    let pendingRecords = 0;
    try {
      while (spent < budget) {
        const ev = this.nextEvent();
        if (ev === undefined || ev.at > sim) break;
        this.plan.shift();
        this.publishedEvents++;
        last = ev.at;
        if (ev.kind === 'content') {
          spent += ev.entries.length;
          this.publishContent(ev);
        } else {
          spent++;
          this.collectDiagnostic(ev, pendingDiag);
          // appends leave in bounded batches, so a large tick never holds all its records at once
          if (++pendingRecords >= APPEND_BATCH) {
            this.flushDiagnostics(pendingDiag);
            pendingRecords = 0;
          }
        }
      }
    } catch (e) {
      this.fail(e);
    }
    // what was collected before a failure is published; a listener that cannot take it (a full
    // spill disk) ends the replay the same way, it never escapes into the servers' timers
    try {
      this.flushDiagnostics(pendingDiag);
    } catch (e) {
      this.fail(e);
    }
    return last;
  }

  /** the first failure ends the replay (`failure`); the plan's files are closed */
  private fail(e: unknown): void {
    this.failure ??= e instanceof Error ? e : new Error(String(e));
    this.plan.close();
  }

  private flushDiagnostics(pending: Map<string, DiagnosticAppendEvent>): void {
    for (const d of pending.values()) {
      this.publishedRecords += d.records.length;
      for (const l of this.listeners) l.onDiagnostic?.(d);
    }
    pending.clear();
  }

  private served(json: string): string {
    return rebaseJson(json, this.clock.shift);
  }

  private stampWall(): EpochMs {
    const t = wallNow();
    if (t > this.newestWall) this.newestWall = t;
    return t;
  }

  private publishContent(ev: Extract<PlanEvent, { kind: 'content' }>): void {
    const rng = rngStream(this.publication.seed, 'replay', 'blob-order', ev.key);
    const order = rng.shuffle(ev.entries);
    const records: PublishedRecord[] = order.map((d) => ({
      id: d.entry.id,
      source: 'ual',
      json: this.served(d.text()),
      duplicate: d.entry.duplicate === true,
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
    const e = ev.item.entry;
    const json = this.served(ev.item.text());
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
