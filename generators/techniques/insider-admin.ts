/**
 * insider-admin — an administrator who legitimately lists the directory every week runs an
 * out-of-pattern full dump, at night (T1087.004, T1087.003, T1069.003). The hard case.
 *
 * Same account, same app (Microsoft Graph PowerShell, or Exchange Online PowerShell), same host,
 * same user agent and the same device session as the weekly licence report the `admin-report`
 * profile produces; what differs is the hour, the breadth (every user property, every group and its
 * members, or every mailbox) and, optionally, the network. Nothing about the principal, the app or
 * the client is new: only behaviour against the admin's own baseline can tell.
 */
import { MINUTE } from '../../src/core/clock.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
// the very strings the admin-report profile sends: the dump must not differ by user agent
import { EXO_PWSH_UA, GRAPH_PWSH_UA } from '../profiles/shared.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { APP, RESOURCE, scopesFor } from '../world/apps.js';
import type { AttackPlan, User } from '../world/types.js';
import { type CampaignParts, campaignActor, pause, perMinute, planListing } from './campaign.js';
import { recordIdAt, whereFor } from './exo-powershell-recon.js';
import { operatorSessionBehaviour } from './tool-support.js';

const ID = 'insider-admin';
const ATTACK = ['T1087.004', 'T1087.003', 'T1069.003'] as const;

/** Every property worth stealing, as a full dump selects them (the weekly report selects licences). */
const WIDE_SELECT =
  '$select=id,displayName,userPrincipalName,mail,jobTitle,department,officeLocation,mobilePhone,businessPhones,employeeId,manager,accountEnabled,createdDateTime,onPremisesSamAccountName,proxyAddresses';

const OPTIONS = {
  tool: {
    type: 'enum',
    values: ['graph-powershell', 'exo-powershell'],
    default: 'graph-powershell',
    description:
      "the tool of the admin's weekly report: Microsoft Graph PowerShell (Get-MgUser -All) or Exchange Online PowerShell (Get-Mailbox -ResultSize Unlimited)",
  },
  scope: {
    type: 'list',
    values: ['users', 'groups', 'groupMembers', 'servicePrincipals', 'applications'],
    default: ['users', 'groups', 'groupMembers'],
    description: 'what the dump walks with graph-powershell (the weekly report walks users only)',
  },
  wideSelect: {
    type: 'boolean',
    default: true,
    description: "select every useful user property (false: the weekly report's own `$select`, blending more)",
  },
  onHost: {
    type: 'boolean',
    default: true,
    description:
      "run on the admin's usual host and device session (false: a personal machine, new session, no 4104 events)",
  },
  pageSize: {
    type: 'integer',
    default: 999,
    min: 1,
    max: 999,
    rangeable: true,
    description: '`-PageSize` / `$top` per page, as the weekly report uses',
  },
  pace: {
    type: 'rate',
    default: '120/min',
    rangeable: true,
    description: 'requests per minute (lower it to stay under hourly volume rules)',
  },
  userAgent: {
    type: 'string',
    default: 'same',
    description: '"same" keeps the tool\'s own user agent, as the weekly report sends it; anything else is sent as is',
  },
} as const;

function* stream(env: GenEnv, plan: AttackPlan, p: CampaignParts): Generator<StreamItem> {
  const { label, facts, opts, rng: r } = p;
  const kit = env.kit;
  const w = env.world;
  const user = plan.user as User;
  const exo = opts.tool === 'exo-powershell';
  const app = exo ? APP.exchangeRestPowerShell : APP.graphPowerShell;
  const toolUa = exo ? EXO_PWSH_UA : GRAPH_PWSH_UA;
  const givenUa = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'same');
  const ua = givenUa === 'same' ? toolUa : givenUa;
  let t = Math.floor(plan.start) + r.int(0, 30_000);
  const where = whereFor(env, plan, user, r, t, opts.onHost !== false && user.adminHost !== null);
  const host = where.onHost ? user.adminHost : null;
  const pid = r.int(1200, 19_000);
  let k = 0;
  facts.principals.add(user.upn);
  facts.principals.add(user.id);
  facts.sessions.add(where.sid);
  facts.appIds.add(app.appId);
  facts.ips.add(where.ip);

  const script = function* (time: number, text: string): Generator<StreamItem> {
    if (!host) return;
    const sb = kit.scriptBlock(r, label, {
      time,
      computer: host.computer,
      eventRecordId: recordIdAt(user, w.day0, time, k++),
      userSid: host.sid,
      processId: pid,
      text,
    });
    if (sb) yield sb;
  };
  // a cached refresh token from the weekly run: no prompt, a non-interactive sign-in
  const spec = (time: number): SignInSpec => ({
    time,
    category: 'NonInteractiveUserSignInLogs',
    user,
    appId: app.appId,
    appDisplayName: app.displayName,
    resource: exo ? RESOURCE.exchange : RESOURCE.msGraph,
    point: where.point,
    ip: where.ip,
    device: where.device,
    userAgent: ua,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    method: 'refreshToken',
    mfaInSession: true,
    sid: where.sid,
  });

  yield t;
  yield* script(
    t,
    exo
      ? `Connect-ExchangeOnline -UserPrincipalName ${user.upn} -ShowBanner:$false`
      : 'Connect-MgGraph -Scopes "User.Read.All","Group.Read.All","Directory.Read.All" -NoWelcome',
  );
  t += pause(r, 2, 12);
  let res = kit.signIn(r, label, spec(t));
  let token: Token = res.token;
  facts.tokens.add(token.uti);
  yield* res.records;
  t += pause(r, 5, 60);

  if (exo) {
    const exoSession = r.uuid();
    facts.sessions.add(exoSession);
    for (const cmdlet of ['Get-Mailbox', 'Get-Recipient', 'Get-User']) {
      if (t >= env.to) return;
      yield t;
      yield* script(
        t,
        `${cmdlet} -ResultSize Unlimited | Export-Csv -Path .\\${cmdlet.slice(4).toLowerCase()}-all.csv -NoTypeInformation`,
      );
      let end = t;
      const objects = cmdlet === 'Get-Recipient' ? w.users.length + w.groups.length : w.users.length;
      for (let i = 0; i < Math.max(1, Math.ceil(objects / 1000)); i++) end += Math.round(r.logNormal(3500, 9000));
      const rec = kit.exchangeCmdlet(r, label, {
        time: end,
        cmdlet,
        objectId: '',
        user,
        ip: where.ip,
        token,
        parameters: [{ Name: 'ResultSize', Value: 'Unlimited' }],
        exoSessionId: exoSession,
      });
      if (rec) yield rec;
      t = end + pause(r, 10, 90);
    }
    return;
  }

  const scope = (Array.isArray(opts.scope) ? opts.scope : OPTIONS.scope.default) as string[];
  const pageSize = Math.max(1, Math.min(999, Number(opts.pageSize ?? 999)));
  const select = opts.wideSelect === false ? '$select=id,userPrincipalName,assignedLicenses' : WIDE_SELECT;
  yield t;
  if (scope.includes('users'))
    yield* script(
      t,
      `Get-MgUser -All -PageSize ${pageSize} -Property ${select.slice(8)} | Export-Csv -Path .\\users-all.csv -NoTypeInformation`,
    );
  if (scope.includes('groups') || scope.includes('groupMembers'))
    yield* script(
      t + pause(r, 1, 4),
      scope.includes('groupMembers')
        ? 'Get-MgGroup -All | ForEach-Object { $g = $_; Get-MgGroupMember -GroupId $g.Id -All | Select-Object @{n="Group";e={$g.DisplayName}},Id } | Export-Csv -Path .\\groups-all.csv -NoTypeInformation'
        : 'Get-MgGroup -All | Export-Csv -Path .\\groups-all.csv -NoTypeInformation',
    );
  const gap = 60_000 / Math.max(0.001, perMinute(opts.pace, 120));
  const reqs = planListing(w, r, t + pause(r, 2, 6), { collections: scope, pageSize, gapMs: gap, select });
  for (const q of reqs) {
    if (q.t >= env.to) break;
    yield q.t;
    if (q.t >= token.exp - 2 * MINUTE) {
      res = kit.signIn(r, label, spec(q.t - r.int(200, 900)));
      token = res.token;
      facts.tokens.add(token.uti);
      yield* res.records;
    }
    const rec = kit.graphRequest(r, label, {
      time: q.t,
      apiVersion: 'v1.0',
      method: 'GET',
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(r.logNormal(300_000, 1_600_000)),
      responseSizeBytes: q.size,
      ip: where.ip,
      userAgent: ua,
      appId: app.appId,
      userId: user.id,
      servicePrincipalId: null,
      scopes: scopesFor(app.appId),
      roles: null,
      wids: user.wids,
      tokenIssuedAt: token.iat,
      signInActivityId: token.uti,
      sessionId: where.sid,
      deviceId: where.device?.id ?? null,
      clientAuthMethod: 0,
      // the admin's own Graph PowerShell, whatever user agent the scenario gives it
      client: 'graph-sdk',
    });
    if (rec) yield rec;
  }
}

export const insiderAdmin: TechniqueModule = {
  info: {
    id: ID,
    name: 'Insider admin: out-of-pattern full dump',
    kind: 'technique',
    attack: ATTACK,
    summary:
      'an admin who lists the directory weekly runs a full dump at night with the same app, host, user agent and session',
    description:
      "An administrator runs a licence report every week (Get-MgUser -All from Microsoft Graph PowerShell on their admin workstation, or Get-Mailbox -ResultSize Unlimited in Exchange Online PowerShell): a bulk listing every volume rule has learned to allow. One night, from the same host, app, user agent and device session, they dump everything: every user with every useful property, every group and its members, or every mailbox and recipient. No new principal, app, client or token flow appears; the sign-in is a silent refresh of the weekly run's cached token. What gives it away is behaviour against the admin's own baseline: the hour, the breadth (groups and members, wide property lists), and 4104 script blocks exporting to CSV where the host's PowerShell is logged. Options make it blend more (the report's own $select, a slower pace, business hours via `at`) or less (a personal machine, every collection). Pair it with the admin-report profile for the same account.",
    options: OPTIONS,
    behaviour: [operatorSessionBehaviour()],
    observability: [
      {
        source: 'graphActivity',
        shows: "every page of the dump (graph-powershell), with the admin's usual app, user agent and session",
      },
      { source: 'signIns', context: true, shows: "a silent token refresh from the admin's usual device and network" },
      { source: 'ual', context: true, shows: 'at most the refresh (RecordType 15); no record of the dump' },
      {
        source: 'ual',
        hypothesis: 'exo-get-cmdlets-audited',
        shows: 'one RecordType 1 record per Get-* cmdlet (exo-powershell)',
      },
      { source: 'endpointPowerShell', shows: 'the Connect and export script blocks on the admin host' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return campaignActor(plan, env, ID, ATTACK, OPTIONS, (p) => stream(env, plan, p));
  },
};
