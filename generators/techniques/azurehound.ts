/**
 * azurehound — SpecterOps AzureHound `list` collecting the Entra directory for BloodHound over
 * Microsoft Graph (T1087.004, T1069.003; telemetry.md §3 "AzureHound details", §6).
 *
 * Collection order and endpoints as AzureHound's Go client sends them (SpecterOps/AzureHound@23735c8):
 * organization; users (`$select=…,signInActivity&$top=999`, retried without `signInActivity` after
 * a 403 when the caller may not read sign-in activity); groups (`$top=99`) then per group
 * `/beta/groups/{id}/owners?$top=99` and `/beta/groups/{id}/members?$select=…` (default page 100);
 * service principals (`$top=999`) then per SP `/beta/servicePrincipals/{id}/owners` and
 * `/v1.0/servicePrincipals/{id}/appRoleAssignedTo`; applications (`$top=99`) then per app owners and
 * federated identity credentials; devices (`$top=999`) then per device `registeredOwners`; role
 * definitions, one role-assignment query per role, eligibility schedule instances and role
 * management policy assignments. Query parameters are sorted and `%24`/`%2C`-encoded, as Go's
 * `url.Values.Encode` writes them; paging follows `@odata.nextLink` (`$skiptoken=`). Only GETs, no
 * `$batch`. `streams` concurrent workers (default 25, `--streamCount`) pull the request chains in
 * that order; each request costs a server latency drawn log-normally (median `latencyMs`) plus a
 * little client overhead, which puts a 10,000-user tenant at ≈17,000 GETs in 2–5 minutes.
 *
 * Sign-in: ROPC (`grant_type=password`, non-interactive, AuthenticationProtocol `ropc`) or a
 * refresh token, both forced to the Azure PowerShell client id; the same `azurehound/vX.Y.Z` user
 * agent on the token request and on every Graph call. When Conditional Access refuses ROPC (MFA
 * required), the operator falls back to a device-code phish and continues with its refresh token.
 */
import { SECOND } from '../../src/core/clock.js';
import type { Rng } from '../../src/core/rng.js';
import type { GenEnv } from '../compose/env.js';
import type { ResolvedOption } from '../compose/options.js';
import { type PagingDirectory, skipTokenFor } from '../records/index.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { APP } from '../world/apps.js';
import { directoryOf } from '../world/directory.js';
import type { AttackPlan, User } from '../world/types.js';
import {
  type CallSpec,
  emitGraph,
  initialSignIn,
  listOption,
  operatorSessionBehaviour,
  type RunArgs,
  rawHttpClientBehaviour,
  StreamPool,
  type ToolCtx,
  toolCampaign,
  toolCtx,
} from './tool-support.js';

export const AZUREHOUND_COLLECTIONS = [
  'organization',
  'users',
  'groups',
  'servicePrincipals',
  'applications',
  'devices',
  'roles',
] as const;

/** Roles that may read `signInActivity` in delegated calls (with AuditLog.Read.All) [V: Graph docs]. */
const SIGNIN_ACTIVITY_READERS = new Set([
  'Global Administrator',
  'Global Reader',
  'Security Administrator',
  'Security Reader',
  'Security Operator',
  'Reports Reader',
]);

const OPTIONS = {
  streams: {
    type: 'integer',
    default: 25,
    min: 1,
    max: 50,
    rangeable: true,
    description: 'concurrent request streams (`--streamCount`, 1–50)',
  },
  latencyMs: {
    type: 'integer',
    default: 260,
    min: 50,
    max: 5000,
    rangeable: true,
    description: 'median Graph latency per request in ms (p95 ≈ 2.6×); sets the run time with `streams`',
  },
  collect: {
    type: 'list',
    values: AZUREHOUND_COLLECTIONS,
    default: AZUREHOUND_COLLECTIONS,
    description: 'which collections to run (`azurehound list` collects all; its subcommands collect some)',
  },
  signInActivity: {
    type: 'enum',
    values: ['auto', 'granted', 'denied'],
    default: 'auto',
    description:
      'may the caller read signInActivity? auto: only with a reader role (Global/Security Reader, Reports Reader…); denied → one 403, then the retry without it',
  },
  userAgent: {
    type: 'string',
    default: 'azurehound/v2.9.2',
    description: 'the User-Agent on the token request and every Graph call (session.userAgent overrides it)',
  },
  appId: {
    type: 'string',
    default: APP.azurePowerShell.appId,
    description: 'client id of the token (ROPC and refresh-token flows force Azure PowerShell)',
  },
  notFoundRate: {
    type: 'number',
    default: 0.0008,
    min: 0,
    max: 0.1,
    description: 'share of per-object requests that 404 (objects deleted while the collection runs)',
  },
} as const;

const G = 'https://graph.microsoft.com';
const USER_SELECT =
  'accountEnabled%2CcreatedDateTime%2CdisplayName%2CjobTitle%2ClastPasswordChangeDateTime%2Cmail%2ConPremisesSecurityIdentifier%2ConPremisesSyncEnabled%2CuserPrincipalName%2CuserType%2Cid';

/**
 * The request AzureHound sends for a nextLink: it parses the link, sets its own parameters again
 * and re-encodes the whole query with Go's `url.Values.Encode` (keys sorted, `$` as `%24`), so the
 * service's `$skiptoken` goes out as `%24skiptoken` between `%24select` and `%24top`
 * (SpecterOps/AzureHound client/client.go getAzureObjectList, client/rest/http.go NewRequest).
 */
function goNextPage(base: string, token: string): string {
  const q = base.indexOf('?');
  const path = q < 0 ? base : base.slice(0, q);
  const params = q < 0 ? [] : base.slice(q + 1).split('&');
  params.push(`%24skiptoken=${token}`);
  const key = (p: string) => decodeURIComponent(p.slice(0, p.indexOf('=')));
  params.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return `${path}?${params.join('&')}`;
}

/** Pages of a listing: the first URL, then the nextLinks. Returns one CallSpec per page. */
function pages(
  r: Rng,
  dir: PagingDirectory,
  base: string,
  total: number,
  perPage: number,
  bytesPerItem: number,
  overheadBytes = 320,
): CallSpec[] {
  const out: CallSpec[] = [];
  let left = total;
  let first = true;
  while (first || left > 0) {
    const n = Math.min(perPage, left);
    out.push({
      uri: first ? base : goNextPage(base, skipTokenFor(r, base, dir)),
      size: overheadBytes + Math.round(n * bytesPerItem * (0.85 + 0.3 * r.float())),
      weight: 1 + n / 400,
    });
    left -= n;
    first = false;
  }
  return out;
}

/** Plan every request of the collection on the stream pool. */
export function planAzureHound(
  env: GenEnv,
  user: User,
  opts: Record<string, ResolvedOption>,
  r: Rng,
  t0: number,
): StreamPool {
  const w = env.world;
  const dir = directoryOf(w);
  const streams = Math.max(1, Math.min(50, Number(opts.streams ?? 25)));
  const median = Math.max(10, Number(opts.latencyMs ?? 260));
  const pool = new StreamPool(streams, t0, r.fork('pool'), { median, p95: median * 2.6, overhead: 15, minGap: 2 });
  const collect = listOption(opts.collect, AZUREHOUND_COLLECTIONS);
  const nf = Number(opts.notFoundRate ?? 0.0008);
  const rp = r.fork('plan');
  /** a per-object request, now and then a 404 */
  const obj = (uri: string, size: number): CallSpec =>
    rp.bool(nf) ? { uri, size: rp.int(230, 290), status: 404 } : { uri, size };
  const readyOf = (done: number[], i: number, per: number) => done[Math.min(done.length - 1, Math.floor(i / per))];

  if (collect.has('organization')) {
    pool.chain([
      {
        uri: `${G}/v1.0/organization?%24select=id%2CdisplayName%2CverifiedDomains%2CcountryLetterCode%2CtenantType`,
        size: rp.int(1800, 3600),
      },
    ]);
  }
  if (collect.has('users')) {
    const mode = String(opts.signInActivity ?? 'auto');
    const granted =
      mode === 'granted' || (mode === 'auto' && user.roles.some((x) => SIGNIN_ACTIVITY_READERS.has(x.name)));
    const withSia = `${G}/v1.0/users?%24select=${USER_SELECT}%2CsignInActivity&%24top=999`;
    const chain: CallSpec[] = [];
    if (granted) {
      // Graph serves at most 500 users per page when signInActivity is selected (telemetry.md §6)
      chain.push(...pages(rp, w, withSia, w.users.length, 500, 1250));
    } else {
      chain.push({ uri: withSia, status: 403, size: rp.int(280, 340) });
      chain.push(...pages(rp, w, `${G}/v1.0/users?%24select=${USER_SELECT}&%24top=999`, w.users.length, 999, 1000));
    }
    pool.chain(chain);
  }
  if (collect.has('groups')) {
    const done = pool.chain(pages(rp, w, `${G}/v1.0/groups?%24top=99`, w.groups.length, 99, 1450));
    w.groups.forEach((g, i) => {
      const ready = readyOf(done, i, 99);
      const owners = dir.groupOwners[i] ?? 0;
      pool.chain([obj(`${G}/beta/groups/${g.id}/owners?%24top=99`, 180 + owners * rp.int(560, 700))], ready);
      const members = obj(`${G}/beta/groups/${g.id}/members?%24select=id%2CdisplayName%2CcreatedDateTime`, 0);
      if (members.status === 404) pool.chain([members], ready);
      else pool.chain(pages(rp, w, members.uri, g.members, 100, 150, 200), ready);
    });
  }
  if (collect.has('servicePrincipals')) {
    const sps = w.servicePrincipals;
    const done = pool.chain(pages(rp, w, `${G}/v1.0/servicePrincipals?%24top=999`, sps.length, 999, 4200));
    sps.forEach((sp, i) => {
      const ready = readyOf(done, i, 999);
      const owners = dir.spOwners[i] ?? 0;
      const assigned = dir.spAssignments[i] ?? 0;
      pool.chain(
        [obj(`${G}/beta/servicePrincipals/${sp.id}/owners?%24top=999`, 180 + owners * rp.int(560, 700))],
        ready,
      );
      pool.chain(
        [obj(`${G}/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo?%24top=999`, 200 + assigned * rp.int(380, 460))],
        ready,
      );
    });
  }
  if (collect.has('applications')) {
    const apps = dir.applications;
    const done = pool.chain(pages(rp, w, `${G}/v1.0/applications?%24top=99`, apps.length, 99, 3100));
    apps.forEach((a, i) => {
      const ready = readyOf(done, i, 99);
      pool.chain([obj(`${G}/beta/applications/${a.objectId}/owners`, 180 + a.owners * rp.int(560, 700))], ready);
      pool.chain(
        [obj(`${G}/beta/applications/${a.objectId}/federatedIdentityCredentials`, 190 + a.federatedCredentials * 420)],
        ready,
      );
    });
  }
  if (collect.has('devices')) {
    const devs = dir.devices;
    const done = pool.chain(pages(rp, w, `${G}/v1.0/devices?%24top=999`, devs.length, 999, 1150));
    devs.forEach((d, i) => {
      pool.chain([obj(`${G}/beta/devices/${d.objectId}/registeredOwners`, rp.int(640, 820))], readyOf(done, i, 999));
    });
  }
  if (collect.has('roles')) {
    const roles = dir.roleDefinitions;
    const done = pool.chain([
      { uri: `${G}/v1.0/roleManagement/directory/roleDefinitions`, size: roles.length * rp.int(2200, 2800) },
    ]);
    const ready = done[0];
    for (const role of roles) {
      pool.chain(
        [
          {
            uri: `${G}/v1.0/roleManagement/directory/roleAssignments?%24expand=directoryScope&%24filter=roleDefinitionId+eq+%27${role.id}%27`,
            size: 240 + role.holders * rp.int(520, 640),
          },
        ],
        ready,
      );
    }
    const eligible = roles.reduce((s, x) => s + x.eligible, 0);
    pool.chain(
      [{ uri: `${G}/v1.0/roleManagement/directory/roleEligibilityScheduleInstances`, size: 260 + eligible * 610 }],
      ready,
    );
    pool.chain(
      [
        {
          uri: `${G}/v1.0/policies/roleManagementPolicyAssignments?%24filter=scopeId+eq+%27%2F%27+and+scopeType+eq+%27DirectoryRole%27`,
          size: roles.length * rp.int(380, 460),
        },
      ],
      ready,
    );
  }
  return pool;
}

function* run(env: GenEnv, plan: AttackPlan, opts: Record<string, ResolvedOption>, c0: RunArgs): Generator<StreamItem> {
  const ua = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'azurehound/v2.9.2');
  const c: ToolCtx = toolCtx(env, plan, c0.r, c0.label, c0.facts, String(opts.appId ?? APP.azurePowerShell.appId), ua);
  let t = Math.floor(plan.start) + c.r.int(0, 40_000);
  const token = yield* initialSignIn(c, t, { passwordInteractive: false });
  t = Math.max(t, token.iat) + c.r.int(1, 4) * SECOND + c.r.int(0, 999);
  const pool = planAzureHound(env, c.user, opts, c.r, t);
  yield* emitGraph(c, pool.sorted(), token);
}

export const azurehound: TechniqueModule = {
  info: {
    id: 'azurehound',
    name: 'AzureHound',
    kind: 'technique',
    attack: ['T1087.004', 'T1069.003'],
    summary:
      'AzureHound `list`: users, groups (+owners/members), SPs, apps, devices (+owners) and roles over Graph, 25 streams, azurehound/vX UA',
    description:
      "The attacker runs SpecterOps AzureHound with a compromised user's password (ROPC) or refresh token to collect the whole Entra directory for BloodHound: the organization, every user (first asking for signInActivity, which a non-reader is refused with a 403, then again without it), every group with its owners and members, every service principal with its owners and app role assignments, every application with its owners and federated credentials, every device with its registered owners, and every role definition with its assignments. Twenty-five concurrent streams make a 10,000-user tenant cost about 17,000 GETs in two to five minutes, all under one token, one session and one IP, with the azurehound/v2.9.2 user agent unless the operator changes it. Only the Microsoft Graph activity logs see the collection; the sign-in logs see the ROPC or refresh-token sign-in to the Azure PowerShell client with the same user agent; the UAL sees at most that sign-in. Published rules: Cloudbrothers' path signature (≥ 11 of 14 normalised paths), the azurehound user-agent rules (Cloudbrothers, Elastic, Splunk, Sigma) and Bert-JanP's hourly volume rule.",
    options: OPTIONS,
    behaviour: [
      rawHttpClientBehaviour(
        "AzureHound's Go net/http client (client/rest sets only User-Agent, Accept and Content-Type)",
      ),
      "Microsoft Graph activity: `requestUri` query strings with their keys sorted and `$` and `,` percent-encoded (`?%24select=id%2CdisplayName&%24top=999`, the service's `$skiptoken` re-sent as `%24skiptoken`): Go's `url.Values.Encode` re-encodes the whole query, where Microsoft's clients and the portals send a literal `$`. The log is taken to keep the client's encoding — telemetry.md's AzureHound row shows `%24`, though whether Graph ever decodes it is unverified [U].",
      operatorSessionBehaviour(),
    ],
    observability: [
      {
        source: 'graphActivity',
        shows:
          'every GET of the collection (≈1.7 per user on the reference tenant mix: 2 per group, SP and app, 1 per device, 1 per 999 users), the 403 on signInActivity, UA and session',
      },
      {
        source: 'signIns',
        context: true,
        shows: 'the ROPC or refresh-token sign-in to Azure PowerShell with the azurehound UA',
      },
      { source: 'ual', context: true, shows: 'at most the sign-in (RecordType 15), not the collection' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return toolCampaign(azurehound.info, OPTIONS, plan, env, (c) => run(env, plan, c.opts, c));
  },
};
