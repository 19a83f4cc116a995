/**
 * workforce — every user's ordinary working day, the background every detection must stay quiet on.
 *
 * Per user and simulated day (in the user's time zone, with the tenant's business days): a start
 * and end of work drawn around the user's habits; office, home or mobile networks (hybrid workers
 * in the office mid-week; dual-stack homes flipping between IPv4 and IPv6; carrier addresses that
 * rotate); device sessions (`sid`) that live for days; a token per app refreshed every 60–90 min
 * (non-interactive sign-ins, now and then an interactive one); Graph requests from Teams, Outlook,
 * Office on the web and Outlook Mobile (people-picker searches, single-object lookups, photos that
 * 404); SharePoint intranet pages whose SPFx web parts call Graph from the browser with a token
 * SharePoint obtained on the user's behalf (sign-in row from a Microsoft address); first-party service calls made on the user's behalf from Microsoft addresses with tokens that
 * have no sign-in row of their own. Role holders also do their admin work: Exchange admins run EXO
 * PowerShell (read cmdlets, which Exchange does not audit, and state-changing ones, which it does),
 * helpdesk and user admins page through users in the admin portal and update or reset accounts.
 */
import { DAY, HOUR, MINUTE } from '../../src/core/clock.js';
import type { Label, LabelledRecord } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { skipTokenFor, uti } from '../records/index.js';
import { entraJsonText } from '../records/ual.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { APP, RESOURCE, scopesFor } from '../world/apps.js';
import { mix32 } from '../world/hash.js';
import { MICROSOFT_RANGES, type NetworkPoint, pointOn, rotatingV4, rotatingV6 } from '../world/networks.js';
import { resolveSelector } from '../world/plan.js';
import type { Device, User, World } from '../world/types.js';
import { GRAPH_PWSH_UA } from './shared.js';
import { appOnlyActor } from './workforce-apps.js';
import {
  EXPIRED_CODES,
  FAILURE_RATES,
  type Imperfection,
  NIGHT_SYNC,
  type RawHttpClient,
  rawHttpClient,
  travelPoint,
  type UserTraits,
  userTraits,
} from './workforce-imperfection.js';

// ---- apps a user's devices talk to ------------------------------------------------------------

interface ClientApp {
  appId: string;
  name: string;
  resource: { id: string; displayName: string };
  clientAppUsed: string;
  /** Graph requests per active hour */
  perHour: number;
  mobile: boolean;
}

const A_TEAMS = 0;
const A_OFFICE = 1;
const A_OFFICEHOME = 2;
const A_OUTLOOK_MOBILE = 3;
const A_PORTAL = 4;
const A_EXO = 5;
const A_SPFX = 6;
const A_SCRIPT = 7;

/** the session-id index of a browser that does not pass the computer's identity (0 computer, 1 phone, 2 personal laptop, 3 legacy client) */
const SID_BARE = 4;

/** Ev.x bits of sign-in and Graph events */
const X_INTERACTIVE = 1;
/** from the user's personal, unregistered laptop (no device id) */
const X_PERSONAL = 2;
/** a legacy-protocol client's sign-in attempt */
const X_LEGACY = 4;
/** K_PORTAL_LIST: x ≥ X_BROWSE is a browse burst of directory pages in the admin centres */
const X_BROWSE = 8;
/** K_GRAPH of A_SCRIPT: a raw HTTP script run (Invoke-RestMethod, python-requests …), not Graph PowerShell */
const X_RAW = 8;

const CLIENT_APPS: readonly ClientApp[] = [
  {
    appId: APP.teams.appId,
    name: APP.teams.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    perHour: 2.5,
    mobile: false,
  },
  {
    appId: APP.office.appId,
    name: APP.office.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    perHour: 2.5,
    mobile: false,
  },
  {
    appId: APP.officeHome.appId,
    name: APP.officeHome.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Browser',
    perHour: 5,
    mobile: false,
  },
  {
    appId: APP.outlookMobile.appId,
    name: APP.outlookMobile.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    perHour: 6,
    mobile: true,
  },
  {
    appId: APP.azurePortal.appId,
    name: APP.azurePortal.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Browser',
    perHour: 0,
    mobile: false,
  },
  {
    appId: APP.exchangeRestPowerShell.appId,
    name: APP.exchangeRestPowerShell.displayName,
    resource: RESOURCE.exchange,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    perHour: 0,
    mobile: false,
  },
  {
    // SharePoint Framework web parts on intranet pages (planned per page load, not per hour)
    appId: APP.spfx.appId,
    name: APP.spfx.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Browser',
    perHour: 0,
    mobile: false,
  },
  {
    // Microsoft Graph PowerShell scripts a few users (and many admins) run from their computer
    appId: APP.graphPowerShell.appId,
    name: APP.graphPowerShell.displayName,
    resource: RESOURCE.msGraph,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    perHour: 0,
    mobile: false,
  },
];

const SERVICE_APPS = [APP.peopleCards, APP.teamsServices, APP.officeSearch, APP.windowsSearch] as const;

const TEAMS_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/24295.605.3225.8804/49';
const OUTLOOK_UA = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)';
const OUTLOOK_MAC_UA = 'Microsoft Office/16.0 (Macintosh; Mac OS X 14.6; Microsoft Outlook 16.90; Pro)';
const OUTLOOK_MOBILE_UA = ['Outlook-iOS/2.0', 'Outlook-Android/2.0'];
/** The Entra admin center's user list (beta, 100 a page, with a count). */
const PORTAL_USERS =
  'https://graph.microsoft.com/beta/users?$select=id,displayName,userPrincipalName,userType,accountEnabled,mail,createdDateTime&$top=100&$count=true';
const PWSH_UA = 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6';

function userAgentFor(app: number, device: Device): string {
  switch (app) {
    case A_TEAMS:
      return device.operatingSystem === 'MacOs'
        ? TEAMS_UA.replace('Windows NT 10.0; Win64; x64', 'Macintosh; Intel Mac OS X 10_15_7')
        : TEAMS_UA;
    case A_OFFICE:
      return device.operatingSystem === 'MacOs' ? OUTLOOK_MAC_UA : OUTLOOK_UA;
    case A_OUTLOOK_MOBILE:
      return device.operatingSystem === 'Ios' ? (OUTLOOK_MOBILE_UA[0] as string) : (OUTLOOK_MOBILE_UA[1] as string);
    case A_EXO:
      return PWSH_UA;
    case A_SCRIPT:
      return GRAPH_PWSH_UA;
    default:
      return device.browserUa;
  }
}

// ---- events of a day (small descriptors; records are built when the merge reaches them) ----------

const K_SIGNIN = 0;
const K_GRAPH = 1;
const K_SERVICE = 2;
const K_EXO_CONNECT = 3;
const K_EXO_CMD = 4;
const K_PORTAL_LIST = 5;
const K_DIR_CHANGE = 6;
const K_AADGRAPH = 7;

/**
 * A day's events packed into one Float64Array (no object per event): key = t·2048 + code, where
 * code = k | a<<3 | d<<6 | x<<7. Integer ms times up to year 2100 fit in 2^53 with 11 low bits.
 */
class EvBuf {
  keys = new Float64Array(256);
  n = 0;
  push(t: number, k: number, a: number, d: number, x: number): void {
    if (this.n === this.keys.length) {
      const next = new Float64Array(this.keys.length * 2);
      next.set(this.keys);
      this.keys = next;
    }
    this.keys[this.n++] = Math.floor(t) * 2048 + (k | (a << 3) | (d << 6) | (x << 7));
  }
  sorted(): Float64Array {
    return this.keys.subarray(0, this.n).sort();
  }
}

function decode(key: number, ev: Ev): void {
  const t = Math.floor(key / 2048);
  const c = key - t * 2048;
  ev.t = t;
  ev.k = c & 7;
  ev.a = (c >> 3) & 7;
  ev.d = (c >> 6) & 1;
  ev.x = c >> 7;
}

interface Ev {
  t: number;
  k: number;
  /** app index */
  a: number;
  /** device index (0 computer, 1 phone) */
  d: number;
  /** kind-specific: 1 = interactive sign-in; page number; … */
  x: number;
}

// ---- options -------------------------------------------------------------------------------------

const OPTIONS = {
  intensity: {
    type: 'number',
    // calibrated: 3.5 ≈ 240 Graph requests per user and working day across all apps, first-party
    // apps the large majority — inside the 200–350 that telemetry.md §6 derives from Microsoft's
    // published log volumes (1,000 users ≈ 15 GiB/month); asserted in test/generators/profiles/workforce-calibration.test.ts
    default: 3.5,
    min: 0.05,
    max: 20,
    rangeable: true,
    description:
      'scales the number of Graph requests per user and day (the default 3.5 ≈ 240 per working day across all apps, first-party service calls included, inside the 200–350 of telemetry.md §6; 1 ≈ 70)',
  },
  adminDuties: {
    type: 'boolean',
    default: true,
    description:
      'role holders also do their admin work (EXO PowerShell, admin-portal user management, browsing directory pages in the Entra and Intune admin centres)',
  },
  failures: {
    type: 'number',
    default: 1,
    min: 0,
    max: 20,
    description:
      'scales every benign sign-in failure rate (wrong password 50126, MFA interrupt 50074, MFA denied 500121, KMSI interrupt 50140, Conditional Access 53003, expired or revoked sessions 70043/700082/50173); 0 turns them off',
  },
  singleFactorShare: {
    type: 'number',
    default: 0.62,
    min: 0,
    max: 1,
    description:
      "share of users the tenant's MFA policy does not reach (excluded from it, or never registered): their sign-ins are single-factor (authenticationRequirement singleFactorAuthentication) wherever they sign in, unless they hold a directory role or a risk policy steps in; default from Microsoft's figure that 38 % of Entra ID monthly active users use MFA (February 2024)",
  },
  unmanagedShare: {
    type: 'number',
    default: 0.3,
    min: 0,
    max: 1,
    description:
      'share of users who also work from a personal, unregistered laptop (evening web sessions) or phone: delegated calls and sign-ins with no device id',
  },
  bareBrowserShare: {
    type: 'number',
    default: 0.15,
    min: 0,
    max: 1,
    description:
      "share of users whose browser on the work computer does not pass the device's identity (Chrome without the Microsoft Single Sign On extension): their browser sign-ins, admin-centre pages, Office on the web and intranet web parts carry no device id",
  },
  scriptShare: {
    type: 'number',
    default: 0.03,
    min: 0,
    max: 1,
    description:
      "share of users who run Microsoft Graph PowerShell scripts from their computer (role holders 8× as often); signed in through WAM, on by default on Windows, the calls carry the computer's device id",
  },
  rawHttpShare: {
    type: 'number',
    default: 0.015,
    min: 0,
    max: 1,
    description:
      'share of users who script Graph with a raw HTTP client (Invoke-RestMethod, python-requests, Postman, curl) on a delegated token: paged reads of users and groups, device-less, no client-request-id (role holders 5× as often)',
  },
  vpnShare: {
    type: 'number',
    default: 0.05,
    min: 0,
    max: 1,
    description: 'share of users who turn on a commercial VPN (a hosting ASN) from home on some days',
  },
  jumpBoxShare: {
    type: 'number',
    default: 0.3,
    min: 0,
    max: 1,
    description: 'share of role holders who work from a cloud jump box (hosting or vendor cloud) on some days',
  },
  torShare: {
    type: 'number',
    default: 0.002,
    min: 0,
    max: 1,
    description: 'share of users who browse through Tor on some days',
  },
  travelShare: {
    type: 'number',
    default: 0.02,
    min: 0,
    max: 1,
    description: 'share of user-days spent travelling abroad (hotel and guest networks in another country)',
  },
  legacyClientShare: {
    type: 'number',
    default: 0.02,
    min: 0,
    max: 1,
    description:
      'share of users with a legacy mail client (IMAP, POP, SMTP AUTH, ActiveSync basic auth) that keeps trying and is blocked (53003)',
  },
  nightShiftShare: {
    type: 'number',
    default: 0.04,
    min: 0,
    max: 1,
    description: 'share of users on a night shift (working from about 00:30 local)',
  },
  otherZoneShare: {
    type: 'number',
    default: 0.1,
    min: 0,
    max: 1,
    description: 'share of remote users who keep the hours of another time zone (3–6 h off)',
  },
  volumeSigma: {
    type: 'number',
    default: 0.9,
    min: 0,
    max: 3,
    description:
      'spread of the per-user volume multiplier (log-normal, mean 1): 0 gives every user the same volume; 0.9 puts the busiest 10 % at about 3× the median',
  },
  nightSync: {
    type: 'boolean',
    default: true,
    description: 'phones refresh tokens and sync mail overnight (22:00–06:30 local), weekends included',
  },
  appOnlyApps: {
    type: 'integer',
    default: 4,
    min: 0,
    max: 50,
    description:
      "the tenant's own and vendors' apps that read the directory app-only around the clock (client-credential sign-ins, Graph calls with roles and the app-only wids)",
  },
} as const;

function imperfectionOf(opts: Record<string, unknown>): Imperfection {
  const n = (k: string, d: number) => (typeof opts[k] === 'number' ? (opts[k] as number) : d);
  return {
    failures: n('failures', 1),
    unmanagedShare: n('unmanagedShare', 0.3),
    bareBrowserShare: n('bareBrowserShare', 0.15),
    scriptShare: n('scriptShare', 0.03),
    vpnShare: n('vpnShare', 0.05),
    jumpBoxShare: n('jumpBoxShare', 0.3),
    torShare: n('torShare', 0.002),
    travelShare: n('travelShare', 0.02),
    legacyClientShare: n('legacyClientShare', 0.02),
    nightShiftShare: n('nightShiftShare', 0.04),
    otherZoneShare: n('otherZoneShare', 0.1),
    volumeSigma: n('volumeSigma', 0.9),
    nightSync: opts.nightSync !== false,
    rawHttpShare: n('rawHttpShare', 0.015),
    singleFactorShare: n('singleFactorShare', 0.62),
  };
}

// ---- the stream -------------------------------------------------------------------------------------

interface UserState {
  tokens: (Token | null)[];
  lastEpoch: number[];
  /** 4104 EventRecordID counter of the admin host */
  recordId: number;
  exoSession: string;
  exoProcess: number;
  /** the raw HTTP scripts' token (apart from Graph PowerShell's: another app) */
  rawToken: Token | null;
}

/** Where an event happens: the device, its network and address. */
interface EventPlace {
  device: Device;
  /** the device when registered (its id in the records), else null */
  registered: Device | null;
  net: NetworkPoint;
  ip: string;
  /** the user's personal laptop */
  personal: boolean;
  /** a browser on the work computer that does not pass the device's identity */
  bare: boolean;
}

/**
 * One user's activity, day by day: each day's events are planned (work hours, apps, phone, admin
 * duties, scripts, the day's imperfections) into an event buffer, then built into records in time
 * order. The user's state (tokens, sessions, the admin host's counters) lives across days.
 */
class UserStream {
  private readonly w: World;
  private readonly kit: GenEnv['kit'];
  private readonly tzOff: Int16Array | undefined;
  private readonly bh: GenEnv['scenario']['tenant']['businessHours'];
  private readonly st: UserState;
  private readonly computer: Device | null;
  private readonly phone: Device | null;
  // the user's standing habits and the day's imperfections draw from their own forks, so adding
  // them left every other event of the day as it was
  private readonly traits: UserTraits;
  private readonly rawHttp: RawHttpClient | null;
  private readonly failRng: Rng;
  private readonly spfxRng: Rng;
  private readonly rawRng: Rng;
  private readonly isExoAdmin: boolean;
  private readonly isUserAdmin: boolean;
  private readonly sids = new Map<number, string>();
  private readonly evs = new EvBuf();
  /** the records of the event being built */
  private readonly built: LabelledRecord[] = [];
  /** where the computer egresses today when not in the office (VPN, jump box, Tor, travel), else home */
  private away: NetworkPoint | null = null;

  constructor(
    private readonly env: GenEnv,
    private readonly user: User,
    private readonly rng: Rng,
    private readonly label: Label,
    private readonly intensity: number,
    private readonly adminDuties: boolean,
    private readonly imp: Imperfection,
  ) {
    this.w = env.world;
    this.kit = env.kit;
    this.tzOff = this.w.tzOffsets.get(user.timezone);
    this.bh = env.scenario.tenant.businessHours;
    this.st = {
      tokens: CLIENT_APPS.map(() => null),
      lastEpoch: [-1, -1],
      recordId: user.adminHost?.recordBase ?? 0,
      exoSession: '',
      exoProcess: 0,
      rawToken: null,
    };
    this.computer = user.devices[0] ?? null;
    const registeredPhone = user.devices.find((d) => d.kind === 'mobile') ?? null;
    this.traits = userTraits(user, rng.fork('traits'), imp, registeredPhone !== null);
    this.phone = registeredPhone ?? this.traits.personalPhone;
    this.rawHttp = rawHttpClient(user, rng.fork('raw-http'), imp);
    this.failRng = rng.fork('failures');
    this.isExoAdmin = user.roles.some((r) => r.name === 'Exchange Administrator' || r.name === 'Global Administrator');
    this.isUserAdmin = user.roles.some(
      (r) =>
        r.name === 'Helpdesk Administrator' ||
        r.name === 'User Administrator' ||
        r.name === 'Global Administrator' ||
        r.name === 'Authentication Administrator',
    );
    this.spfxRng = rng.fork('spfx');
    this.rawRng = rng.fork('raw-run');
  }

  /** every record of the user in the generated window, each announced by its event's time */
  *records(): Generator<StreamItem> {
    const { env, w, evs, built } = this;
    const ev: Ev = { t: 0, k: 0, a: 0, d: 0, x: 0 };
    for (let d = 0; d < w.days; d++) {
      const dayUtc = w.day0 + d * DAY;
      if (dayUtc + 2 * DAY <= env.from) continue;
      if (dayUtc - DAY >= env.to) break;
      evs.n = 0;
      const place = this.planDay(d, dayUtc);
      if (!evs.n) continue;
      const keys = evs.sorted();
      for (let i = 0; i < keys.length; i++) {
        decode(keys[i] as number, ev);
        if (ev.t < env.from || ev.t >= env.to) continue;
        // announce the event's time before building it: the merge builds records just in time
        yield ev.t;
        this.buildEvent(this.user, this.st, ev.a === A_SPFX ? this.spfxRng : this.rng, this.label, ev, place);
        for (let j = 0; j < built.length; j++) yield built[j] as LabelledRecord;
        built.length = 0;
      }
    }
  }

  /** plans day `d`'s events into the buffer; returns where the computer is (1: the office, 0: away from it) */
  private planDay(d: number, dayUtc: number): number {
    const off = (this.tzOff?.[d] ?? 0) * MINUTE;
    const localMidnight = dayUtc - off;
    const weekday = new Date(dayUtc).getUTCDay();
    const dr = this.rng.fork(`d${d}`);
    const workday = this.bh.days.includes(weekday);
    this.evs.n = 0;
    const works = workday ? !dr.bool(0.04) : dr.bool(0.05);
    // where the computer is today
    const inOffice =
      this.user.office !== null &&
      (this.user.workStyle === 'office'
        ? dr.bool(0.9)
        : this.user.workStyle === 'hybrid'
          ? weekday >= 2 && weekday <= 4 && dr.bool(0.8)
          : false);
    const place = inOffice ? 1 : 0;
    const xr = this.rng.fork(`i${d}`);
    const dayIntensity = this.intensity * this.traits.volume;
    this.away = null;
    if (!inOffice) {
      if (this.traits.jumpBox && xr.bool(0.4)) this.away = this.traits.jumpBox;
      else if (this.traits.vpn && xr.bool(0.35)) this.away = this.traits.vpn;
      else if (this.traits.tor && xr.bool(0.3)) this.away = this.traits.tor;
      else if (xr.bool(this.imp.travelShare)) this.away = travelPoint(this.user, xr);
    }

    if (works && this.computer && this.user.kind !== 'sync') {
      const start = Math.max(
        localMidnight + 10 * MINUTE,
        localMidnight + (this.user.workStart + this.traits.shiftMin + dr.normal(0, 20)) * MINUTE,
      );
      const len = workday
        ? (this.user.workEnd - this.user.workStart + dr.normal(0, 30)) * MINUTE
        : dr.int(30, 150) * MINUTE;
      const end = Math.min(localMidnight + 23 * HOUR, start + Math.max(30 * MINUTE, len));
      // Teams and Outlook run all day; Office on the web in a few windows
      planAppWindow(this.evs, dr, A_TEAMS, 0, start + dr.int(0, 10) * MINUTE, end, dayIntensity);
      planAppWindow(this.evs, dr, A_OFFICE, 0, start + dr.int(0, 20) * MINUTE, end, dayIntensity);
      const webWindows = dr.int(0, 3);
      for (let i = 0; i < webWindows; i++) {
        const a = start + dr.float() * (end - start);
        planAppWindow(this.evs, dr, A_OFFICEHOME, 0, a, Math.min(end, a + dr.int(15, 90) * MINUTE), dayIntensity);
      }
      // SharePoint intranet pages whose SPFx web parts call Graph (own RNG fork: adding them left
      // every other event of the day as it was)
      planIntranet(this.evs, dr.fork('spfx'), start, end, dayIntensity);
      // first-party service calls on the user's behalf
      let t = start;
      const svcMean = HOUR / (3 * dayIntensity);
      for (;;) {
        t += dr.exponential(svcMean);
        if (t >= end) break;
        this.evs.push(t, K_SERVICE, 0, 0, 0);
      }
      // legacy Azure AD Graph calls some Office builds still make
      if (dr.bool(0.25)) this.evs.push(start + dr.float() * (end - start), K_AADGRAPH, A_OFFICE, 0, 0);
      if (this.adminDuties && workday && this.user.roles.length) {
        planAdminDay(this.evs, dr.fork('admin'), start, end, this.isExoAdmin, this.isUserAdmin);
        planPortalBrowsing(this.evs, xr, start, end);
      }
      // a Microsoft Graph PowerShell script: an interactive sign-in, then a burst of device-less calls
      if (this.traits.scripter && xr.bool(0.3)) planScript(this.evs, xr, start, end);
      // a raw HTTP script (own fork: adding them left every other event of the day as it was)
      if (this.rawHttp && workday) planRawHttp(this.evs, this.rng.fork(`raw${d}`), start, end);
    }
    // an evening on the personal laptop: Office on the web with no device id
    if (this.traits.personalLaptop && this.user.kind !== 'sync' && xr.bool(0.3)) {
      const a = localMidnight + (19 + xr.float() * 2.5) * HOUR;
      planAppWindow(this.evs, xr, A_OFFICEHOME, 0, a, a + xr.int(10, 40) * MINUTE, dayIntensity, X_PERSONAL);
    }
    // the phone: morning and evening mail checks, lunch
    if (this.phone && this.user.kind !== 'sync' && dr.bool(workday ? 0.8 : 0.5)) {
      const bursts = dr.int(1, 3);
      for (let i = 0; i < bursts; i++) {
        const a = localMidnight + dr.pick([7.5, 12.5, 19, 21]) * HOUR + dr.normal(0, 40) * MINUTE;
        planAppWindow(this.evs, dr, A_OUTLOOK_MOBILE, 1, a, a + dr.int(5, 25) * MINUTE, dayIntensity);
      }
    }
    // overnight, every day: the phone refreshes its token and syncs mail in the background
    if (this.phone && this.user.kind !== 'sync' && this.imp.nightSync)
      planNightSync(this.evs, xr.fork('night'), localMidnight);
    // a legacy mail client that keeps trying (and is blocked) around the clock
    if (this.traits.legacy && this.user.kind !== 'sync') {
      const tries = xr.int(1, 6);
      for (let i = 0; i < tries; i++)
        this.evs.push(localMidnight + xr.float() * 23 * HOUR, K_SIGNIN, A_OUTLOOK_MOBILE, 1, X_LEGACY);
    }
    return place;
  }

  /** every sign-in of the user: the MFA policy's exclusion (singleFactorShare) goes with each one */
  private signIn(r: Rng, lb: Label, spec: SignInSpec) {
    return this.kit.signIn(r, lb, this.traits.mfaExempt ? { ...spec, mfaExempt: true } : spec);
  }

  private sidFor(device: number, epoch: number): string {
    const k = epoch * 8 + device;
    let sid = this.sids.get(k);
    if (sid === undefined) {
      sid = sessionIdFor(this.w, this.user, device, epoch);
      this.sids.set(k, sid);
    }
    return sid;
  }

  /**
   * The token an SPFx web part calls Graph with. SharePoint mints it server-side: the web part asks
   * `/_api/Microsoft.SharePoint.Internal.ClientSideComponent.Token.AcquireOBOToken` and SharePoint
   * runs an on-behalf-of exchange for "SharePoint Online Web Client Extensibility" (the SPFx
   * AadTokenProvider; MSAL v3 SPFx uses that endpoint in SharePoint too). So the sign-in row is
   * non-interactive and comes from a Microsoft address [U: OBO rows carry the middle tier's IP],
   * while the Graph calls come from the user's browser: one session, two networks, no attack.
   * A token still valid for five minutes is reused.
   */
  private spfxToken(u: User, st: UserState, r: Rng, lb: Label, t: number, device: Device): void {
    const cur = st.tokens[A_SPFX];
    if (cur && cur.exp > t + 5 * MINUTE) return;
    const ms = microsoftPoint(this.w, r);
    const res = this.signIn(r, lb, {
      time: t,
      category: 'NonInteractiveUserSignInLogs',
      user: u,
      appId: APP.spfx.appId,
      appDisplayName: APP.spfx.displayName,
      resource: RESOURCE.msGraph,
      point: ms.point,
      ip: ms.ip,
      device,
      userAgent: '',
      clientAppUsed: 'Browser',
      method: 'refreshToken',
      mfaInSession: true,
      sid: this.sidFor(device.id ? 0 : SID_BARE, sessionEpoch(this.w, u, 0, t)),
    });
    st.tokens[A_SPFX] = res.token;
    for (const x of res.records) this.built.push(x);
  }

  /**
   * A legacy-protocol client (IMAP, POP, SMTP AUTH, ActiveSync with basic auth) trying the user's
   * password: Exchange Online as client and resource, no device, blocked by the tenant's "Block
   * legacy authentication" policy (53003) — every hour of the day, for as long as nobody fixes it.
   */
  private legacyAttempt(u: User, lb: Label, t: number, net: NetworkPoint, ip: string): void {
    const legacy = this.traits.legacy;
    if (!legacy) return;
    const res = this.signIn(this.failRng, lb, {
      time: t,
      category: 'SignInLogs',
      user: u,
      appId: RESOURCE.exchange.id,
      appDisplayName: RESOURCE.exchange.displayName,
      resource: RESOURCE.exchange,
      point: net,
      ip,
      device: null,
      userAgent: legacy[1],
      clientAppUsed: legacy[0],
      method: 'password',
      mfaInSession: false,
      sid: this.sidFor(3, sessionEpoch(this.w, u, 1, t)),
      failWith: 53003,
      legacy: true,
    });
    for (const x of res.records) this.built.push(x);
  }

  /**
   * One delegated Graph GET the user makes on `tok` (a public client): the request's duration is
   * log-normal with the given median and 95th percentile (Rng.logNormal).
   */
  private delegatedGet(
    r: Rng,
    lb: Label,
    u: User,
    tok: Token,
    time: number,
    q: Call,
    ip: string,
    userAgent: string,
    deviceId: string | null,
    durMedian: number,
    durHigh: number,
  ): void {
    const rec = this.kit.graphRequest(r, lb, {
      time,
      apiVersion: q.v,
      method: 'GET',
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(r.logNormal(durMedian, durHigh)),
      responseSizeBytes: q.size,
      ip,
      userAgent,
      appId: tok.appId,
      userId: u.id,
      servicePrincipalId: null,
      scopes: scopesFor(tok.appId),
      roles: null,
      wids: u.wids,
      tokenIssuedAt: tok.iat,
      signInActivityId: tok.uti,
      sessionId: tok.sid,
      deviceId,
      clientAuthMethod: 0,
    });
    if (rec) this.built.push(rec);
  }

  /**
   * A raw HTTP script run (the user's RawHttpClient) from the computer: a token from the tool the
   * user is signed in to (a non-interactive refresh), then one of `RAW_JOBS` — bursts of
   * sequential paged reads a fraction of a second apart, following `@odata.nextLink`. The token
   * carries no device id (the tool's own cache, not the broker) [U], and the client sends no
   * client-request-id, so the log repeats the request id (graph-activity.ts GraphClientLibrary).
   */
  private rawHttpRun(
    u: User,
    st: UserState,
    r: Rng,
    lb: Label,
    t0: number,
    net: NetworkPoint,
    ip: string,
    job: number,
  ): void {
    const client = this.rawHttp as RawHttpClient;
    let tok = st.rawToken;
    if (!tok || tok.exp < t0 + 10 * MINUTE) {
      // the tool redeems the refresh token it cached when the user signed in to it (at some earlier time)
      const res = this.signIn(r, lb, {
        time: t0,
        category: 'NonInteractiveUserSignInLogs',
        user: u,
        appId: client.app.appId,
        appDisplayName: client.app.displayName,
        resource: RESOURCE.msGraph,
        point: net,
        ip,
        device: null,
        userAgent: client.userAgent,
        clientAppUsed: 'Mobile Apps and Desktop clients',
        method: 'refreshToken',
        mfaInSession: true,
        sid: this.sidFor(3, sessionEpoch(this.w, u, 0, t0)),
      });
      for (const x of res.records) this.built.push(x);
      if (!res.ok) return;
      tok = res.token;
      st.rawToken = tok;
    }
    let t = t0 + r.int(2, 9) * 1000;
    for (const q of rawJob(this.w, r, job, client.top)) {
      this.delegatedGet(r, lb, u, tok, t, q, ip, client.userAgent, null, 200_000, 1_500_000);
      t += r.int(150, 1200);
    }
  }

  /**
   * An admin browsing the Entra and Intune admin centres: the blades read owners, members, role
   * assignments and registered owners of the objects the admin opens — the directory paths the
   * published path-signature rules list (docs/published-detections.md), a handful at a time.
   */
  private portalBrowse(
    u: User,
    st: UserState,
    r: Rng,
    lb: Label,
    ev: Ev,
    net: NetworkPoint,
    ip: string,
    device: Device,
  ): void {
    let tok = st.tokens[A_PORTAL];
    if (!tok || tok.exp < ev.t) {
      const res = this.signIn(r, lb, {
        time: ev.t,
        category: 'SignInLogs',
        user: u,
        appId: APP.azurePortal.appId,
        appDisplayName: APP.azurePortal.displayName,
        resource: RESOURCE.msGraph,
        point: net,
        ip,
        device: device.id ? device : null,
        userAgent: device.browserUa,
        clientAppUsed: 'Browser',
        method: 'password',
        mfaInSession: true,
        // a browser without the device's identity keeps its own session
        sid: this.sidFor(device.id ? 0 : SID_BARE, sessionEpoch(this.w, u, 0, ev.t)),
      });
      st.tokens[A_PORTAL] = res.token;
      tok = res.token;
      for (const x of res.records) this.built.push(x);
    }
    const calls = 3 + 2 * (ev.x - X_BROWSE);
    let t = ev.t + r.int(1, 4) * 1000;
    for (let i = 0; i < calls; i++) {
      const q = portalPath(this.w, r);
      this.delegatedGet(r, lb, u, tok, t, q, ip, device.browserUa, device.id || null, 180_000, 1_200_000);
      t += r.int(300, 9000);
    }
  }

  /** builds one event's records into `built` (a plain function: cheaper than a nested generator) */
  private buildEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, place: number): void {
    const personal = ev.d === 0 && (ev.x & X_PERSONAL) !== 0 && ev.k !== K_PORTAL_LIST;
    // a web app on the work computer in a browser that does not pass the device's identity
    const bare =
      ev.d === 0 && !personal && this.traits.bareBrowser !== null && CLIENT_APPS[ev.a]?.clientAppUsed === 'Browser';
    const device =
      ev.d === 1 ? this.phone : personal ? this.traits.personalLaptop : bare ? this.traits.bareBrowser : this.computer;
    if (!device) return;
    // a personal, unregistered device: no device id in any record
    const registered = device.id ? device : null;
    const net = personal ? u.home : networkAt(u, ev.d, place, this.away);
    const ip = personal ? ipAt(u, net, 0, 0, null, ev.t) : ipAt(u, net, ev.d, place, this.away, ev.t);
    if (ev.k === K_GRAPH && ev.a === A_SCRIPT && (ev.x & X_RAW) !== 0) {
      // its own stream: the runs leave the user's other events as they were
      this.rawHttpRun(u, st, this.rawRng, lb, ev.t, net, ip, ev.x & 7);
      return;
    }
    const at: EventPlace = { device, registered, net, ip, personal, bare };
    switch (ev.k) {
      case K_SIGNIN:
        this.signInEvent(u, st, r, lb, ev, at);
        return;
      case K_GRAPH:
        this.graphEvent(u, st, r, lb, ev, at);
        return;
      case K_SERVICE:
        this.serviceEvent(u, r, lb, ev);
        return;
      case K_AADGRAPH:
        this.aadGraphEvent(u, st, r, lb, ev, at);
        return;
      case K_EXO_CONNECT:
        this.exoConnectEvent(u, st, r, lb, ev, at);
        return;
      case K_EXO_CMD:
        this.exoCommandEvent(u, st, r, lb, ev, at);
        return;
      case K_PORTAL_LIST:
        this.portalListEvent(u, st, r, lb, ev, at);
        return;
      case K_DIR_CHANGE:
        this.directoryChangeEvent(u, st, r, lb, ev, at);
        return;
    }
  }

  /** A sign-in of a client app (a failed attempt first, sometimes), its token kept for the calls that follow. */
  private signInEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    if (ev.a === A_SPFX) {
      this.spfxToken(u, st, r, lb, ev.t, at.device);
      return;
    }
    if ((ev.x & X_LEGACY) !== 0) {
      this.legacyAttempt(u, lb, ev.t, at.net, at.ip);
      return;
    }
    const epoch = sessionEpoch(this.w, u, ev.d, ev.t);
    // a personal laptop, or a browser without the device's identity, has its own browser session
    // (session ids are ESTS sessions, not devices)
    const sid = this.sidFor(at.personal ? 2 : at.bare ? SID_BARE : ev.d, epoch);
    const fresh = st.lastEpoch[ev.d] !== epoch;
    st.lastEpoch[ev.d] = epoch;
    const app = CLIENT_APPS[ev.a] as ClientApp;
    let interactive =
      fresh || (ev.x & X_INTERACTIVE) !== 0 || (ev.a === A_OFFICEHOME && r.bool(0.25)) || !at.registered;
    const mfa = !this.traits.mfaExempt || u.roles.length > 0;
    const fail = pickFailure(
      this.failRng,
      this.imp.failures,
      interactive,
      fresh && mfa,
      app.clientAppUsed === 'Browser',
    );
    let t = ev.t;
    const spec: SignInSpec = {
      time: t,
      category: interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
      user: u,
      appId: app.appId,
      appDisplayName: app.name,
      resource: app.resource,
      point: at.net,
      ip: at.ip,
      device: at.registered,
      userAgent: userAgentFor(ev.a, at.device),
      clientAppUsed: app.clientAppUsed,
      method: interactive ? 'password' : 'refreshToken',
      mfaInSession: !fresh,
      sid,
    };
    if (fail) {
      // the failed attempt first; the user (or the app, signing the user in again) then succeeds
      const failed = this.signIn(this.failRng, lb, { ...spec, failWith: fail });
      for (const x of failed.records) this.built.push(x);
      t += this.failRng.int(4, 45) * 1000;
      if (!interactive) {
        interactive = true;
        spec.category = 'SignInLogs';
        spec.method = 'password';
      }
    }
    const res = this.signIn(r, lb, { ...spec, time: t });
    st.tokens[ev.a] = res.token;
    for (const x of res.records) this.built.push(x);
    return;
  }

  /** A delegated Graph call on the app's token. */
  private graphEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    const tok = st.tokens[ev.a];
    if (!tok) return;
    const q = graphCall(this.w, r, ev.a);
    this.delegatedGet(
      r,
      lb,
      u,
      tok,
      ev.t,
      q,
      at.ip,
      userAgentFor(ev.a, at.device),
      at.registered?.id ?? null,
      140_000,
      900_000,
    );
    return;
  }

  /** A first-party service calls Graph for the user from Microsoft's network: a token with no sign-in row. */
  private serviceEvent(u: User, r: Rng, lb: Label, ev: Ev): void {
    const svc = SERVICE_APPS[
      mix32(u.index, Math.floor(ev.t / MINUTE)) % SERVICE_APPS.length
    ] as (typeof SERVICE_APPS)[number];
    const q = serviceCall(this.w, u, r, svc.appId);
    const msIp = microsoftIp(this.w, r);
    const tokIat = ev.t - r.int(1, 55) * MINUTE;
    const epoch = sessionEpoch(this.w, u, 0, ev.t);
    const rec = this.kit.graphRequest(r, lb, {
      time: ev.t,
      apiVersion: q.v,
      method: 'GET',
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(r.logNormal(90_000, 600_000)),
      responseSizeBytes: q.size,
      ip: msIp,
      userAgent: '',
      appId: svc.appId,
      userId: u.id,
      servicePrincipalId: null,
      scopes: scopesFor(svc.appId),
      roles: null,
      wids: u.wids,
      tokenIssuedAt: tokIat,
      signInActivityId: uti(r),
      sessionId: r.bool(0.6) ? this.sidFor(0, epoch) : null,
      deviceId: null,
      clientAuthMethod: 1,
    });
    if (rec) this.built.push(rec);
    return;
  }

  /** A legacy Azure AD Graph call some Office builds still make. */
  private aadGraphEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    const tok = st.tokens[A_OFFICE];
    if (!tok) return;
    const rec = this.kit.aadGraphRequest(r, lb, {
      time: ev.t,
      actorType: 'User',
      apiVersion: '1.6',
      appId: tok.appId,
      ip: at.ip,
      clientAuthMethod: 0,
      deviceId: at.device.id,
      durationMs: r.int(8, 160),
      method: 'GET',
      status: 200,
      tokenIssuedAt: tok.iat,
      uri: `/v2/${this.w.tenantId}/me/memberOf`, // path only, as `/v2/<tid>/…` (samples/SOURCES.md)
      responseSizeBytes: r.int(900, 9000),
      roles: [],
      wids: u.wids.split(' '),
      scopes: 'User.Read',
      servicePrincipalId: '',
      sessionId: tok.sid ?? '',
      signInActivityId: tok.uti,
      userAgent: userAgentFor(A_OFFICE, at.device),
      userId: u.id,
    });
    if (rec) this.built.push(rec);
    return;
  }

  /** Connect-ExchangeOnline from the admin host: the script block, then the sign-in it triggers. */
  private exoConnectEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    const epoch = sessionEpoch(this.w, u, 0, ev.t);
    const res = this.signIn(r, lb, {
      time: ev.t,
      category: 'SignInLogs',
      user: u,
      appId: APP.exchangeRestPowerShell.appId,
      appDisplayName: APP.exchangeRestPowerShell.displayName,
      resource: RESOURCE.exchange,
      point: at.net,
      ip: at.ip,
      device: at.device,
      userAgent: PWSH_UA,
      clientAppUsed: 'Mobile Apps and Desktop clients',
      method: 'mfa',
      mfaInSession: true,
      sid: this.sidFor(0, epoch),
    });
    st.tokens[A_EXO] = res.token;
    st.exoSession = r.uuid();
    st.exoProcess = r.int(1200, 19_000);
    if (u.adminHost) {
      const sb = this.kit.scriptBlock(r, lb, {
        time: ev.t - r.int(2, 9) * 1000,
        computer: u.adminHost.computer,
        eventRecordId: ++st.recordId,
        userSid: u.adminHost.sid,
        processId: st.exoProcess,
        text: `Connect-ExchangeOnline -UserPrincipalName ${u.upn} -ShowBanner:$false`,
      });
      // the script block is logged seconds before the sign-in it triggers
      if (sb) this.built.push(sb);
    }
    for (const x of res.records) this.built.push(x);
    return;
  }

  /** One Exchange Online cmdlet in the admin's session, with its script block. */
  private exoCommandEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    const tok = st.tokens[A_EXO];
    if (!tok) return;
    const target = this.w.people[r.int(0, this.w.people.length - 1)] as User;
    const c = exoCommand(r, target, this.w);
    if (u.adminHost) {
      st.recordId += r.int(1, 3);
      const sb = this.kit.scriptBlock(r, lb, {
        time: ev.t,
        computer: u.adminHost.computer,
        eventRecordId: st.recordId,
        userSid: u.adminHost.sid,
        processId: st.exoProcess,
        text: c.text,
      });
      if (sb) this.built.push(sb);
    }
    const rec = this.kit.exchangeCmdlet(r, lb, {
      time: ev.t + r.int(200, 2500),
      cmdlet: c.cmdlet,
      objectId: target.id,
      user: u,
      ip: at.ip,
      token: tok,
      parameters: c.params,
      exoSessionId: st.exoSession,
    });
    if (rec) this.built.push(rec);
    return;
  }

  /** The admin centre's user list, page by page (or a browse of the admin blades). */
  private portalListEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    if (ev.x >= X_BROWSE) {
      this.portalBrowse(u, st, r, lb, ev, at.net, at.ip, at.device);
      return;
    }
    let tok = st.tokens[A_PORTAL];
    if (!tok || tok.exp < ev.t) {
      const epoch = sessionEpoch(this.w, u, 0, ev.t);
      const res = this.signIn(r, lb, {
        time: ev.t - r.int(3, 20) * 1000,
        category: 'SignInLogs',
        user: u,
        appId: APP.azurePortal.appId,
        appDisplayName: APP.azurePortal.displayName,
        resource: RESOURCE.msGraph,
        point: at.net,
        ip: at.ip,
        device: at.device,
        userAgent: at.device.browserUa,
        clientAppUsed: 'Browser',
        method: 'password',
        mfaInSession: true,
        sid: this.sidFor(at.device.id ? 0 : SID_BARE, epoch),
      });
      st.tokens[A_PORTAL] = res.token;
      tok = res.token;
      for (const x of res.records) this.built.push(x);
    }
    const pages = ev.x;
    let t = ev.t;
    for (let p = 0; p < pages; p++) {
      const skip = p === 0 ? '' : `&$skiptoken=${skipTokenFor(r, PORTAL_USERS, this.w)}`;
      const rec = this.kit.graphRequest(r, lb, {
        time: t,
        apiVersion: 'beta',
        method: 'GET',
        uri: `${PORTAL_USERS}${skip}`,
        status: 200,
        durationMs: Math.round(r.logNormal(350_000, 1_400_000)),
        responseSizeBytes: r.int(38_000, 62_000),
        ip: at.ip,
        userAgent: at.device.browserUa,
        appId: tok.appId,
        userId: u.id,
        servicePrincipalId: null,
        scopes: scopesFor(tok.appId),
        roles: null,
        wids: u.wids,
        tokenIssuedAt: tok.iat,
        signInActivityId: tok.uti,
        sessionId: tok.sid,
        deviceId: at.device.id || null,
        clientAuthMethod: 0,
      });
      if (rec) this.built.push(rec);
      t += r.int(2, 25) * 1000;
    }
    return;
  }

  /** A help-desk change in the portal: a password reset or a user update, with its directory audit. */
  private directoryChangeEvent(u: User, st: UserState, r: Rng, lb: Label, ev: Ev, at: EventPlace): void {
    const tok = st.tokens[A_PORTAL];
    if (!tok) return;
    const target = this.w.people[r.int(0, this.w.people.length - 1)] as User;
    const reset = r.bool(0.45);
    const g = this.kit.graphRequest(r, lb, {
      time: ev.t,
      apiVersion: 'beta',
      method: reset ? 'POST' : 'PATCH',
      uri: reset
        ? `https://graph.microsoft.com/beta/users/${target.id}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`
        : `https://graph.microsoft.com/beta/users/${target.id}`,
      status: reset ? 202 : 204,
      durationMs: Math.round(r.logNormal(400_000, 1_800_000)),
      responseSizeBytes: 0,
      ip: at.ip,
      userAgent: at.device.browserUa,
      appId: tok.appId,
      userId: u.id,
      servicePrincipalId: null,
      scopes: scopesFor(tok.appId),
      roles: null,
      wids: u.wids,
      tokenIssuedAt: tok.iat,
      signInActivityId: tok.uti,
      sessionId: tok.sid,
      deviceId: at.device.id || null,
      clientAuthMethod: 0,
    });
    if (g) this.built.push(g);
    const field = r.pick(['JobTitle', 'Department', 'TelephoneNumber', 'AccountEnabled']);
    const rec = this.kit.directoryChange(r, lb, {
      time: ev.t + r.int(300, 3000),
      operation: reset ? 'Reset user password.' : 'Update user.',
      category: 'User',
      actorUpn: u.upn,
      actorPuid: u.puid,
      actorObjectId: u.id,
      targetUpnOrName: target.upn,
      targetObjectId: target.id,
      targetPuid: target.puid,
      targetKind: 'User',
      modified: reset
        ? []
        : [
            {
              Name: field,
              NewValue: entraJsonText([field === 'AccountEnabled' ? true : target.jobTitle]),
              OldValue: entraJsonText([field === 'AccountEnabled' ? false : '']),
            },
            { Name: 'Included Updated Properties', NewValue: field, OldValue: '' },
          ],
      userAgent: at.device.browserUa,
    });
    if (rec) this.built.push(rec);
    return;
  }
}

function userStream(
  env: GenEnv,
  user: User,
  rng: Rng,
  label: Label,
  intensity: number,
  adminDuties: boolean,
  imp: Imperfection,
): Generator<StreamItem> {
  return new UserStream(env, user, rng, label, intensity, adminDuties, imp).records();
}

/** How far before its event an admin task's first record may lie (see K_PORTAL_LIST, K_EXO_CONNECT). */
const ADMIN_LEAD_MS = 20_000;

function planAppWindow(
  evs: EvBuf,
  r: Rng,
  app: number,
  device: number,
  a: number,
  b: number,
  intensity: number,
  x = 0,
): void {
  if (b <= a) return;
  // token refreshes every 60–90 min while the app runs (the first may be interactive)
  let t = a;
  while (t < b) {
    evs.push(t, K_SIGNIN, app, device, x);
    t += r.int(55, 85) * MINUTE;
  }
  const perHour = (CLIENT_APPS[app] as ClientApp).perHour * intensity;
  if (perHour <= 0) return;
  const mean = HOUR / perHour;
  let q = a + 1500;
  for (;;) {
    q += r.exponential(mean);
    if (q >= b) break;
    evs.push(q, K_GRAPH, app, device, x);
  }
}

/**
 * Which failure, if any, precedes this sign-in (AADSTS code), at the FAILURE_RATES × `scale`.
 * Interactive: a wrong password, the MFA prompt of a new session interrupting the first leg (or
 * denied), a "Keep me signed in" interrupt in a browser, a Conditional Access block. Non-interactive:
 * an expired or revoked refresh token, after which the app signs the user in interactively.
 */
function pickFailure(r: Rng, scale: number, interactive: boolean, fresh: boolean, browser: boolean): number {
  if (scale <= 0) return 0;
  const roll = r.float();
  const f = FAILURE_RATES;
  if (!interactive) return roll < f.expiredSession * scale ? r.weighted(EXPIRED_CODES) : 0;
  let acc = f.wrongPassword * scale;
  if (roll < acc) return 50126;
  if (fresh) {
    acc += f.mfaInterrupt * scale;
    if (roll < acc) return 50074;
    acc += f.mfaDenied * scale;
    if (roll < acc) return 500121;
  }
  if (browser) {
    acc += f.kmsiInterrupt * scale;
    if (roll < acc) return 50140;
  }
  acc += f.caBlocked * scale;
  return roll < acc ? 53003 : 0;
}

/** 1–4 bursts a working day of an admin opening objects in the admin centres. */
function planPortalBrowsing(evs: EvBuf, r: Rng, start: number, end: number): void {
  const bursts = r.int(1, 4);
  for (let i = 0; i < bursts; i++)
    evs.push(
      start + r.float() * Math.max(0, end - start - 10 * MINUTE),
      K_PORTAL_LIST,
      A_PORTAL,
      0,
      X_BROWSE + r.int(0, 7),
    );
}

/** A Graph PowerShell script run: an interactive sign-in, then 5–40 calls a second or three apart. */
function planScript(evs: EvBuf, r: Rng, start: number, end: number): void {
  let t = start + r.float() * Math.max(0, end - start - 20 * MINUTE);
  evs.push(t, K_SIGNIN, A_SCRIPT, 0, X_INTERACTIVE);
  const n = r.int(5, 40);
  t += r.int(3, 12) * 1000;
  for (let i = 0; i < n; i++) {
    evs.push(t, K_GRAPH, A_SCRIPT, 0, 0);
    t += r.int(400, 3500);
  }
}

/** Share of a raw HTTP scripter's working days with a scripting session (a judgement: about two days a week). */
const RAW_SESSION_DAY_SHARE = 0.4;

/**
 * A raw HTTP scripter's working day: on some of them (RAW_SESSION_DAY_SHARE) a scripting session — 1–3 runs of one job
 * within an hour or so (writing a script means running it again and again), each run built in one
 * go. x carries X_RAW and the job number.
 */
function planRawHttp(evs: EvBuf, r: Rng, start: number, end: number): void {
  if (!r.bool(RAW_SESSION_DAY_SHARE)) return;
  const job = r.int(0, RAW_JOBS - 1);
  let t = start + r.float() * Math.max(0, end - start - 90 * MINUTE);
  const runs = r.int(1, 3);
  for (let i = 0; i < runs; i++) {
    evs.push(t, K_GRAPH, A_SCRIPT, 0, X_RAW | job);
    t += r.int(4, 40) * MINUTE;
  }
}

/** The raw-HTTP script jobs: 0 users export and a detail per user, 1 groups export and members, 2 a few users' details. */
const RAW_JOBS = 3;
const RAW_USERS_SELECT = '$select=id,displayName,userPrincipalName,mail,department,jobTitle,accountEnabled';
const RAW_USER_DETAILS = ['manager', 'memberOf?$select=id,displayName', 'licenseDetails'] as const;

/**
 * The requests of one raw-HTTP script job, in order: every page of a users or groups export
 * (following `@odata.nextLink`, whose `$skiptoken` the service writes the same for everyone), then a
 * loop over some of what it listed (a detail per user, the members of some groups), or a few users'
 * details.
 */
function rawJob(w: World, r: Rng, job: number, top: 100 | 999): Call[] {
  const calls: Call[] = [];
  const topQ = top === 999 ? '&$top=999' : '';
  const pages = (base: string, n: number, perItem: number) => {
    const count = Math.max(1, Math.ceil(n / top));
    for (let p = 0; p < count; p++) {
      const items = p < count - 1 ? top : n - top * (count - 1);
      calls.push({
        v: 'v1.0',
        uri: p === 0 ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`,
        status: 200,
        size: 200 + Math.max(0, items) * perItem,
      });
    }
  };
  const detail = (other: User, what: (typeof RAW_USER_DETAILS)[number]) => {
    calls.push({
      v: 'v1.0',
      uri: `${G}/v1.0/users/${other.id}/${what}`,
      status: what === 'manager' && !r.bool(0.9) ? 404 : 200,
      size: r.int(300, 3000),
    });
  };
  if (job === 0) {
    pages(`${G}/v1.0/users?${RAW_USERS_SELECT}${topQ}`, w.people.length, r.int(280, 420));
    const what = r.pick(RAW_USER_DETAILS);
    const k = r.int(5, 40);
    for (let i = 0; i < k; i++) detail(w.people[r.int(0, w.people.length - 1)] as User, what);
  } else if (job === 1 && w.groups.length) {
    pages(`${G}/v1.0/groups?$select=id,displayName,mail,groupTypes${topQ}`, w.groups.length, r.int(180, 300));
    const k = r.int(3, 15);
    for (let i = 0; i < k; i++) {
      const g = w.groups[r.int(0, w.groups.length - 1)] as { id: string };
      pages(
        `${G}/v1.0/groups/${g.id}/members?$select=id,displayName,userPrincipalName${topQ}`,
        r.int(2, 150),
        r.int(150, 260),
      );
    }
  } else {
    const k = r.int(3, 12);
    for (let i = 0; i < k; i++) {
      const other = w.people[r.int(0, w.people.length - 1)] as User;
      calls.push({
        v: 'v1.0',
        uri: `${G}/v1.0/users/${other.upn.includes('#EXT#') ? other.id : other.upn}`,
        status: 200,
        size: r.int(380, 700),
      });
      detail(other, r.pick(RAW_USER_DETAILS));
    }
  }
  return calls;
}

/** Background sync overnight (00:00–06:30 and 22:00–23:00 local): a token refresh and a mail sync call. */
function planNightSync(evs: EvBuf, r: Rng, localMidnight: number): void {
  const windows: readonly (readonly [number, number])[] = [
    [0, NIGHT_SYNC.to],
    [24 * HOUR + NIGHT_SYNC.from, 23 * HOUR],
  ];
  for (const [a, b] of windows) {
    let t = localMidnight + a + r.float() * NIGHT_SYNC.meanGap;
    while (t < localMidnight + b) {
      evs.push(t, K_SIGNIN, A_OUTLOOK_MOBILE, 1, 0);
      evs.push(t + r.int(800, 4000), K_GRAPH, A_OUTLOOK_MOBILE, 1, 0);
      t += r.exponential(NIGHT_SYNC.meanGap);
    }
  }
}

/**
 * Visits to the intranet: 0–3 a working day, each a few page loads; every load runs its web parts
 * (people, org chart, a people picker in a form), each making a handful of Graph calls within a
 * couple of seconds. ≈ 15 requests per user-day at the default intensity.
 */
function planIntranet(evs: EvBuf, r: Rng, start: number, end: number, intensity: number): void {
  const visits = r.int(0, 3);
  for (let v = 0; v < visits; v++) {
    const at = start + r.float() * Math.max(0, end - start - 30 * MINUTE);
    evs.push(at, K_SIGNIN, A_SPFX, 0, 0);
    const loads = 1 + r.int(0, Math.max(0, Math.round((2 * intensity) / 3.5)));
    let t = at + r.int(300, 1500);
    for (let i = 0; i < loads; i++) {
      const calls = r.int(2, 5);
      for (let c = 0; c < calls; c++) evs.push(t + r.int(150, 2500), K_GRAPH, A_SPFX, 0, 0);
      t += r.int(20, 240) * 1000;
    }
  }
}

function planAdminDay(evs: EvBuf, r: Rng, start: number, end: number, exo: boolean, userAdmin: boolean): void {
  if (exo && r.bool(0.35)) {
    let t = start + r.float() * Math.max(0, end - start - HOUR);
    evs.push(t, K_EXO_CONNECT, A_EXO, 0, 0);
    const n = r.int(2, 12);
    for (let i = 0; i < n; i++) {
      t += r.int(8, 180) * 1000;
      evs.push(t, K_EXO_CMD, A_EXO, 0, 0);
    }
  }
  if (userAdmin) {
    const tasks = r.int(0, 4);
    for (let i = 0; i < tasks; i++) {
      const t = start + r.float() * Math.max(0, end - start - 10 * MINUTE);
      evs.push(t, K_PORTAL_LIST, A_PORTAL, 0, r.int(1, 3));
      if (r.bool(0.7)) evs.push(t + r.int(40, 400) * 1000, K_DIR_CHANGE, A_PORTAL, 0, 0);
    }
  }
}

function networkAt(u: User, device: number, place: number, away: NetworkPoint | null): NetworkPoint {
  if (device === 1) return u.mobile;
  if (place === 1 && u.office) return u.office.egress;
  return away ?? u.home;
}

function ipAt(u: User, net: NetworkPoint, device: number, place: number, away: NetworkPoint | null, t: number): string {
  if (device === 0 && place === 0 && away) {
    // Tor circuits change every ten minutes; a VPN, jump box or hotel keeps its address for the day
    if (away.kind === 'tor') return rotatingV4(away, mix32(u.index, Math.floor(t / (10 * MINUTE)), 13));
    return away.v4[0] as string;
  }
  if (device === 1) {
    // carrier addresses rotate every couple of hours; v6 on about half the connections
    const bucket = Math.floor(t / (2 * HOUR));
    const h = mix32(u.index, bucket, 11);
    if (h & 1) {
      const v6 = rotatingV6(net, h, mix32(h, 3));
      if (v6) return v6;
    }
    return rotatingV4(net, h);
  }
  if (place === 1) {
    // corporate NAT pool: the egress address changes with the connection
    const h = mix32(u.index, Math.floor(t / (25 * MINUTE)), 5);
    return net.v4[h % net.v4.length] as string;
  }
  // dual-stack home: IPv6 for a share of connections, IPv4 for the rest
  if (net.v6.length && (mix32(u.index, Math.floor(t / (20 * MINUTE)), 9) & 3) < 2) return net.v6[0] as string;
  return net.v4[0] as string;
}

const msPoints = new WeakMap<World, NetworkPoint[]>();
function microsoftPoint(w: World, r: Rng): { point: NetworkPoint; ip: string } {
  let pts = msPoints.get(w);
  if (!pts) {
    const pr = rngStream(w.seed, 'world', 'microsoft-egress');
    pts = MICROSOFT_RANGES.map((op) => pointOn(pr, op, 1, 0));
    msPoints.set(w, pts);
  }
  const point = pts[r.int(0, pts.length - 1)] as NetworkPoint;
  return { point, ip: rotatingV4(point, r.int(0, 0x7fffffff)) };
}

function microsoftIp(w: World, r: Rng): string {
  return microsoftPoint(w, r).ip;
}

interface Call {
  v: 'v1.0' | 'beta';
  uri: string;
  status: number;
  size: number;
}

const G = 'https://graph.microsoft.com';

function searchPrefix(w: World, r: Rng): string {
  const other = w.people[r.int(0, w.people.length - 1)] as User;
  const n = r.int(2, Math.min(6, Math.max(2, other.givenName.length)));
  return other.givenName.slice(0, n).toLowerCase();
}

function graphCall(w: World, r: Rng, app: number): Call {
  const other = w.people[r.int(0, w.people.length - 1)] as User;
  const roll = r.float();
  switch (app) {
    case A_TEAMS:
      if (roll < 0.3)
        return { v: 'v1.0', uri: `${G}/v1.0/users/${other.id}/presence`, status: 200, size: r.int(180, 260) };
      if (roll < 0.5)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users?$search=%22displayName:${searchPrefix(w, r)}%22&$top=10&$select=id,displayName,mail,userPrincipalName,jobTitle`,
          status: 200,
          size: r.int(600, 4200),
        };
      if (roll < 0.75)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users/${other.id}/photos/48x48/$value`,
          status: other.hasPhoto ? 200 : 404,
          size: other.hasPhoto ? r.int(1400, 4800) : 0,
        };
      if (roll < 0.9) return { v: 'v1.0', uri: `${G}/v1.0/me/joinedTeams`, status: 200, size: r.int(900, 6000) };
      return { v: 'beta', uri: `${G}/beta/me/presence`, status: 200, size: r.int(200, 300) };
    case A_OFFICE:
      if (roll < 0.35)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/me/people?$search=%22${searchPrefix(w, r)}%22&$top=10`,
          status: 200,
          size: r.int(700, 5200),
        };
      if (roll < 0.65)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users/${other.id}?$select=id,displayName,mail,jobTitle,department,officeLocation,businessPhones`,
          status: 200,
          size: r.int(380, 720),
        };
      if (roll < 0.85) return { v: 'v1.0', uri: `${G}/v1.0/me/mailboxSettings`, status: 200, size: r.int(600, 1100) };
      return { v: 'beta', uri: `${G}/beta/me/insights/used?$top=10`, status: 200, size: r.int(2000, 9000) };
    case A_SPFX:
      // web parts built on the Microsoft Graph Toolkit / MSGraphClientV3 (telemetry.md §4 "people
      // picker in Graph-based apps … MGT/SPFx code"): the signed-in user, people cards, photos, the
      // org chart, and the people picker's `$search` (which needs ConsistencyLevel: eventual)
      if (roll < 0.15)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/me?$select=displayName,mail,jobTitle,department`,
          status: 200,
          size: r.int(300, 520),
        };
      if (roll < 0.35)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users/${other.id}?$select=displayName,jobTitle,department,mail,businessPhones,officeLocation`,
          status: 200,
          size: r.int(380, 700),
        };
      if (roll < 0.55)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users/${other.id}/photo/$value`,
          status: other.hasPhoto ? 200 : 404,
          size: other.hasPhoto ? r.int(2500, 9000) : 0,
        };
      if (roll < 0.7)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users/${other.id}/${r.bool(0.5) ? 'manager' : 'directReports'}`,
          status: r.bool(0.9) ? 200 : 404,
          size: r.int(300, 2400),
        };
      if (roll < 0.88)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/me/people?$search=%22${searchPrefix(w, r)}%22&$top=10&$filter=personType/class%20eq%20%27Person%27`,
          status: 200,
          size: r.int(700, 5200),
        };
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/users?$search=%22displayName:${searchPrefix(w, r)}%22%20OR%20%22mail:${searchPrefix(w, r)}%22&$top=10`,
        status: 200,
        size: r.int(600, 4200),
      };
    case A_SCRIPT:
      return scriptCall(w, r);
    case A_OFFICEHOME:
      if (roll < 0.25) return { v: 'v1.0', uri: `${G}/v1.0/me`, status: 200, size: r.int(450, 700) };
      if (roll < 0.5)
        return { v: 'v1.0', uri: `${G}/v1.0/me/drive/recent?$top=25`, status: 200, size: r.int(3000, 24_000) };
      if (roll < 0.7)
        return { v: 'v1.0', uri: `${G}/v1.0/me/memberOf?$select=id,displayName`, status: 200, size: r.int(400, 4000) };
      if (roll < 0.9)
        return {
          v: 'v1.0',
          uri: `${G}/v1.0/users/${other.upn.includes('#EXT#') ? other.id : other.upn}`,
          status: 200,
          size: r.int(380, 650),
        };
      return { v: 'beta', uri: `${G}/beta/me/profile`, status: 200, size: r.int(1500, 5000) };
    default:
      if (roll < 0.5) return { v: 'v1.0', uri: `${G}/v1.0/me/people?$top=25`, status: 200, size: r.int(3000, 9000) };
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/users/${other.id}/photos/48x48/$value`,
        status: other.hasPhoto ? 200 : 404,
        size: other.hasPhoto ? r.int(1400, 4800) : 0,
      };
  }
}

/**
 * A page of the Entra or Intune admin centre reading the directory: the object blades call these
 * (owners, members, role assignments, registered owners, app role assignments), and the list blades
 * the collections. They are the paths the published path-signature rules list.
 */
function portalPath(w: World, r: Rng): Call {
  const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[r.int(0, xs.length - 1)] : undefined);
  const sp = pick(w.servicePrincipals);
  const g = pick(w.groups);
  const u = pick(w.people) as User;
  const dev = pick(u.devices);
  const roll = r.int(0, 13);
  const id = (x: { id: string } | undefined) => x?.id ?? u.id;
  switch (roll) {
    case 0:
      return {
        v: 'beta',
        uri: `${G}/beta/servicePrincipals/${id(sp)}/owners?$select=id,displayName,userPrincipalName`,
        status: 200,
        size: r.int(120, 900),
      };
    case 1:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/groups/${id(g)}/members?$select=id,displayName,userPrincipalName&$top=100`,
        status: 200,
        size: r.int(400, 14_000),
      };
    case 2:
      return {
        v: 'beta',
        uri: `${G}/beta/groups/${id(g)}/owners?$select=id,displayName`,
        status: 200,
        size: r.int(120, 900),
      };
    case 3:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/servicePrincipals/${id(sp)}/appRoleAssignedTo?$top=100`,
        status: 200,
        size: r.int(200, 6000),
      };
    case 4:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20%27${u.id}%27&$expand=roleDefinition`,
        status: 200,
        size: r.int(200, 3000),
      };
    case 5:
      return {
        v: 'beta',
        uri: `${G}/beta/applications/${r.uuid()}/owners`,
        status: r.bool(0.8) ? 200 : 404,
        size: r.int(120, 900),
      };
    case 6:
      return {
        v: 'beta',
        uri: `${G}/beta/devices/${dev?.id ?? r.uuid()}/registeredOwners`,
        status: dev ? 200 : 404,
        size: r.int(300, 900),
      };
    case 7:
      return { v: 'v1.0', uri: `${G}/v1.0/organization`, status: 200, size: r.int(2500, 4500) };
    case 8:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/groups?$top=100&$select=id,displayName,groupTypes,mailEnabled,securityEnabled&$count=true`,
        status: 200,
        size: r.int(9000, 40_000),
      };
    case 9:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/servicePrincipals?$top=100&$select=id,appId,displayName,servicePrincipalType`,
        status: 200,
        size: r.int(9000, 40_000),
      };
    case 10:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName,isBuiltIn`,
        status: 200,
        size: r.int(20_000, 60_000),
      };
    case 11:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/devices?$top=100&$select=id,deviceId,displayName,operatingSystem,trustType&$count=true`,
        status: 200,
        size: r.int(9000, 40_000),
      };
    case 12:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/users/${u.id}/memberOf?$select=id,displayName`,
        status: 200,
        size: r.int(300, 4000),
      };
    default:
      return {
        v: 'v1.0',
        uri: `${G}/v1.0/applications?$top=100&$select=id,appId,displayName`,
        status: 200,
        size: r.int(4000, 30_000),
      };
  }
}

/** What a user's Graph PowerShell script reads: their team, a group's members, a user's manager, licences. */
function scriptCall(w: World, r: Rng): Call {
  const other = w.people[r.int(0, w.people.length - 1)] as User;
  const g = w.groups.length ? w.groups[r.int(0, w.groups.length - 1)] : undefined;
  const roll = r.float();
  if (roll < 0.35)
    return {
      v: 'v1.0',
      uri: `${G}/v1.0/users/${other.id}?$select=id,displayName,department,jobTitle,manager`,
      status: 200,
      size: r.int(380, 900),
    };
  if (roll < 0.55 && g)
    return { v: 'v1.0', uri: `${G}/v1.0/groups/${g.id}/members?$top=100`, status: 200, size: r.int(600, 30_000) };
  if (roll < 0.75)
    return {
      v: 'v1.0',
      uri: `${G}/v1.0/users/${other.id}/manager`,
      status: r.bool(0.9) ? 200 : 404,
      size: r.int(300, 700),
    };
  if (roll < 0.9)
    return {
      v: 'v1.0',
      uri: `${G}/v1.0/users?$filter=department%20eq%20%27${encodeURIComponent(other.department)}%27&$select=id,displayName,mail`,
      status: 200,
      size: r.int(900, 20_000),
    };
  return { v: 'v1.0', uri: `${G}/v1.0/users/${other.id}/licenseDetails`, status: 200, size: r.int(500, 2500) };
}

function serviceCall(w: World, u: User, r: Rng, appId: string): Call {
  const other = w.people[r.int(0, w.people.length - 1)] as User;
  switch (appId) {
    case APP.peopleCards.appId:
      return r.bool(0.6)
        ? {
            v: 'v1.0',
            uri: `${G}/v1.0/users/${other.id}?$select=id,displayName,jobTitle,department,mail,officeLocation`,
            status: 200,
            size: r.int(380, 700),
          }
        : {
            v: 'v1.0',
            uri: `${G}/v1.0/users/${other.id}/manager`,
            status: r.bool(0.9) ? 200 : 404,
            size: r.int(300, 600),
          };
    case APP.teamsServices.appId: {
      const g = w.groups.length ? w.groups[r.int(0, w.groups.length - 1)] : undefined;
      return g && r.bool(0.4)
        ? {
            v: 'v1.0',
            uri: `${G}/v1.0/groups/${g.id}/members?$top=100&$select=id,displayName`,
            status: 200,
            size: Math.min(100, g.members) * r.int(90, 140) + 120,
          }
        : { v: 'beta', uri: `${G}/beta/users/${u.id}/memberOf?$select=id`, status: 200, size: r.int(200, 3000) };
    }
    case APP.officeSearch.appId:
      return { v: 'beta', uri: `${G}/beta/users/${u.id}/people?$top=50`, status: 200, size: r.int(4000, 20_000) };
    default:
      return { v: 'v1.0', uri: `${G}/v1.0/users/${u.id}/drive/recent`, status: 200, size: r.int(2000, 15_000) };
  }
}

function exoCommand(
  r: Rng,
  target: User,
  w: World,
): { cmdlet: string; text: string; params: { Name: string; Value: string }[] } {
  const read = r.bool(0.65);
  if (read) {
    const cmdlet = r.weighted([
      ['Get-Mailbox', 5],
      ['Get-MailboxStatistics', 2],
      ['Get-MailboxPermission', 2],
      ['Get-Recipient', 1],
      ['Get-User', 1],
    ] as const);
    return {
      cmdlet,
      text: `${cmdlet} -Identity "${target.upn}"`,
      params: [{ Name: 'Identity', Value: target.upn }],
    };
  }
  const other = w.people[r.int(0, w.people.length - 1)] as User;
  const k = r.int(0, 4);
  switch (k) {
    case 0:
      return {
        cmdlet: 'Add-MailboxPermission',
        text: `Add-MailboxPermission -Identity "${target.upn}" -User "${other.upn}" -AccessRights FullAccess -InheritanceType All`,
        params: [
          { Name: 'Identity', Value: target.upn },
          { Name: 'User', Value: other.upn },
          { Name: 'AccessRights', Value: 'FullAccess' },
          { Name: 'InheritanceType', Value: 'All' },
        ],
      };
    case 1:
      return {
        cmdlet: 'Set-Mailbox',
        text: `Set-Mailbox -Identity "${target.upn}" -ProhibitSendQuota 49GB -IssueWarningQuota 48GB`,
        params: [
          { Name: 'Identity', Value: target.upn },
          { Name: 'ProhibitSendQuota', Value: '49 GB (52,613,349,376 bytes)' },
          { Name: 'IssueWarningQuota', Value: '48 GB (51,539,607,552 bytes)' },
        ],
      };
    case 2:
      return {
        cmdlet: 'Set-CASMailbox',
        text: `Set-CASMailbox -Identity "${target.upn}" -PopEnabled $false -ImapEnabled $false`,
        params: [
          { Name: 'Identity', Value: target.upn },
          { Name: 'PopEnabled', Value: 'False' },
          { Name: 'ImapEnabled', Value: 'False' },
        ],
      };
    case 3:
      return {
        cmdlet: 'Set-MailboxAutoReplyConfiguration',
        text: `Set-MailboxAutoReplyConfiguration -Identity "${target.upn}" -AutoReplyState Disabled`,
        params: [
          { Name: 'Identity', Value: target.upn },
          { Name: 'AutoReplyState', Value: 'Disabled' },
        ],
      };
    default: {
      const g = w.groups.find((x) => x.kind === 'distribution') ?? w.groups[0];
      const name = g?.mailNickname ?? 'AllStaff';
      return {
        cmdlet: 'Add-DistributionGroupMember',
        text: `Add-DistributionGroupMember -Identity "${name}" -Member "${target.upn}"`,
        params: [
          { Name: 'Identity', Value: name },
          { Name: 'Member', Value: target.upn },
        ],
      };
    }
  }
}

export const workforce: ProfileModule = {
  info: {
    id: 'workforce',
    name: 'Workforce',
    kind: 'profile',
    attack: [],
    summary:
      "every user's working day: sign-ins, token refreshes, people-picker searches, lookups, first-party noise, admin work",
    description:
      "Every user signs in on working days in their own time zone, from the office, from home (IPv4 and IPv6) or from a phone; device sessions live for days and each app refreshes its token every hour or so. Teams, Outlook and Office on the web make people-picker searches, single-object lookups and photo requests; intranet pages in SharePoint run SPFx web parts that call Graph from the browser (people cards, photos, the org chart, a people picker) with a token SharePoint obtains on the user's behalf from a Microsoft address; Microsoft's own services call Graph on the user's behalf from Microsoft addresses with tokens that have no sign-in row. Role holders do their admin work: Exchange admins connect with Exchange Online PowerShell and run read cmdlets (never audited) and state-changing ones (audited as RecordType 1); helpdesk and user admins page through users in the admin portal and update or reset accounts (RecordType 8). This is the baseline an enumeration detector must stay quiet on. It carries every imperfection an attacker's traffic has, each rate an option (no published per-tenant rate exists for them but one, the single-factor share: every other default is a judgement, marked so; error codes and their meanings from Microsoft's AADSTS reference, learn.microsoft.com/entra/identity-platform/reference-error-codes): failed sign-ins by cause — wrong password 50126 (3 % of interactive sign-ins), the MFA prompt interrupting a new session's first leg 50074 (30 % of session-opening sign-ins) or denied 500121 (1.5 %), the Keep-me-signed-in interrupt 50140 (5 % of browser sign-ins), a Conditional Access block 53003 (0.4 %), expired or revoked refresh tokens 70043/700082/50173 (0.5 % of refreshes, then an interactive sign-in) — each mirrored in the UAL RecordType 15 record (UserLoginFailed, LogonError, ErrorNumber); legacy mail clients that keep trying IMAP/POP/SMTP AUTH/ActiveSync and are blocked by the legacy-authentication policy (2 % of users; single-factor, no device); users the tenant's MFA policy does not reach — its exclusions, accounts never registered — sign in single-factor wherever they are, the MFA policy shown notApplied, unless they hold a role or the risk policy steps in (62 % of users, `singleFactorShare`: 38 % of Entra ID monthly active users used MFA in February 2024 and 26.64 % in September 2022, Alex Weinert (Microsoft) as reported at practical365.com/entra-id-multifactor-authentication-reaches-38-percent; the figure spans tenants with no MFA policy at all, so a tenant that enforces MFA for nearly everyone sets a lower share), while the other users' sign-ins within a session carry the MFA claim as 'Previously satisfied'; personal, unregistered laptops and phones (30 % of users) whose sign-ins and Graph calls carry no device id; a browser on the work computer that does not pass the device's identity (15 % of users: Chrome without the Microsoft Single Sign On extension or the CloudAPAuthEnabled policy, learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions) — their browser sign-ins, Office on the web, intranet web parts and admin-centre pages carry no device id all working day, while Teams and Outlook on the same computer carry it; Microsoft Graph PowerShell scripts (3 % of users, role holders 8× as often), signed in through WAM (on by default on Windows, learn.microsoft.com/powershell/module/microsoft.graph.authentication/set-mggraphoption) with the computer's device id; raw HTTP scripts on a delegated token (1.5 % of users — half as many as use the Graph PowerShell SDK — role holders 5× as often; on 40 % of their working days a session of 1–3 runs of one job — every page of a users or groups export, then a detail per listed user or the members of some groups, or a few users' details — a fraction of a second between requests): Windows PowerShell 5.1 and PowerShell 7 Invoke-RestMethod with a token from Get-AzAccessToken (Azure PowerShell app), python-requests, Postman and curl with one from az account get-access-token (Azure CLI app), each client's default user agent, no device id and no client-request-id header, so their Graph rows repeat the request id as clientRequestId just as the attack tools' raw clients do (telemetry.md §1a; the agents are those telemetry.md §5 and Elastic's user-agent rule in published-detections.md §3e list as tool agents; the client mix is a judgement); the tenant's own and vendors' integrations reading the directory app-only around the clock from cloud VMs and hosting VPSs (4 apps, 4–12 calls an hour each, ClientAuthMethod 1 or 2, the app-only wids 0997a1d0-… as the live record in reference/telemetry.md §1b carries it); hosting and anonymising egress — commercial VPNs on hosting ASNs (5 % of users, a third of their home days), admins' cloud jump boxes (30 % of role holders, 40 % of their days), Tor (0.2 % of users), travel on guest networks abroad (2 % of user-days); a 24-hour rhythm — phones refresh and sync overnight (22:00–06:30, about every 100 minutes, weekends included), night-shift staff (4 %) and remote staff on another zone's hours (10 %); a heavy-tailed per-user volume (log-normal multiplier, σ 0.9, mean 1); and admins browsing the Entra and Intune admin centres (1–4 bursts a working day), whose blades read owners, members, role assignments, registered owners and app role assignments — the paths the published path-signature rules list.",
    options: OPTIONS,
    observability: [
      { source: 'signIns', shows: 'interactive and non-interactive sign-ins, sessions and tokens' },
      {
        source: 'graphActivity',
        shows: "people-picker searches, lookups, SPFx web parts, admin-portal user paging, admins' raw HTTP scripts",
      },
      { source: 'ual', shows: 'a subset of sign-ins (15), directory changes (8), Exchange admin changes (1)' },
      { source: 'aadGraphActivity', shows: 'occasional legacy Azure AD Graph calls' },
      { source: 'endpointPowerShell', shows: 'EXO PowerShell script blocks on admin hosts' },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const w = env.world;
    const pr = rngStream(env.seed, 'workforce', entry.id);
    const users = entry.actors ? resolveSelector(w, entry.actors, pr.fork('select')) : w.people;
    const opts = resolveOptions(OPTIONS, entry.options, pr.fork('options'));
    const intensity = Number(opts.intensity ?? 1);
    const adminDuties = opts.adminDuties !== false;
    const imp = imperfectionOf(opts);
    const appsN = typeof opts.appOnlyApps === 'number' ? opts.appOnlyApps : 4;
    const apps = appsN > 0 ? [appOnlyActor(entry.id, env, appsN)] : [];
    return users
      .map((u): Actor => {
        const id = `${entry.id}/${u.index}`;
        const label: Label = { actor: id, kind: 'profile', module: 'workforce', malicious: false };
        return {
          id,
          label,
          principals: [u.upn],
          // admin work logs a script block up to 9 s and a portal sign-in up to 20 s before its
          // event; everything else a user does is recorded at the event's own time
          lead: adminDuties && u.roles.length ? ADMIN_LEAD_MS : 0,
          stream: () =>
            userStream(env, u, rngStream(env.seed, 'workforce', entry.id, u.index), label, intensity, adminDuties, imp),
        };
      })
      .concat(apps);
  },
};
