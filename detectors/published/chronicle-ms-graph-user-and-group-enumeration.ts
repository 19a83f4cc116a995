/**
 * builtin:chronicle-ms-graph-user-and-group-enumeration — Google SecOps community rule
 * `ms_graph_user_and_group_enumeration` (chronicle/detection-rules
 * rules/community/microsoft/graph_activity/ms_graph_user_and_group_enumeration.yaral,
 * rule_id mr_1c65d59f-9b9c-4023-b98c-7d6cff503b1b; type Alert, severity Low, risk 35). Apache-2.0:
 * logic ported, no rule text copied.
 *
 * Logic: `$group_api` = GET, status 200, target.url matching the (unanchored, nocase) regex
 * `https://graph\.microsoft\.com/v1\.0/groups/.*\/members`; `$user_api` = GET, status 200, target.url
 * **equal** (nocase) to `https://graph.microsoft.com/v1.0/users`, with an event timestamp in whole
 * seconds strictly earlier than the group event's; both with the same principal.ip and
 * network.session_id, within 15 minutes. Because the user URL is compared for equality on the full
 * URL, `/v1.0/users?$top=999` (any query string) does not count; the group regex tolerates one.
 */
import { MINUTE } from '../../src/core/clock.js';
import { type ChronicleRule, chronicleModule, equalsNocase, type KeyedEvent } from './chronicle-events.js';
import { alert, evidenceOf, iso, sortedDistinct } from './engine.js';

export const ID = 'chronicle-ms-graph-user-and-group-enumeration';
const WINDOW = 15 * MINUTE;
export const GROUP_MEMBERS_URL = /https:\/\/graph\.microsoft\.com\/v1\.0\/groups\/.*\/members/i;
export const USERS_URL = 'https://graph.microsoft.com/v1.0/users';

type Kind = 'user' | 'group';

const rule: ChronicleRule<Kind> = {
  id: ID,
  windowMs: WINDOW,
  classify(g) {
    if (g.requestMethod !== 'GET' || g.status !== 200) return undefined;
    if (equalsNocase(g.requestUri, USERS_URL)) return 'user';
    if (GROUP_MEMBERS_URL.test(g.requestUri)) return 'group';
    return undefined;
  },
  matches(events, after) {
    const out: { events: KeyedEvent<Kind>[]; windowEnd: number }[] = [];
    let floor = after;
    for (const u of events) {
      if (u.kind !== 'user' || u.g.time <= floor) continue;
      const uSec = Math.floor(u.g.time / 1000);
      const groups = events.filter(
        (e) => e.kind === 'group' && Math.floor(e.g.time / 1000) > uSec && e.g.time - u.g.time <= WINDOW,
      );
      if (groups.length === 0) continue;
      const end = u.g.time + WINDOW;
      const users = events.filter((e) => e.kind === 'user' && e.g.time >= u.g.time && e.g.time <= end);
      out.push({ events: [...users, ...groups], windowEnd: end });
      floor = end;
    }
    return out;
  },
  toAlert(key, events, maxEvidence, now) {
    const groupIds = sortedDistinct(
      events
        .filter((e) => e.kind === 'group')
        .map((e) => /https:\/\/graph\.microsoft\.com\/v1\.0\/groups\/(.*)\/members/i.exec(e.g.requestUri)?.[1]),
    );
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
      severity: 'low',
      technique: 'T1087.004',
      details: {
        riskScore: 35,
        eventCount: events.length,
        groupCount: groupIds.length,
        groupList: groupIds.slice(0, 25),
        userAgents: sortedDistinct(events.map((e) => e.g.userAgent)),
        publishedRuleId: 'mr_1c65d59f-9b9c-4023-b98c-7d6cff503b1b',
      },
    });
  },
};

export const chronicleMsGraphUserAndGroupEnumeration = chronicleModule(
  rule,
  'Google SecOps (YARA-L): GET /v1.0/users (exact URL) then GET /v1.0/groups/{id}/members, same IP and session, within 15 min',
);
