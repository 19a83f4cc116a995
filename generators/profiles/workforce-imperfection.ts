/**
 * The workforce's everyday imperfections: the traits that make a benign tenant carry everything an
 * attacker's traffic carries (failed sign-ins, device-less calls, app-only reads, hosting / VPN /
 * Tor egress, night traffic, heavy users), so that what gives an attacker away is behaviour, never
 * the mere presence of a trait. Every rate is a workforce option (docs/profiles/workforce.md lists
 * each with its source, or says it is a judgement where no published rate exists).
 */
import { HOUR } from '../../src/core/clock.js';
import { COUNTRIES } from '../../src/core/countries.js';
import type { Rng } from '../../src/core/rng.js';
import { APP, type FirstPartyApp } from '../world/apps.js';
import { HOSTING, type NetworkPoint, pickOperator, pointOn, TOR_EXITS, VENDOR_CLOUDS } from '../world/networks.js';
import type { Device, User } from '../world/types.js';

/** The option values this module reads (defaults in workforce.ts OPTIONS). */
export interface Imperfection {
  failures: number;
  unmanagedShare: number;
  bareBrowserShare: number;
  scriptShare: number;
  vpnShare: number;
  jumpBoxShare: number;
  torShare: number;
  travelShare: number;
  legacyClientShare: number;
  nightShiftShare: number;
  otherZoneShare: number;
  volumeSigma: number;
  nightSync: boolean;
  rawHttpShare: number;
  singleFactorShare: number;
}

/**
 * Failure probabilities per sign-in at `failures: 1`, by cause (AADSTS codes:
 * learn.microsoft.com/entra/identity-platform/reference-error-codes). No published per-tenant
 * rate exists for any of them; the figures are judgements, documented as such.
 */
export const FAILURE_RATES = {
  /** 50126 wrong password, per interactive sign-in */
  wrongPassword: 0.03,
  /** 50074 "Strong Authentication is required" interrupt, per session-opening interactive sign-in */
  mfaInterrupt: 0.3,
  /** 500121 MFA denied or timed out, per session-opening interactive sign-in */
  mfaDenied: 0.015,
  /** 50140 "Keep me signed in" interrupt, per interactive browser sign-in */
  kmsiInterrupt: 0.05,
  /** 53003 blocked by Conditional Access (unsupported platform, non-compliant device), per interactive sign-in */
  caBlocked: 0.004,
  /** 70043 / 700082 / 50173 expired or revoked refresh token, per non-interactive refresh */
  expiredSession: 0.005,
} as const;

/** Expired or revoked sessions, by cause. */
export const EXPIRED_CODES: readonly (readonly [number, number])[] = [
  [70043, 3],
  [700082, 2],
  [50173, 1],
];

/** What a legacy-protocol client looks like in a sign-in row: the client app and its user agent. */
export const LEGACY_CLIENTS: readonly (readonly [clientAppUsed: string, userAgent: string])[] = [
  ['Exchange ActiveSync', 'Apple-iPhone14C3/2201.81'],
  ['IMAP4', ''],
  ['Authenticated SMTP', ''],
  ['POP3', ''],
];

/** A user's standing habits, drawn once from their own stream. */
export interface UserTraits {
  /** multiplies the user's request volume (mean 1, log-normal: a few users do most of the work) */
  volume: number;
  /** shifts the working day (night shift, staff in another time zone), minutes */
  shiftMin: number;
  /** a personal, unregistered laptop for evening web sessions (no device id) */
  personalLaptop: Device | null;
  /** a personal, unregistered phone when the directory has none for the user */
  personalPhone: Device | null;
  /**
   * the browser the user works in on the work computer when it does not hand the device's identity to
   * Entra ID — Chrome without the Microsoft Single Sign On extension or the CloudAPAuthEnabled
   * policy (learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions,
   * "Chrome support"): browser sign-ins and the Graph calls of web apps carry no device id, while the
   * computer's native apps (Teams, Outlook, scripts through WAM) still do
   */
  bareBrowser: Device | null;
  /** runs Microsoft Graph PowerShell scripts from the computer (through WAM: the computer's device id) */
  scripter: boolean;
  /** a commercial VPN the user turns on from home on some days (hosting ASN) */
  vpn: NetworkPoint | null;
  /** an admin's cloud jump box (hosting or vendor cloud) the admin works from on some days */
  jumpBox: NetworkPoint | null;
  /** a Tor Browser user on some days (rare) */
  tor: NetworkPoint | null;
  /** a legacy mail client (IMAP, POP, SMTP AUTH, ActiveSync basic auth) that keeps trying and is blocked */
  legacy: (typeof LEGACY_CLIENTS)[number] | null;
  /**
   * outside the tenant's MFA policy (its exclusions, or never registered): "Require MFA for all
   * users" / "outside corporate networks" does not apply, so the user's sign-ins are single-factor
   * unless the administrators' or the risk policy steps in
   */
  mfaExempt: boolean;
}

const PERSONAL_LAPTOPS: readonly Device[] = [
  {
    id: '',
    displayName: '',
    kind: 'laptop',
    operatingSystem: 'MacOs',
    osLabel: 'MacOS',
    browser: 'Chrome 131.0.0',
    browserUa:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    trustType: '',
    isCompliant: false,
    isManaged: false,
  },
  {
    id: '',
    displayName: '',
    kind: 'laptop',
    operatingSystem: 'Windows10',
    osLabel: 'Windows 10',
    browser: 'Chrome 131.0.0',
    browserUa:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    trustType: '',
    isCompliant: false,
    isManaged: false,
  },
];

const PERSONAL_PHONES: readonly Device[] = [
  {
    id: '',
    displayName: '',
    kind: 'mobile',
    operatingSystem: 'Ios',
    osLabel: 'iOS',
    browser: 'Mobile Safari',
    browserUa:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    trustType: '',
    isCompliant: false,
    isManaged: false,
  },
  {
    id: '',
    displayName: '',
    kind: 'mobile',
    operatingSystem: 'Android',
    osLabel: 'Android',
    browser: 'Chrome Mobile',
    browserUa:
      'Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    trustType: '',
    isCompliant: false,
    isManaged: false,
  },
];

/** Commercial VPN exits run on hosting networks (M247, Leaseweb, DigitalOcean …). */
const VPN_OPERATORS = HOSTING;

/**
 * The work computer as Entra ID sees it through a browser that does not pass the device's identity:
 * its operating system, Chrome, and no device id, trust type, compliance or management.
 */
export function bareBrowserOf(computer: Device): Device {
  const mac = computer.operatingSystem === 'MacOs';
  const ua = (PERSONAL_LAPTOPS[mac ? 0 : 1] as Device).browserUa;
  return {
    ...computer,
    id: '',
    displayName: '',
    browser: 'Chrome 131.0.0',
    browserUa: ua,
    trustType: '',
    isCompliant: false,
    isManaged: false,
  };
}

export function userTraits(u: User, r: Rng, o: Imperfection, hasPhone: boolean): UserTraits {
  const sigma = o.volumeSigma;
  const volume = sigma > 0 ? Math.min(15, Math.exp(sigma * r.normal() - (sigma * sigma) / 2)) : 1;
  let shiftMin = 0;
  if (r.bool(o.nightShiftShare)) shiftMin = r.int(10, 13) * 60;
  else if (u.workStyle === 'remote' && r.bool(o.otherZoneShare)) shiftMin = r.pick([-6, -5, -3, 3, 5, 6]) * 60;
  const admin = u.roles.length > 0;
  const unmanaged = r.bool(o.unmanagedShare);
  const traits: UserTraits = {
    volume,
    shiftMin,
    personalLaptop: unmanaged ? r.pick(PERSONAL_LAPTOPS) : null,
    personalPhone: !hasPhone && unmanaged ? r.pick(PERSONAL_PHONES) : null,
    scripter: r.bool(admin ? Math.min(1, o.scriptShare * 8) : o.scriptShare),
    vpn: r.bool(o.vpnShare) ? pointOn(r, r.pick(VPN_OPERATORS), 1, 0) : null,
    jumpBox: admin && r.bool(o.jumpBoxShare) ? pointOn(r, r.pick([...HOSTING, ...VENDOR_CLOUDS]), 1, 0) : null,
    tor: r.bool(o.torShare) ? pointOn(r, r.pick(TOR_EXITS), 1, 0) : null,
    legacy: r.bool(o.legacyClientShare) ? r.pick(LEGACY_CLIENTS) : null,
    bareBrowser: null,
    mfaExempt: false,
  };
  // drawn last, so adding it left every other habit as it was
  const computer = u.devices[0];
  if (r.bool(o.bareBrowserShare) && computer && computer.kind !== 'mobile')
    traits.bareBrowser = bareBrowserOf(computer);
  // drawn after every other habit, for the same reason
  traits.mfaExempt = r.bool(o.singleFactorShare);
  return traits;
}

/** Where a travelling user is today: a residential-class network in another country. */
export function travelPoint(u: User, r: Rng): NetworkPoint {
  const others = COUNTRIES.filter((c) => c.code !== u.country);
  const c = r.pick(others.length ? others : COUNTRIES);
  return pointOn(r, pickOperator(r, 'residential-proxy', c.code), 1, 0);
}

/** Hours (local) when phones sync in the background overnight: 22:00 to 06:30. */
export const NIGHT_SYNC = { from: -2 * HOUR, to: 6.5 * HOUR, meanGap: 1.6 * HOUR } as const;

/**
 * A raw HTTP client an admin or power user scripts Graph with, on a delegated token taken from a
 * tool they are signed in to (`Get-AzAccessToken -ResourceTypeName MSGraph`, `az account
 * get-access-token --resource-type ms-graph`): no Graph SDK, so no `client-request-id` header, and
 * the log's `clientRequestId` repeats the request id, as it does for the attack tools' own raw
 * clients (telemetry.md §1a; `GraphClientLibrary` in generators/records/graph-activity.ts). The user
 * agents are each client's default: Windows PowerShell 5.1 and PowerShell 7 `Invoke-RestMethod`,
 * python-requests, Postman, curl — the families reference/telemetry.md §5 and the Elastic user-agent
 * rule (published-detections.md §3e: `python*`, `*curl/*`) list as tool agents. The mix and the
 * token's app are judgements [U]: no published census of admins' scripting clients exists.
 */
export interface RawHttpClient {
  userAgent: string;
  app: FirstPartyApp;
  /** default page size the script asks for (100: no `$top`, Graph's default; 999: the maximum) */
  top: 100 | 999;
}

export const RAW_HTTP_CLIENTS: readonly (readonly [RawHttpClient, number])[] = [
  [
    {
      userAgent: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.4391',
      app: APP.azurePowerShell,
      top: 999,
    },
    4,
  ],
  [
    {
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6',
      app: APP.azurePowerShell,
      top: 999,
    },
    3,
  ],
  [{ userAgent: 'python-requests/2.32.3', app: APP.azureCli, top: 100 }, 2],
  [{ userAgent: 'PostmanRuntime/7.42.0', app: APP.azureCli, top: 100 }, 1],
  [{ userAgent: 'curl/8.9.1', app: APP.azureCli, top: 100 }, 1],
];

/** How many times as often a role holder scripts raw HTTP as another user. */
export const RAW_HTTP_ADMIN_FACTOR = 5;

/**
 * The raw HTTP client the user scripts Graph with, or null (most users): `rawHttpShare` of users,
 * role holders RAW_HTTP_ADMIN_FACTOR times as often. Drawn from its own fork so it leaves every
 * other trait as it was.
 */
export function rawHttpClient(u: User, r: Rng, o: Imperfection): RawHttpClient | null {
  const share = u.roles.length > 0 ? Math.min(1, o.rawHttpShare * RAW_HTTP_ADMIN_FACTOR) : o.rawHttpShare;
  return r.bool(share) ? r.weighted(RAW_HTTP_CLIENTS) : null;
}
