/**
 * token-replay — a stolen session replayed from a second network to list the directory
 * (T1550.001 use of a stolen application access token, then T1087.004 / T1069.003).
 *
 * The victim's own client (Outlook by default) refreshes its token on the victim's device and
 * network; an infostealer or an AiTM proxy hands that token (and the refresh token behind it) to the
 * attacker, who replays it minutes later from a VPS to page through `/users` and `/groups`. The
 * Graph requests carry the victim's `sid`, `uti` and device id, from the attacker's address. When the
 * access token runs out the attacker redeems the stolen refresh token from the same VPS: a
 * non-interactive sign-in with the victim's `sid` from a second network. One session, two networks
 * (telemetry.md §5 "Session"; published-detections.md §3b), while the owner keeps working from home
 * or the office in their own workforce stream.
 *
 * The sign-in whose token is stolen is generated here (on the victim's device and network) and
 * belongs to the campaign: it is where the hijacked session's trail starts.
 */
import { MINUTE } from '../../src/core/clock.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { APP, firstPartyApp, RESOURCE, scopesFor } from '../world/apps.js';
import { mix32 } from '../world/hash.js';
import { rotatingV4 } from '../world/networks.js';
import type { AttackPlan, User } from '../world/types.js';
import { type CampaignParts, campaignActor, perMinute, planListing } from './campaign.js';
import { rawHttpClientBehaviour } from './tool-support.js';

const ID = 'token-replay';
const ATTACK = ['T1550.001', 'T1087.004', 'T1069.003'] as const;

const VICTIM_UA: Readonly<Record<string, string>> = {
  [APP.office.appId]: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)',
  [APP.teams.appId]:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/24295.605.3225.8804/49',
};

const OPTIONS = {
  appId: {
    type: 'enum',
    values: [APP.office.appId, APP.teams.appId, APP.officeHome.appId],
    default: APP.office.appId,
    description: 'the client whose token is stolen (Microsoft Office = Outlook desktop, Teams, or Office on the web)',
  },
  delay: {
    type: 'duration',
    default: '6m',
    min: '1m',
    max: '12h',
    rangeable: true,
    description: 'from the victim sign-in that minted the stolen token to the first replayed request',
  },
  collections: {
    type: 'list',
    values: ['users', 'groups', 'groupMembers', 'servicePrincipals', 'applications'],
    default: ['users', 'groups'],
    description: 'what the attacker pages through, in order',
  },
  pageSize: {
    type: 'integer',
    default: 999,
    min: 1,
    max: 999,
    rangeable: true,
    description: '`$top` per page (100 sends no `$top`)',
  },
  pace: {
    type: 'rate',
    default: '20/min',
    rangeable: true,
    description: 'requests per minute (the service latency bounds it from above)',
  },
  userAgent: {
    type: 'string',
    default: 'victim',
    description:
      '"victim" replays the stolen client\'s own user agent (cookie/token theft keeps it); any other string is sent as is (session.userAgent overrides it)',
  },
  refresh: {
    type: 'boolean',
    default: true,
    description: 'redeem the stolen refresh token from the attacker network when the access token expires',
  },
} as const;

function* stream(env: GenEnv, plan: AttackPlan, p: CampaignParts): Generator<StreamItem> {
  const { label, facts, opts, rng: r } = p;
  const kit = env.kit;
  const w = env.world;
  const victim = plan.user as User;
  const appId = String(opts.appId ?? APP.office.appId);
  const app = firstPartyApp(appId) ?? APP.office;
  const device = victim.devices.find((d) => d.kind !== 'mobile') ?? victim.devices[0] ?? null;
  const victimUa = VICTIM_UA[appId] ?? device?.browserUa ?? (VICTIM_UA[APP.office.appId] as string);
  const given = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'victim');
  const ua = given === 'victim' ? victimUa : given;
  const point = plan.point;
  const rotating = point.kind === 'residential-proxy' || point.kind === 'tor';
  const ipAt = (t: number) =>
    rotating ? rotatingV4(point, mix32(plan.index, Math.floor(t / (10 * MINUTE)), 23)) : (point.v4[0] as string);

  // 1. the victim's client refreshes its token at home or in the office: this token is stolen
  let t = Math.floor(plan.start) + r.int(0, 30_000);
  const sid = sessionIdFor(w, victim, 0, sessionEpoch(w, victim, 0, t));
  const victimPoint = victim.home;
  const victimIp = victimPoint.v4[0] as string;
  facts.principals.add(victim.upn);
  facts.principals.add(victim.id);
  facts.sessions.add(sid);
  facts.appIds.add(appId);
  const spec = (time: number, attacker: boolean): SignInSpec => ({
    time,
    category: 'NonInteractiveUserSignInLogs',
    user: victim,
    appId,
    appDisplayName: app.displayName,
    resource: RESOURCE.msGraph,
    point: attacker ? point : victimPoint,
    ip: attacker ? ipAt(time) : victimIp,
    device: attacker ? null : device,
    userAgent: attacker ? ua : victimUa,
    clientAppUsed: app.appId === APP.officeHome.appId ? 'Browser' : 'Mobile Apps and Desktop clients',
    method: 'refreshToken',
    mfaInSession: true,
    sid,
  });
  yield t;
  let res = kit.signIn(r, label, spec(t, false));
  let token: Token = res.token;
  facts.tokens.add(token.uti);
  yield* res.records;

  // 2. the attacker replays it from the second network
  const delay = Math.max(MINUTE, Number(opts.delay ?? 6 * MINUTE));
  t += delay + r.int(0, 59_999);
  const pageSize = Math.max(1, Math.min(999, Number(opts.pageSize ?? 999)));
  const gap = 60_000 / Math.max(0.001, perMinute(opts.pace, 20));
  const collections = (Array.isArray(opts.collections) ? opts.collections : ['users', 'groups']) as string[];
  const reqs = [
    { t, uri: 'https://graph.microsoft.com/v1.0/me', size: r.int(450, 700), status: 200 },
    ...planListing(w, r, t + r.int(2000, 9000), { collections, pageSize, gapMs: gap }),
  ];
  for (const q of reqs) {
    if (q.t >= env.to) break;
    yield q.t;
    if (q.t >= token.exp - MINUTE) {
      if (opts.refresh === false) break;
      res = kit.signIn(r, label, spec(q.t - r.int(300, 1500), true));
      token = res.token;
      facts.tokens.add(token.uti);
      facts.ips.add(ipAt(q.t));
      yield* res.records;
    }
    const ip = ipAt(q.t);
    facts.ips.add(ip);
    const rec = kit.graphRequest(r, label, {
      time: q.t,
      apiVersion: q.uri.includes('/beta/') ? 'beta' : 'v1.0',
      method: 'GET',
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(r.logNormal(300_000, 1_600_000)),
      responseSizeBytes: q.size,
      ip,
      userAgent: ua,
      appId,
      userId: victim.id,
      servicePrincipalId: null,
      scopes: scopesFor(appId),
      roles: null,
      wids: victim.wids,
      tokenIssuedAt: token.iat,
      signInActivityId: token.uti,
      sessionId: sid,
      // the replayed token still names the victim's device
      deviceId: device?.id ?? null,
      clientAuthMethod: 0,
      // the replaying tool sends the victim's user agent, not its client's headers
      client: 'raw-http',
    });
    if (rec) yield rec;
  }
}

export const tokenReplay: TechniqueModule = {
  info: {
    id: ID,
    name: 'Token replay from a second network',
    kind: 'technique',
    attack: ATTACK,
    summary:
      "a stolen session (the victim's sid, access and refresh token) replayed from a VPS to list users and groups: one session, two networks",
    description:
      "An infostealer or an AiTM proxy takes the tokens of the victim's Outlook (or Teams) session. Minutes after the victim's client refreshed its token at home, the attacker replays that very access token from a VPS and pages through every user and group over Microsoft Graph; when it expires, the attacker redeems the stolen refresh token from the VPS. There is no interactive sign-in and no MFA prompt: the Graph requests carry the victim's session id, token id and even device id, from an address and ASN the victim never used, while the victim keeps working from home or the office in the same session. Session-level rules (one SessionId from more than one IP and ASN, Elastic's Graph single-session-from-multiple-addresses) see it; volume rules see an ordinary first-party client listing users. Page size, pace, user agent, delay and the stolen client are options.",
    options: OPTIONS,
    behaviour: [
      rawHttpClientBehaviour(
        "the replaying script's HTTP client, which copies the victim's user agent but not the Office client's headers,",
      ),
    ],
    observability: [
      {
        source: 'graphActivity',
        shows: "every replayed request with the victim's session, token and device id from the attacker's address",
      },
      {
        source: 'signIns',
        context: true,
        shows:
          "the victim's refresh that minted the stolen token, then refresh-token redemptions from the attacker network",
      },
      {
        source: 'ual',
        context: true,
        shows: 'at most a few non-interactive sign-ins (RecordType 15), not the listing',
      },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return campaignActor(plan, env, ID, ATTACK, OPTIONS, (p) => stream(env, plan, p));
  },
};
