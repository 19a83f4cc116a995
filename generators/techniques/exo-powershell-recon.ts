/**
 * exo-powershell-recon — `Get-Recipient` / `Get-Mailbox` / `Get-User -ResultSize Unlimited` over
 * Exchange Online PowerShell (EXO V3, REST) (T1087.003, T1087.004, T1069.003).
 *
 * EXO V3 sends every cmdlet as `POST https://outlook.office365.com/adminapi/beta/<tid>/InvokeCommand`
 * and pages large results itself (telemetry.md §3, "EXO PowerShell recon"). Nothing of that reaches
 * MicrosoftGraphActivityLogs, and Exchange does not audit `Get-*` cmdlets (management-activity-api.md
 * §9), so what the tenant really keeps is the sign-in to the Exchange REST PowerShell app
 * (`fb78d390-…`, resource Office 365 Exchange Online) and, where script-block logging is on, 4104
 * events on the host that ran the commands. Under the `exo-get-cmdlets-audited` hypothesis the
 * RecordKit also writes one RecordType 1 ExchangeAdmin record per cmdlet in the documented shape.
 */
import { HOUR, MINUTE } from '../../src/core/clock.js';
import type { Rng } from '../../src/core/rng.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { APP, RESOURCE } from '../world/apps.js';
import type { NetworkPoint } from '../world/networks.js';
import type { AttackPlan, Device, User } from '../world/types.js';
import { type CampaignParts, campaignActor, pause } from './campaign.js';
import { operatorSessionBehaviour } from './tool-support.js';

const ID = 'exo-powershell-recon';
const ATTACK = ['T1087.003', 'T1087.004', 'T1069.003'] as const;

/** The UA EXO V3 (PowerShell 7 on Windows) presents to Entra [U: exact build]. */
export const EXO_PWSH_UA = 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6';

const CMDLETS = [
  'Get-Recipient',
  'Get-Mailbox',
  'Get-User',
  'Get-DistributionGroup',
  'Get-UnifiedGroup',
  'Get-DistributionGroupMember',
] as const;

const OPTIONS = {
  cmdlets: {
    type: 'list',
    values: CMDLETS,
    default: ['Get-Recipient', 'Get-Mailbox', 'Get-User'],
    description: 'the read cmdlets run, in order, each with -ResultSize Unlimited',
  },
  host: {
    type: 'enum',
    values: ['admin-host', 'attacker-machine'],
    default: 'admin-host',
    description:
      "where PowerShell runs: on the compromised admin's own workstation (hands-on-keyboard; 4104 events where endpoint logging is collected) or on the attacker's machine (no endpoint trace)",
  },
  export: {
    type: 'boolean',
    default: true,
    description: 'pipe each result to Export-Csv, as recon scripts do (visible in the 4104 text)',
  },
  think: {
    type: 'duration',
    default: '40s',
    min: '1s',
    max: '2h',
    rangeable: true,
    description: 'pause between cmdlets',
  },
} as const;

interface Where {
  point: NetworkPoint;
  ip: string;
  device: Device | null;
  sid: string;
  onHost: boolean;
}

/** Where the operator sits: the admin's own host and networks, or the attacker's machine and egress. */
export function whereFor(env: GenEnv, plan: AttackPlan, user: User, r: Rng, t: number, onHost: boolean): Where {
  const w = env.world;
  if (onHost) {
    const point =
      plan.network === 'corporate' && user.office
        ? user.office.egress
        : plan.network === 'home' || plan.network === 'corporate'
          ? user.home
          : plan.point;
    return {
      point,
      ip: point.v4[0] as string,
      device: user.devices[0] ?? null,
      sid: sessionIdFor(w, user, 0, sessionEpoch(w, user, 0, t)),
      onHost: true,
    };
  }
  return { point: plan.point, ip: plan.point.v4[0] as string, device: null, sid: r.uuid(), onHost: false };
}

/** EventRecordIDs for a campaign's 4104 events: above the host's benign counter, rising with time. */
export function recordIdAt(user: User, day0: number, t: number, k: number): number {
  return (user.adminHost?.recordBase ?? 0) + 100_000 + Math.floor((t - day0) / 250) * 4 + k;
}

function* stream(env: GenEnv, plan: AttackPlan, p: CampaignParts): Generator<StreamItem> {
  const { label, facts, opts, rng: r } = p;
  const kit = env.kit;
  const w = env.world;
  const user = plan.user as User;
  const onHost = opts.host !== 'attacker-machine' && user.adminHost !== null;
  let t = Math.floor(plan.start) + r.int(0, 30_000);
  const where = whereFor(env, plan, user, r, t, onHost);
  const host = onHost ? user.adminHost : null;
  const pid = r.int(1200, 19_000);
  const cmdlets = (Array.isArray(opts.cmdlets) ? opts.cmdlets : OPTIONS.cmdlets.default) as readonly string[];
  const think = Number(opts.think ?? 40_000);
  facts.principals.add(user.upn);
  facts.principals.add(user.id);
  facts.sessions.add(where.sid);
  facts.appIds.add(APP.exchangeRestPowerShell.appId);
  facts.ips.add(where.ip);
  let k = 0;

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

  const spec = (time: number, interactive: boolean): SignInSpec => ({
    time,
    category: interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    user,
    appId: APP.exchangeRestPowerShell.appId,
    appDisplayName: APP.exchangeRestPowerShell.displayName,
    resource: RESOURCE.exchange,
    point: where.point,
    ip: where.ip,
    device: where.device,
    userAgent: EXO_PWSH_UA,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    method: interactive ? (onHost ? 'mfa' : plan.signIn === 'deviceCode' ? 'deviceCode' : 'password') : 'refreshToken',
    mfaInSession: onHost || !interactive,
    sid: where.sid,
  });

  // connect: the script block is logged seconds before the sign-in it triggers
  yield t;
  yield* script(t, 'Import-Module ExchangeOnlineManagement');
  t += pause(r, 2, 9);
  yield* script(t, `Connect-ExchangeOnline -UserPrincipalName ${user.upn} -ShowBanner:$false`);
  t += pause(r, 3, 25);
  let res = kit.signIn(r, label, spec(t, true));
  let token: Token = res.token;
  facts.tokens.add(token.uti);
  yield* res.records;
  const exoSession = r.uuid();
  facts.sessions.add(exoSession);
  t += pause(r, 5, 40);

  const recipients = w.users.length + w.groups.length;
  for (const cmdlet of cmdlets) {
    if (t >= env.to) break;
    yield t;
    if (t >= token.exp - 5 * MINUTE) {
      // the module refreshes its token silently
      res = kit.signIn(r, label, spec(t, false));
      token = res.token;
      facts.tokens.add(token.uti);
      yield* res.records;
    }
    const file = `${cmdlet.slice(4).toLowerCase()}s.csv`;
    const base =
      cmdlet === 'Get-DistributionGroupMember'
        ? `Get-DistributionGroup -ResultSize Unlimited | ForEach-Object { Get-DistributionGroupMember -Identity $_.Identity -ResultSize Unlimited }`
        : `${cmdlet} -ResultSize Unlimited`;
    const text = opts.export === false ? base : `${base} | Export-Csv -Path .\\${file} -NoTypeInformation`;
    yield* script(t, text);
    // EXO V3 pages the result itself (InvokeCommand, 1000 objects a page): no record of its own
    const objects =
      cmdlet === 'Get-Recipient'
        ? recipients
        : cmdlet.includes('Group')
          ? Math.max(1, w.groups.length)
          : w.users.length;
    const pages = Math.max(1, Math.ceil(objects / 1000));
    let end = t;
    for (let i = 0; i < pages; i++) end += Math.round(r.logNormal(3500, 9000));
    const rec = kit.exchangeCmdlet(r, label, {
      time: Math.min(end, t + HOUR),
      cmdlet,
      objectId: '',
      user,
      ip: where.ip,
      token,
      parameters: [{ Name: 'ResultSize', Value: 'Unlimited' }],
      exoSessionId: exoSession,
    });
    if (rec) yield rec;
    t = end + Math.max(1000, Math.round(think * (0.6 + 0.8 * r.float())));
  }
  yield t;
  yield* script(t, 'Disconnect-ExchangeOnline -Confirm:$false');
}

export const exoPowershellRecon: TechniqueModule = {
  info: {
    id: ID,
    name: 'Exchange Online PowerShell recon',
    kind: 'technique',
    attack: ATTACK,
    summary:
      'Get-Recipient / Get-Mailbox / Get-User -ResultSize Unlimited over EXO V3 REST: a sign-in, 4104 events, no Graph and no audit record',
    description:
      'A compromised Exchange or Global administrator connects with Connect-ExchangeOnline and dumps every recipient, mailbox and user with -ResultSize Unlimited, exporting each to CSV — the classic AN1089 recon. EXO V3 sends every cmdlet as a REST InvokeCommand call to outlook.office365.com, which no Microsoft log records, and Exchange Online does not audit Get-* cmdlets ("Cmdlets that begin with the verbs Get-, Search-, or Test- aren\'t logged"). What really remains: the sign-in to the Exchange REST PowerShell app (fb78d390-0c51-40cd-8e17-fdbfab77341b, resource Office 365 Exchange Online) and, where script-block logging or Defender for Endpoint covers the admin\'s host, PowerShell 4104 events carrying the command lines. A detection written for RecordType 1 Get-Mailbox records will never fire in production; run it under the exo-get-cmdlets-audited hypothesis to exercise it anyway, and the report says so. Nothing appears in the Microsoft Graph activity logs.',
    options: OPTIONS,
    behaviour: [operatorSessionBehaviour()],
    observability: [
      {
        source: 'signIns',
        context: true,
        shows: 'the interactive sign-in to the Exchange REST PowerShell app, and token refreshes',
      },
      { source: 'ual', context: true, shows: 'the interactive sign-in (RecordType 15) only; no record of the cmdlets' },
      {
        source: 'ual',
        hypothesis: 'exo-get-cmdlets-audited',
        shows: 'one RecordType 1 ExchangeAdmin record per Get-* cmdlet (Parameters ResultSize=Unlimited)',
      },
      {
        source: 'endpointPowerShell',
        shows: "4104 script blocks with the command lines, when run on the admin's host",
      },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return campaignActor(plan, env, ID, ATTACK, OPTIONS, (p) => stream(env, plan, p));
  },
};
