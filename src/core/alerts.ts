/**
 * An alert, as a detector sends it (CONTRACTS.md §4). `rule` is required, and at least one of
 * `principal`, `sessionId` or `evidence`. The bench stamps `arrivedAt`; `time` is what the
 * detector says about itself and never feeds a latency gate.
 */
import type { EpochMs } from './clock.js';

export interface Alert {
  rule: string;
  principal?: string;
  sessionId?: string;
  ip?: string;
  /** record ids (UAL `Id`, Graph `requestId`, sign-in `id`, …) */
  evidence?: string[];
  /** self-reported time (ISO 8601) */
  time?: string;
  severity?: string;
  technique?: string;
  /** free-form detector data, kept and reported, never scored */
  details?: Record<string, unknown>;
}

/** An alert as the bench received it. */
export interface ReceivedAlert {
  alert: Alert;
  /** simulated time at which the bench received it */
  arrivedAt: EpochMs;
  /** the ordinal of the alert in arrival order (stable tie-break) */
  seq: number;
  /**
   * Who stamped `arrivedAt`: the bench (default), or nobody — an alert scored offline from a file
   * without a bench stamp, whose arrival is its self-reported `time`. Self-reported arrivals are
   * reported but never feed a latency gate.
   */
  stamp?: 'bench' | 'self-reported';
}

export const ALERT_FIELDS = [
  'rule',
  'principal',
  'sessionId',
  'ip',
  'evidence',
  'time',
  'severity',
  'technique',
  'details',
] as const;
