/**
 * license-script — a weekly licence inventory over Microsoft Graph PowerShell (or an automation app).
 *
 * telemetry.md §4 "Licence / inventory scripts": Microsoft Graph PowerShell
 * `14d82eec-204b-4c2f-b7e8-296a70dab67e` (delegated), Azure CLI, or an app registration with a
 * certificate; weekly or monthly `/users?$select=assignedLicenses,…&$top=999` and `/subscribedSkus`,
 * from an admin workstation or automation (Azure Automation addresses). A licence report is a few
 * pages: the whole directory in ⌈users/999⌉ requests — a full listing that no volume rule sees.
 */

import type { LabelledRecord } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv, Token } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { skipTokenFor } from '../records/index.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { APP, RESOURCE } from '../world/apps.js';
import type { ServicePrincipal, User } from '../world/types.js';
import {
  AdminSession,
  actorsOf,
  appSignIn,
  type Caller,
  GRAPH,
  GRAPH_PWSH_UA,
  graphCall,
  MINUTE,
  profileLabel,
  runTimes,
  scheduleOf,
  vendorEgress,
} from './shared.js';

const ID = 'license-script';
const SCOPES = 'Organization.Read.All User.Read.All openid profile email';
const ROLES = 'Organization.Read.All User.Read.All';

const OPTIONS = {
  mode: {
    type: 'enum',
    values: ['delegated', 'app'],
    default: 'delegated',
    description:
      '`delegated`: an admin’s scheduled Graph PowerShell on their workstation; `app`: an Azure Automation runbook with the tenant’s own app registration and a certificate',
  },
  perUserDetails: {
    type: 'boolean',
    default: false,
    description: 'also GET /users/{id}/licenseDetails for every user (Get-MgUserLicenseDetail in a loop)',
  },
} as const;

interface Req {
  t: number;
  uri: string;
  size: number;
}

function plan(env: GenEnv, r: Rng, t0: number, perUser: boolean): Req[] {
  const w = env.world;
  const out: Req[] = [];
  let t = t0;
  const get = (uri: string, size: number) => {
    out.push({ t: Math.floor(t), uri, size });
    t += Math.max(60, r.logNormal(200, 800));
  };
  get(`${GRAPH}/v1.0/subscribedSkus`, r.int(2500, 9000));
  const base = `${GRAPH}/v1.0/users?$select=id,displayName,userPrincipalName,assignedLicenses,accountEnabled,usageLocation,department,createdDateTime&$top=999`;
  let left = w.people.length;
  let first = true;
  while (first || left > 0) {
    const k = Math.min(999, left);
    get(first ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`, 180 + k * r.int(360, 480));
    left -= k;
    first = false;
  }
  if (perUser) for (const u of w.people) get(`${GRAPH}/v1.0/users/${u.id}/licenseDetails`, r.int(500, 2400));
  return out;
}

/** The tenant's own automation app (a tenant app registration with a certificate), or a stable made-up one. */
function automationApp(env: GenEnv, r: Rng): ServicePrincipal {
  const w = env.world;
  const own = w.servicePrincipals.filter((p) => p.kind === 'tenantApp');
  const hit = own.find((p) => /automation|reporting/.test(p.displayName) && p.credential === 'certificate');
  if (hit) return hit;
  return {
    id: r.uuid(),
    appId: r.uuid(),
    displayName: `${w.orgName}-licence-reporting`,
    kind: 'tenantApp',
    credential: 'certificate',
    keyId: r.uuid(),
  };
}

function* scriptStream(env: GenEnv, entry: ProfileEntry, u: User | null, actorId: string): Generator<StreamItem> {
  const r = rngStream(env.seed, ID, entry.id, u?.index ?? 'app');
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const perUser = opts.perUserDetails === true;
  const label = profileLabel(actorId, ID);
  const session = u ? new AdminSession(env, u, label, r.fork('session')) : null;
  const sp = u ? null : automationApp(env, rngStream(env.seed, ID, entry.id).fork('app'));
  // Azure Automation egress: Microsoft's cloud (AS8075)
  const point = vendorEgress(r.fork('egress'), env.world.offices[0]?.country ?? 'US', 8075, 1);
  const times = runTimes(scheduleOf(entry, { kind: 'cron', cron: '0 6 * * 1' }), env, r.fork('schedule'));
  let cursor = env.from;
  for (const [i, at] of times.entries()) {
    const rr = r.fork(`run${i}`);
    const t0 = Math.max(cursor, at + rr.int(3_000, 50_000));
    const reqs = plan(env, rr, t0, perUser);
    cursor = (reqs.at(-1)?.t ?? t0) + 1;
    let appToken: Token | null = null;
    for (const [k, q] of reqs.entries()) {
      if (q.t >= env.to) break;
      yield q.t;
      const out: LabelledRecord[] = [];
      let caller: Caller | null = null;
      if (session) {
        if (k === 0) {
          session.scriptBlock(
            rr,
            q.t - rr.int(1500, 6000),
            `Connect-MgGraph -Scopes "User.Read.All","Organization.Read.All" -NoWelcome\n$skus = Get-MgSubscribedSku -All\nGet-MgUser -All -Property Id,DisplayName,UserPrincipalName,AssignedLicenses,AccountEnabled,UsageLocation,Department,CreatedDateTime${perUser ? ' | ForEach-Object { Get-MgUserLicenseDetail -UserId $_.Id }' : ''} | Export-Csv -NoTypeInformation licences.csv`,
            out,
          );
        }
        const tok = session.token(rr, q.t, APP.graphPowerShell, RESOURCE.msGraph, GRAPH_PWSH_UA, false, out, true);
        if (tok) caller = session.caller(q.t, tok, GRAPH_PWSH_UA, SCOPES);
      } else if (sp) {
        const ip = point.v4[0] as string;
        if (!appToken || q.t >= appToken.exp - 5 * MINUTE) {
          const res = appSignIn(env, rr, label, sp, q.t - rr.int(300, 1500), point, ip);
          appToken = res.token;
          out.push(...res.records);
        }
        caller = {
          ip,
          userAgent: GRAPH_PWSH_UA,
          token: appToken,
          user: null,
          sp,
          roles: ROLES,
          scopes: null,
          deviceId: null,
        };
      }
      if (caller) {
        const rec = graphCall(env, rr, label, caller, q.t, q.uri, q.size);
        if (rec) out.push(rec);
      }
      yield* out;
    }
  }
}

export const licenseScript: ProfileModule = {
  info: {
    id: ID,
    name: 'Licence script',
    kind: 'profile',
    attack: [],
    summary:
      'a weekly licence inventory: /subscribedSkus and /users?$select=assignedLicenses&$top=999 from Microsoft Graph PowerShell (delegated) or an automation app with a certificate',
    description:
      "Every Monday at 06:00 (tenant time) a licence report runs: by default an admin's scheduled Graph PowerShell (app 14d82eec-…, a refreshed delegated token, the admin's workstation), or with mode: app an Azure Automation runbook signing in as the tenant's own app registration with a certificate from Microsoft's cloud. It reads the subscribed SKUs and pages through every user 999 at a time with assignedLicenses selected — the whole directory in a handful of requests, the same shape as a quick attacker listing with $top=999, from a Graph PowerShell client attackers also use. perUserDetails adds one licenseDetails request per user.",
    options: OPTIONS,
    observability: [
      { source: 'graphActivity', shows: '/subscribedSkus and /users?$select=assignedLicenses&$top=999 pages, weekly' },
      { source: 'signIns', shows: 'the Graph PowerShell token refresh (delegated) or the app sign-in (app mode)' },
      { source: 'endpointPowerShell', shows: 'the report script block (delegated mode, admin host)' },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const pick = rngStream(env.seed, ID, entry.id).fork('select');
    if (entry.options.mode === 'app') {
      const sp = automationApp(env, rngStream(env.seed, ID, entry.id).fork('app'));
      const id = entry.id;
      return [
        {
          id,
          label: profileLabel(id, ID),
          principals: [sp.id, sp.appId],
          stream: () => scriptStream(env, entry, null, id),
        },
      ];
    }
    const all = actorsOf(entry, env, pick, 'User Administrator');
    const users = entry.actors ? all : all.length ? [pick.pick(all)] : [];
    return users.map((u) => {
      const id = `${entry.id}/${u.index}`;
      return {
        id,
        label: profileLabel(id, ID),
        principals: [u.upn, u.id],
        stream: () => scriptStream(env, entry, u, id),
      };
    });
  },
};
