/**
 * builtin:cloudbrothers-azurehound-ua — "AzureHound activity detected" (Sentinel NRT rule,
 * id 54b355e7-1736-425e-8627-4972161b135a) by Fabian Bader: f-bader/AzSentinelQueries
 * AnalyticsRules/AzureHoundActivityDetected.yaml. No licence upstream: re-implemented, cited.
 *
 * Logic: MicrosoftGraphActivityLogs where `UserAgent has "azurehound"` (a whole-term,
 * case-insensitive match), summarised by UserId, IPAddress, ServicePrincipalId, AppId, TokenIssuedAt,
 * Location, SignInActivityId, SourceSystem, AadTenantId, UserAgent. Any one row fires it.
 *
 * Schedule: near-real-time rules run every minute over the rows ingested since the previous run; the
 * port runs at every minute boundary. Aggregation is SingleAlert (one alert per run); an enumbench
 * alert names one principal, so the port emits one alert per run per identity (UserId, else
 * ServicePrincipalId), citing every matching row of that identity (up to maxEvidence).
 */
import type { Alert } from '../../src/core/alerts.js';
import { MINUTE } from '../../src/core/clock.js';
import type { DetectorFactory } from '../../src/core/detector.js';
import {
  alert,
  COMMON_OPTIONS,
  commonOptions,
  compare,
  evidenceOf,
  iso,
  scheduledRule,
  sortedDistinct,
} from './engine.js';
import { type GraphRow, isEmpty, readGraph } from './fields.js';
import { kqlHas } from './kql.js';

export const ID = 'cloudbrothers-azurehound-ua';

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  return scheduledRule<GraphRow>({
    name: ID,
    intervalMs: MINUTE,
    retainMs: 2 * MINUTE,
    sources: ['graphActivity'],
    parse(d) {
      const g = readGraph(d.record);
      return g && g.userAgent !== undefined && kqlHas(g.userAgent, 'azurehound') ? g : undefined;
    },
    id: (g) => g.requestId,
    run(runAt, held, emit: (a: Alert) => void) {
      const byPrincipal = new Map<string, GraphRow[]>();
      for (const h of held) {
        if (h.ingestedAt < runAt - MINUTE) continue;
        const g = h.row;
        const principal = (isEmpty(g.userId) ? g.servicePrincipalId : g.userId) ?? '';
        const list = byPrincipal.get(principal) ?? [];
        list.push(g);
        byPrincipal.set(principal, list);
      }
      for (const principal of [...byPrincipal.keys()].sort(compare)) {
        const rows = byPrincipal.get(principal)!;
        const ips = sortedDistinct(rows.map((r) => r.ipAddress));
        const sessions = sortedDistinct(rows.map((r) => r.sessionId));
        const results = new Set(
          rows.map((r) =>
            JSON.stringify([
              r.userId,
              r.ipAddress,
              r.servicePrincipalId,
              r.appId,
              r.tokenIssuedAt,
              r.location,
              r.signInActivityId,
              r.tenantId,
              r.userAgent,
            ]),
          ),
        );
        emit(
          alert({
            rule: ID,
            principal,
            ip: ips.length === 1 ? ips[0] : undefined,
            sessionId: sessions.length === 1 ? sessions[0] : undefined,
            evidence: evidenceOf(
              rows.map((r) => ({ id: r.requestId, time: r.time })),
              maxEvidence,
            ),
            time: iso(runAt),
            severity: 'medium',
            technique: 'T1087.004',
            details: {
              queriesSent: rows.length,
              results: results.size,
              userAgents: sortedDistinct(rows.map((r) => r.userAgent)),
              ipAddresses: ips,
              confidenceScore: 1,
              publishedRuleId: '54b355e7-1736-425e-8627-4972161b135a',
            },
          }),
        );
      }
    },
  });
};

export const cloudbrothersAzurehoundUa = {
  info: {
    id: ID,
    summary: 'Cloudbrothers (Sentinel NRT): any Graph request whose UserAgent has the term "azurehound"',
    options: COMMON_OPTIONS,
  },
  create,
};
