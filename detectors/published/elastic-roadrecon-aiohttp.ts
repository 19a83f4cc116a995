/**
 * builtin:elastic-roadrecon-aiohttp — "Azure AD Graph Potential Enumeration (ROADrecon)",
 * elastic/detection-rules rules/integrations/azure/discovery_aad_graph_roadrecon_aiohttp_enumeration.toml,
 * rule_id 80aa6cca-b343-457b-877e-5877cd71a1f8 (ES|QL; severity high, risk 73). Elastic License v2:
 * the logic is ported, no rule text is copied.
 *
 * Logic: Azure AD Graph activity whose lower-cased user agent contains `aiohttp`; url.path put in the
 * first matching endpoint bucket (ES|QL `like`, case-sensitive, order below), "other" dropped; per
 * (user.id, azure.tenant_id, date_trunc(1 minute, @timestamp)) alert when ≥ 5 distinct buckets.
 * Alert suppression: per (user.id, azure.tenant_id) for 5 minutes (inclusive, so the next run of the
 * 5-minute schedule, whose 9-minute lookback overlaps, does not repeat the alert).
 *
 * Schedule: every 5 min (Elastic's default interval) over the rows ingested in the last 9 min
 * (`from = "now-9m"`, `timestamp_override = event.ingested`); the minute bucket is event time.
 */
import type { Alert } from '../../src/core/alerts.js';
import { type EpochMs, MINUTE } from '../../src/core/clock.js';
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
import { type AadGraphRow, readAadGraph, urlPath } from './fields.js';

export const ID = 'elastic-roadrecon-aiohttp';

/** [bucket, substring of url.path] in evaluation order: the first match wins */
export const ROADRECON_BUCKETS: readonly (readonly [string, string])[] = [
  ['eligibleRoleAssignments', '/eligibleRoleAssignments'],
  ['roleAssignments', '/roleAssignments'],
  ['users', '/users'],
  ['groups', '/groups'],
  ['servicePrincipals', '/servicePrincipals'],
  ['applications', '/applications'],
  ['devices', '/devices'],
  ['directoryRoles', '/directoryRoles'],
  ['roleDefinitions', '/roleDefinitions'],
  ['administrativeUnits', '/administrativeUnits'],
  ['contacts', '/contacts'],
  ['oauth2PermissionGrants', '/oauth2PermissionGrants'],
  ['authorizationPolicy', '/authorizationPolicy'],
  ['settings', '/settings'],
  ['policies', '/policies'],
  ['tenantDetails', '/tenantDetails'],
];

export function roadreconBucket(uri: string): string | undefined {
  const path = urlPath(uri);
  for (const [bucket, needle] of ROADRECON_BUCKETS) if (path.includes(needle)) return bucket;
  return undefined;
}

export const ROADRECON_CONSTANTS = {
  distinctEndpoints: 5,
  intervalMs: 5 * MINUTE,
  lookbackMs: 9 * MINUTE,
  suppressionMs: 5 * MINUTE,
} as const;

interface Row {
  a: AadGraphRow;
  bucket: string;
}

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  const c = ROADRECON_CONSTANTS;
  const suppressedUntil = new Map<string, EpochMs>();
  return scheduledRule<Row>({
    name: ID,
    intervalMs: c.intervalMs,
    retainMs: c.lookbackMs,
    sources: ['aadGraphActivity'],
    parse(d) {
      const a = readAadGraph(d.record);
      if (!a || a.userAgent === undefined || !a.userAgent.toLowerCase().includes('aiohttp')) return undefined;
      const bucket = roadreconBucket(a.requestUri);
      return bucket === undefined ? undefined : { a, bucket };
    },
    id: (r) => r.a.requestId,
    run(runAt, held, emit: (a: Alert) => void) {
      const groups = new Map<string, { user?: string; tenant?: string; minute: EpochMs; rows: Row[] }>();
      for (const h of held) {
        if (h.ingestedAt <= runAt - c.lookbackMs) continue;
        const a = h.row.a;
        const minute = Math.floor(a.time / MINUTE) * MINUTE;
        const key = JSON.stringify([a.userId ?? null, a.tenantId ?? null, minute]);
        let g = groups.get(key);
        if (!g) {
          g = { user: a.userId, tenant: a.tenantId, minute, rows: [] };
          groups.set(key, g);
        }
        g.rows.push(h.row);
      }
      for (const key of [...groups.keys()].sort(compare)) {
        const g = groups.get(key)!;
        const buckets = sortedDistinct(g.rows.map((r) => r.bucket));
        if (buckets.length < c.distinctEndpoints) continue;
        const supKey = JSON.stringify([g.user ?? null, g.tenant ?? null]);
        const until = suppressedUntil.get(supKey);
        if (until !== undefined && runAt <= until) continue; // the run exactly 5 min later is inside the window
        suppressedUntil.set(supKey, runAt + c.suppressionMs);
        const ips = sortedDistinct(g.rows.map((r) => r.a.ipAddress));
        emit(
          alert({
            rule: ID,
            principal: g.user,
            ip: ips.length === 1 ? ips[0] : undefined,
            evidence: evidenceOf(
              g.rows.map((r) => ({ id: r.a.requestId, time: r.a.time })),
              maxEvidence,
            ),
            time: iso(runAt),
            severity: 'high',
            technique: 'T1087.004',
            details: {
              tenantId: g.tenant,
              timeWindow: iso(g.minute),
              requestCount: g.rows.length,
              distinctEndpoints: buckets.length,
              endpoints: buckets,
              sourceIps: ips,
              riskScore: 73,
              publishedRuleId: '80aa6cca-b343-457b-877e-5877cd71a1f8',
              publishedTechniques: ['T1069.003', 'T1087.004', 'T1526'],
            },
          }),
        );
      }
    },
  });
};

export const elasticRoadreconAiohttp = {
  info: {
    id: ID,
    summary:
      'Elastic (ES|QL): aiohttp user agent on Azure AD Graph hitting >= 5 endpoint buckets per user in one calendar minute (ROADrecon)',
    options: COMMON_OPTIONS,
  },
  create,
};
