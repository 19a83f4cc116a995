/**
 * Records and their labels. A generator yields `LabelledRecord`s; `split` (generators/compose)
 * is the one place where labels leave the records: what reaches a detector is `record` alone.
 */
import type { EpochMs } from './clock.js';
import type { SourceId } from './sources.js';

/** A telemetry record exactly as the source emits it (a plain JSON object). */
export type TelemetryRecord = Record<string, unknown>;

export type ActorKind = 'profile' | 'technique';

/** Who produced a record and why. Never serialised next to the record it labels. */
export interface Label {
  /** the actor instance, unique in a scenario: e.g. "workforce", "helpdesk#0", "attack:hound" */
  actor: string;
  kind: ActorKind;
  /** the profile or technique id */
  module: string;
  /** set for attack campaigns */
  campaign?: string | undefined;
  malicious: boolean;
}

export interface LabelledRecord {
  source: SourceId;
  /** event time (the record's own timestamp) */
  time: EpochMs;
  /** the record's identifier (UAL `Id`, Graph `requestId`, sign-in `id`, …) */
  id: string;
  record: TelemetryRecord;
  /**
   * The record already serialised (one JSON line, no newline), when its builder wrote it directly
   * for speed; always equal to JSON.stringify(record). Writers use it when present.
   */
  line?: string;
  /** the delivery channel (UAL content type, diagnostic category, computer), when known without reading the record */
  channel?: string;
  label: Label;
}
