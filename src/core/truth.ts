/**
 * Ground truth: what the bench knows and the detector must never see (DESIGN.md "Scoring").
 * Written to `truth.json` + `labels.jsonl` in the dataset's answer key, a folder outside the
 * dataset directory (docs/dataset.md "The answer key"); read only by scoring.
 *
 * Format 2 (this one): every label line says its class (evidence, context, benign) and a benign
 * line its profile; a campaign carries its context records apart from its evidence. Format 1
 * (no class, no context) is still read: see src/scoring/dataset-files.ts.
 */
import type { EpochMs } from './clock.js';
import type { RecordClass } from './records.js';
import type { SourceId } from './sources.js';

export const TRUTH_FORMAT_VERSION = 2;
/** truth formats this version reads (older ones are upgraded on reading) */
export const TRUTH_FORMATS_READ: readonly number[] = [1, 2];

export interface Campaign {
  id: string;
  technique: string;
  /** ATT&CK technique ids, e.g. ["T1087.004", "T1069.003"] */
  attack: string[];
  /** UPNs, user object ids and service-principal ids the attacker acted as */
  principals: string[];
  /** Entra session ids (`sid` / SessionId) the attacker used */
  sessions: string[];
  /** token ids (`uti` / SignInActivityId / UniqueTokenIdentifier) the attacker used */
  tokens: string[];
  ips: string[];
  /** app ids the attacker used (first-party ones never match on their own) */
  appIds: string[];
  /** first and last record of the campaign, evidence or context */
  start: EpochMs;
  end: EpochMs;
  /** number of evidence records per source */
  recordsBySource: Partial<Record<SourceId, number>>;
  /** first and last availability over the evidence records the tenant collects (null: nothing collected) */
  firstAvailable: EpochMs | null;
  lastAvailable: EpochMs | null;
  /** the attacker's records that are not the technique itself (sign-ins, a credential added) */
  context: CampaignContext;
  /** the technique options this campaign was generated with (ranges drawn) */
  options: Record<string, unknown>;
}

export interface CampaignContext {
  recordsBySource: Partial<Record<SourceId, number>>;
  /** first and last availability over the context records (null: none collected) */
  firstAvailable: EpochMs | null;
  lastAvailable: EpochMs | null;
}

export interface BenignActor {
  actor: string;
  profile: string;
  principals: string[];
}

export interface Truth {
  formatVersion: number;
  scenario: { name: string; hash: string };
  seed: number;
  window: { start: EpochMs; end: EpochMs; historyStart: EpochMs };
  sources: SourceId[];
  hypotheses: string[];
  campaigns: Campaign[];
  benign: BenignActor[];
}

/** One line of `labels.jsonl`: what a record is and which actor produced it (truth side only). */
export interface RecordLabel {
  id: string;
  source: SourceId;
  /** event time (epoch ms): with source and id, the dataset's total order (shards merge on it) */
  time: EpochMs;
  actor: string;
  /** evidence of a campaign's technique, attacker context, or benign */
  class: RecordClass;
  /** evidence and context: the campaign */
  campaign?: string;
  /** benign: the profile that produced it */
  profile?: string;
}
