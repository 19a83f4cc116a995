/**
 * builtin:elastic-bloodhound-ua — "Entra ID Sign-in BloodHound Suite User-Agent Detected",
 * elastic/detection-rules rules/integrations/azure/discovery_bloodhound_user_agents_detected.toml,
 * rule_id c28750fa-4092-11f0-aca6-f661ea17fbcd (EQL; severity medium, risk 47). Elastic License v2:
 * logic ported, no rule text copied.
 *
 * Logic: any event of the Azure activity, Graph activity, Entra audit, Entra sign-in or O365 audit
 * datasets whose user_agent.original matches `(azure|sharp|blood)(hound)/.*` with EQL `regex~`:
 * case-insensitive and anchored to the whole value, so the user agent must *start* with the tool
 * name (`azurehound/v2.9.2` matches, `Mozilla/5.0 azurehound/2` does not).
 *
 * enumbench sources read: graphActivity (`userAgent`), signIns (`userAgent`) and ual (the o365.audit
 * dataset: `ExtendedProperties` UserAgent). Azure AD Graph activity is not in the rule's dataset list.
 * Schedule: every 5 min over the rows ingested in the last 9 min; one alert per event (an event
 * already alerted on by an earlier, overlapping run is not alerted again, as Elastic deduplicates by
 * source document). Elastic's default `max_signals` applies: at most 100 alerts per run, earliest
 * events first; events beyond it alert in a later run only if that run's 9-minute lookback still
 * holds them. An AzureHound run of 17,000 requests therefore raises a few hundred alerts, not 17,000.
 */
import type { Alert } from '../../src/core/alerts.js';
import { type EpochMs, MINUTE } from '../../src/core/clock.js';
import type { DetectorFactory } from '../../src/core/detector.js';
import type { SourceId } from '../../src/core/sources.js';
import { alert, COMMON_OPTIONS, commonOptions, compare, iso, scheduledRule } from './engine.js';
import { isEmpty, readGraph, readSignIn, readUal } from './fields.js';

export const ID = 'elastic-bloodhound-ua';

/** Elastic's default `max_signals`: at most 100 alerts per rule execution, earliest events first. */
export const MAX_SIGNALS = 100;

/** EQL `regex~` is case-insensitive and matches the whole string. */
export const BLOODHOUND_UA = /^(azure|sharp|blood)(hound)\/[\s\S]*$/i;

interface Row {
  source: SourceId;
  id: string | undefined;
  time: EpochMs;
  principal: string | undefined;
  ip: string | undefined;
  sessionId: string | undefined;
  userAgent: string;
}

function parse(source: SourceId, record: Record<string, unknown>): Row | undefined {
  if (source === 'graphActivity') {
    const g = readGraph(record);
    if (!g || g.userAgent === undefined) return undefined;
    return {
      source,
      id: g.requestId,
      time: g.time,
      principal: isEmpty(g.userId) ? g.servicePrincipalId : g.userId,
      ip: g.ipAddress,
      sessionId: g.sessionId,
      userAgent: g.userAgent,
    };
  }
  if (source === 'signIns') {
    const s = readSignIn(record);
    if (!s || s.userAgent === undefined) return undefined;
    return {
      source,
      id: s.id,
      time: s.time,
      principal: s.userId ?? s.servicePrincipalId,
      ip: s.ipAddress,
      sessionId: s.sessionId,
      userAgent: s.userAgent,
    };
  }
  const u = readUal(record);
  if (u.userAgent === undefined || u.time === undefined) return undefined;
  return {
    source,
    id: u.id,
    time: u.time,
    principal: u.userId,
    ip: u.clientIp,
    sessionId: undefined,
    userAgent: u.userAgent,
  };
}

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  const alerted = new Map<string, EpochMs>();
  const interval = 5 * MINUTE;
  const lookback = 9 * MINUTE;
  return scheduledRule<Row>({
    name: ID,
    intervalMs: interval,
    retainMs: lookback,
    sources: ['graphActivity', 'signIns', 'ual'],
    parse(d) {
      const r = parse(d.source, d.record);
      return r && BLOODHOUND_UA.test(r.userAgent) ? r : undefined;
    },
    id: (r) => (r.id === undefined ? undefined : `${r.source}:${r.id}`),
    run(runAt, held, emit: (a: Alert) => void) {
      for (const [k, t] of alerted) if (t <= runAt - 2 * lookback) alerted.delete(k);
      const fresh = held
        .filter((h) => h.ingestedAt > runAt - lookback)
        .map((h) => h.row)
        .sort((a, b) => a.time - b.time || compare(a.id ?? '', b.id ?? ''));
      let signals = 0;
      for (const r of fresh) {
        if (signals >= MAX_SIGNALS) break;
        const key = r.id === undefined ? undefined : `${r.source}:${r.id}`;
        if (key !== undefined) {
          if (alerted.has(key)) continue;
          alerted.set(key, runAt);
        }
        signals++;
        emit(
          alert({
            rule: ID,
            principal: r.principal,
            ip: r.ip,
            sessionId: r.sessionId,
            evidence: r.id === undefined ? undefined : [r.id].slice(0, maxEvidence),
            time: iso(runAt),
            severity: 'medium',
            technique: 'T1087.004',
            details: {
              source: r.source,
              userAgent: r.userAgent,
              riskScore: 47,
              publishedRuleId: 'c28750fa-4092-11f0-aca6-f661ea17fbcd',
              publishedTechniques: ['T1069.003', 'T1082', 'T1087.004', 'T1201', 'T1526', 'T1580', 'T1673'],
            },
          }),
        );
      }
    },
  });
};

export const elasticBloodhoundUa = {
  info: {
    id: ID,
    summary:
      'Elastic (EQL): any Graph, sign-in or O365 audit event whose user agent starts with azurehound/, sharphound/ or bloodhound/',
    options: COMMON_OPTIONS,
  },
  create,
};
