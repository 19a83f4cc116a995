/**
 * gal-dump — the global address list read through Exchange itself: OWA `FindPeople`, EWS
 * `ResolveNames` over the 676 two-letter prefixes, or an offline address book download (T1087.003).
 *
 * MailSniper's Get-GlobalAddressList is the reference (telemetry.md §3): one
 * `POST /owa/service.svc?action=FindPeople` with `MaxEntriesReturned:999999999`, or EWS ResolveNames
 * for AA…ZZ. None of these requests reaches a log a tenant can collect: not the Graph activity logs,
 * not the UAL (no mailbox-audit action covers address-book reads), not Azure AD Graph. Only the
 * session's sign-in exists, and it is indistinguishable from the user opening Outlook on the web.
 *
 * So the campaign has no evidence: its sign-in rows are attacker context (RecordKit.signIn labels
 * every campaign sign-in so), the bench scores the campaign as unobservable — never as a miss of
 * the detector — and an alert on those sign-ins as a weak match, never as a false positive.
 */
import type { GenEnv, SignInSpec } from '../compose/env.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { APP, RESOURCE } from '../world/apps.js';
import type { AttackPlan, User } from '../world/types.js';
import { type CampaignParts, campaignActor, pause } from './campaign.js';
import { operatorSessionBehaviour } from './tool-support.js';

const ID = 'gal-dump';
const ATTACK = ['T1087.003'] as const;

/**
 * The Outlook-2016-in-IE7 user agent MailSniper hard-codes (telemetry.md §3: "Mozilla/4.0
 * (compatible; MSIE 7.0; … Microsoft Outlook 16.0.4266)"); the middle is the form offensive tools
 * commonly send [U: MailSniper's exact tokens].
 */
export const MAILSNIPER_UA =
  'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; Tablet PC 2.0; Microsoft Outlook 16.0.4266)';
const OUTLOOK_UA = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)';
const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

/** The Exchange Online app id OWA sign-ins carry as client and resource [U: newer tenants show "One Outlook Web"]. */
const EXO_APP = { appId: RESOURCE.exchange.id, displayName: RESOURCE.exchange.displayName };

const OPTIONS = {
  method: {
    type: 'enum',
    values: ['owa-findpeople', 'ews-resolvenames', 'offline-address-book'],
    default: 'owa-findpeople',
    description:
      'OWA FindPeople in one request, EWS ResolveNames over AA…ZZ (676 requests), or the offline address book Outlook downloads',
  },
  userAgent: {
    type: 'string',
    default: 'by-method',
    description:
      '"by-method": a browser for OWA (basic-auth forms are gone, the attacker drives a browser session), MailSniper\'s hard-coded Outlook/IE7 string for EWS, Outlook for the OAB; anything else is sent as is (session.userAgent overrides it)',
  },
} as const;

function* stream(env: GenEnv, plan: AttackPlan, p: CampaignParts): Generator<StreamItem> {
  const { facts, opts, rng: r } = p;
  const kit = env.kit;
  const w = env.world;
  const user = plan.user as User;
  // the sign-ins are attacker context, not evidence of the enumeration (RecordKit.signIn)
  const context = kit.contextOf(p.label);
  const method = String(opts.method ?? 'owa-findpeople');
  const stolen = plan.signIn === 'stolenToken' || plan.signIn === 'refreshToken';
  const sid = stolen ? sessionIdFor(w, user, 0, sessionEpoch(w, user, 0, plan.start)) : r.uuid();
  const ip = plan.point.v4[0] as string;
  facts.principals.add(user.upn);
  facts.principals.add(user.id);
  facts.sessions.add(sid);
  facts.ips.add(ip);
  const t = Math.floor(plan.start) + r.int(0, 30_000);
  const given = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'by-method');
  const ua =
    given !== 'by-method'
      ? given
      : method === 'offline-address-book'
        ? OUTLOOK_UA
        : method === 'owa-findpeople'
          ? BROWSER_UA
          : MAILSNIPER_UA;
  const owa = method === 'owa-findpeople';
  const app = owa ? EXO_APP : APP.office;
  facts.appIds.add(app.appId);
  const spec: SignInSpec = {
    time: t,
    category: stolen ? 'NonInteractiveUserSignInLogs' : 'SignInLogs',
    user,
    appId: app.appId,
    appDisplayName: app.displayName,
    resource: RESOURCE.exchange,
    point: plan.point,
    ip,
    device: null,
    userAgent: ua,
    clientAppUsed: owa ? 'Browser' : 'Mobile Apps and Desktop clients',
    method: stolen
      ? 'refreshToken'
      : plan.signIn === 'mfa'
        ? 'mfa'
        : plan.signIn === 'deviceCode'
          ? 'deviceCode'
          : 'password',
    mfaInSession: stolen,
    sid,
  };
  yield t;
  const res = kit.signIn(r, context, spec);
  facts.tokens.add(res.token.uti);
  yield* res.records;
  // EWS ResolveNames over AA…ZZ takes a while and refreshes its token once or twice
  if (method === 'ews-resolvenames') {
    const spanMs = 676 * r.int(250, 900);
    let at = t + 60 * 60_000;
    while (at < t + spanMs && at < env.to) {
      yield at;
      const rr = kit.signIn(r, context, {
        ...spec,
        time: at,
        category: 'NonInteractiveUserSignInLogs',
        method: 'refreshToken',
        mfaInSession: true,
      });
      facts.tokens.add(rr.token.uti);
      yield* rr.records;
      at += 60 * 60_000 + pause(r, 0, 600);
    }
  }
}

export const galDump: TechniqueModule = {
  info: {
    id: ID,
    name: 'Global address list dump (OWA / EWS / OAB)',
    kind: 'technique',
    attack: ATTACK,
    summary:
      'the global address list read through OWA FindPeople, EWS ResolveNames or the offline address book: only a sign-in, so unobservable',
    description:
      "A compromised mailbox user reads the whole global address list the way MailSniper's Get-GlobalAddressList does: one OWA FindPeople request asking for 999,999,999 entries, or EWS ResolveNames for every two-letter prefix from AA to ZZ, or simply the offline address book Outlook downloads. No source a tenant can collect records these requests — not the Microsoft Graph activity logs, not the unified audit log, not Azure AD Graph. The only trace is the session's sign-in to Exchange Online (or to the Microsoft Office client for EWS and the OAB), which looks like the user opening their mail. The bench therefore scores the campaign as unobservable: a detector that misses it has not failed, and the observability matrix shows the blind spot. The sign-in rows are generated (so a rule on risky sign-ins still sees the session) as attacker context, not evidence of the enumeration: an alert on them is scored as a weak match of the campaign — neither a detection nor a false positive.",
    options: OPTIONS,
    behaviour: [
      "Entra sign-in logs and UAL RecordType 15: the sign-in names Exchange Online (`00000002-0000-0ff1-ce00-000000000000`) as both the client app and the resource, as an Outlook on the web sign-in does (samples/ual-15.jsonl L5): which app the tool drives is what it does, so the leak classifier reads only an app id's encoding (a GUID, its case), not which well-known id it is.",
      operatorSessionBehaviour(),
    ],
    observability: [],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return campaignActor(plan, env, ID, ATTACK, OPTIONS, (p) => stream(env, plan, p));
  },
};
