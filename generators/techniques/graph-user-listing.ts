/**
 * graph-user-listing — a principal pages through `GET /v1.0/users` (T1087.004).
 *
 * The simplest bulk enumeration there is, and the core of GraphRunner's `Get-AzureADUsers`,
 * TeamFiltration's `--exfil` and AzureHound's user collection (telemetry.md §3): follow
 * `@odata.nextLink` (`$skiptoken=`) until the directory is exhausted. With `concurrency` > 1 the
 * listing is split by the first letter of the UPN (`$filter=startswith(userPrincipalName,'a')`), one
 * letter per task, `concurrency` workers pulling tasks, as threaded scripts do. The campaign signs in
 * first (interactive password/MFA, device code, or replays a refresh token / stolen session, which
 * reuses the victim's `sid`) and refreshes its token when it expires during a slow listing.
 */
import { MINUTE, SECOND } from '../../src/core/clock.js';
import type { Label } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
import { optionsForTruth, type ResolvedOption, resolveOptions } from '../compose/options.js';
import { skipTokenFor } from '../records/index.js';
import type { Actor, CampaignFacts, StreamItem, TechniqueModule } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { APP, firstPartyApp, RESOURCE, scopesFor } from '../world/apps.js';
import { mix32 } from '../world/hash.js';
import { rotatingV4 } from '../world/networks.js';
import type { AttackPlan, User } from '../world/types.js';
import { intoBusinessHours } from './campaign.js';
import { operatorSessionBehaviour, rawHttpClientBehaviour } from './tool-support.js';

const OPTIONS = {
  pageSize: {
    type: 'integer',
    default: 999,
    min: 1,
    max: 999,
    rangeable: true,
    description: '`$top` per page (1–999; 100 sends no `$top`, the Graph default page)',
  },
  pace: {
    type: 'rate',
    default: '120/min',
    rangeable: true,
    description: 'requests per minute per worker (e.g. "1/min" for a low-and-slow listing)',
  },
  concurrency: {
    type: 'integer',
    default: 1,
    min: 1,
    max: 50,
    rangeable: true,
    description: 'parallel workers; above 1 the listing is split by UPN first letter',
  },
  userAgent: {
    type: 'string',
    default: 'python-requests/2.32.3',
    description: 'the User-Agent of every request (session.userAgent overrides it)',
  },
  appId: {
    type: 'string',
    default: APP.office.appId,
    description: 'the client app id of the token (default Microsoft Office, a FOCI client)',
  },
  whoami: {
    type: 'boolean',
    default: true,
    description: 'start with GET /v1.0/me, as most tools do',
  },
  hours: {
    type: 'enum',
    values: ['all', 'business'],
    default: 'all',
    description:
      "'business' pauses outside the tenant's business hours and resumes the next working morning, blending into the working day",
  },
} as const;

interface Req {
  t: number;
  uri: string;
  size: number;
  status: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

/** Plan every request of the listing (bounded: users / pageSize + letters). */
function planRequests(env: GenEnv, opts: Record<string, ResolvedOption>, r: Rng, t0: number): Req[] {
  const w = env.world;
  const pageSize = Math.max(1, Math.min(999, Number(opts.pageSize ?? 999)));
  const pace = opts.pace as { count: number; perMs: number } | undefined;
  const gap = pace && pace.count > 0 ? pace.perMs / pace.count : 500;
  const workers = Math.max(1, Math.min(50, Number(opts.concurrency ?? 1)));
  const top = pageSize === 100 ? '' : `$top=${pageSize}`;
  const perUser = r.int(480, 620);
  const tasks: { filter: string; count: number }[] = [];
  if (workers === 1) tasks.push({ filter: '', count: w.users.length });
  else {
    const counts = new Map<string, number>();
    for (const u of w.users) {
      const c = u.upn.charAt(0).toLowerCase();
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    for (const l of LETTERS)
      tasks.push({ filter: `$filter=startswith(userPrincipalName,'${l}')`, count: counts.get(l) ?? 0 });
  }
  const out: Req[] = [];
  const free = new Array<number>(workers).fill(t0);
  for (const task of tasks) {
    // the next free worker takes the task
    let wi = 0;
    for (let i = 1; i < workers; i++) if ((free[i] as number) < (free[wi] as number)) wi = i;
    let t = free[wi] as number;
    let left = task.count;
    let first = true;
    while (first || left > 0) {
      const n = Math.min(pageSize, left);
      const q = [
        task.filter,
        top,
        first ? '' : `$skiptoken=${skipTokenFor(r, 'https://graph.microsoft.com/v1.0/users', w)}`,
      ]
        .filter(Boolean)
        .join('&');
      out.push({
        t: Math.floor(t),
        uri: `https://graph.microsoft.com/v1.0/users${q ? `?${q}` : ''}`,
        size: 210 + n * perUser,
        status: 200,
      });
      left -= n;
      first = false;
      const latency = r.logNormal(350, 1400);
      t += Math.max(latency, gap * (0.8 + 0.4 * r.float()));
    }
    free[wi] = t;
  }
  out.sort((a, b) => a.t - b.t);
  return out;
}

function* campaignStream(
  env: GenEnv,
  plan: AttackPlan,
  opts: Record<string, ResolvedOption>,
  r: Rng,
  label: Label,
  facts: CampaignFacts,
): Generator<StreamItem> {
  const w = env.world;
  const kit = env.kit;
  const user = plan.user as User;
  const appId = String(opts.appId ?? APP.office.appId);
  const app = firstPartyApp(appId);
  const ua = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'python-requests/2.32.3');
  const point = plan.point;
  const rotating = point.kind === 'residential-proxy' || point.kind === 'tor';
  const ipAt = (t: number) =>
    rotating ? rotatingV4(point, mix32(plan.index, Math.floor(t / (10 * MINUTE)), 17)) : (point.v4[0] as string);
  let t = Math.floor(plan.start) + r.int(0, 40_000);

  // the victim's own session, for replayed tokens
  const victimSid = sessionIdFor(w, user, 0, sessionEpoch(w, user, 0, t));
  const stolen = plan.signIn === 'stolenToken' || plan.signIn === 'refreshToken';
  const sid = stolen ? victimSid : r.uuid();
  facts.sessions.add(sid);
  facts.appIds.add(appId);
  facts.principals.add(user.upn);
  facts.principals.add(user.id);

  const spec = (time: number, interactive: boolean): SignInSpec => ({
    time,
    category: interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    user,
    appId,
    appDisplayName: app?.displayName ?? appId,
    resource: RESOURCE.msGraph,
    point,
    ip: ipAt(time),
    device: null,
    userAgent: ua,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    method: interactive
      ? plan.signIn === 'mfa'
        ? 'mfa'
        : plan.signIn === 'deviceCode'
          ? 'deviceCode'
          : 'password'
      : 'refreshToken',
    mfaInSession: !interactive,
    sid,
  });

  // a few failed password attempts first, now and then
  if (plan.signIn === 'password' && r.bool(0.3)) {
    const fails = r.int(1, 2);
    for (let i = 0; i < fails; i++) {
      const res = kit.signIn(r, label, { ...spec(t, true), method: 'password' });
      // a failed attempt is rendered as a 50126 by forcing the outcome below
      for (const rec of res.records) {
        markFailed(rec.record);
        facts.ips.add(ipAt(t));
        yield rec;
      }
      t += r.int(20, 120) * SECOND + r.int(0, 999);
    }
  }
  let res = kit.signIn(r, label, spec(t, !stolen));
  let token: Token = res.token;
  facts.tokens.add(token.uti);
  facts.ips.add(ipAt(t));
  yield* res.records;
  t += r.int(3, 40) * SECOND + r.int(0, 999);

  const reqs: Req[] = [];
  if (opts.whoami !== false)
    reqs.push({ t, uri: 'https://graph.microsoft.com/v1.0/me', size: r.int(450, 700), status: 200 });
  const planned = planRequests(env, opts, r, t + r.int(1, 8) * SECOND + r.int(0, 999));
  for (const q of opts.hours === 'business' ? intoBusinessHours(env, r.fork('hours'), planned) : planned) reqs.push(q);

  for (const q of reqs) {
    // the dataset's window ends; a listing still running is cut there
    if (q.t >= env.to) break;
    yield q.t - 1000;
    if (q.t >= token.exp - 2 * MINUTE) {
      res = kit.signIn(r, label, spec(q.t - r.int(200, 900), false));
      token = res.token;
      facts.tokens.add(token.uti);
      facts.ips.add(ipAt(q.t));
      yield* res.records;
    }
    const ip = ipAt(q.t);
    facts.ips.add(ip);
    const rec = kit.graphRequest(r, label, {
      time: q.t,
      apiVersion: 'v1.0',
      method: 'GET',
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(r.logNormal(300_000, 1_600_000)),
      responseSizeBytes: q.size,
      ip,
      userAgent: ua,
      appId,
      userId: user.id,
      servicePrincipalId: null,
      scopes: scopesFor(appId),
      roles: null,
      wids: user.wids,
      tokenIssuedAt: token.iat,
      signInActivityId: token.uti,
      sessionId: sid,
      deviceId: null,
      clientAuthMethod: 0,
      // the listing script's own HTTP library: no client-request-id whatever its user agent says
      client: 'raw-http',
    });
    if (rec) yield rec;
  }
}

function markFailed(rec: Record<string, unknown>): void {
  if ('RecordType' in rec) {
    rec.Operation = 'UserLoginFailed';
    rec.ResultStatus = 'Failed';
    rec.ErrorNumber = '50126';
    rec.LogonError = 'InvalidUserNameOrPassword';
    const ext = rec.ExtendedProperties as { Name: string; Value: string }[];
    for (const e of ext) if (e.Name === 'ResultStatusDetail') e.Value = 'UserError';
    return;
  }
  const p = rec.properties as Record<string, unknown>;
  rec.resultType = '50126';
  rec.resultDescription = 'Error validating credentials due to invalid username or password.';
  p.status = { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.' };
  p.authenticationDetails = [
    {
      authenticationStepDateTime: p.createdDateTime,
      authenticationMethod: 'Password',
      succeeded: false,
      authenticationStepResultDetail: 'Invalid username or password or Invalid on-premise username or password.',
      authenticationStepRequirement: 'Primary authentication',
    },
  ];
  p.conditionalAccessStatus = 'notApplied';
  p.authenticationRequirement = 'singleFactorAuthentication';
  p.authenticationRequirementPolicies = [];
}

export const graphUserListing: TechniqueModule = {
  info: {
    id: 'graph-user-listing',
    name: 'Graph user listing',
    kind: 'technique',
    attack: ['T1087.004'],
    summary:
      'a principal pages through GET /v1.0/users with a chosen page size, pace, concurrency, user agent and app id',
    description:
      "The attacker holds a user's credentials or tokens, signs in (or replays a stolen session) and lists every user through Microsoft Graph, following @odata.nextLink until the directory is exhausted — what GraphRunner's Get-AzureADUsers, TeamFiltration and AzureHound's user collection do. Only the Microsoft Graph activity logs see the listing itself; the sign-in logs see the session and token it used, and the UAL sees at most the interactive sign-in. Page size, pace and concurrency make it loud (999 per page, many workers) or low and slow (100 per page, one a minute); with `hours: business`, a first-party app id and a browser user agent it pauses every evening and blends into the working day.",
    options: OPTIONS,
    behaviour: [rawHttpClientBehaviour('the python-requests script'), operatorSessionBehaviour()],
    observability: [
      { source: 'graphActivity', shows: 'every GET /v1.0/users page with the session and token' },
      { source: 'signIns', context: true, shows: 'the sign-in and token refreshes from the attacker network' },
      { source: 'ual', context: true, shows: 'the interactive sign-in only (RecordType 15), not the listing' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    const e = plan.entry;
    const r = rngStream(env.seed, 'technique', e.id);
    const opts = resolveOptions(OPTIONS, e.options, r.fork('options'));
    const label: Label = {
      actor: `attack:${e.id}`,
      kind: 'technique',
      module: 'graph-user-listing',
      campaign: e.id,
      malicious: true,
    };
    const facts: CampaignFacts = {
      id: e.id,
      technique: 'graph-user-listing',
      attack: ['T1087.004'],
      principals: new Set(),
      sessions: new Set(),
      tokens: new Set(),
      ips: new Set(),
      appIds: new Set(),
      start: plan.start,
      end: plan.start,
      options: optionsForTruth(opts),
    };
    const actor: Actor & { campaign: CampaignFacts } = {
      id: `attack:${e.id}`,
      label,
      principals: plan.user ? [plan.user.upn] : [],
      campaign: facts,
      stream: () => campaignStream(env, plan, opts, r.fork('stream'), label, facts),
    };
    return actor;
  },
};
