/**
 * Matching one alert against the campaigns of a truth, strongest rule first (DESIGN.md "Scoring"):
 *
 * 1. evidence   — the alert cites record ids: it matches every campaign owning at least one cited
 *                 evidence record, provided most (more than half) of the considered cited records
 *                 are the attacker's (evidence or context). Only the first `evidenceCap` distinct ids
 *                 are considered.
 * 2. session    — the alert's `sessionId` is one of the campaign's session ids or token ids.
 * 3. principal_ip — the alert's `principal` is one of the campaign's principals and its `ip` one of
 *                 the campaign's IPs.
 * 4. principal  — the principal alone: a *weak* match, reported, kept out of strict recall.
 *
 * Entity rules (2–4) count only while the alert's arrival lies in
 * [firstAvailable, lastAvailable + tolerance] of the campaign's evidence. A Microsoft first-party
 * app id never matches as a principal. An alert whose (labelled) evidence is all benign is about
 * benign activity: entity rules do not rescue it (the compromised account's owner keeps working).
 *
 * Attacker context (the campaign's own sign-ins and other records that are not the technique) makes
 * a *weak* match, never a strict one and never a false positive: an alert whose attacker records are
 * all context, or whose entities name the campaign only while its context was available.
 */
import type { ReceivedAlert } from '../core/alerts.js';
import type { EpochMs } from '../core/clock.js';
import { isFirstPartyAppId } from '../core/first-party-apps.js';
import type { Campaign, RecordLabel, Truth } from '../core/truth.js';
import type { EvidenceCount, MatchRule, ScoringOptions, WeakRule } from './types.js';

/** Identifiers compare without case or surrounding blanks (UPNs, GUIDs, IPv6 are case-insensitive). */
export function norm(s: string): string {
  return s.trim().toLowerCase();
}

export interface TruthIndex {
  truth: Truth;
  campaigns: ReadonlyMap<string, Campaign>;
  /** session id or token id → campaign ids */
  sessions: ReadonlyMap<string, readonly string[]>;
  /** principal (UPN, object id, non-first-party app id) → campaign ids */
  principals: ReadonlyMap<string, readonly string[]>;
  /** campaign id → its IPs */
  ips: ReadonlyMap<string, ReadonlySet<string>>;
  /** record id → label (only when labels were given) */
  labels: ReadonlyMap<string, RecordLabel> | null;
  /** benign actor → profile */
  actorProfile: ReadonlyMap<string, string>;
  /** principal → benign profile (first benign actor listing it) */
  principalProfile: ReadonlyMap<string, string>;
  /** record id → first availability (only when a delivery schedule was given) */
  availability: ReadonlyMap<string, EpochMs> | null;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const k = norm(key);
  if (k === '') return;
  const list = map.get(k);
  if (!list) map.set(k, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** `labels`: the labels, or a map of them by normalised record id (ScoringLookups.labels) */
export function indexTruth(
  truth: Truth,
  labels: Iterable<RecordLabel> | ReadonlyMap<string, RecordLabel> | null,
  availability: ReadonlyMap<string, EpochMs> | null,
): TruthIndex {
  const campaigns = new Map<string, Campaign>();
  const sessions = new Map<string, string[]>();
  const principals = new Map<string, string[]>();
  const ips = new Map<string, Set<string>>();
  for (const c of truth.campaigns) {
    campaigns.set(c.id, c);
    for (const s of c.sessions) push(sessions, s, c.id);
    for (const t of c.tokens) push(sessions, t, c.id);
    for (const p of c.principals) if (!isFirstPartyAppId(p)) push(principals, p, c.id);
    for (const a of c.appIds) if (!isFirstPartyAppId(a)) push(principals, a, c.id);
    ips.set(c.id, new Set(c.ips.map(norm)));
  }
  let labelMap: ReadonlyMap<string, RecordLabel> | null = null;
  if (labels instanceof Map) labelMap = labels;
  else if (labels) {
    const m = new Map<string, RecordLabel>();
    for (const l of labels as Iterable<RecordLabel>) m.set(norm(l.id), l);
    labelMap = m;
  }
  const actorProfile = new Map<string, string>();
  const principalProfile = new Map<string, string>();
  for (const b of truth.benign) {
    if (!actorProfile.has(b.actor)) actorProfile.set(b.actor, b.profile);
    for (const p of b.principals) {
      const k = norm(p);
      if (!principalProfile.has(k)) principalProfile.set(k, b.profile);
    }
  }
  return {
    truth,
    campaigns,
    sessions,
    principals,
    ips,
    labels: labelMap,
    actorProfile,
    principalProfile,
    availability,
  };
}

export interface AlertMatch {
  matchedBy: MatchRule | null;
  /** strictly matched campaign ids, sorted */
  campaigns: string[];
  /** the rule that matched each strictly matched campaign */
  rules: ReadonlyMap<string, MatchRule>;
  /** weakly matched campaign ids (context, principal alone) not strictly matched, sorted */
  weakCampaigns: string[];
  /** the rule of each weak match (`context` wins over `principal`) */
  weakRules: ReadonlyMap<string, WeakRule>;
  evidence: EvidenceCount;
  /** considered evidence ids (normalised) */
  consideredIds: string[];
  /** every distinct cited id (normalised) */
  citedIds: string[];
  /** benign profiles behind the considered evidence, with counts */
  evidenceProfiles: Map<string, number>;
  /** the benign actor behind most of the considered evidence (groups evidence-only false positives) */
  evidenceActor: string | null;
}

const RANK: Record<MatchRule, number> = { evidence: 0, session: 1, principal_ip: 2, context: 3, principal: 4 };

export function strongest(a: MatchRule | null, b: MatchRule | null): MatchRule | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] <= RANK[b] ? a : b;
}

/** The alert arrived while the campaign's evidence was available (plus the tolerance). */
export function inWindow(c: Campaign, at: EpochMs, toleranceMs: number): boolean {
  return within(c.firstAvailable, c.lastAvailable, at, toleranceMs);
}

/** The alert arrived while the campaign's context (its sign-ins…) was available (plus the tolerance). */
export function inContextWindow(c: Campaign, at: EpochMs, toleranceMs: number): boolean {
  return within(c.context.firstAvailable, c.context.lastAvailable, at, toleranceMs);
}

function within(first: EpochMs | null, last: EpochMs | null, at: EpochMs, toleranceMs: number): boolean {
  if (first === null || last === null) return false;
  return at >= first && at <= last + toleranceMs;
}

export function matchAlert(idx: TruthIndex, received: ReceivedAlert, opts: ScoringOptions): AlertMatch {
  const a = received.alert;
  const citedIds: string[] = [];
  const seen = new Set<string>();
  for (const id of a.evidence ?? []) {
    const k = norm(id);
    if (k !== '' && !seen.has(k)) {
      seen.add(k);
      citedIds.push(k);
    }
  }
  const consideredIds = citedIds.slice(0, Math.max(0, opts.evidenceCap));
  const evidence: EvidenceCount = {
    cited: citedIds.length,
    considered: consideredIds.length,
    malicious: 0,
    context: 0,
    benign: 0,
    unknown: 0,
    truncated: citedIds.length > consideredIds.length,
  };
  const evidenceCampaigns = new Set<string>();
  const contextCampaigns = new Set<string>();
  const evidenceProfiles = new Map<string, number>();
  const evidenceActors = new Map<string, number>();
  for (const id of consideredIds) {
    const label = idx.labels?.get(id);
    if (!label) evidence.unknown++;
    else if (label.class === 'evidence' && label.campaign !== undefined && idx.campaigns.has(label.campaign)) {
      evidence.malicious++;
      evidenceCampaigns.add(label.campaign);
    } else if (label.class === 'context' && label.campaign !== undefined && idx.campaigns.has(label.campaign)) {
      evidence.context++;
      contextCampaigns.add(label.campaign);
    } else {
      evidence.benign++;
      evidenceActors.set(label.actor, (evidenceActors.get(label.actor) ?? 0) + 1);
      const profile = idx.actorProfile.get(label.actor);
      if (profile !== undefined) evidenceProfiles.set(profile, (evidenceProfiles.get(profile) ?? 0) + 1);
    }
  }
  const strict = new Map<string, MatchRule>();
  const weak = new Map<string, WeakRule>();
  const addWeak = (c: string, rule: WeakRule) => {
    if (weak.get(c) !== 'context') weak.set(c, rule);
  };
  let matchedBy: MatchRule | null = null;

  // 1. evidence: most cited records are the attacker's; strict for the campaigns whose technique
  // they show, weak for those they show only the context of
  const attacker = evidence.malicious + evidence.context;
  const aboutAttacker = evidence.considered > 0 && attacker * 2 > evidence.considered;
  if (aboutAttacker) {
    for (const c of evidenceCampaigns) strict.set(c, 'evidence');
    if (evidenceCampaigns.size) matchedBy = 'evidence';
    for (const c of contextCampaigns) if (!strict.has(c)) addWeak(c, 'context');
  }

  // 2–4. entities, unless the evidence says the alert is about benign activity; when the attacker
  // records it cites are all context, entities can only name the campaign weakly
  const benignOnly = evidence.benign > 0 && attacker === 0;
  const contextOnly = evidence.context > 0 && evidence.malicious === 0;
  if (!benignOnly) {
    const at = received.arrivedAt;
    const take = (ids: readonly string[] | undefined, rule: MatchRule, extra?: (c: Campaign) => boolean) => {
      for (const id of ids ?? []) {
        if (strict.has(id)) continue;
        const c = idx.campaigns.get(id);
        if (!c) continue;
        const onEvidence = inWindow(c, at, opts.toleranceMs);
        if (!onEvidence && !inContextWindow(c, at, opts.toleranceMs)) continue;
        if (extra && !extra(c)) continue;
        if (rule === 'principal') addWeak(id, 'principal');
        else if (!onEvidence || contextOnly) addWeak(id, 'context');
        else {
          strict.set(id, rule);
          matchedBy = strongest(matchedBy, rule);
        }
      }
    };
    if (a.sessionId !== undefined) take(idx.sessions.get(norm(a.sessionId)), 'session');
    const principal = a.principal !== undefined ? norm(a.principal) : '';
    if (principal !== '' && !isFirstPartyAppId(principal)) {
      const owners = idx.principals.get(principal);
      if (a.ip !== undefined) {
        const ip = norm(a.ip);
        take(owners, 'principal_ip', (c) => idx.ips.get(c.id)?.has(ip) === true);
      }
      take(owners, 'principal');
    }
  }
  const campaigns = [...strict.keys()].sort();
  const weakCampaigns = [...weak.keys()].filter((c) => !strict.has(c)).sort();
  if (campaigns.length === 0 && weakCampaigns.length > 0)
    matchedBy = weakCampaigns.some((c) => weak.get(c) === 'context') ? 'context' : 'principal';
  const evidenceActor =
    [...evidenceActors.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] ?? null;
  return {
    matchedBy,
    campaigns,
    rules: strict,
    weakCampaigns,
    weakRules: weak,
    evidence,
    consideredIds,
    citedIds,
    evidenceProfiles,
    evidenceActor,
  };
}
