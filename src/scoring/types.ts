/**
 * The scorecard: what scoring returns (DESIGN.md "Scoring"). Pure data, JSON-serialisable, with a
 * schema version. The figures (`metrics`) are computed from the outcomes beside them, so scorecards
 * of several seeds combine by concatenating outcomes and recomputing (see combine.ts).
 */
import type { EpochMs } from '../core/clock.js';
import type { SourceId } from '../core/sources.js';

/**
 * 2: attacker context (labels' `class`, `evidence.context`, `matchedBy: context`), `weak_incidents`,
 * and precision = tp / (tp + fp) — a baseline of schema 1 is refused, its precision meant another thing.
 */
export const SCORECARD_SCHEMA_VERSION = 2;

/**
 * How an alert matched a campaign, strongest first. `context` (the attacker's sign-ins and other
 * records that are not the technique) and `principal` alone are weak matches.
 */
export type MatchRule = 'evidence' | 'session' | 'principal_ip' | 'context' | 'principal';
export const MATCH_RULES: readonly MatchRule[] = ['evidence', 'session', 'principal_ip', 'context', 'principal'];
/** the rules that make a weak match */
export type WeakRule = Extract<MatchRule, 'context' | 'principal'>;

export type MissReason = 'unobservable' | 'never_collected' | 'not_detected';

export interface ScoringOptions {
  /** entity matches count only while arrival ∈ [firstAvailable, lastAvailable + tolerance] (ms) */
  toleranceMs: number;
  /** at most this many distinct evidence ids per alert are considered for matching */
  evidenceCap: number;
  /** latency may gate on self-reported arrival times (`--trust-alert-time`); marked in every report */
  trustAlertTime?: boolean;
}

/** 6 hours: a scheduled rule running every hour over a lagging lookback still lands inside it. */
export const DEFAULT_TOLERANCE_MS = 6 * 60 * 60 * 1000;
export const DEFAULT_EVIDENCE_CAP = 1000;
export const DEFAULT_SCORING_OPTIONS: ScoringOptions = {
  toleranceMs: DEFAULT_TOLERANCE_MS,
  evidenceCap: DEFAULT_EVIDENCE_CAP,
};

/** One scored (scenario, seed): what was scored and with what inputs. */
export interface RunInfo {
  scenario: string;
  scenarioHash: string;
  seed: number;
  /** the scored window (history excluded) */
  window: { start: EpochMs; end: EpochMs };
  /** length of the scored window in days (the denominator of every per-day figure) */
  days: number;
  sources: SourceId[];
  hypotheses: string[];
  /** the benign profiles active in the scenario (each may be sliced, with zero false positives) */
  profiles: string[];
  /**
   * who stamped alert arrivals: the bench, or self-reported `time` (offline scoring from a file);
   * `…-trusted` when the user let latency gate on self-reported times (`--trust-alert-time`)
   */
  arrival: 'bench' | 'self-reported' | 'mixed' | 'self-reported-trusted' | 'mixed-trusted' | 'none';
  /**
   * set when arrivals were stamped by the bench but latency is scaled by the replay speed (a
   * detector polling on its own wall-clock schedule above 1×): why. Latency is then reported and
   * never gates.
   */
  latencyScaled?: string;
  inputs: { labels: boolean; delivery: boolean; ledger: boolean };
  alerts: {
    /** alerts handed to scoring (after malformed ones were refused) */
    received: number;
    /** exact duplicates (same content) removed: duplicating an alert changes nothing */
    duplicates: number;
    /** refused as malformed (counted, never silently dropped) */
    malformed: number;
    /** arrived before the scored window started (during history): not scored */
    history: number;
  };
}

export interface CampaignOutcome {
  scenario: string;
  seed: number;
  id: string;
  technique: string;
  attack: string[];
  /** collected sources holding at least one of its records */
  sources: SourceId[];
  start: EpochMs;
  end: EpochMs;
  firstAvailable: EpochMs | null;
  lastAvailable: EpochMs | null;
  /** something this tenant collects shows it */
  observable: boolean;
  /** strictly detected (evidence, session or principal + IP) */
  detected: boolean;
  /** detected, or named by a weak match (attacker context, or the principal alone) */
  weaklyDetected: boolean;
  /** the strongest rule any matching alert used (`context` or `principal` when only weakly detected) */
  matchedBy: MatchRule | null;
  /** arrival of the first strictly matching alert */
  firstDetection: EpochMs | null;
  /** firstDetection − start */
  latency: number | null;
  /** firstDetection − firstAvailable */
  latencyFromAvailable: number | null;
  /** strictly matching alerts, and their rules */
  alerts: number;
  rules: string[];
  miss: MissReason | null;
}

export type AlertVerdict = 'tp' | 'weak' | 'fp' | 'history';

export interface EvidenceCount {
  /** distinct ids cited */
  cited: number;
  /** ids considered (the first `evidenceCap` distinct ones) */
  considered: number;
  /** evidence of a campaign's technique */
  malicious: number;
  /** attacker context: a campaign's own records that are not the technique (its sign-ins…) */
  context: number;
  benign: number;
  /** not in the labels (or no labels given) */
  unknown: number;
  truncated: boolean;
}

export interface AlertOutcome {
  scenario: string;
  seed: number;
  /** index in canonical order (arrival, then content): independent of input order */
  index: number;
  rule: string;
  principal: string | null;
  sessionId: string | null;
  /** who a false positive is about: principal, else session, else the benign actor behind the evidence */
  subject: string;
  arrivedAt: EpochMs;
  /** self-reported time, kept apart (epoch ms), never used for latency */
  selfReported: EpochMs | null;
  /** UTC day of arrival, YYYY-MM-DD */
  day: string;
  verdict: AlertVerdict;
  matchedBy: MatchRule | null;
  /** strictly matched campaign ids */
  campaigns: string[];
  /** campaigns named only weakly (attacker context, or the principal alone) */
  weakCampaigns: string[];
  evidence: EvidenceCount;
  /** false positives: the benign profile behind the evidence, else behind the principal */
  profile: string | null;
  attributedBy: 'evidence' | 'principal' | null;
  /** arrival − availability of the newest cited record */
  processingDelay: number | null;
  leak: boolean;
}

export type IncidentKind = 'tp' | 'weak' | 'fp';

/**
 * Alerts grouped: true positives by campaign, weak ones by campaign, false positives by (rule,
 * principal, day). Weak incidents are neither true nor false: precision is tp / (tp + fp).
 */
export interface Incident {
  scenario: string;
  seed: number;
  kind: IncidentKind;
  /** campaign id (tp, weak) or "rule|principal|day" (fp) */
  key: string;
  campaign: string | null;
  rules: string[];
  principal: string | null;
  day: string | null;
  profile: string | null;
  alerts: number;
  firstArrival: EpochMs;
}

export interface Leak {
  scenario: string;
  seed: number;
  alertIndex: number;
  rule: string;
  record: string;
  arrivedAt: EpochMs;
  /** null: the record was never available to a collector (not collected, never delivered) */
  availableAt: EpochMs | null;
}

/** A figure: a value (null = undefined, e.g. precision with no incidents), with its sample size for rates. */
export interface MetricValue {
  value: number | null;
  /** denominator (rates) or sample size (distributions) */
  n?: number;
  /** numerator (rates) */
  k?: number;
}

export interface Scorecard {
  schemaVersion: number;
  /** the dataset (truth) format version the scorecard was computed from */
  datasetFormatVersion: number;
  options: ScoringOptions;
  runs: RunInfo[];
  campaigns: CampaignOutcome[];
  alerts: AlertOutcome[];
  incidents: Incident[];
  leaks: Leak[];
  /** canonical threshold key (`recall`, `latency.p95{technique:azurehound}`, …) → figure */
  metrics: Record<string, MetricValue>;
  /** what could not be scored and why (no labels, no ledger, …) */
  notes: string[];
}
