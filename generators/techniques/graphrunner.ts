/**
 * graphrunner — Beau Bullock's GraphRunner post-exploitation toolset for Microsoft Graph (T1087.004,
 * T1069.003; telemetry.md §3 "GraphRunner details", dafthack/GraphRunner@4ea4d95).
 *
 * `Get-GraphTokens` phishes a device code for the Microsoft Office client (`d3590ed6-…`, a FOCI
 * client) against Microsoft Graph: one interactive sign-in with AuthenticationProtocol `deviceCode`,
 * sent with a forged browser user agent (`Invoke-ForgeUserAgent`, default macOS Chrome 103). The
 * operator then runs, one after the other (single-threaded PowerShell, `Invoke-RestMethod`):
 * - `Invoke-GraphRecon`: `/v1.0/me`, `/v1.0/organization`, `/v1.0/domains`, the organization's sync
 *   settings, ten users' on-premises attributes, `/beta/directorySync`,
 *   `/beta/policies/authorizationPolicy`, and `POST /beta/roleManagement/directory/estimateAccess`
 *   (one request; with `-PermissionEnum` one per chunk of permission actions);
 * - `Get-AzureADUsers`: `GET /v1.0/users` with no `$top` (Graph's page of 100), following
 *   `@odata.nextLink` sequentially;
 * - `Get-SecurityGroups`: `/v1.0/groups?$filter=securityEnabled eq true`, then
 *   `/v1.0/groups/{id}/members` for each group;
 * - `Invoke-DumpApps`: `/v1.0/applications`, `/v1.0/servicePrincipals`, each app's consents through
 *   `servicePrincipals(appId='…')/appRoleAssignedTo`, `/v1.0/oauth2PermissionGrants`, and the client
 *   service principal and consenting user of each grant (`/servicePrincipals/{id}`, `/users/{id}`);
 * - optionally `Invoke-SearchMailbox` (`POST /v1.0/search/query`).
 * The modules built on plain `Invoke-RestMethod` (security groups, apps) send Windows PowerShell's
 * default user agent instead of the forged one [U exact string]. Operator pauses between modules.
 */
import { SECOND } from '../../src/core/clock.js';
import type { Rng } from '../../src/core/rng.js';
import type { GenEnv } from '../compose/env.js';
import type { ResolvedOption } from '../compose/options.js';
import { type PagingDirectory, skipTokenFor } from '../records/index.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { APP } from '../world/apps.js';
import { directoryOf } from '../world/directory.js';
import type { AttackPlan } from '../world/types.js';
import {
  attackerSignIn,
  type Call,
  type CallSpec,
  emitGraph,
  listOption,
  operatorSessionBehaviour,
  type RunArgs,
  rawHttpClientBehaviour,
  StreamPool,
  type ToolCtx,
  toolCampaign,
  toolCtx,
} from './tool-support.js';

/** `Invoke-ForgeUserAgent` with no -Device/-Browser (telemetry.md §3). */
export const GRAPHRUNNER_DEFAULT_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/103.0.0.0 Safari/537.36';
/** Windows PowerShell 5.1's Invoke-RestMethod default [U: exact build]. */
export const WINDOWS_POWERSHELL_UA =
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.2506';

export const GRAPHRUNNER_MODULES = ['graphRecon', 'users', 'securityGroups', 'dumpApps', 'searchMailbox'] as const;

const OPTIONS = {
  modules: {
    type: 'list',
    values: GRAPHRUNNER_MODULES,
    default: ['graphRecon', 'users', 'securityGroups', 'dumpApps'],
    description:
      'GraphRunner modules the operator runs, in this order: Invoke-GraphRecon, Get-AzureADUsers, Get-SecurityGroups, Invoke-DumpApps, Invoke-SearchMailbox',
  },
  permissionEnum: {
    type: 'boolean',
    default: false,
    description: 'Invoke-GraphRecon -PermissionEnum: one estimateAccess POST per chunk of permission actions',
  },
  latencyMs: {
    type: 'integer',
    default: 400,
    min: 50,
    max: 5000,
    rangeable: true,
    description: 'median Graph latency per request in ms (PowerShell adds ~100 ms per call)',
  },
  pause: {
    type: 'duration',
    default: '45s',
    min: '0s',
    max: '2h',
    rangeable: true,
    description: 'operator pause between two modules',
  },
  userAgent: {
    type: 'string',
    default: GRAPHRUNNER_DEFAULT_UA,
    description: 'the forged browser UA (Invoke-ForgeUserAgent; session.userAgent overrides it)',
  },
  appId: {
    type: 'string',
    default: APP.office.appId,
    description: 'client id of the device-code token (Get-GraphTokens: Microsoft Office)',
  },
} as const;

const G = 'https://graph.microsoft.com';

/** Sequential pages of a listing with Graph's default page of 100 (no `$top`). */
function pages(r: Rng, dir: PagingDirectory, base: string, n: number, bytes: number): CallSpec[] {
  const out: CallSpec[] = [];
  let left = n;
  let first = true;
  while (first || left > 0) {
    const k = Math.min(100, left);
    const sep = base.includes('?') ? '&' : '?';
    out.push({
      uri: first ? base : `${base}${sep}$skiptoken=${skipTokenFor(r, base, dir)}`,
      size: 230 + Math.round(k * bytes * (0.85 + 0.3 * r.float())),
      weight: 1 + k / 300,
    });
    left -= k;
    first = false;
  }
  return out;
}

interface Step {
  calls: CallSpec[];
  ua: 'forged' | 'powershell';
}

export function planGraphRunner(
  env: GenEnv,
  c: ToolCtx,
  opts: Record<string, ResolvedOption>,
  t0: number,
): { calls: Call[]; ua: Map<Call, string> } {
  const w = env.world;
  const dir = directoryOf(w);
  const r = c.r.fork('plan');
  const modules = listOption(opts.modules, ['graphRecon', 'users', 'securityGroups', 'dumpApps']);
  const median = Math.max(10, Number(opts.latencyMs ?? 400));
  const pool = new StreamPool(1, t0, r.fork('pool'), { median, p95: median * 2.5, overhead: 110, minGap: 20 });
  const pause = Number(opts.pause ?? 45_000);
  const steps: Step[] = [];
  if (modules.has('graphRecon')) {
    const calls: CallSpec[] = [
      { uri: `${G}/v1.0/me`, size: r.int(520, 760) },
      { uri: `${G}/v1.0/organization`, size: r.int(2600, 4800) },
      { uri: `${G}/v1.0/domains`, size: r.int(700, 2400) },
      {
        uri: `${G}/v1.0/organization?$select=onPremisesSyncEnabled,onPremisesLastSyncDateTime,onPremisesLastPasswordSyncDateTime`,
        size: r.int(300, 420),
      },
      {
        uri: `${G}/v1.0/users?$top=10&$select=onPremisesSyncEnabled,onPremisesDomainName,onPremisesSamAccountName`,
        size: r.int(1100, 1900),
      },
      { uri: `${G}/beta/directorySync`, size: r.int(400, 900) },
      { uri: `${G}/beta/policies/authorizationPolicy`, size: r.int(1300, 1900) },
    ];
    const posts = opts.permissionEnum === true ? r.int(18, 24) : 1;
    for (let i = 0; i < posts; i++)
      calls.push({ method: 'POST', uri: `${G}/beta/roleManagement/directory/estimateAccess`, size: r.int(900, 3200) });
    steps.push({ calls, ua: 'forged' });
  }
  if (modules.has('users')) steps.push({ calls: pages(r, w, `${G}/v1.0/users`, w.users.length, 1050), ua: 'forged' });
  if (modules.has('securityGroups')) {
    const sec = w.groups.filter((g) => g.kind === 'security');
    const calls = pages(r, w, `${G}/v1.0/groups?$filter=securityEnabled%20eq%20true`, sec.length, 1500);
    for (const g of sec) calls.push(...pages(r, w, `${G}/v1.0/groups/${g.id}/members`, g.members, 900));
    steps.push({ calls, ua: 'powershell' });
  }
  if (modules.has('dumpApps')) {
    const calls = pages(r, w, `${G}/v1.0/applications`, dir.applications.length, 3100);
    calls.push(...pages(r, w, `${G}/v1.0/servicePrincipals`, w.servicePrincipals.length, 4200));
    for (const a of dir.applications) {
      calls.push({
        uri: `${G}/v1.0/servicePrincipals(appId='${a.sp.appId}')/appRoleAssignedTo`,
        size: r.int(200, 2400),
      });
    }
    const grants = Math.max(3, Math.round(w.servicePrincipals.length * 0.1));
    calls.push({ uri: `${G}/v1.0/oauth2PermissionGrants`, size: 200 + grants * r.int(380, 460) });
    const clients = r.sample(w.servicePrincipals, Math.min(w.servicePrincipals.length, Math.ceil(grants / 3)));
    for (const sp of clients) calls.push({ uri: `${G}/v1.0/servicePrincipals/${sp.id}`, size: r.int(3000, 6000) });
    const consenting = r.sample(w.people, Math.min(w.people.length, Math.ceil(grants / 2)));
    for (const u of consenting) calls.push({ uri: `${G}/v1.0/users/${u.id}`, size: r.int(600, 900) });
    steps.push({ calls, ua: 'powershell' });
  }
  if (modules.has('searchMailbox')) {
    const n = r.int(2, 6);
    const calls: CallSpec[] = [];
    for (let i = 0; i < n; i++)
      calls.push({ method: 'POST', uri: `${G}/v1.0/search/query`, size: r.int(1500, 40_000) });
    steps.push({ calls, ua: 'forged' });
  }
  const ua = new Map<Call, string>();
  const forged = c.ua;
  steps.forEach((s, i) => {
    const before = pool.calls.length;
    const ready = i === 0 ? t0 : pool.end + pause * (0.6 + 0.8 * r.float());
    pool.chain(s.calls, ready);
    for (let k = before; k < pool.calls.length; k++)
      ua.set(pool.calls[k] as Call, s.ua === 'forged' ? forged : WINDOWS_POWERSHELL_UA);
  });
  return { calls: pool.sorted(), ua };
}

function* run(env: GenEnv, plan: AttackPlan, opts: Record<string, ResolvedOption>, a: RunArgs): Generator<StreamItem> {
  const ua = plan.entry.session.userAgent ?? String(opts.userAgent ?? GRAPHRUNNER_DEFAULT_UA);
  const c: ToolCtx = toolCtx(env, plan, a.r, a.label, a.facts, String(opts.appId ?? APP.office.appId), ua);
  let t = Math.floor(plan.start) + c.r.int(0, 40_000);
  const reuse = plan.signIn === 'refreshToken' || plan.signIn === 'stolenToken';
  // Get-GraphTokens: the device-code phish (or -Tokens with a refresh token already held)
  yield t;
  const res = yield* attackerSignIn(c, {
    time: t,
    interactive: !reuse,
    method: reuse ? plan.signIn : 'deviceCode',
    mfaInSession: false,
  });
  t = Math.max(t, res.token.iat) + c.r.int(10, 60) * SECOND + c.r.int(0, 999);
  const { calls, ua: uas } = planGraphRunner(env, c, opts, t);
  // emit in order, switching the UA per module (forged vs Invoke-RestMethod's default)
  let token = res.token;
  let i = 0;
  while (i < calls.length) {
    const u = uas.get(calls[i] as Call) ?? ua;
    let j = i;
    while (j < calls.length && (uas.get(calls[j] as Call) ?? ua) === u) j++;
    token = yield* emitGraph({ ...c, ua: u }, calls.slice(i, j), token);
    i = j;
  }
}

export const graphrunner: TechniqueModule = {
  info: {
    id: 'graphrunner',
    name: 'GraphRunner',
    kind: 'technique',
    attack: ['T1087.004', 'T1069.003'],
    summary:
      'GraphRunner after a device-code phish: Invoke-GraphRecon (estimateAccess), Get-AzureADUsers, Get-SecurityGroups, Invoke-DumpApps',
    description:
      "The attacker phishes a device code for the Microsoft Office client (GraphRunner's Get-GraphTokens) and works through GraphRunner's recon modules by hand, one request at a time: Invoke-GraphRecon reads /me, the organization, domains, sync settings, the authorization policy and POSTs roleManagement/directory/estimateAccess to learn what the stolen token may do; Get-AzureADUsers pages through every user 100 at a time; Get-SecurityGroups lists the security groups and each one's members; Invoke-DumpApps lists applications, service principals, their app role assignments and OAuth2 grants. The sign-in logs show the device-code sign-in (AuthenticationProtocol deviceCode) with a forged browser user agent; the Microsoft Graph activity logs show every request, the recon modules with the forged UA and the group and app modules with Windows PowerShell's. Published rules: Cloudbrothers' GraphRunner path signature (≥ 9 of 12 normalised paths), Chronicle's GraphRecon rule (estimateAccess + /me + authorizationPolicy within 5 minutes from one IP and session), Chronicle's user-and-group enumeration rule.",
    options: OPTIONS,
    behaviour: [
      rawHttpClientBehaviour("GraphRunner's Invoke-RestMethod, under its forged browser user agent,"),
      operatorSessionBehaviour(),
    ],
    observability: [
      {
        source: 'graphActivity',
        shows: 'every request of every module, session, token and the forged or PowerShell UA',
      },
      {
        source: 'signIns',
        context: true,
        shows: 'the device-code sign-in to Microsoft Office and the token refreshes',
      },
      { source: 'ual', context: true, shows: 'the interactive device-code sign-in (RecordType 15), not the recon' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return toolCampaign(graphrunner.info, OPTIONS, plan, env, (a) => run(env, plan, a.opts, a));
  },
};
