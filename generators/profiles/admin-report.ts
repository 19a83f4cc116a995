/**
 * admin-report — an administrator's scheduled tenant reports: mailboxes, licences, MFA status,
 * group membership, devices and roles, listed in full every week.
 *
 * telemetry.md §4: the Exchange admin's weekly `Get-Mailbox -ResultSize Unlimited` report (EXO V3
 * REST, app `fb78d390-…`: the sign-in is all the real service shows — Get-* cmdlets are not
 * audited, so RecordType 1 appears only under the `exo-get-cmdlets-audited` hypothesis — plus
 * 4104 script blocks on the admin host) and licence reports `/users?$select=assignedLicenses&$top=999`
 * with `/subscribedSkus` from Microsoft Graph PowerShell (`14d82eec-…`, delegated). The widely
 * copied community report scripts also walk every user's authentication methods (the "MFA status
 * report": `Get-MgUserAuthenticationMethod` per user), every group's members, the devices and the
 * role assignments [U: common practice, e.g. o365reports.com scripts]. Run as a scheduled task on
 * the admin's jump host, the script refreshes a cached token (a non-interactive sign-in).
 *
 * Calibration: one run is ≈1.3–1.4 sequential Graph GETs per user in well under an hour on ≥ 4 of
 * Bert-JanP's resources (organization, users, groups, devices, roleManagement): ≈1,400 on a
 * 1,000-user tenant, 1,028 on fp-trap-no-attack's 800 users. So it trips the published hourly volume
 * rule (published-detections.md §2, 1,000 unique requests) on tenants of about 800 users or more,
 * and stays under it on smaller ones (test/generators/profiles/calibration.test.ts).
 */

import type { LabelledRecord } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { skipTokenFor } from '../records/index.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { APP, RESOURCE } from '../world/apps.js';
import type { User } from '../world/types.js';
import {
  AdminSession,
  actorsOf,
  EXO_PWSH_UA,
  GRAPH,
  GRAPH_PWSH_UA,
  graphCall,
  MINUTE,
  profileLabel,
  runTimes,
  scheduleOf,
} from './shared.js';

const ID = 'admin-report';
const REPORTS = ['mailboxes', 'licenses', 'mfa', 'groups', 'devices', 'roles'] as const;
/** Connect-MgGraph -Scopes … as the report scripts ask for them */
const SCOPES =
  'AuditLog.Read.All Device.Read.All Directory.Read.All Group.Read.All Organization.Read.All RoleManagement.Read.Directory User.Read.All UserAuthenticationMethod.Read.All openid profile email';

const OPTIONS = {
  reports: {
    type: 'list',
    values: REPORTS,
    default: REPORTS,
    description:
      '`mailboxes` (Get-Mailbox -ResultSize Unlimited | Get-MailboxStatistics), `licenses` (/subscribedSkus, /users?$select=assignedLicenses), `mfa` (every user’s authentication methods), `groups` (every group’s members), `devices`, `roles`',
  },
  mailboxStatistics: {
    type: 'boolean',
    default: true,
    description: 'pipe every mailbox into Get-MailboxStatistics (one cmdlet per mailbox)',
  },
} as const;

interface Step {
  t: number;
  /** 0 Graph GET, 1 EXO connect, 2 EXO cmdlet, 3 Graph connect */
  k: number;
  uri: string;
  size: number;
  target: User | null;
}

function plan(env: GenEnv, r: Rng, t0: number, reports: Set<string>, stats: boolean): { steps: Step[]; end: number } {
  const w = env.world;
  const steps: Step[] = [];
  let t = t0;
  const lat = () => Math.max(60, r.logNormal(180, 650));
  const get = (uri: string, size: number) => {
    steps.push({ t: Math.floor(t), k: 0, uri, size, target: null });
    t += lat();
  };
  const pages = (base: string, n: number, perItem: number) => {
    let left = n;
    let first = true;
    while (first || left > 0) {
      const k = Math.min(999, left);
      get(first ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`, 180 + k * perItem);
      left -= k;
      first = false;
    }
  };
  const graph = ['licenses', 'mfa', 'groups', 'devices', 'roles'].some((x) => reports.has(x));
  if (graph) {
    steps.push({ t: Math.floor(t), k: 3, uri: '', size: 0, target: null });
    t += r.int(2, 6) * 1000;
    get(`${GRAPH}/v1.0/organization`, r.int(2200, 3400));
  }
  const members = w.people.filter((u) => u.kind === 'member');
  if (reports.has('licenses') || reports.has('mfa')) {
    if (reports.has('licenses')) get(`${GRAPH}/v1.0/subscribedSkus`, r.int(2500, 9000));
    pages(
      `${GRAPH}/v1.0/users?$select=id,displayName,userPrincipalName,assignedLicenses,accountEnabled,department,usageLocation&$top=999`,
      w.people.length,
      r.int(330, 460),
    );
  }
  if (reports.has('mfa')) {
    for (const u of members) get(`${GRAPH}/v1.0/users/${u.id}/authentication/methods`, r.int(380, 1500));
  }
  if (reports.has('groups')) {
    pages(
      `${GRAPH}/v1.0/groups?$select=id,displayName,groupTypes,securityEnabled,mail&$top=999`,
      w.groups.length,
      r.int(300, 420),
    );
    for (const g of w.groups) {
      let left = g.members;
      let first = true;
      while (first || left > 0) {
        const k = Math.min(999, left);
        const base = `${GRAPH}/v1.0/groups/${g.id}/members?$select=id,displayName,userPrincipalName&$top=999`;
        get(first ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`, 160 + k * 190);
        left -= k;
        first = false;
      }
    }
  }
  if (reports.has('devices')) {
    pages(
      `${GRAPH}/v1.0/devices?$select=id,displayName,operatingSystem,operatingSystemVersion,approximateLastSignInDateTime,trustType,isCompliant&$top=999`,
      env.scenario.tenant.devices,
      r.int(420, 560),
    );
  }
  if (reports.has('roles')) {
    get(
      `${GRAPH}/v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName,isBuiltIn`,
      r.int(60_000, 90_000),
    );
    get(`${GRAPH}/v1.0/roleManagement/directory/roleAssignments?$expand=principal`, 400 + w.admins.length * 1200);
  }
  if (reports.has('mailboxes')) {
    t += r.int(5, 40) * 1000;
    steps.push({ t: Math.floor(t), k: 1, uri: '', size: 0, target: null });
    t += r.int(4, 12) * 1000;
    steps.push({ t: Math.floor(t), k: 2, uri: 'Get-Mailbox', size: 0, target: null });
    // Get-Mailbox -ResultSize Unlimited returns in pages internally; a few seconds per thousand
    t += (members.length / 1000) * r.int(4, 12) * 1000 + 2000;
    if (stats) {
      for (const u of members) {
        steps.push({ t: Math.floor(t), k: 2, uri: 'Get-MailboxStatistics', size: 0, target: u });
        t += Math.max(120, r.logNormal(350, 1200));
      }
    }
  }
  return { steps, end: t };
}

function* reportStream(env: GenEnv, entry: ProfileEntry, u: User, actorId: string): Generator<StreamItem> {
  const r = rngStream(env.seed, ID, entry.id, u.index);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const reports = new Set((opts.reports as readonly string[] | undefined) ?? REPORTS);
  const stats = opts.mailboxStatistics !== false;
  const label = profileLabel(actorId, ID);
  const session = new AdminSession(env, u, label, r.fork('session'));
  const times = runTimes(scheduleOf(entry, { kind: 'cron', cron: '0 7 * * 1' }), env, r.fork('schedule'));
  let cursor = env.from;
  for (const [i, at] of times.entries()) {
    const rr = r.fork(`run${i}`);
    const t0 = Math.max(cursor, at + rr.int(2_000, 40_000));
    const { steps, end } = plan(env, rr, t0, reports, stats);
    cursor = end;
    for (const s of steps) {
      if (s.t >= env.to) break;
      yield s.t;
      const out: LabelledRecord[] = [];
      switch (s.k) {
        case 3:
          session.scriptBlock(
            rr,
            s.t - rr.int(1000, 5000),
            `Connect-MgGraph -Scopes "${SCOPES.split(' ').slice(0, 8).join('","')}" -NoWelcome\n${reportScript(reports)}`,
            out,
          );
          session.token(rr, s.t, APP.graphPowerShell, RESOURCE.msGraph, GRAPH_PWSH_UA, false, out, true);
          break;
        case 0: {
          const tok = session.token(rr, s.t, APP.graphPowerShell, RESOURCE.msGraph, GRAPH_PWSH_UA, false, out, true);
          if (!tok) break;
          const rec = graphCall(env, rr, label, session.caller(s.t, tok, GRAPH_PWSH_UA, SCOPES), s.t, s.uri, s.size);
          if (rec) out.push(rec);
          break;
        }
        case 1:
          session.scriptBlock(
            rr,
            s.t - rr.int(1000, 5000),
            `Connect-ExchangeOnline -UserPrincipalName ${u.upn} -ShowBanner:$false\nGet-Mailbox -ResultSize Unlimited${stats ? ' | Get-MailboxStatistics' : ''} | Select-Object DisplayName,PrimarySmtpAddress,TotalItemSize,ItemCount,LastLogonTime | Export-Csv -NoTypeInformation "$env:TEMP\\mailbox-report.csv"`,
            out,
          );
          session.token(rr, s.t, APP.exchangeRestPowerShell, RESOURCE.exchange, EXO_PWSH_UA, false, out, true);
          break;
        default: {
          const tok = session.token(
            rr,
            s.t,
            APP.exchangeRestPowerShell,
            RESOURCE.exchange,
            EXO_PWSH_UA,
            false,
            out,
            true,
          );
          if (!tok) break;
          if (s.target)
            session.exchangeCmdlet(rr, s.t, tok, s.uri, s.target.id, [{ Name: 'Identity', Value: s.target.upn }], out);
          else session.exchangeCmdlet(rr, s.t, tok, s.uri, '', [{ Name: 'ResultSize', Value: 'Unlimited' }], out);
        }
      }
      yield* out;
    }
    if (cursor < at) cursor = at + MINUTE;
  }
}

function reportScript(reports: Set<string>): string {
  const lines: string[] = [];
  if (reports.has('licenses')) lines.push('$skus = Get-MgSubscribedSku -All');
  if (reports.has('licenses') || reports.has('mfa'))
    lines.push(
      '$users = Get-MgUser -All -Property Id,DisplayName,UserPrincipalName,AssignedLicenses,AccountEnabled,Department,UsageLocation',
    );
  if (reports.has('mfa')) lines.push('foreach ($u in $users) { $m = Get-MgUserAuthenticationMethod -UserId $u.Id }');
  if (reports.has('groups')) lines.push('Get-MgGroup -All | ForEach-Object { Get-MgGroupMember -GroupId $_.Id -All }');
  if (reports.has('devices')) lines.push('Get-MgDevice -All');
  if (reports.has('roles')) lines.push('Get-MgRoleManagementDirectoryRoleAssignment -All -ExpandProperty Principal');
  return lines.join('\n');
}

export const adminReport: ProfileModule = {
  info: {
    id: ID,
    name: 'Admin report',
    kind: 'profile',
    attack: [],
    summary:
      "an admin's weekly scheduled reports: Get-Mailbox -ResultSize Unlimited, licence, MFA-status, group-membership, device and role listings over Graph PowerShell",
    description:
      "An administrator's scheduled task on their jump host runs the tenant reports every Monday at 07:00 (tenant time): Microsoft Graph PowerShell lists the licences (/subscribedSkus, /users?$select=assignedLicenses&$top=999), every user's authentication methods for the MFA-status report, every group's members, the devices and the role assignments; then Exchange Online PowerShell runs Get-Mailbox -ResultSize Unlimited | Get-MailboxStatistics. About 1.3–1.4 delegated GETs per user in a few minutes from one admin, a public client and a cached token (over a thousand on tenants of about 800 users or more): there it trips volume rules such as Bert-JanP's, whose threshold is 1,000 unique requests an hour; smaller tenants stay under it. The Exchange half is nearly invisible — a sign-in to the Exchange REST PowerShell app and, where endpoint logging exists, the script block — unless the exo-get-cmdlets-audited hypothesis turns each Get-* into a RecordType 1 record.",
    options: OPTIONS,
    observability: [
      { source: 'graphActivity', shows: 'the Graph PowerShell listings and per-user/per-group GETs, delegated' },
      {
        source: 'signIns',
        shows: 'non-interactive Graph PowerShell and Exchange PowerShell sign-ins from the admin host',
      },
      {
        source: 'ual',
        hypothesis: 'exo-get-cmdlets-audited',
        shows: 'Get-Mailbox -ResultSize Unlimited and Get-MailboxStatistics as RecordType 1',
      },
      { source: 'endpointPowerShell', shows: 'the report script blocks (4104) on the admin host' },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const pick = rngStream(env.seed, ID, entry.id).fork('select');
    const all = actorsOf(entry, env, pick, 'Global Administrator');
    // by default one admin owns the scheduled task; an explicit selector means each of them runs it
    const users = entry.actors ? all : all.length ? [pick.pick(all)] : [];
    return users.map((u) => {
      const id = `${entry.id}/${u.index}`;
      return {
        id,
        label: profileLabel(id, ID),
        principals: [u.upn, u.id],
        stream: () => reportStream(env, entry, u, id),
      };
    });
  },
};
