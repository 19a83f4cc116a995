/**
 * builtin:chronicle-ms-graph-graphrunner-graphrecon-enumeration — Google SecOps community rule
 * `ms_graph_graphrunner_graphrecon_enumeration` (chronicle/detection-rules
 * rules/community/microsoft/graph_activity/ms_graph_graphrunner_graphrecon_enumeration.yaral,
 * rule_id mr_2bb3fd42-5569-4bab-9788-855425971b7f; type Alert, severity Medium, risk 65). Apache-2.0:
 * logic ported, no rule text copied.
 *
 * Logic: three events with the same principal.ip and network.session_id within 5 minutes, each
 * compared for **equality** (nocase) on the full URL, so a query string breaks the match:
 * POST `https://graph.microsoft.com/beta/roleManagement/directory/estimateAccess` (200),
 * GET `https://graph.microsoft.com/v1.0/me` (200) and
 * GET `https://graph.microsoft.com/beta/policies/authorizationPolicy` (200). GraphRunner's
 * `Invoke-GraphRecon -PermissionEnum` makes exactly these calls.
 */
import { MINUTE } from '../../src/core/clock.js';
import { type ChronicleRule, chronicleModule, equalsNocase, type KeyedEvent } from './chronicle-events.js';
import { alert, evidenceOf, iso, sortedDistinct } from './engine.js';

export const ID = 'chronicle-ms-graph-graphrunner-graphrecon-enumeration';
const WINDOW = 5 * MINUTE;

export const GRAPHRECON_CALLS = {
  estimateAccess: ['POST', 'https://graph.microsoft.com/beta/roleManagement/directory/estimateAccess'],
  me: ['GET', 'https://graph.microsoft.com/v1.0/me'],
  authorizationPolicy: ['GET', 'https://graph.microsoft.com/beta/policies/authorizationPolicy'],
} as const;

type Kind = keyof typeof GRAPHRECON_CALLS;
const KINDS = Object.keys(GRAPHRECON_CALLS) as Kind[];

const rule: ChronicleRule<Kind> = {
  id: ID,
  windowMs: WINDOW,
  classify(g) {
    if (g.status !== 200) return undefined;
    for (const kind of KINDS) {
      const [method, url] = GRAPHRECON_CALLS[kind];
      if (g.requestMethod === method && equalsNocase(g.requestUri, url)) return kind;
    }
    return undefined;
  },
  matches(events, after) {
    // the earliest window [start, start + 5 min] holding all three kinds, start after `after`
    const out: { events: KeyedEvent<Kind>[]; windowEnd: number }[] = [];
    let floor = after;
    for (let i = 0; i < events.length; i++) {
      const start = events[i]!.g.time;
      if (start <= floor) continue;
      const inWindow = events.filter((e) => e.g.time >= start && e.g.time <= start + WINDOW);
      if (KINDS.every((k) => inWindow.some((e) => e.kind === k))) {
        out.push({ events: inWindow, windowEnd: start + WINDOW });
        floor = start + WINDOW;
      }
    }
    return out;
  },
  toAlert(key, events, maxEvidence, now) {
    const users = sortedDistinct(events.map((e) => e.g.userId ?? e.g.servicePrincipalId));
    return alert({
      rule: ID,
      principal: users[0],
      sessionId: key.session,
      ip: key.ip,
      evidence: evidenceOf(
        events.map((e) => ({ id: e.g.requestId, time: e.g.time })),
        maxEvidence,
      ),
      time: iso(now),
      severity: 'medium',
      technique: 'T1087.004',
      details: {
        riskScore: 65,
        eventCount: events.length,
        userAgents: sortedDistinct(events.map((e) => e.g.userAgent)),
        publishedRuleId: 'mr_2bb3fd42-5569-4bab-9788-855425971b7f',
      },
    });
  },
};

export const chronicleMsGraphGraphrunnerGraphreconEnumeration = chronicleModule(
  rule,
  'Google SecOps (YARA-L): POST estimateAccess, GET /v1.0/me and GET authorizationPolicy (exact URLs), same IP and session, within 5 min',
);
