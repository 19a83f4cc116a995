/**
 * The in-process lockstep runner (DESIGN.md "Time", mode `lockstep`): records are delivered to a
 * Detector at their availability time in simulated time, the detector is ticked as simulated time
 * advances, and every alert it emits is stamped with the simulated time of its arrival. Nothing
 * depends on the wall clock, so two runs over the same inputs give identical alerts.
 *
 * The seam for `enumbench run`: feed it the dataset's delivery schedule joined with the records
 * (`joinDelivery`), in availability order, and a Detector from `detectors/registry.ts` or a
 * `module:` file; score the returned alerts with src/scoring.
 */

import { checkAlert } from '../../src/core/alert-check.js';
import type { Alert, ReceivedAlert } from '../../src/core/alerts.js';
import type { EpochMs } from '../../src/core/clock.js';
import { SimClock } from '../../src/core/clock.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { IpNetworkLookup } from '../../src/core/ip-networks.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import type { SourceId } from '../../src/core/sources.js';

/** One delivery: the schedule entry and the record it delivers. */
export interface ReplayItem {
  entry: DeliveryEntry;
  record: TelemetryRecord;
}

export interface LockstepOptions {
  detector: Detector;
  /** deliveries in availability order (non-decreasing `entry.at`) */
  items: Iterable<ReplayItem> | AsyncIterable<ReplayItem>;
  /** the sources this tenant collects (told to the detector) */
  sources: readonly SourceId[];
  /** the dataset's IP enrichment table, given to the detector as `ctx.networks` */
  networks?: IpNetworkLookup;
  /** simulated time at which the replay starts (e.g. the history start) */
  start: EpochMs;
  /** simulated time until which the detector is ticked after the last delivery (window end + drain) */
  end: EpochMs;
  /** the tick step; default one simulated minute */
  tickMs?: number;
  /**
   * wall-clock limit for one detector call that returns a promise (default 30 s): a detector that
   * hangs is stopped and reported, with what it emitted before
   */
  callTimeoutMs?: number;
  /** a detector emitting more alerts than this is flooding (default 100 000) */
  maxAlerts?: number;
  /** after each delivered batch: records delivered so far and the simulated now */
  onProgress?: (delivered: number, simNow: EpochMs) => void;
}

export interface MalformedEmit {
  /** position among everything the detector emitted */
  ordinal: number;
  at: EpochMs;
  problems: string[];
  /** where it came from, for detectors that are separate programs (e.g. "stdout line 12") */
  where?: string;
}

export interface LockstepResult {
  alerts: ReceivedAlert[];
  malformed: MalformedEmit[];
  delivered: number;
  batches: number;
  ticks: number;
  /** set when the detector threw: where, and what it managed to emit before */
  failure: DetectorFailure | null;
}

/** How a detector failed: where, when (simulated), and what happened. */
export interface DetectorFailure {
  /** in-process calls; `run` and `drain` for detectors that are separate programs */
  phase: 'start' | 'ingest' | 'tick' | 'stop' | 'run' | 'drain';
  at: EpochMs;
  /** crash: threw or exited badly; timeout: hung (or ignored SIGTERM); exit: stopped before the replay ended */
  kind: 'crash' | 'timeout' | 'flood' | 'exit' | 'spawn';
  message: string;
}

export const DEFAULT_TICK_MS = 60_000;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ALERTS = 100_000;

class DetectorStop extends Error {
  constructor(
    readonly kind: 'timeout' | 'flood',
    message: string,
  ) {
    super(message);
  }
}

/** Await a detector call, bounded in wall time (a synchronous call returns at once). */
async function bounded(phase: string, call: () => void | Promise<void>, timeoutMs: number): Promise<void> {
  const r = call();
  if (!(r instanceof Promise)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DetectorStop('timeout', `${phase} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([r, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runLockstep(opts: LockstepOptions): Promise<LockstepResult> {
  const tickMs = opts.tickMs ?? DEFAULT_TICK_MS;
  const timeoutMs = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const maxAlerts = opts.maxAlerts ?? DEFAULT_MAX_ALERTS;
  if (!(tickMs > 0)) throw new EnumbenchError('E_TICK', `tick must be positive, not ${tickMs}`);
  const clock = new SimClock(opts.start);
  const det = opts.detector;
  const result: LockstepResult = { alerts: [], malformed: [], delivered: 0, batches: 0, ticks: 0, failure: null };
  let ordinal = 0;
  let flooded: DetectorStop | null = null;
  const call = async (name: string, fn: () => void | Promise<void>) => {
    await bounded(name, fn, timeoutMs);
    if (flooded) throw flooded;
  };
  const ctx: DetectorContext = {
    now: () => clock.now(),
    emit: (alert: Alert) => {
      const n = ordinal++;
      if (n >= maxAlerts) {
        // thrown into the detector; kept, in case the detector swallows it
        flooded = new DetectorStop('flood', `emitted more than ${maxAlerts} alerts`);
        throw flooded;
      }
      const c = checkAlert(alert);
      if (c.ok) {
        result.alerts.push({ alert: c.alert, arrivedAt: clock.now(), seq: result.alerts.length, stamp: 'bench' });
      } else {
        result.malformed.push({ ordinal: n, at: clock.now(), problems: c.problems });
      }
    },
    sources: opts.sources,
    ...(opts.networks ? { networks: opts.networks } : {}),
  };

  let phase: NonNullable<LockstepResult['failure']>['phase'] = 'start';
  let nextTick = opts.start + tickMs;
  const hasTick = typeof det.tick === 'function';
  /** tick every boundary strictly before `t` (or up to and including it when `inclusive`) */
  const tickUntil = async (t: EpochMs, inclusive: boolean) => {
    if (!hasTick) {
      while (inclusive ? nextTick <= t : nextTick < t) nextTick += tickMs;
      return;
    }
    phase = 'tick';
    while (inclusive ? nextTick <= t : nextTick < t) {
      clock.advanceTo(nextTick);
      const at = nextTick;
      await call('tick', () => det.tick?.(at, ctx));
      result.ticks++;
      nextTick += tickMs;
    }
  };

  let batch: DeliveredRecord[] = [];
  let batchAt: EpochMs | null = null;
  const flush = async () => {
    if (batchAt === null) return;
    await tickUntil(batchAt, false);
    clock.advanceTo(batchAt);
    phase = 'ingest';
    const b = batch;
    batch = [];
    batchAt = null;
    result.batches++;
    await call('ingest', () => det.ingest(b, ctx));
    // a tick that falls exactly on this instant comes after the delivery
    await tickUntil(clock.now(), true);
    opts.onProgress?.(result.delivered, clock.now());
  };

  const items: Iterator<ReplayItem> | AsyncIterator<ReplayItem> =
    Symbol.asyncIterator in opts.items ? opts.items[Symbol.asyncIterator]() : opts.items[Symbol.iterator]();
  /** set while the items are read: their errors (a broken dataset) are the bench's, not the detector's */
  let reading = false;
  try {
    await call('start', () => det.start(ctx));
    let last = Number.NEGATIVE_INFINITY;
    for (;;) {
      reading = true;
      const next = await items.next();
      reading = false;
      if (next.done) break;
      const item = next.value;
      const at = item.entry.at;
      if (at < last) {
        throw new EnumbenchError(
          'E_DELIVERY_ORDER',
          `delivery of ${item.entry.id} at ${new Date(at).toISOString()} comes after one at ${new Date(last).toISOString()}: deliveries must be in availability order`,
        );
      }
      last = at;
      // a record available before the replay starts is delivered at the start
      const when = Math.max(at, opts.start);
      if (batchAt !== null && when !== batchAt) await flush();
      batchAt = when;
      batch.push({ source: item.entry.source, record: item.record });
      result.delivered++;
    }
    await flush();
    await tickUntil(opts.end, true);
    clock.advanceTo(opts.end);
    phase = 'stop';
    await call('stop', () => det.stop(ctx));
  } catch (e) {
    if (reading || (e instanceof EnumbenchError && e.code === 'E_DELIVERY_ORDER')) throw e;
    // a detector refusing its configuration before any record (a rule for a source not collected) is invalid input
    if (phase === 'start' && e instanceof EnumbenchError && e.kind === 'user') throw e;
    // a detector given up on hands over what it emitted and the bench has not taken yet (stdio:
    // alerts held until an acknowledgement that never came), stamped now
    if (e instanceof DetectorStop && e.kind === 'timeout') (det as { abandon?: () => void }).abandon?.();
    // a flood is the failure even when the detector's call failed some other way after it (the
    // error a threaded detector's emit throws crosses the thread as a plain Error)
    const cause: unknown = flooded ?? e;
    result.failure = {
      phase,
      at: clock.now(),
      kind: cause instanceof DetectorStop ? cause.kind : 'crash',
      message: cause instanceof Error ? cause.message : String(cause),
    };
  } finally {
    // a detector that failed leaves the rest unread: release what the items hold (files)
    if (!reading) await items.return?.();
  }
  return result;
}

/**
 * Join a delivery schedule with the records it delivers, in schedule order. `lookup` finds a record
 * by id and source (e.g. a Map built from the dataset files, or the generator's stream). A delivery
 * whose record cannot be found is an internal error: the dataset is inconsistent.
 */
export function* joinDelivery(
  entries: Iterable<DeliveryEntry>,
  lookup: (id: string, source: SourceId) => TelemetryRecord | undefined,
): Generator<ReplayItem> {
  for (const entry of entries) {
    const record = lookup(entry.id, entry.source);
    if (record === undefined) {
      throw new EnumbenchError(
        'E_REPLAY_INVARIANT',
        `delivery.jsonl schedules record ${entry.id} (${entry.source}) that is not in the dataset`,
      );
    }
    yield { entry, record };
  }
}

/** Sort a delivery schedule into availability order (stable: time, then source, then id). */
export function availabilityOrder(entries: readonly DeliveryEntry[]): DeliveryEntry[] {
  return entries
    .map((e, i) => [e, i] as const)
    .sort(
      ([a, i], [b, j]) =>
        a.at - b.at ||
        (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
        i - j,
    )
    .map(([e]) => e);
}
