/**
 * Ground truth: what the bench knows and the detector must never see (DESIGN.md "Scoring").
 * Written to `truth.json` (+ `labels.jsonl`) in a dataset; read only by scoring.
 */
import type { EpochMs } from './clock.js';
import type { SourceId } from './sources.js';

export const TRUTH_FORMAT_VERSION = 1;

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
  start: EpochMs;
  end: EpochMs;
  /** number of malicious records per source */
  recordsBySource: Partial<Record<SourceId, number>>;
  /** first and last availability over the records the tenant collects (null: nothing collected) */
  firstAvailable: EpochMs | null;
  lastAvailable: EpochMs | null;
  /** the technique options this campaign was generated with (ranges drawn) */
  options: Record<string, unknown>;
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

/** One line of `labels.jsonl`: which actor produced a record (truth side only). */
export interface RecordLabel {
  id: string;
  source: SourceId;
  /** event time (epoch ms): with source and id, the dataset's total order (shards merge on it) */
  time: EpochMs;
  actor: string;
  campaign?: string;
}
