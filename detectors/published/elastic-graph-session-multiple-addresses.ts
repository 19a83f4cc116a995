/**
 * builtin:elastic-graph-session-multiple-addresses — "Entra ID OAuth User Impersonation to Microsoft
 * Graph", elastic/detection-rules rules/integrations/azure/initial_access_entra_id_graph_single_session_from_multiple_addresses.toml,
 * rule_id 0d3d2254-2b4a-11f0-a019-f661ea17fbcc (ES|QL; severity medium, risk 47). Elastic License v2:
 * logic ported, no rule text copied. Snapshot: elastic/detection-rules@14cf530.
 *
 * Logic: sign-in rows (session_id not null) and Graph rows (c_sid not null), both outside the ASN
 * organisation MICROSOFT-CORP-MSN-AS-BLOCK; session, user and app coalesced across the two; 20
 * first-party app ids excluded; grouped by (session, app, user). Alert when: both event types are
 * present; > 1 distinct source IP; > 1 distinct ASN; exactly 1 app id; whole minutes between the
 * first sign-in and the first Graph call > 0 and whole days == 0; and the sign-in ASNs and the Graph
 * ASNs are disjoint (dcount(signin) + dcount(graph) == dcount(all)).
 *
 * The published rule also requires, since 60beaff (2026-03-26), `Esql.signin_source_asn IS NOT NULL
 * and Esql.graph_source_asn IS NOT NULL` on the *same row*; each column is set only for its own
 * dataset, so no row passes and **a literal port never fires**. This port implements the evident
 * intent (each row's own ASN not null) by default; `{literal: true}` applies the published filter as
 * written, and then never alerts.
 *
 * Porting decisions:
 * - ASNs: Elastic's Azure integration adds `source.as.number` to every event by a GeoIP ASN lookup
 *   of source.ip (a GeoLite2-ASN database maps routed prefixes, not single addresses). The port does
 *   the same with the dataset's IP enrichment table (`ctx.networks`, ip-networks.csv,
 *   docs/dataset.md "Enrichment") for sign-in and Graph rows alike. Without a table (a context that
 *   has none, or option `{enrichment: false}`), it falls back to what it can learn: the sign-in's own
 *   `autonomousSystemNumber`, and for Graph rows prefix → ASN learned from every sign-in seen (the
 *   exact address, its IPv6 /64, /48 and /32, its IPv4 /24 and /16, most specific first); a Graph
 *   address in no learned prefix then gets an ASN of its own (`ip:<address>`), so a dual-stack home
 *   whose Graph call leaves over an IPv6 prefix no sign-in came from counts as a second network — the
 *   false positives the table removes (docs/published-detections.md).
 * - MICROSOFT-CORP-MSN-AS-BLOCK is AS8075: sign-in rows with ASN 8075, and Graph rows whose learned
 *   ASN is 8075, are excluded.
 * Schedule: every 30 min over the rows ingested in the last 31 min.
 */
import type { Alert } from '../../src/core/alerts.js';
import { DAY, type EpochMs, MINUTE } from '../../src/core/clock.js';
import type { DetectorFactory } from '../../src/core/detector.js';
import { type IpNetworkLookup, ipv6Hextets } from '../../src/core/ip-networks.js';
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
import { readGraph, readSignIn } from './fields.js';

export const ID = 'elastic-graph-session-multiple-addresses';

export const EXCLUDED_APP_IDS: readonly string[] = [
  '4354e225-50c9-4423-9ece-2d5afd904870', // Augmentation Loop
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', // Microsoft Teams Services
  'ecd6b820-32c2-49b6-98a6-444530e5a77a', // Microsoft Edge
  'e8be65d6-d430-4289-a665-51bf2a194bda', // Microsoft 365 App Catalog Services
  'ab9b8c07-8f02-4f72-87fa-80105867a763', // OneDrive SyncEngine
  '394866fc-eedb-4f01-8536-3ff84b16be2a', // Microsoft People Cards Service
  '66a88757-258c-4c72-893c-3e8bed4d6899', // Office 365 Search Service
  '9ea1ad79-fdb6-4f9a-8bc3-2b70f96e34c7', // Bing
  'd7b530a4-7680-4c23-a8bf-c52c121d2e87', // Microsoft Edge Enterprise New Tab Page
  '6f7e0f60-9401-4f5b-98e2-cf15bd5fd5e3', // Microsoft Application Command Service
  '52c2e0b5-c7b6-4d11-a89c-21e42bcec444', // Graph Files Manager
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook Mobile
  'bb893c22-978d-4cd4-a6f7-bb6cc0d6e6ce', // Olympus
  '26a7ee05-5602-4d76-a7ba-eae8b7b67941', // Windows Search
  '00000007-0000-0000-c000-000000000000', // Dataverse
  '6bc3b958-689b-49f5-9006-36d165f30e00', // Teams CMD Services Artifacts
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Office UWP PWA
  'fc108d3f-543d-4374-bbff-c7c51f651fe5', // Zoom
  '01fc33a7-78ba-4d2f-a4b7-768e336e890e', // MS PIM
  '7ab7862c-4c57-491e-8a45-d52a7e023983', // Power Automate Graph Connector
];

/** AS8075, the ASN whose organisation name is MICROSOFT-CORP-MSN-AS-BLOCK */
export const MICROSOFT_ASN = 8075;

interface Row {
  type: 'signin' | 'graph';
  id: string | undefined;
  time: EpochMs;
  session: string;
  user: string | undefined;
  app: string | undefined;
  ip: string | undefined;
  /** set only for sign-in rows (Esql.signin_source_asn) */
  signinAsn: string | undefined;
  /** set only for Graph rows (Esql.graph_source_asn) */
  graphAsn: string | undefined;
}

/**
 * What a GeoIP ASN lookup gives, learned from sign-ins: address → ASN by the most specific known
 * prefix (exact address; IPv6 /64, /48, /32; IPv4 /24, /16).
 */
export class AsnByPrefix {
  private readonly map = new Map<string, number>();

  learn(ip: string, asn: number): void {
    for (const k of prefixKeys(ip)) this.map.set(k, asn);
  }

  lookup(ip: string): number | undefined {
    for (const k of prefixKeys(ip)) {
      const asn = this.map.get(k);
      if (asn !== undefined) return asn;
    }
    return undefined;
  }
}

/** The lookup keys of an address, most specific first. */
export function prefixKeys(ip: string): string[] {
  if (ip.includes(':')) {
    const h = ipv6Hextets(ip);
    if (!h) return [ip];
    return [
      ip,
      `${h.slice(0, 4).join(':')}::/64`,
      `${h.slice(0, 3).join(':')}::/48`,
      `${h.slice(0, 2).join(':')}::/32`,
    ];
  }
  const parts = ip.split('.');
  return parts.length === 4
    ? [ip, `${parts.slice(0, 3).join('.')}.0/24`, `${parts.slice(0, 2).join('.')}.0.0/16`]
    : [ip];
}

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  const literal = options.literal === true;
  if (options.enrichment !== undefined && typeof options.enrichment !== 'boolean') {
    throw new TypeError(`option enrichment must be true or false, got ${JSON.stringify(options.enrichment)}`);
  }
  const useTable = options.enrichment !== false;
  /** the dataset's enrichment table, from the context at start */
  let table: IpNetworkLookup | undefined;
  const asnOf = (ip: string | undefined, own: number | undefined): number | undefined => {
    if (table) return ip === undefined ? undefined : table.lookup(ip)?.asn;
    return own;
  };
  const excluded = new Set(EXCLUDED_APP_IDS);
  const asns = new AsnByPrefix();
  const interval = 30 * MINUTE;
  const lookback = 31 * MINUTE;
  const rule = scheduledRule<Row>({
    name: ID,
    intervalMs: interval,
    retainMs: lookback,
    sources: ['signIns', 'graphActivity'],
    parse(d) {
      if (d.source === 'signIns') {
        const s = readSignIn(d.record);
        if (!s) return undefined;
        if (s.ipAddress !== undefined && s.asn !== undefined) asns.learn(s.ipAddress, s.asn);
        const asn = asnOf(s.ipAddress, s.asn);
        if (s.sessionId === undefined || s.sessionId === '' || asn === MICROSOFT_ASN) return undefined;
        if (s.appId !== undefined && excluded.has(s.appId)) return undefined;
        return {
          type: 'signin',
          id: s.id,
          time: s.time,
          session: s.sessionId,
          user: s.userId,
          app: s.appId,
          ip: s.ipAddress,
          signinAsn: asn === undefined ? undefined : String(asn),
          graphAsn: undefined,
        };
      }
      const g = readGraph(d.record);
      if (!g || g.sessionId === undefined || g.sessionId === '') return undefined;
      if (g.appId !== undefined && excluded.has(g.appId)) return undefined;
      return {
        type: 'graph',
        id: g.requestId,
        time: g.time,
        session: g.sessionId,
        user: g.userPrincipalObjectId,
        app: g.appId,
        ip: g.ipAddress,
        signinAsn: undefined,
        graphAsn: undefined, // resolved at run time, from the sign-ins seen by then
      };
    },
    id: (r) => (r.id === undefined ? undefined : `${r.type}:${r.id}`),
    run(runAt, held, emit: (a: Alert) => void) {
      const groups = new Map<string, Row[]>();
      for (const h of held) {
        if (h.ingestedAt <= runAt - lookback) continue;
        let r = h.row;
        if (r.type === 'graph') {
          const asn = r.ip === undefined ? undefined : table ? table.lookup(r.ip)?.asn : asns.lookup(r.ip);
          if (asn === MICROSOFT_ASN) continue;
          r = { ...r, graphAsn: asn !== undefined ? String(asn) : r.ip !== undefined ? `ip:${r.ip}` : undefined };
        }
        const passes = literal
          ? r.signinAsn !== undefined && r.graphAsn !== undefined
          : r.type === 'signin'
            ? r.signinAsn !== undefined
            : r.graphAsn !== undefined;
        if (!passes) continue;
        const key = JSON.stringify([r.session, r.app ?? null, r.user ?? null]);
        const list = groups.get(key) ?? [];
        list.push(r);
        groups.set(key, list);
      }
      for (const key of [...groups.keys()].sort(compare)) {
        const rows = groups.get(key)!;
        const signins = rows.filter((r) => r.type === 'signin');
        const graphs = rows.filter((r) => r.type === 'graph');
        if (signins.length === 0 || graphs.length === 0) continue;
        const ips = sortedDistinct(rows.map((r) => r.ip));
        const signinAsns = sortedDistinct(signins.map((r) => r.signinAsn));
        const graphAsns = sortedDistinct(graphs.map((r) => r.graphAsn));
        const allAsns = sortedDistinct([...signinAsns, ...graphAsns]);
        const apps = sortedDistinct(rows.map((r) => r.app));
        const signinMin = Math.min(...signins.map((r) => r.time));
        const graphMin = Math.min(...graphs.map((r) => r.time));
        const minutes = Math.trunc((graphMin - signinMin) / MINUTE);
        const days = Math.trunc((graphMin - signinMin) / DAY);
        const fires =
          ips.length > 1 &&
          allAsns.length > 1 &&
          apps.length === 1 &&
          minutes > 0 &&
          days === 0 &&
          signinAsns.length + graphAsns.length === allAsns.length;
        if (!fires) continue;
        const r0 = rows[0]!;
        const signinIps = new Set(signins.map((r) => r.ip));
        const graphIps = sortedDistinct(graphs.map((r) => r.ip)).filter((ip) => !signinIps.has(ip));
        emit(
          alert({
            rule: ID,
            principal: r0.user,
            sessionId: r0.session,
            ip: graphIps[0],
            evidence: evidenceOf(
              rows.map((r) => ({ id: r.id, time: r.time })),
              maxEvidence,
            ),
            time: iso(runAt),
            severity: 'medium',
            technique: 'T1550.001',
            details: {
              appId: apps[0],
              sourceIps: ips,
              signinAsns,
              graphAsns,
              signinToGraphDelayMinutes: minutes,
              eventCount: rows.length,
              port: literal ? 'literal' : 'intent',
              riskScore: 47,
              publishedRuleId: '0d3d2254-2b4a-11f0-a019-f661ea17fbcc',
              publishedTechniques: ['T1550.001', 'T1550.004'],
            },
          }),
        );
      }
    },
  });
  return {
    ...rule,
    start(ctx) {
      table = useTable ? ctx.networks : undefined;
      return rule.start(ctx);
    },
  };
};

export const elasticGraphSessionMultipleAddresses = {
  info: {
    id: ID,
    summary:
      'Elastic (ES|QL, evident intent): a sign-in session from one ASN is used for Graph calls from another ASN 1 min to 1 day later',
    options: {
      ...COMMON_OPTIONS,
      literal: {
        type: 'boolean',
        default: false,
        description: 'true applies the published row filter as written, and the rule then never fires',
      },
      enrichment: {
        type: 'boolean',
        default: true,
        description:
          "look every address up in the dataset's IP enrichment table (ctx.networks), as Elastic's GeoIP ASN lookup does; false falls back to ASNs learned from sign-ins",
      },
    },
  },
  create,
};
