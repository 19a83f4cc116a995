/**
 * The world plan: the tenant every actor stream and every shard reads. Computed once from
 * (scenario, seed) before any record is generated (DESIGN.md "Reproducibility").
 */

import type { EpochMs } from '../../src/core/clock.js';
import type { DirectoryRole } from '../../src/core/directory-roles.js';
import type { AttackEntry, NetworkKind, Scenario, SignInMethod } from '../../src/scenario/types.js';
import type { NetworkPoint } from './networks.js';

export interface Device {
  /** Entra device id (the `deviceid` claim, `DeviceDetail.deviceId`) */
  id: string;
  displayName: string;
  kind: 'laptop' | 'desktop' | 'mobile';
  /** as sign-in logs print it: "Windows10", "MacOs", "Ios", "Android" */
  operatingSystem: string;
  /** UAL DeviceProperties OS: "Windows 10", "MacOS", "iOS" */
  osLabel: string;
  browser: string;
  browserUa: string;
  trustType: '' | 'Azure AD joined' | 'Hybrid Azure AD joined' | 'Azure AD registered';
  isCompliant: boolean;
  isManaged: boolean;
}

export interface Office {
  name: string;
  country: string;
  egress: NetworkPoint;
}

export interface AdminHost {
  /** Windows computer name (FQDN) where the admin runs PowerShell */
  computer: string;
  /** the admin's Windows SID on that host */
  sid: string;
  /** first EventRecordId of the host's PowerShell/Operational channel */
  recordBase: number;
}

export interface User {
  index: number;
  /** object id */
  id: string;
  upn: string;
  displayName: string;
  givenName: string;
  surname: string;
  /** PUID (NetId), 16 hex upper-case, e.g. 10032002643F6746 */
  puid: string;
  department: string;
  jobTitle: string;
  country: string;
  timezone: string;
  kind: 'member' | 'guest' | 'sync';
  roles: DirectoryRole[];
  /** the `wids` claim: role template ids + the member-user template, space-separated */
  wids: string;
  home: NetworkPoint;
  mobile: NetworkPoint;
  office: Office | null;
  workStyle: 'office' | 'hybrid' | 'remote';
  /** local minutes after midnight */
  workStart: number;
  workEnd: number;
  devices: Device[];
  mfaRegistered: boolean;
  hasPhoto: boolean;
  adminHost: AdminHost | null;
}

export interface Group {
  id: string;
  displayName: string;
  mailNickname: string;
  kind: 'unified' | 'security' | 'distribution';
  members: number;
}

export interface ServicePrincipal {
  /** object id */
  id: string;
  appId: string;
  displayName: string;
  kind: 'firstParty' | 'thirdParty' | 'tenantApp';
  credential: 'none' | 'clientSecret' | 'certificate';
  keyId: string;
}

export interface CaPolicy {
  id: string;
  displayName: string;
  grant: readonly string[];
  state: 'enabled' | 'enabledForReportingButNotEnforced';
  /** what it targets */
  target: 'allUsers' | 'admins' | 'outsideTrusted' | 'risk' | 'legacyAuth';
}

export interface TenantPolicy {
  /** MFA demanded for every user everywhere, or only outside trusted networks */
  mfaScope: 'all' | 'outsideTrusted';
  /** admins always need MFA */
  mfaForAdmins: boolean;
  /** Entra ID P2 sign-in risk policy (block or MFA on medium+ risk) */
  riskPolicy: boolean;
  caPolicies: readonly CaPolicy[];
  /** corporate egress addresses of the "Corporate networks" named location */
  trustedNetworks: ReadonlySet<string>;
  namedLocationId: string;
}

export interface AttackPlan {
  entry: AttackEntry;
  index: number;
  /** the compromised account (account attacks) */
  user: User | null;
  servicePrincipal: ServicePrincipal | null;
  network: NetworkKind;
  country: string;
  signIn: SignInMethod;
  /** the attacker's egress */
  point: NetworkPoint;
  start: EpochMs;
}

export interface World {
  seed: number;
  scenario: Scenario;
  tenantId: string;
  domain: string;
  /** "contoso" from contoso.onmicrosoft.com */
  orgName: string;
  users: User[];
  /** people (members and guests, not sync accounts) */
  people: User[];
  /** members holding no directory role */
  ordinary: User[];
  admins: User[];
  groups: Group[];
  servicePrincipals: ServicePrincipal[];
  offices: Office[];
  policy: TenantPolicy;
  /** Azure regions serving this tenant's Graph requests, with weights */
  graphRegions: readonly (readonly [string, number])[];
  /** AAD Graph regions (no spaces, e.g. "WestUS") */
  aadGraphRegion: string;
  /** Exchange Online forest / server prefix, e.g. "NAMPR" */
  exchangeForest: string;
  /** UTC midnight of the first simulated day (≤ historyStart) */
  day0: EpochMs;
  days: number;
  /** tz → local UTC offset in minutes for each simulated day */
  tzOffsets: ReadonlyMap<string, Int16Array>;
  roleHolders: ReadonlyMap<string, User[]>;
  attacks: AttackPlan[];
}
