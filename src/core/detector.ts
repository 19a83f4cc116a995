/**
 * The Detector interface for in-process detectors (`module:` and `builtin:` specs). Small required
 * core, optional capabilities discovered at run time (STYLE.md 5).
 */
import type { Alert } from './alerts.js';
import type { EpochMs } from './clock.js';
import type { IpNetworkLookup } from './ip-networks.js';
import type { TelemetryRecord } from './records.js';
import type { SourceId } from './sources.js';

/** A record as delivered to a detector: the source and the record, nothing else. */
export interface DeliveredRecord {
  source: SourceId;
  record: TelemetryRecord;
}

export interface DetectorContext {
  /** the simulated time now */
  now(): EpochMs;
  /** emit an alert (the bench stamps its arrival) */
  emit(alert: Alert): void;
  /** the sources this tenant collects */
  sources: readonly SourceId[];
  /**
   * the IP enrichment table published with the dataset (`ip-networks.csv`): address → ASN, AS
   * organisation, country, network kind, hosting/VPN/Tor flags (docs/detectors.md "Enrichment").
   * Given by `enumbench run`; optional so a hand-made context (a test) may leave it out.
   */
  networks?: IpNetworkLookup;
}

export interface Detector {
  readonly name: string;
  start(ctx: DetectorContext): void | Promise<void>;
  /** records that became available since the last call, in availability order */
  ingest(batch: readonly DeliveredRecord[], ctx: DetectorContext): void | Promise<void>;
  /** optional: simulated time advanced to `now` (lockstep ticks) */
  tick?(now: EpochMs, ctx: DetectorContext): void | Promise<void>;
  /** flush and finish */
  stop(ctx: DetectorContext): void | Promise<void>;
}

/** What a `module:` file exports: a factory (default export or `createDetector`). */
export type DetectorFactory = (options: Record<string, unknown>) => Detector | Promise<Detector>;
