/**
 * helpdesk — help-desk technicians look up one user or one mailbox at a time, all working day.
 *
 * telemetry.md §4 "Help desk (EXO)": `fb78d390-…` or the EAC, one `Get-Mailbox -Identity x` at a
 * time, 9–18 h on weekdays; on the Graph side single `/users/{upn}` GETs. §6 "Benign contrast":
 * tens of single-object lookups per technician per day. Each ticket is a lookup in the Entra admin
 * center (Azure Portal app `c44b4083-…`, browser user agent: the user, then often their groups or
 * authentication methods) or, for mailbox tickets, Exchange Online PowerShell (`Get-Mailbox
 * -Identity`, `Get-MailboxStatistics -Identity`): a sign-in to the Exchange REST PowerShell app, no
 * RecordType 1 (Get-* cmdlets are not audited) unless the `exo-get-cmdlets-audited` hypothesis is
 * on, and 4104 script blocks where endpoint logging is collected.
 */
import { DAY, HOUR } from '../../src/core/clock.js';
import type { LabelledRecord } from '../../src/core/records.js';
import { rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { APP, RESOURCE, scopesFor } from '../world/apps.js';
import type { User } from '../world/types.js';
import { AdminSession, actorsOf, EXO_PWSH_UA, GRAPH, graphCall, profileLabel, runTimes, scheduleOf } from './shared.js';

const ID = 'helpdesk';

const OPTIONS = {
  mailboxShare: {
    type: 'number',
    default: 0.35,
    min: 0,
    max: 1,
    rangeable: true,
    description:
      'share of tickets handled in Exchange Online PowerShell (Get-Mailbox -Identity) rather than the admin center',
  },
} as const;

function* technicianStream(env: GenEnv, entry: ProfileEntry, u: User, actorId: string): Generator<StreamItem> {
  const w = env.world;
  const r = rngStream(env.seed, ID, entry.id, u.index);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const mailboxShare = Number(opts.mailboxShare ?? 0.35);
  const label = profileLabel(actorId, ID);
  const session = new AdminSession(env, u, label, r.fork('session'));
  const browserUa =
    u.devices[0]?.browserUa ??
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
  const times = runTimes(
    scheduleOf(entry, { kind: 'rate', rate: { count: 4, perMs: HOUR }, hours: 'business' }),
    env,
    r.fork('schedule'),
  );
  let exoDay = -1;
  for (const [i, t0] of times.entries()) {
    const rr = r.fork(`t${i}`);
    yield t0;
    const out: LabelledRecord[] = [];
    const target = w.people[rr.int(0, w.people.length - 1)] as User;
    let t = t0;
    if (rr.bool(mailboxShare)) {
      const day = Math.floor(t / DAY);
      const tok = session.token(rr, t, APP.exchangeRestPowerShell, RESOURCE.exchange, EXO_PWSH_UA, false, out);
      if (tok) {
        if (day !== exoDay) {
          session.scriptBlock(
            rr,
            t - rr.int(2000, 9000),
            `Connect-ExchangeOnline -UserPrincipalName ${u.upn} -ShowBanner:$false`,
            out,
          );
          exoDay = day;
        }
        const cmds = rr.bool(0.5) ? ['Get-Mailbox', 'Get-MailboxStatistics'] : ['Get-Mailbox'];
        for (const cmdlet of cmds) {
          t += rr.int(4, 60) * 1000;
          session.scriptBlock(rr, t, `${cmdlet} -Identity "${target.upn}"`, out);
          session.exchangeCmdlet(
            rr,
            t + rr.int(200, 2500),
            tok,
            cmdlet,
            target.id,
            [{ Name: 'Identity', Value: target.upn }],
            out,
          );
        }
      }
    } else {
      const tok = session.token(rr, t, APP.azurePortal, RESOURCE.msGraph, browserUa, true, out);
      if (tok) {
        const c = session.caller(t, tok, browserUa, scopesFor(tok.appId));
        const byUpn = target.upn.includes('#EXT#') ? target.id : target.upn;
        const calls: [string, number][] = [
          [`${GRAPH}/v1.0/users/${byUpn}`, rr.int(420, 720)],
          [
            `${GRAPH}/beta/users/${target.id}?$select=id,displayName,userPrincipalName,accountEnabled,jobTitle,department,mail,onPremisesSyncEnabled,signInActivity`,
            rr.int(900, 1600),
          ],
        ];
        if (rr.bool(0.5))
          calls.push([`${GRAPH}/beta/users/${target.id}/memberOf?$select=id,displayName&$top=100`, rr.int(400, 5000)]);
        if (rr.bool(0.35)) calls.push([`${GRAPH}/beta/users/${target.id}/authentication/methods`, rr.int(500, 1800)]);
        for (const [uri, size] of calls) {
          const rec = graphCall(env, rr, label, c, t, uri, size);
          if (rec) out.push(rec);
          t += rr.int(1, 12) * 1000 + rr.int(0, 999);
        }
      }
    }
    yield* out;
  }
}

export const helpdesk: ProfileModule = {
  info: {
    id: ID,
    name: 'Help desk',
    kind: 'profile',
    attack: [],
    summary:
      'help-desk technicians look up one user (admin center, Graph /users/{upn}) or one mailbox (Get-Mailbox -Identity) at a time, tens per day, in business hours',
    description:
      "Help-desk administrators work tickets all day: about four an hour per technician in business hours (the `rate` of the entry). A ticket is a single lookup — in the Entra admin center (Azure Portal app, browser user agent: GET /users/{upn}, the user's details, often their groups or authentication methods) or, for a mailbox ticket, Exchange Online PowerShell (Get-Mailbox -Identity, sometimes Get-MailboxStatistics). Over a day a technician touches dozens of different users and mailboxes, which looks like slow enumeration to a rule that counts distinct objects per principal, yet every lookup is one object among many hours of work. Get-* cmdlets leave no audit record unless the exo-get-cmdlets-audited hypothesis is on.",
    options: OPTIONS,
    observability: [
      {
        source: 'graphActivity',
        shows: 'single-object GETs (/users/{upn}, /users/{id}/memberOf) from the admin center',
      },
      {
        source: 'signIns',
        shows: 'Azure Portal and Exchange PowerShell sign-ins and refreshes from the office or home',
      },
      { source: 'ual', shows: 'a subset of the sign-ins (15)' },
      { source: 'ual', hypothesis: 'exo-get-cmdlets-audited', shows: 'Get-Mailbox -Identity as RecordType 1' },
      { source: 'endpointPowerShell', shows: 'Get-Mailbox -Identity script blocks on the technician host' },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const users = actorsOf(entry, env, rngStream(env.seed, ID, entry.id).fork('select'), 'Helpdesk Administrator');
    return users.map((u) => {
      const id = `${entry.id}/${u.index}`;
      return {
        id,
        label: profileLabel(id, ID),
        principals: [u.upn, u.id],
        stream: () => technicianStream(env, entry, u, id),
      };
    });
  },
};
