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
  /** set for attack campaigns, on evidence and context records alike */
  campaign?: string | undefined;
  /** the attacker produced it (evidence or context); false for benign profiles */
  malicious: boolean;
  /**
   * attacker context: the campaign's own record that is not the technique itself (its sign-ins) —
   * see RecordClass. Unset: evidence (with a campaign) or benign.
   */
  context?: true | undefined;
}

/**
 * What a record is to the scorer (docs/scoring.md "Labels"): evidence of a campaign's technique,
 * attacker context (the attacker's own sign-ins and other records that are not the technique), or
 * benign activity of a profile.
 */
export type RecordClass = 'evidence' | 'context' | 'benign';
export const RECORD_CLASSES: readonly RecordClass[] = ['evidence', 'context', 'benign'];

/** The class of a labelled record. */
export function recordClassOf(label: Label): RecordClass {
  if (!label.campaign) return 'benign';
  return label.context ? 'context' : 'evidence';
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
