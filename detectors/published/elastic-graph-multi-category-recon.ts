/**
 * builtin:elastic-graph-multi-category-recon — "Microsoft Graph Multi-Category Reconnaissance Burst",
 * elastic/detection-rules rules/integrations/azure/discovery_graph_activity_delegated_user_multi_category_recon.toml,
 * rule_id 8e66c55f-8db6-4e3e-bf4f-3a3e242bdf66 (ES|QL; severity medium, risk 47). Elastic License v2:
 * logic ported, no rule text copied.
 *
 * Logic: Graph activity with `c_idtyp == "user"` and `client_auth_method == 0` (delegated public
 * client), any method and status; url.path classified into the first matching category (ES|QL `like`
 * is case-sensitive; order below), rows in no category dropped; grouped by
 * (user_principal_object_id, source.ip, source.as.organization.name, source.as.number, c_sid,
 * azure.tenant_id), a null value being a group of its own; alert when distinct categories ≥ 4 (the
 * rule's comment and description say "3+": the code says 4) and calls ≥ 20 and
 * date_diff("seconds", first_seen, last_seen) ≤ 60 (whole seconds, truncated: 60.9 s passes, 61 s does not).
 *
 * Porting decisions:
 * - The two ASN fields come from Elastic's GeoIP enrichment of source.ip; enumbench records carry no
 *   ASN, and one IP has one ASN, so grouping by source.ip alone gives the same groups.
 * - `c_idtyp`, `user_principal_object_id` and `c_sid` are undocumented diagnostic-settings keys
 *   (`C_Idtyp`, `UserPrincipalObjectID`, `c_Sid`); on Log Analytics rows the port falls back to
 *   UserId/ServicePrincipalId (user/app), UserId and SessionId.
 * Schedule: every 5 min over the rows ingested in the last 6 min (`from = "now-6m"`, event.ingested).
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
import { type GraphRow, readGraph, urlPath } from './fields.js';

export const ID = 'elastic-graph-multi-category-recon';

export const MULTI_CATEGORY_CONSTANTS = {
  distinctCategories: 4,
  totalCalls: 20,
  burstSeconds: 60,
  intervalMs: 5 * MINUTE,
  lookbackMs: 6 * MINUTE,
} as const;

/** The category of a url.path, or undefined (dropped). First match wins, in the rule's order. */
export function reconCategory(path: string): string | undefined {
  const has = (s: string) => path.includes(s);
  if (
    has('roleManagement/directory') ||
    has('memberOf/microsoft.graph.directoryRole') ||
    has('transitiveRoleAssignments')
  ) {
    return 'role_discovery';
  }
  if (has('tenantRelationships') || has('getResourceTenants')) return 'cross_tenant_recon';
  if (has('mailboxSettings') || has('mailFolders') || has('messages') || has('inbox')) return 'mailbox_recon';
  if (has('contacts') || has('contactFolders')) return 'contact_harvesting';
  if (
    has('subscribedSkus') ||
    has('appRoleAssign') ||
    (has('/organization') && !has('branding') && !has('localizations'))
  ) {
    return 'org_and_licensing_recon';
  }
  return undefined;
}

interface Row {
  g: GraphRow;
  path: string;
  category: string;
}

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  const c = MULTI_CATEGORY_CONSTANTS;
  return scheduledRule<Row>({
    name: ID,
    intervalMs: c.intervalMs,
    retainMs: c.lookbackMs,
    sources: ['graphActivity'],
    parse(d) {
      const g = readGraph(d.record);
      if (g?.idtyp !== 'user' || g.clientAuthMethod !== 0) return undefined;
      const path = urlPath(g.requestUri);
      const category = reconCategory(path);
      return category === undefined ? undefined : { g, path, category };
    },
    id: (r) => r.g.requestId,
    run(runAt, held, emit: (a: Alert) => void) {
      const groups = new Map<string, Row[]>();
      for (const h of held) {
        if (h.ingestedAt <= runAt - c.lookbackMs) continue;
        const g = h.row.g;
        const key = JSON.stringify([
          g.userPrincipalObjectId ?? null,
          g.ipAddress ?? null,
          g.sessionId ?? null,
          g.tenantId ?? null,
        ]);
        const list = groups.get(key) ?? [];
        list.push(h.row);
        groups.set(key, list);
      }
      for (const key of [...groups.keys()].sort(compare)) {
        const rows = groups.get(key)!;
        const categories = sortedDistinct(rows.map((r) => r.category));
        if (!(categories.length >= c.distinctCategories && rows.length >= c.totalCalls)) continue;
        let first = Number.POSITIVE_INFINITY;
        let last = Number.NEGATIVE_INFINITY;
        for (const r of rows) {
          first = Math.min(first, r.g.time);
          last = Math.max(last, r.g.time);
        }
        const burstSeconds = Math.trunc((last - first) / 1000);
        if (!(burstSeconds <= c.burstSeconds)) continue;
        const g0 = rows[0]!.g;
        emit(
          alert({
            rule: ID,
            principal: g0.userPrincipalObjectId,
            sessionId: g0.sessionId,
            ip: g0.ipAddress,
            evidence: evidenceOf(
              rows.map((r) => ({ id: r.g.requestId, time: r.g.time })),
              maxEvidence,
            ),
            time: iso(runAt),
            severity: 'medium',
            technique: 'T1087',
            details: {
              tenantId: g0.tenantId,
              totalHighValueCalls: rows.length,
              distinctCategories: categories.length,
              categories,
              distinctPaths: sortedDistinct(rows.map((r) => r.path)).length,
              failedCalls: rows.filter((r) => (r.g.status ?? 0) >= 400).length,
              firstSeen: iso(first),
              lastSeen: iso(last),
              burstDurationSeconds: burstSeconds,
              appIds: sortedDistinct(rows.map((r) => r.g.appId)),
              riskScore: 47,
              publishedRuleId: '8e66c55f-8db6-4e3e-bf4f-3a3e242bdf66',
              publishedTechniques: ['T1526', 'T1087'],
            },
          }),
        );
      }
    },
  });
};

export const elasticGraphMultiCategoryRecon = {
  info: {
    id: ID,
    summary:
      'Elastic (ES|QL): a delegated public-client session makes >= 20 Graph calls over >= 4 recon categories within 60 s',
    options: COMMON_OPTIONS,
  },
  create,
};
