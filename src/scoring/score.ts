/**
 * Scoring one (scenario, seed): truth + received alerts (+ labels, delivery schedule, collection
 * ledger when available) → a Scorecard. Pure and deterministic: the result does not depend on the
 * order of the alerts, and exact duplicates change nothing.
 *
 * Of labels, schedule and ledger the scorer only looks things up (ScoringLookups): scoreRun builds
 * the lookups from whole arrays; ScoringSubset (subset.ts) builds the same lookups from files
 * streamed line by line, keeping only what the alerts cite and the campaigns' records, which is
 * how `run` and `score` score datasets of any length.
 */

import { parseIsoTime } from '../core/alert-check.js';
import type { ReceivedAlert } from '../core/alerts.js';
import { DAY, type EpochMs } from '../core/clock.js';
import type { DeliveryEntry } from '../core/dataset.js';
import type { SourceId } from '../core/sources.js';
import type { RecordLabel, Truth } from '../core/truth.js';
import { buildIncidents } from './incidents.js';
import { indexTruth, matchAlert, norm, strongest } from './match.js';
import { computeMetrics } from './metrics.js';
import {
  type AlertOutcome,
  type CampaignOutcome,
  DEFAULT_SCORING_OPTIONS,
  type Leak,
  type MatchRule,
  type RunInfo,
  SCORECARD_SCHEMA_VERSION,
  type Scorecard,
  type ScoringOptions,
} from './types.js';

/** The alerts to score and how. */
export interface ScoredAlerts {
  truth: Truth;
  alerts: readonly ReceivedAlert[];
  /** alerts refused as malformed before scoring (counted in `malformed_alerts`) */
  malformed?: number;
  /** the arrivals' latency is scaled by the replay speed: why (latency then never gates) */
  latencyScaled?: string;
  options?: Partial<ScoringOptions>;
}

export interface ScoreInput extends ScoredAlerts {
  /** labels.jsonl: record id → actor/campaign. Without it, evidence cannot match. */
  labels?: Iterable<RecordLabel> | null;
  /** delivery.jsonl: availability times. Without it, leaks and processing delay cannot be measured. */
  delivery?: Iterable<DeliveryEntry> | null;
  /**
   * The collection ledger: ids of the records the collector actually fetched (from the mock).
   * Without it, "never collected" misses are 0 and counted as "collected, not detected".
   */
  collected?: ReadonlySet<string> | null;
}

/**
 * What the scorer looks up in the labels, the delivery schedule and the collection ledger; null
 * when that input was not given. Only cited record ids are looked up in `labels` and
 * `availability`, so lookups restricted to those score exactly as whole ones.
 */
export interface ScoringLookups {
  /** record id (normalised) → its label; the last line wins when an id has several */
  labels: ReadonlyMap<string, RecordLabel> | null;
  /** record id (normalised) → first availability */
  availability: ReadonlyMap<string, EpochMs> | null;
  /** campaign id → whether the collector fetched any of its records (campaigns with labels only) */
  campaignCollected: ReadonlyMap<string, boolean> | null;
}

/** The lookups of whole inputs. */
export function lookupsOf(input: Pick<ScoreInput, 'labels' | 'delivery' | 'collected'>): ScoringLookups {
  const labels = input.labels ? [...input.labels] : null;
  let labelMap: Map<string, RecordLabel> | null = null;
  if (labels) {
    labelMap = new Map();
    for (const l of labels) labelMap.set(norm(l.id), l);
  }
  let campaignCollected: Map<string, boolean> | null = null;
  if (input.collected) {
    campaignCollected = new Map();
    if (labels) {
      const collected = new Set([...input.collected].map(norm));
      for (const l of labels) {
        if (l.class !== 'evidence' || l.campaign === undefined) continue;
        if (collected.has(norm(l.id))) campaignCollected.set(l.campaign, true);
        else if (!campaignCollected.has(l.campaign)) campaignCollected.set(l.campaign, false);
      }
    }
  }
  return {
    labels: labelMap,
    availability: input.delivery ? availabilityOf(input.delivery) : null,
    campaignCollected,
  };
}

/** First availability per record id (duplicates deliver twice; the first delivery counts). */
export function availabilityOf(delivery: Iterable<DeliveryEntry>): Map<string, EpochMs> {
  const m = new Map<string, EpochMs>();
  for (const d of delivery) {
    const k = norm(d.id);
    const prev = m.get(k);
    if (prev === undefined || d.at < prev) m.set(k, d.at);
  }
  return m;
}

export function utcDay(ms: EpochMs): string {
  return new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);
}

/** Canonical content key of an alert: same content = duplicate. Sorted keys, so field order is irrelevant. */
export function alertContentKey(a: ReceivedAlert['alert']): string {
  return stableStringify(a);
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

export function scoreRun(input: ScoreInput): Scorecard {
  return scoreWithLookups(input, lookupsOf(input));
}

export function scoreWithLookups(input: ScoredAlerts, lookups: ScoringLookups): Scorecard {
  const opts: ScoringOptions = { ...DEFAULT_SCORING_OPTIONS, ...(input.options ?? {}) };
  const { truth } = input;
  const { availability, campaignCollected } = lookups;
  const idx = indexTruth(truth, lookups.labels, availability);
  const scenario = truth.scenario.name;
  const seed = truth.seed;
  const notes: string[] = [];

  // dedupe exact duplicates (keep the earliest arrival), canonical order: arrival, then content
  const byKey = new Map<string, ReceivedAlert>();
  for (const r of input.alerts) {
    const k = alertContentKey(r.alert);
    const prev = byKey.get(k);
    if (!prev || r.arrivedAt < prev.arrivedAt) byKey.set(k, r);
  }
  const duplicates = input.alerts.length - byKey.size;
  const ordered = [...byKey.entries()]
    .sort(([ka, a], [kb, b]) => a.arrivedAt - b.arrivedAt || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, r]) => r);

  const stamps = new Set(ordered.map((r) => r.stamp ?? 'bench'));
  const stamped: RunInfo['arrival'] =
    stamps.size === 0 ? 'none' : stamps.size > 1 ? 'mixed' : stamps.has('bench') ? 'bench' : 'self-reported';
  const arrival: RunInfo['arrival'] =
    opts.trustAlertTime && (stamped === 'self-reported' || stamped === 'mixed') ? `${stamped}-trusted` : stamped;

  const outcomes: AlertOutcome[] = [];
  const leaks: Leak[] = [];
  const campaignRule = new Map<string, MatchRule | null>();
  const campaignFirst = new Map<string, EpochMs>();
  const campaignAlerts = new Map<string, number>();
  const campaignRules = new Map<string, Set<string>>();
  const weakSeen = new Map<string, MatchRule>();
  let history = 0;

  ordered.forEach((r, index) => {
    const m = matchAlert(idx, r, opts);
    const a = r.alert;
    // leaks: any cited record the alert arrived before (or that never became available)
    let newest: EpochMs | null = null;
    let leak = false;
    if (availability) {
      for (const id of m.citedIds) {
        const at = availability.get(id);
        if (at === undefined) {
          if (idx.labels?.has(id)) {
            leak = true;
            if (leaks.length < 1000)
              leaks.push({
                scenario,
                seed,
                alertIndex: index,
                rule: a.rule,
                record: id,
                arrivedAt: r.arrivedAt,
                availableAt: null,
              });
          }
          continue;
        }
        if (r.arrivedAt < at) {
          leak = true;
          if (leaks.length < 1000)
            leaks.push({
              scenario,
              seed,
              alertIndex: index,
              rule: a.rule,
              record: id,
              arrivedAt: r.arrivedAt,
              availableAt: at,
            });
        }
        if (newest === null || at > newest) newest = at;
      }
    }
    let verdict: AlertOutcome['verdict'];
    if (m.campaigns.length) verdict = 'tp';
    else if (m.weakCampaigns.length) verdict = 'weak';
    else if (r.arrivedAt < truth.window.start) verdict = 'history';
    else verdict = 'fp';
    if (verdict === 'history') history++;

    let profile: string | null = null;
    let attributedBy: AlertOutcome['attributedBy'] = null;
    if (verdict === 'fp') {
      const top = [...m.evidenceProfiles.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
      if (top) {
        profile = top[0];
        attributedBy = 'evidence';
      } else if (a.principal !== undefined && idx.principalProfile.has(norm(a.principal))) {
        profile = idx.principalProfile.get(norm(a.principal)) as string;
        attributedBy = 'principal';
      }
    }
    for (const c of m.campaigns) {
      const prev = campaignFirst.get(c);
      if (prev === undefined || r.arrivedAt < prev) campaignFirst.set(c, r.arrivedAt);
      campaignAlerts.set(c, (campaignAlerts.get(c) ?? 0) + 1);
      const rules = campaignRules.get(c) ?? new Set<string>();
      rules.add(a.rule);
      campaignRules.set(c, rules);
    }
    // the strongest rule that matched each campaign over all its alerts
    for (const c of m.campaigns) campaignRule.set(c, strongest(campaignRule.get(c) ?? null, m.rules.get(c) ?? null));
    for (const c of m.weakCampaigns) {
      weakSeen.set(c, strongest(weakSeen.get(c) ?? null, m.weakRules.get(c) ?? null) as MatchRule);
    }
    const selfReported = a.time !== undefined ? parseIsoTime(a.time) : Number.NaN;
    outcomes.push({
      scenario,
      seed,
      index,
      rule: a.rule,
      principal: a.principal !== undefined ? norm(a.principal) : null,
      sessionId: a.sessionId !== undefined ? norm(a.sessionId) : null,
      subject:
        a.principal !== undefined
          ? norm(a.principal)
          : a.sessionId !== undefined
            ? `session:${norm(a.sessionId)}`
            : m.evidenceActor !== null
              ? `actor:${m.evidenceActor}`
              : '-',
      arrivedAt: r.arrivedAt,
      selfReported: Number.isNaN(selfReported) ? null : selfReported,
      day: utcDay(r.arrivedAt),
      verdict,
      matchedBy: m.matchedBy,
      campaigns: m.campaigns,
      weakCampaigns: m.weakCampaigns,
      evidence: m.evidence,
      profile,
      attributedBy,
      processingDelay: newest === null ? null : r.arrivedAt - newest,
      leak,
    });
  });

  // campaign outcomes
  const collectedBySource = new Set<SourceId>(truth.sources);
  const campaigns: CampaignOutcome[] = truth.campaigns.map((c) => {
    const sources = (Object.keys(c.recordsBySource) as SourceId[])
      .filter((s) => (c.recordsBySource[s] ?? 0) > 0 && collectedBySource.has(s))
      .sort();
    const observable = c.firstAvailable !== null;
    const first = campaignFirst.get(c.id) ?? null;
    const detected = first !== null;
    const weaklyDetected = detected || weakSeen.has(c.id);
    let miss: CampaignOutcome['miss'] = null;
    if (!detected) {
      if (!observable) miss = 'unobservable';
      else if (campaignCollected?.get(c.id) === false) miss = 'never_collected';
      else miss = 'not_detected';
    }
    return {
      scenario,
      seed,
      id: c.id,
      technique: c.technique,
      attack: c.attack.slice(),
      sources,
      start: c.start,
      end: c.end,
      firstAvailable: c.firstAvailable,
      lastAvailable: c.lastAvailable,
      observable,
      detected,
      weaklyDetected,
      matchedBy: detected ? (campaignRule.get(c.id) ?? null) : (weakSeen.get(c.id) ?? null),
      firstDetection: first,
      latency: first === null ? null : first - c.start,
      latencyFromAvailable: first === null || c.firstAvailable === null ? null : first - c.firstAvailable,
      alerts: campaignAlerts.get(c.id) ?? 0,
      rules: [...(campaignRules.get(c.id) ?? [])].sort(),
      miss,
    };
  });

  if (!lookups.labels)
    notes.push(
      'no labels given: evidence cannot match (entity rules only) and false positives are attributed by principal only',
    );
  if (!availability) notes.push('no delivery schedule given: leaks and processing delay are not measured');
  if (!campaignCollected)
    notes.push(
      'no collection ledger (alerts scored from a file): "never collected" is 0 and such misses count as "collected, not detected"',
    );
  if (input.latencyScaled)
    notes.push(`latency is scaled by the replay speed (${input.latencyScaled}): reported, but it never gates`);
  if (arrival === 'self-reported' || arrival === 'mixed')
    notes.push('alert arrivals are self-reported (`time` from the alerts file): latency is reported but never gates');
  if (arrival === 'self-reported-trusted' || arrival === 'mixed-trusted')
    notes.push(
      "latency gates on self-reported alert times (--trust-alert-time): the SIEM's own clock, not stamped by the bench",
    );

  const run: RunInfo = {
    scenario,
    scenarioHash: truth.scenario.hash,
    seed,
    window: { start: truth.window.start, end: truth.window.end },
    days: Math.max(0, truth.window.end - truth.window.start) / DAY,
    sources: truth.sources.slice(),
    hypotheses: truth.hypotheses.slice(),
    profiles: [...new Set(truth.benign.map((b) => b.profile))].sort(),
    arrival,
    ...(input.latencyScaled ? { latencyScaled: input.latencyScaled } : {}),
    inputs: { labels: lookups.labels !== null, delivery: availability !== null, ledger: campaignCollected !== null },
    alerts: { received: input.alerts.length, duplicates, malformed: input.malformed ?? 0, history },
  };
  const base = {
    schemaVersion: SCORECARD_SCHEMA_VERSION,
    datasetFormatVersion: truth.formatVersion,
    options: opts,
    runs: [run],
    campaigns,
    alerts: outcomes,
    incidents: buildIncidents(outcomes),
    leaks,
    notes,
  };
  return { ...base, metrics: computeMetrics(base) };
}
