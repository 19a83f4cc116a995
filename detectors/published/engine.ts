/**
 * The machinery shared by the published-rule ports: a scheduled rule over the records a SIEM has
 * *ingested*, and small helpers for alerts and evidence.
 *
 * Time. A record is delivered to `ingest` when it becomes available; the simulated time of that call
 * (`ctx.now()`) stands for the record's ingestion time (KQL `ingestion_time()`, Elastic
 * `event.ingested`). A scheduled rule runs at every multiple of its interval since the Unix epoch
 * (runs at :00 and :30 for a 30-minute rule). A run at instant T sees the records ingested strictly
 * before T; a record ingested exactly at T is seen by the next run. That makes the result the same
 * whether the bench calls `tick(T)` before or after `ingest` at T. Runs that fell due between two
 * calls are executed in order, each with the records ingested before its own instant, so a coarse
 * tick gives the same alerts as a fine one. `stop` executes the runs due by then, and then the next
 * scheduled run if anything was ingested since the last one (what the SIEM would do next).
 *
 * Duplicates. A record id (Graph `requestId`, sign-in `id`) seen again while the first copy is still
 * held is dropped: the ports evaluate each record once, as a collector that deduplicates would.
 */

import type { Alert } from '../../src/core/alerts.js';
import type { OptionSpecs } from '../../src/core/catalog.js';
import type { EpochMs } from '../../src/core/clock.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import type { SourceId } from '../../src/core/sources.js';

export interface Held<R> {
  row: R;
  id: string | undefined;
  /** simulated time at which the record was delivered (its ingestion time) */
  ingestedAt: EpochMs;
}

export interface ScheduledRuleSpec<R> {
  name: string;
  /** how often the rule runs (its schedule) */
  intervalMs: number;
  /** how long after ingestion a record is kept for later runs */
  retainMs: number;
  sources: readonly SourceId[];
  /** turn a delivered record into a row; undefined drops it */
  parse(d: DeliveredRecord): R | undefined;
  id(row: R): string | undefined;
  /** one run at `runAt` over the held records (all ingested before `runAt`) */
  run(runAt: EpochMs, held: readonly Held<R>[], emit: (alert: Alert) => void): void;
}

export function scheduledRule<R>(spec: ScheduledRuleSpec<R>): Detector {
  let held: Held<R>[] = [];
  const ids = new Set<string>();
  let nextRun: EpochMs | undefined;
  let lastIngest: EpochMs | undefined;
  const wanted = new Set<SourceId>(spec.sources);

  const prune = (runAt: EpochMs): void => {
    const cutoff = runAt - spec.retainMs;
    let i = 0;
    while (i < held.length && held[i]!.ingestedAt <= cutoff) {
      const id = held[i]!.id;
      if (id !== undefined) ids.delete(id);
      i++;
    }
    if (i > 0) held = held.slice(i);
  };

  const runDue = (upTo: EpochMs, ctx: DetectorContext): void => {
    if (nextRun === undefined) nextRun = firstRunAfter(upTo, spec.intervalMs);
    while (nextRun <= upTo) {
      prune(nextRun);
      spec.run(nextRun, held, (a) => ctx.emit(a));
      nextRun += spec.intervalMs;
    }
  };

  return {
    name: spec.name,
    start(ctx) {
      nextRun = firstRunAfter(ctx.now(), spec.intervalMs);
    },
    ingest(batch, ctx) {
      const now = ctx.now();
      runDue(now, ctx);
      for (const d of batch) {
        if (!wanted.has(d.source)) continue;
        const row = spec.parse(d);
        if (row === undefined) continue;
        const id = spec.id(row);
        if (id !== undefined) {
          if (ids.has(id)) continue;
          ids.add(id);
        }
        held.push({ row, id, ingestedAt: now });
        lastIngest = now;
      }
    },
    tick(now, ctx) {
      runDue(now, ctx);
    },
    stop(ctx) {
      runDue(ctx.now(), ctx);
      if (nextRun !== undefined && lastIngest !== undefined && lastIngest >= nextRun - spec.intervalMs) {
        prune(nextRun);
        spec.run(nextRun, held, (a) => ctx.emit(a));
        nextRun += spec.intervalMs;
      }
    },
  };
}

/** The first multiple of `interval` strictly after `t`. */
export function firstRunAfter(t: EpochMs, interval: number): EpochMs {
  return (Math.floor(t / interval) + 1) * interval;
}

export function iso(t: EpochMs): string {
  return new Date(t).toISOString();
}

/** Distinct ids, earliest first (by event time, then id), at most `max`: independent of delivery order. */
export function evidenceOf(items: readonly { id: string | undefined; time: EpochMs }[], max: number): string[] {
  const seen = new Map<string, EpochMs>();
  for (const it of items) {
    if (it.id === undefined || it.id === '') continue;
    const prev = seen.get(it.id);
    if (prev === undefined || it.time < prev) seen.set(it.id, it.time);
  }
  return [...seen.entries()]
    .sort((a, b) => a[1] - b[1] || compare(a[0], b[0]))
    .slice(0, max)
    .map(([id]) => id);
}

/** Byte-wise string order (locale-independent). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedDistinct(values: Iterable<string | undefined>): string[] {
  const set = new Set<string>();
  for (const v of values) if (v !== undefined && v !== '') set.add(v);
  return [...set].sort(compare);
}

/** Options every port accepts. */
export interface CommonOptions {
  /** the most record ids an alert cites (default 200) */
  maxEvidence: number;
}

export const DEFAULT_MAX_EVIDENCE = 200;

/** The option every published detector takes (`enumbench list detectors` shows it). */
export const COMMON_OPTIONS = {
  maxEvidence: {
    type: 'integer',
    default: DEFAULT_MAX_EVIDENCE,
    min: 1,
    description: 'the most record ids an alert cites',
  },
} as const satisfies OptionSpecs;

export function commonOptions(options: Record<string, unknown>): CommonOptions {
  const m = options.maxEvidence;
  if (m === undefined) return { maxEvidence: DEFAULT_MAX_EVIDENCE };
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
    throw new TypeError(`option maxEvidence must be a positive integer, got ${JSON.stringify(m)}`);
  }
  return { maxEvidence: m };
}

/** Drop undefined optional fields so alerts compare and serialise cleanly. */
export function alert(a: Alert): Alert {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined && v !== '') out[k] = v;
  return out as unknown as Alert;
}
