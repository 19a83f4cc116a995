/**
 * The tenant's own and its vendors' apps reading the directory app-only, around the clock: an HR
 * sync on an Azure VM, a ticketing integration, a phone-directory export on a hosting VPS, a
 * security vendor's posture scanner. Each signs in with its client credential (a
 * ServicePrincipalSignInLogs row per token, hourly) and makes Graph calls with ClientAuthMethod 1
 * or 2, its application roles and the app-only `wids`, no user and no device — the shape every
 * app-only attacker has too. Rates are judgements (docs/profiles/workforce.md "App-only traffic");
 * the one real mixed sample in the reference is 290 app-only rows to 45 delegated (telemetry.md §1b).
 */
import { HOUR, MINUTE } from '../../src/core/clock.js';
import type { Label } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { GenEnv, Token } from '../compose/env.js';
import type { Actor, StreamItem } from '../registry-types.js';
import { HOSTING, type NetworkPoint, pointOn, VENDOR_CLOUDS } from '../world/networks.js';
import type { ServicePrincipal, User, World } from '../world/types.js';
import { appSignIn, type Caller, GRAPH, graphCall, profileLabel } from './shared.js';

/** What an app-only integration is: its user agent, roles, where it runs and how often it calls. */
interface Integration {
  userAgent: string;
  roles: string;
  /** mean calls per hour */
  perHour: number;
  hosting: 'vendor-cloud' | 'vps';
}

const INTEGRATIONS: readonly Integration[] = [
  {
    userAgent: 'Microsoft.Graph.Core/3.1.17',
    roles: 'User.Read.All Group.Read.All',
    perHour: 12,
    hosting: 'vendor-cloud',
  },
  { userAgent: 'python-requests/2.32.3', roles: 'User.Read.All', perHour: 6, hosting: 'vps' },
  { userAgent: 'Go-http-client/2.0', roles: 'Directory.Read.All', perHour: 8, hosting: 'vendor-cloud' },
  {
    userAgent: 'okhttp/4.12.0',
    roles: 'User.Read.All Group.Read.All Device.Read.All',
    perHour: 5,
    hosting: 'vendor-cloud',
  },
  { userAgent: 'Apache-HttpClient/4.5.14 (Java/17.0.12)', roles: 'User.Read.All', perHour: 4, hosting: 'vps' },
  { userAgent: 'axios/1.7.7', roles: 'User.Read.All GroupMember.Read.All', perHour: 6, hosting: 'vendor-cloud' },
];

/** The one actor of a workforce entry that runs the tenant's app-only integrations. */
export function appOnlyActor(entryId: string, env: GenEnv, n: number): Actor {
  const w = env.world;
  const id = `${entryId}/apps`;
  const label: Label = profileLabel(id, 'workforce');
  const r0 = rngStream(env.seed, 'workforce', entryId, 'apps');
  const candidates = w.servicePrincipals.filter((p) => p.kind !== 'firstParty');
  const apps = Array.from({ length: n }, (_, i) => {
    const r = r0.fork(i);
    const sp: ServicePrincipal = candidates.length
      ? (candidates[(i * 7 + r.int(0, candidates.length - 1)) % candidates.length] as ServicePrincipal)
      : {
          id: r.uuid(),
          appId: r.uuid(),
          displayName: `Integration ${i + 1}`,
          kind: 'tenantApp',
          credential: 'certificate',
          keyId: r.uuid(),
        };
    const kind = INTEGRATIONS[i % INTEGRATIONS.length] as Integration;
    const point = pointOn(r, r.pick(kind.hosting === 'vps' ? HOSTING : VENDOR_CLOUDS), 2, 0);
    return { sp, kind, point, r };
  });
  return {
    id,
    label,
    principals: apps.map((a) => a.sp.id),
    lead: 0,
    stream: () => appsStream(env, w, label, apps),
  };
}

interface Running {
  sp: ServicePrincipal;
  kind: Integration;
  point: NetworkPoint;
  r: Rng;
}

function* appsStream(env: GenEnv, w: World, label: Label, apps: readonly Running[]): Generator<StreamItem> {
  // one merged, time-ordered plan of every app's calls
  const plan: { t: number; app: number }[] = [];
  apps.forEach((a, i) => {
    let t = env.from + a.r.float() * HOUR;
    const mean = HOUR / a.kind.perHour;
    for (;;) {
      t += a.r.exponential(mean);
      if (t >= env.to) break;
      plan.push({ t: Math.floor(t), app: i });
    }
  });
  plan.sort((x, y) => x.t - y.t || x.app - y.app);
  const tokens: (Token | null)[] = apps.map(() => null);
  for (const q of plan) {
    const a = apps[q.app] as Running;
    yield q.t;
    const ip = a.point.v4[q.t % a.point.v4.length] as string;
    let tok = tokens[q.app] ?? null;
    if (!tok || tok.exp < q.t + 5 * MINUTE) {
      const res = appSignIn(env, a.r, label, a.sp, q.t, a.point, ip);
      tok = res.token;
      tokens[q.app] = tok;
      yield* res.records;
    }
    const caller: Caller = {
      ip,
      userAgent: a.kind.userAgent,
      token: tok,
      user: null,
      sp: a.sp,
      roles: a.kind.roles,
      scopes: null,
      deviceId: null,
    };
    const c = appCall(w, a.r);
    const rec = graphCall(env, a.r, label, caller, q.t + a.r.int(200, 1500), c.uri, c.size, c.status);
    if (rec) yield rec;
  }
}

/** What integrations read: one user (changes since the last run), a group's members, licences. */
function appCall(w: World, r: Rng): { uri: string; size: number; status: number } {
  const u = w.people[r.int(0, w.people.length - 1)] as User;
  const roll = r.float();
  if (roll < 0.45)
    return {
      uri: `${GRAPH}/v1.0/users/${u.id}?$select=id,displayName,mail,department,jobTitle,accountEnabled`,
      size: r.int(380, 800),
      status: 200,
    };
  if (roll < 0.65 && w.groups.length) {
    const g = w.groups[r.int(0, w.groups.length - 1)];
    return {
      uri: `${GRAPH}/v1.0/groups/${g?.id}/members?$select=id,mail&$top=999`,
      size: r.int(400, 40_000),
      status: 200,
    };
  }
  if (roll < 0.8)
    return {
      uri: `${GRAPH}/v1.0/users/${u.id}/manager?$select=id,mail`,
      size: r.int(250, 500),
      status: r.bool(0.88) ? 200 : 404,
    };
  if (roll < 0.92) return { uri: `${GRAPH}/v1.0/subscribedSkus`, size: r.int(3000, 9000), status: 200 };
  return { uri: `${GRAPH}/v1.0/users/${encodeURIComponent(u.upn)}`, size: r.int(380, 800), status: 200 };
}
