/**
 * roadrecon — Dirk-jan Mollema's ROADrecon `gather` dumping the directory over Azure AD Graph
 * (graph.windows.net), T1087.004 and T1069.003 (telemetry.md §3 "ROADrecon gather", §6;
 * dirkjanm/ROADtools@fc344df).
 *
 * `roadrecon auth` signs in to the Azure AD PowerShell client (`1b730954-…`, resource Azure AD
 * Graph) with a password (ROPC), a device code or a refresh token, through python-requests. `gather`
 * then lists, with aiohttp (`Python/3.x aiohttp/3.x`) and `api-version=1.61-internal`, every
 * top-level collection (users, tenantDetails, policies, servicePrincipals, groups,
 * administrativeUnits, applications, devices, directoryRoles, roleDefinitions, contacts,
 * oauth2PermissionGrants, authorizationPolicy, settings), following `odata.nextLink` at AAD Graph's
 * default page of 100 (no `$top`); then per object `groups/{id}/$links/members`, `/owners`,
 * `administrativeUnits/{id}/$links/members`, `directoryRoles/{id}/$links/members`,
 * `servicePrincipals/{id}/appRoleAssignedTo` and `/appRoleAssignments`, `devices` with
 * `$expand=registeredOwners`, `roleAssignments` and `eligibleRoleAssignments` filtered per role
 * definition, and the `keyCredentials` of applications and service principals. Concurrent tasks,
 * capped by the client at 600 requests per second (`MAX_REQ_PER_SEC`).
 *
 * Telemetry: AzureADGraphActivityLogs only — never MicrosoftGraphActivityLogs. That log carries the
 * request path only (`/v2/<tid>/users`, see `aadGraphBase`), not the query string, so paging shows as
 * repeated paths and the api-version as the `apiVersion` field.
 *
 * Valid period. Azure AD Graph is being retired: deprecated since 2020, feature-frozen, blocked for
 * tenant applications from 1 February 2025 unless granted extended access, and planned to stop
 * answering altogether in 2025 (Microsoft's retirement notices; the end date of access for
 * Microsoft first-party clients such as Azure AD PowerShell is [U]). AzureADGraphActivityLogs exist
 * as a diagnostic category since 2023 [U]. The module therefore models tenants between
 * AAD_GRAPH_VALIDITY.from and AAD_GRAPH_VALIDITY.until; a scenario dated later models a tenant where
 * Azure AD Graph still answers, which Microsoft no longer guarantees.
 */
import { SECOND } from '../../src/core/clock.js';
import type { Rng } from '../../src/core/rng.js';
import type { GenEnv } from '../compose/env.js';
import type { ResolvedOption } from '../compose/options.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { APP, RESOURCE } from '../world/apps.js';
import { directoryOf } from '../world/directory.js';
import { mix32 } from '../world/hash.js';
import type { AttackPlan } from '../world/types.js';
import {
  aadGraphBase,
  type CallSpec,
  emitAadGraph,
  initialSignIn,
  operatorSessionBehaviour,
  type RunArgs,
  StreamPool,
  type ToolCtx,
  toolCampaign,
  toolCtx,
} from './tool-support.js';

/** The period this emulation is valid for (Azure AD Graph retirement; see the module comment). */
export const AAD_GRAPH_VALIDITY = {
  from: '2023-01-01',
  until: '2025-08-31',
  note: 'Azure AD Graph retirement: blocked for tenant apps without extended access from 2025-02-01; full shutdown planned for 2025 [U for first-party clients]',
} as const;

const OPTIONS = {
  concurrency: {
    type: 'integer',
    default: 16,
    min: 1,
    max: 100,
    rangeable: true,
    description: 'concurrent aiohttp tasks (the client caps the total at 600 requests per second)',
  },
  latencyMs: {
    type: 'integer',
    default: 180,
    min: 20,
    max: 5000,
    rangeable: true,
    description: 'median Azure AD Graph latency per request in ms',
  },
  mfa: {
    type: 'boolean',
    default: false,
    description: '`gather --mfa`: one users/{id}?$select=strongAuthenticationDetail,objectId per user',
  },
  userAgent: {
    type: 'string',
    default: 'Python/3.11 aiohttp/3.9.5',
    description: 'the User-Agent of gather (aiohttp default; `-ua` overrides); token requests use python-requests',
  },
  appId: {
    type: 'string',
    default: APP.azureAdPowerShell.appId,
    description: 'client id of the token (`roadrecon auth -c`; default Azure AD PowerShell)',
  },
  apiVersion: {
    type: 'string',
    default: '1.61-internal',
    description: 'the api-version query parameter (logged as apiVersion)',
  },
} as const;

const TOP = [
  'users',
  'tenantDetails',
  'policies',
  'servicePrincipals',
  'groups',
  'administrativeUnits',
  'applications',
  'devices',
  'directoryRoles',
  'roleDefinitions',
  'contacts',
  'oauth2PermissionGrants',
  'authorizationPolicy',
  'settings',
] as const;

function* run(env: GenEnv, plan: AttackPlan, opts: Record<string, ResolvedOption>, a: RunArgs): Generator<StreamItem> {
  const ua = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'Python/3.11 aiohttp/3.9.5');
  const c: ToolCtx = toolCtx(env, plan, a.r, a.label, a.facts, String(opts.appId ?? APP.azureAdPowerShell.appId), ua);
  let t = Math.floor(plan.start) + c.r.int(0, 40_000);
  // `roadrecon auth` (adal/requests): its own user agent, resource Azure AD Graph
  const authCtx: ToolCtx = { ...c, ua: 'python-requests/2.31.0' };
  const token = yield* initialSignIn(authCtx, t, { passwordInteractive: false, resource: RESOURCE.aadGraph });
  // the operator runs `roadrecon gather` a little later
  t = Math.max(t, token.iat) + c.r.int(5, 90) * SECOND + c.r.int(0, 999);
  const pool = planRoadrecon(env, opts, c.r, t);
  yield* emitAadGraph(c, pool.sorted(), token, String(opts.apiVersion ?? '1.61-internal'));
}

/** Plan every request of `gather` on a pool of aiohttp tasks. */
export function planRoadrecon(env: GenEnv, opts: Record<string, ResolvedOption>, r: Rng, t0: number): StreamPool {
  const w = env.world;
  const dir = directoryOf(w);
  const tasks = Math.max(1, Math.min(100, Number(opts.concurrency ?? 16)));
  const median = Math.max(5, Number(opts.latencyMs ?? 180));
  // MAX_REQ_PER_SEC = 600 across all tasks
  const minGap = (tasks * 1000) / 600;
  const pool = new StreamPool(tasks, t0, r.fork('pool'), { median, p95: median * 2.8, overhead: 4, minGap });
  const rp = r.fork('plan');
  const base = aadGraphBase(w.tenantId);
  const page = 100;
  const listing = (path: string, n: number, bytes: number): CallSpec[] => {
    const out: CallSpec[] = [];
    let left = n;
    let first = true;
    while (first || left > 0) {
      const k = Math.min(page, left);
      out.push({
        uri: `${base}/${path}`,
        size: 260 + Math.round(k * bytes * (0.85 + 0.3 * rp.float())),
        weight: 1 + k / 200,
      });
      left -= k;
      first = false;
    }
    return out;
  };
  const seed = w.seed >>> 0;
  const adminUnits = w.users.length >= 500 ? 1 + (mix32(seed, 0xa0) % 4) : 0;
  const activatedRoles = dir.roleDefinitions.filter((x) => x.holders > 0);
  const contacts = Math.round(w.users.length * 0.02);
  const grants = Math.max(3, Math.round(w.servicePrincipals.length * 0.1));
  const counts: Record<(typeof TOP)[number], [number, number]> = {
    users: [w.users.length, 3600],
    tenantDetails: [1, 4200],
    policies: [4 + (mix32(seed, 0xb1) % 6), 900],
    servicePrincipals: [w.servicePrincipals.length, 5200],
    groups: [w.groups.length, 1700],
    administrativeUnits: [adminUnits, 600],
    applications: [dir.applications.length, 3900],
    devices: [dir.devices.length, 1500],
    directoryRoles: [activatedRoles.length, 800],
    roleDefinitions: [dir.roleDefinitions.length, 2400],
    contacts: [contacts, 900],
    oauth2PermissionGrants: [grants, 500],
    authorizationPolicy: [1, 1400],
    settings: [2, 1100],
  };
  // phase 1: every collection, each its own paging chain
  const done = new Map<string, number>();
  for (const name of TOP) {
    const [n, bytes] = counts[name];
    const d = pool.chain(listing(name, n, bytes));
    done.set(name, d[d.length - 1] as number);
  }
  // phase 2: links per object, once its collection is dumped
  const after = (name: string) => done.get(name) ?? t0;
  w.groups.forEach((g, i) => {
    pool.chain(listing(`groups/${g.id}/$links/members`, g.members, 120), after('groups'));
    pool.chain(
      [{ uri: `${base}/groups/${g.id}/owners`, size: 200 + (dir.groupOwners[i] ?? 0) * 2900 }],
      after('groups'),
    );
  });
  for (let i = 0; i < adminUnits; i++) {
    const id = `${mix32(seed, i, 0xa1).toString(16).padStart(8, '0')}-0000-4000-8000-${mix32(seed, i, 0xa2).toString(16).padStart(12, '0')}`;
    pool.chain(
      listing(`administrativeUnits/${id}/$links/members`, 5 + (mix32(seed, i) % 60), 120),
      after('administrativeUnits'),
    );
  }
  for (const role of activatedRoles) {
    pool.chain(listing(`directoryRoles/${role.id}/$links/members`, role.holders, 120), after('directoryRoles'));
  }
  w.servicePrincipals.forEach((sp, i) => {
    const ready = after('servicePrincipals');
    pool.chain(
      [{ uri: `${base}/servicePrincipals/${sp.id}/owners`, size: 200 + (dir.spOwners[i] ?? 0) * 2900 }],
      ready,
    );
    pool.chain(
      [{ uri: `${base}/servicePrincipals/${sp.id}/appRoleAssignedTo`, size: 220 + (dir.spAssignments[i] ?? 0) * 520 }],
      ready,
    );
    pool.chain([{ uri: `${base}/servicePrincipals/${sp.id}/appRoleAssignments`, size: rp.int(220, 1800) }], ready);
  });
  for (const app of dir.applications) {
    pool.chain(
      [{ uri: `${base}/applications/${app.objectId}/owners`, size: 200 + app.owners * 2900 }],
      after('applications'),
    );
  }
  // devices?$expand=registeredOwners, and the keyCredentials of apps and service principals
  pool.chain(listing('devices', dir.devices.length, 2100), after('devices'));
  pool.chain(listing('applications', dir.applications.length, 700), after('applications'));
  pool.chain(listing('servicePrincipals', w.servicePrincipals.length, 700), after('servicePrincipals'));
  for (const role of dir.roleDefinitions) {
    pool.chain([{ uri: `${base}/roleAssignments`, size: 240 + role.holders * 600 }], after('roleDefinitions'));
    pool.chain([{ uri: `${base}/eligibleRoleAssignments`, size: 240 + role.eligible * 650 }], after('roleDefinitions'));
  }
  if (opts.mfa === true) {
    for (const u of w.users) pool.chain([{ uri: `${base}/users/${u.id}`, size: rp.int(700, 1400) }], after('users'));
  }
  return pool;
}

export const roadrecon: TechniqueModule = {
  info: {
    id: 'roadrecon',
    name: 'ROADrecon gather',
    kind: 'technique',
    attack: ['T1087.004', 'T1069.003'],
    summary:
      'ROADrecon `gather`: every directory collection and per-object links over Azure AD Graph (1.61-internal), aiohttp UA, AADGraphActivityLogs only',
    description: `The attacker authenticates with ROADrecon to the Azure AD PowerShell client (ROPC, device code or a refresh token, through python-requests) and runs \`roadrecon gather\`: aiohttp tasks list every collection of Azure AD Graph (users, tenant details, policies, service principals, groups, administrative units, applications, devices, directory roles, role definitions, contacts, OAuth2 grants, the authorization policy, settings) with api-version 1.61-internal and 100 objects per page, then every group's and role's members, every owner, every service principal's app role assignments and every role assignment — a few thousand requests a minute, all with the "Python/3.x aiohttp/3.x" user agent. None of it reaches the Microsoft Graph activity logs: only AzureADGraphActivityLogs (request path, app, user, session, token) and the sign-in logs see it, so a tenant that exports only Microsoft Graph activity is blind. Elastic's aiohttp rule fires on five or more Azure AD Graph object types from one user within a minute. Valid for tenants from ${AAD_GRAPH_VALIDITY.from} to ${AAD_GRAPH_VALIDITY.until}: Azure AD Graph is being retired, and a scenario dated later models a tenant where it still answers.`,
    options: OPTIONS,
    behaviour: [operatorSessionBehaviour()],
    observability: [
      { source: 'aadGraphActivity', shows: 'every gather request (path, aiohttp UA, user, session, token)' },
      {
        source: 'signIns',
        context: true,
        shows: 'the sign-in to Azure AD PowerShell for Azure AD Graph and its refreshes',
      },
      { source: 'ual', context: true, shows: 'at most the sign-in (RecordType 15), not the dump' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return toolCampaign(roadrecon.info, OPTIONS, plan, env, (a) => run(env, plan, a.opts, a));
  },
};
