/**
 * builtin:splunk-azure-ad-service-principal-enumeration — Splunk security_content
 * detections/cloud/azure_ad_service_principal_enumeration.yml (id 3f0647ce-add5-4436-8039-cbd1abe74563,
 * v6, 2026-01-14, author Dean Luxton; TTP, risk score 80). Apache-2.0: logic ported, no search text
 * copied.
 *
 * Logic: MicrosoftGraphActivityLogs events containing the term `servicePrincipals`; two `rex`
 * extractions on properties.requestUri — `https://graph.microsoft.com/beta/servicePrincipals/<spn>/`
 * and the same for `v1.0` (PCRE, case-sensitive, unanchored; the dots are unescaped, so they match
 * any character; the lazy capture stops at the next `/`, so a URI needs a segment after the id);
 * spn = coalesce(beta, v1.0); `fillnull` then sets a missing spn to "0", and dc(spn) counts that "0"
 * as one more value; stats by dest, user, src, vendor_account, vendor_product, signature; alert when
 * spn_count > 9. So 10 distinct ids fire it, and so do 9 ids plus one event without an id.
 *
 * Porting decisions:
 * - TERM(servicePrincipals) is a search on the raw event: the port tests the record's text values
 *   (top level and `properties`) for `serviceprincipals`, case-insensitively (Splunk search terms
 *   ignore case); the token boundaries TERM also demands are not modelled.
 * - The CIM fields come from the Splunk add-on: user = properties.userId, else (app-only calls)
 *   properties.servicePrincipalId, else "0" (fillnull); src = ipAddress; dest, vendor_account =
 *   tenant id; vendor_product and signature are constant for this category and drop out.
 * - Schedule: security_content's default for these searches, hourly at :00 over event time
 *   [T-70 min, T-10 min) (`earliest_time = -70m@m`, `latest_time = -10m@m`), over what has been
 *   ingested by then: a record arriving later than its window is never searched, as in Splunk.
 * - Severity: "high", Splunk Enterprise Security's band for a risk score of 80.
 */
import type { Alert } from '../../src/core/alerts.js';
import { type EpochMs, HOUR, MINUTE } from '../../src/core/clock.js';
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

export const ID = 'splunk-azure-ad-service-principal-enumeration';

export const SPN_BETA = /https:\/\/graph.microsoft.com\/beta\/servicePrincipals\/(.*?)\//;
export const SPN_V1 = /https:\/\/graph.microsoft.com\/v1.0\/servicePrincipals\/(.*?)\//;

/** `coalesce(servicePrincipalb, servicePrincipalv1)` then `fillnull` ("0" when neither matched) */
export function spnOf(uri: string): string {
  const b = SPN_BETA.exec(uri)?.[1];
  if (b !== undefined && b !== '') return b;
  const v = SPN_V1.exec(uri)?.[1];
  if (v !== undefined && v !== '') return v;
  return '0';
}

export const SPLUNK_SCHEDULE = {
  intervalMs: HOUR,
  earliestMs: 70 * MINUTE,
  latestMs: 10 * MINUTE,
  threshold: 9,
} as const;

/** TERM(servicePrincipals): the term anywhere in the event's text values (case-insensitive). */
function rawHasTerm(record: Record<string, unknown>): boolean {
  const scan = (bag: Record<string, unknown>): boolean => {
    for (const v of Object.values(bag)) {
      if (typeof v === 'string' && v.toLowerCase().includes('serviceprincipals')) return true;
    }
    return false;
  };
  const props = record.properties;
  return scan(record) || (typeof props === 'object' && props !== null && scan(props as Record<string, unknown>));
}

interface Row {
  g: GraphRow;
  spn: string;
  user: string;
}

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  const s = SPLUNK_SCHEDULE;
  return scheduledRule<Row>({
    name: ID,
    intervalMs: s.intervalMs,
    retainMs: s.earliestMs + s.intervalMs,
    sources: ['graphActivity'],
    parse(d) {
      const g = readGraph(d.record);
      if (!g) return undefined;
      if (g.category !== undefined && g.category !== 'MicrosoftGraphActivityLogs') return undefined;
      if (!rawHasTerm(d.record)) return undefined;
      const user = (!isEmpty(g.userId) ? g.userId : !isEmpty(g.servicePrincipalId) ? g.servicePrincipalId : '0') ?? '0';
      return { g, spn: spnOf(g.requestUri), user };
    },
    id: (r) => r.g.requestId,
    run(runAt: EpochMs, held, emit: (a: Alert) => void) {
      const groups = new Map<string, Row[]>();
      for (const h of held) {
        const t = h.row.g.time;
        if (t < runAt - s.earliestMs || t >= runAt - s.latestMs) continue;
        const g = h.row.g;
        const key = JSON.stringify([g.tenantId ?? '0', h.row.user, g.ipAddress ?? '0']);
        const list = groups.get(key) ?? [];
        list.push(h.row);
        groups.set(key, list);
      }
      for (const key of [...groups.keys()].sort(compare)) {
        const rows = groups.get(key)!;
        const spns = sortedDistinct(rows.map((r) => r.spn));
        if (!(spns.length > s.threshold)) continue;
        const r0 = rows[0]!;
        emit(
          alert({
            rule: ID,
            principal: r0.user === '0' ? undefined : r0.user,
            ip: r0.g.ipAddress,
            evidence: evidenceOf(
              rows.filter((r) => r.spn !== '0').map((r) => ({ id: r.g.requestId, time: r.g.time })),
              maxEvidence,
            ),
            time: iso(runAt),
            severity: 'high',
            technique: 'T1087.004',
            details: {
              count: rows.length,
              spnCount: spns.length,
              countsFillnullZero: spns.includes('0'),
              firstTime: iso(Math.min(...rows.map((r) => r.g.time))),
              riskScore: 80,
              publishedRuleId: '3f0647ce-add5-4436-8039-cbd1abe74563',
              publishedTechniques: ['T1087.004', 'T1526'],
            },
          }),
        );
      }
    },
  });
};

export const splunkAzureAdServicePrincipalEnumeration = {
  info: {
    id: ID,
    summary:
      'Splunk: > 9 distinct service principal ids in /servicePrincipals/{id}/… Graph URIs per user and source IP (fillnull counts one extra)',
    options: COMMON_OPTIONS,
  },
  create,
};
