/**
 * buildWorld(scenario, seed): the deterministic world plan. Faker is used here, at plan time, with
 * one English-only instance seeded from the world's RNG stream — never per record.
 */
import type { Faker } from '@faker-js/faker';
import { faker as enFaker } from '@faker-js/faker/locale/en';
import { DAY } from '../../src/core/clock.js';
import { countryOf, findCountry, unmodelledCountry } from '../../src/core/countries.js';
import { DIRECTORY_ROLES, type DirectoryRole, findRole, MEMBER_USER_WID } from '../../src/core/directory-roles.js';
import { type Diagnostic, EnumbenchError } from '../../src/core/errors.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ActorSelector, NetworkKind, Scenario, SignInMethod } from '../../src/scenario/types.js';
import { APP, FIRST_PARTY_APPS, THIRD_PARTY_APP_NAMES } from './apps.js';
import { type NetworkPoint, OPERATORS_BY_KIND, pickOperator, pointOn } from './networks.js';
import { tzOffsetsFor } from './timezone.js';
import type {
  AdminHost,
  AttackPlan,
  CaPolicy,
  Device,
  Group,
  Office,
  ServicePrincipal,
  TenantPolicy,
  User,
  World,
} from './types.js';

const DEPARTMENTS: readonly (readonly [string, number, readonly string[]])[] = [
  ['Sales', 18, ['Account Executive', 'Sales Manager', 'Sales Development Representative', 'Regional Sales Director']],
  ['Engineering', 16, ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'QA Engineer']],
  ['Operations', 12, ['Operations Analyst', 'Operations Manager', 'Logistics Coordinator']],
  ['Finance', 8, ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist']],
  ['Marketing', 8, ['Marketing Manager', 'Content Strategist', 'Marketing Coordinator']],
  ['Customer Support', 10, ['Support Specialist', 'Support Team Lead', 'Customer Success Manager']],
  ['Human Resources', 5, ['HR Business Partner', 'Recruiter', 'HR Generalist']],
  ['Legal', 3, ['Counsel', 'Paralegal', 'Contracts Manager']],
  ['IT', 6, ['IT Support Analyst', 'Systems Administrator', 'Service Desk Technician', 'Cloud Engineer']],
  ['Product', 6, ['Product Manager', 'UX Designer', 'Product Owner']],
  ['Executive', 2, ['Chief Executive Officer', 'Chief Financial Officer', 'Chief Operating Officer', 'Vice President']],
];

/** Faker built from the English locale only (loads in ~0.1 s), seeded from a world stream. */
function makeFaker(rng: Rng): Faker {
  const Ctor = enFaker.constructor as new (opts: { locale: unknown; seed?: number }) => Faker;
  return new Ctor({ locale: enFaker.rawDefinitions, seed: rng.int(1, 2_147_483_646) });
}

function refused(diagnostics: Diagnostic[]): EnumbenchError {
  return new EnumbenchError('E_TENANT_UNSATISFIABLE', diagnostics.map((d) => d.message).join('; '), {
    diagnostics,
    hint: diagnostics[0]?.hint,
  });
}

/** Check what only the tenant can tell: more role holders than users, selectors nobody matches, attacks outside the window. */
export function checkScenarioAgainstTenant(s: Scenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  s.tenant.countries.forEach((c, i) => {
    if (!findCountry(c)) out.push(unmodelledCountry(c, ['tenant', 'countries', i]));
  });
  let holders = 0;
  for (const [name, n] of Object.entries(s.tenant.roles)) {
    if (!findRole(name)) {
      out.push({
        code: 'E_UNKNOWN_ROLE',
        message: `unknown directory role "${name}"`,
        path: ['tenant', 'roles', name],
        hint: 'use a built-in role name such as "Global Administrator" (`enumbench list` shows them in docs/generators.md)',
      });
    }
    if (name !== 'Directory Synchronization Accounts') holders += n;
  }
  if (holders > s.tenant.users) {
    out.push({
      code: 'E_TENANT_ROLES',
      message: `the tenant has ${s.tenant.users} users but ${holders} directory role holders`,
      path: ['tenant', 'roles'],
      hint: `raise tenant.users to at least ${holders} or lower the role counts`,
    });
  }
  s.attacks.forEach((a, i) => {
    if (a.at !== null && (a.at < s.time.start || a.at >= s.time.end)) {
      out.push({
        code: 'E_ATTACK_WINDOW',
        message: `attack "${a.id}" starts at ${new Date(a.at).toISOString()}, outside the scored window ${new Date(s.time.start).toISOString()} – ${new Date(s.time.end).toISOString()}`,
        path: ['attacks', i, 'at'],
        hint: 'move `at` inside time.start + time.duration, or lengthen time.duration',
      });
    }
    if (a.actor.kind === 'account') {
      const sel = a.actor.selector;
      if (sel.kind === 'role') {
        const role = findRole(sel.role);
        const n = role ? (s.tenant.roles[role.name] ?? 0) : 0;
        if (n === 0) {
          out.push({
            code: 'E_SELECTOR_EMPTY',
            message: `attack "${a.id}": selector "role:${sel.role}" matches nobody: the tenant has no holder of that role`,
            path: ['attacks', i, 'actor'],
            hint: `add it to tenant.roles, e.g. roles: {${role?.name ?? sel.role}: 1}`,
          });
        }
      } else if (sel.kind === 'random-admin') {
        const n = Object.entries(s.tenant.roles).reduce(
          (acc, [k, v]) => acc + (k === 'Directory Synchronization Accounts' ? 0 : v),
          0,
        );
        if (n === 0) {
          out.push({
            code: 'E_SELECTOR_EMPTY',
            message: `attack "${a.id}": selector "random-admin" matches nobody: the tenant has no role holders`,
            path: ['attacks', i, 'actor'],
            hint: 'declare tenant.roles, e.g. roles: {Global Administrator: 2}',
          });
        }
      }
    }
  });
  return out;
}

/** The tenant id a world built from this seed has (without building the world). */
export function tenantIdFor(seed: number): string {
  return rngStream(seed, 'world').fork('tenant').uuid();
}

/** Throw the refusal buildWorld would (E_TENANT_UNSATISFIABLE) without building the world. */
export function assertTenantSatisfiable(scenario: Scenario): void {
  const problems = checkScenarioAgainstTenant(scenario);
  if (problems.length) throw refused(problems);
}

/**
 * The world of a scenario and seed: every step below draws from its own named stream of the world's
 * seed, in this order (the faker stream is shared by users, groups and apps, so their order is part of
 * the byte-identical guarantee).
 */
export function buildWorld(scenario: Scenario, seed: number = scenario.seed): World {
  assertTenantSatisfiable(scenario);

  const root = rngStream(seed, 'world');
  const faker = makeFaker(root.fork('faker'));
  const domain = scenario.tenant.domain;
  const orgName = domain.split('.')[0] ?? domain;
  const countries = scenario.tenant.countries.length ? scenario.tenant.countries : ['US'];
  const primaryCountry = countries[0] as string;
  const homeCountry = countryOf(primaryCountry);
  const clock = worldClock(scenario, primaryCountry);

  const offices = planOffices(root.fork('offices'), scenario, countries);
  const users = planUsers(root.fork('users'), faker, scenario, countries, offices, clock.tzFor);
  assignDevices(root.fork('devices'), users, scenario.tenant.devices);
  const rRoles = root.fork('roles');
  const roleHolders = assignRoles(rRoles, scenario, users, offices);
  assignAdminHosts(root.fork('ad-domain'), rRoles, users, orgName);
  const groups = planGroups(root.fork('groups'), faker, scenario.tenant.groups);
  const servicePrincipals = planServicePrincipals(
    root.fork('servicePrincipals'),
    faker,
    scenario.tenant.servicePrincipals,
    orgName,
  );

  const policy = makePolicy(root.fork('policy'), offices);
  const people = users.filter((u) => u.kind !== 'sync');
  const admins = people.filter((u) => u.roles.length > 0);
  const ordinary = people.filter((u) => u.roles.length === 0 && u.kind === 'member');

  const world: World = {
    seed,
    scenario,
    tenantId: tenantIdFor(seed),
    domain,
    orgName,
    users,
    people,
    ordinary,
    admins,
    groups,
    servicePrincipals,
    offices,
    policy,
    graphRegions: homeCountry.graphRegions,
    aadGraphRegion: (homeCountry.graphRegions[0]?.[0] ?? 'West US').replace(/\s+/g, ''),
    exchangeForest: homeCountry.exchangeForest,
    day0: clock.day0,
    days: clock.days,
    tzOffsets: clock.tzOffsets,
    roleHolders,
    attacks: [],
  };
  world.attacks = scenario.attacks.map((_a, i) => planAttack(world, i));
  return world;
}

/** The days the world spans (history included) and the UTC offsets of each time zone used, day by day. */
function worldClock(scenario: Scenario, primaryCountry: string) {
  const day0 = Math.floor(scenario.time.historyStart / DAY) * DAY;
  const days = Math.ceil((scenario.time.end - day0) / DAY) + 1;
  const tzOffsets = new Map<string, Int16Array>();
  const tzFor = (country: string): string => {
    const tz =
      country === primaryCountry
        ? scenario.tenant.timezone
        : (findCountry(country)?.timezone ?? scenario.tenant.timezone);
    if (!tzOffsets.has(tz)) tzOffsets.set(tz, tzOffsetsFor(tz, day0, days));
    return tz;
  };
  tzFor(primaryCountry);
  return { day0, days, tzOffsets, tzFor };
}

/** Offices: one or two per country, each with a corporate egress NAT pool. */
function planOffices(r: Rng, scenario: Scenario, countries: readonly string[]): Office[] {
  const offices: Office[] = [];
  for (const c of countries) {
    const n = c === countries[0] && scenario.tenant.users > 2000 ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const op = pickOperator(r, 'corporate', c);
      const egress = pointOn(r, op, r.int(4, 8), 0);
      offices.push({ name: `${egress.city} office`, country: c, egress });
    }
  }
  return offices;
}

/** The tenant's people: names, departments, countries, networks, working hours. */
function planUsers(
  rUsers: Rng,
  faker: Faker,
  scenario: Scenario,
  countries: readonly string[],
  offices: readonly Office[],
  tzFor: (country: string) => string,
): User[] {
  const domain = scenario.tenant.domain;
  const usedUpn = new Set<string>();
  const users: User[] = [];
  const deptWeights = DEPARTMENTS.map((d) => [d, d[1]] as const);
  const nUsers = scenario.tenant.users;
  const guestShare = nUsers >= 50 ? 0.03 : 0;
  for (let i = 0; i < nUsers; i++) {
    const r = rUsers.fork(i);
    const givenName = faker.person.firstName();
    const surname = faker.person.lastName();
    const base = `${givenName}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '');
    let local = base;
    for (let k = 2; usedUpn.has(local); k++) local = `${base}${k}`;
    usedUpn.add(local);
    const isGuest = r.bool(guestShare);
    const country = r.weighted(countries.map((c, j) => [c, j === 0 ? 3 : 1] as const));
    const dept = r.weighted(deptWeights);
    const homeOp = pickOperator(r, 'home', country);
    const mobOp = pickOperator(r, 'mobile', country);
    const countryOffices = offices.filter((o) => o.country === country);
    const workStyle = countryOffices.length
      ? r.weighted([
          ['office', 3],
          ['hybrid', 5],
          ['remote', 2],
        ] as const)
      : 'remote';
    const upn = isGuest
      ? `${local}_${faker.internet.domainName().replace(/\./g, '.')}#EXT#@${domain}`
      : `${local}@${domain}`;
    const startH = r.normal(8.6, 0.7);
    const len = r.normal(8.6, 0.6);
    users.push({
      index: i,
      id: r.uuid(),
      upn,
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      puid: `1003${r.hex(12).toUpperCase()}`,
      department: dept[0],
      jobTitle: r.pick(dept[2]),
      country,
      timezone: tzFor(country),
      kind: isGuest ? 'guest' : 'member',
      roles: [],
      wids: MEMBER_USER_WID,
      home: pointOn(r, homeOp, 1, 1),
      mobile: pointOn(r, mobOp, 1, 1),
      office: workStyle === 'remote' || !countryOffices.length ? null : r.pick(countryOffices),
      workStyle,
      workStart: Math.round(Math.min(11, Math.max(6, startH)) * 60),
      workEnd: Math.round(Math.min(21, Math.max(13, startH + len)) * 60),
      devices: [],
      mfaRegistered: r.bool(0.97),
      hasPhoto: r.bool(0.65),
      adminHost: null,
    });
  }
  return users;
}

/** Devices: a primary computer each, then phones, until the tenant's device count is spent. */
function assignDevices(rDev: Rng, users: readonly User[], devicesTotal: number): void {
  let devLeft = devicesTotal;
  for (const u of users) {
    if (devLeft <= 0) break;
    if (u.kind === 'guest') continue;
    u.devices.push(makeComputer(rDev.fork(u.index), u));
    devLeft--;
  }
  for (const u of users) {
    if (devLeft <= 0) break;
    if (u.kind === 'guest') continue;
    if (rDev.fork(`m${u.index}`).bool(0.7)) {
      u.devices.push(makePhone(rDev.fork(`p${u.index}`), u));
      devLeft--;
    }
  }
}

/** Directory roles: distinct holders drawn from members; sync accounts are users of their own. */
function assignRoles(rRoles: Rng, scenario: Scenario, users: User[], offices: readonly Office[]): Map<string, User[]> {
  const domain = scenario.tenant.domain;
  const roleHolders = new Map<string, User[]>();
  const members = users.filter((u) => u.kind === 'member');
  const shuffled = rRoles.shuffle(members);
  let cursor = 0;
  const roleEntries = Object.entries(scenario.tenant.roles).sort(([a], [b]) => roleOrder(a) - roleOrder(b));
  for (const [name, count] of roleEntries) {
    const role = findRole(name) as DirectoryRole;
    const holders: User[] = [];
    if (role.name === 'Directory Synchronization Accounts') {
      for (let k = 0; k < count; k++) {
        const r = rRoles.fork(`sync${k}`);
        const server = `${r.pick(['AADC', 'SYNC', 'ENTRACONNECT'])}${r.int(1, 9).toString().padStart(2, '0')}`;
        const hex = r.hex(12);
        const u: User = {
          ...structuredClone(users[0] ?? placeholderUser(r)),
          index: users.length,
          id: r.uuid(),
          upn: `Sync_${server}_${hex}@${domain}`,
          displayName: 'On-Premises Directory Synchronization Service Account',
          givenName: '',
          surname: '',
          puid: `1003${r.hex(12).toUpperCase()}`,
          department: '',
          jobTitle: '',
          kind: 'sync',
          roles: [role],
          wids: `${role.templateId} ${MEMBER_USER_WID}`,
          devices: [],
          office: offices[0] ?? null,
          workStyle: 'office',
          adminHost: null,
        };
        users.push(u);
        holders.push(u);
      }
    } else {
      for (let k = 0; k < count && shuffled.length; k++) {
        const u = shuffled[cursor % shuffled.length] as User;
        cursor++;
        u.roles.push(role);
        holders.push(u);
      }
    }
    roleHolders.set(role.name, holders);
  }
  return roleHolders;
}

/** One on-premises AD domain: every admin host account shares its SID and differs by RID. */
function assignAdminHosts(rDomain: Rng, rRoles: Rng, users: readonly User[], orgName: string): void {
  const domainSid = `S-1-5-21-${rDomain.int(1_000_000_000, 3_999_999_999)}-${rDomain.int(1_000_000_000, 3_999_999_999)}-${rDomain.int(1_000_000_000, 3_999_999_999)}`;
  const ridBase = rDomain.int(1100, 4000);
  for (const u of users) {
    if (u.kind === 'sync' || u.roles.length === 0) continue;
    u.wids = [...u.roles.map((r) => r.templateId), MEMBER_USER_WID].join(' ');
    const r = rRoles.fork(`host${u.index}`);
    const host: AdminHost = {
      computer: `${r.pick(['ADM', 'PAW', 'IT'])}-${r.hex(6).toUpperCase()}.${orgName}.local`,
      // RIDs grow with account creation; four apart per user leaves room for groups and computers
      sid: `${domainSid}-${ridBase + u.index * 4 + r.int(0, 3)}`,
      recordBase: r.int(20_000, 9_000_000),
    };
    u.adminHost = host;
  }
}

/** Groups: Microsoft 365, security and distribution groups with plausible names and sizes. */
function planGroups(rGroups: Rng, faker: Faker, count: number): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < count; i++) {
    const r = rGroups.fork(i);
    const kind = r.weighted([
      ['unified', 5],
      ['security', 4],
      ['distribution', 1],
    ] as const);
    const topic = r.bool(0.5) ? r.pick(DEPARTMENTS)[0] : faker.word.noun();
    const name =
      kind === 'security'
        ? `SG-${topic.replace(/\s+/g, '')}-${r.pick(['Users', 'Admins', 'Readers', 'App', 'VPN', 'Licensing'])}`
        : kind === 'distribution'
          ? `DL ${topic} ${r.pick(['All', 'Team', 'Announcements', 'Leads'])}`
          : `${topic.charAt(0).toUpperCase()}${topic.slice(1)} ${r.pick(['Team', 'Project', 'Community', 'Hub'])}`;
    groups.push({
      id: r.uuid(),
      displayName: name,
      mailNickname: name.replace(/[^A-Za-z0-9]/g, '').slice(0, 40) || `group${i}`,
      kind,
      members: Math.max(1, Math.round(r.logNormal(12, 120))),
    });
  }
  return groups;
}

/** Service principals: first-party ones, consented third-party apps, tenant app registrations. */
function planServicePrincipals(rSp: Rng, faker: Faker, nSp: number, orgName: string): ServicePrincipal[] {
  const servicePrincipals: ServicePrincipal[] = [];
  for (const app of FIRST_PARTY_APPS) {
    if (servicePrincipals.length >= nSp) break;
    const r = rSp.fork(app.appId);
    servicePrincipals.push({
      id: r.uuid(),
      appId: app.appId,
      displayName: app.displayName,
      kind: 'firstParty',
      credential: 'none',
      keyId: '',
    });
  }
  for (const name of THIRD_PARTY_APP_NAMES) {
    if (servicePrincipals.length >= nSp) break;
    const r = rSp.fork(name);
    servicePrincipals.push({
      id: r.uuid(),
      appId: r.uuid(),
      displayName: name,
      kind: 'thirdParty',
      credential: r.bool(0.6) ? 'certificate' : 'clientSecret',
      keyId: r.uuid(),
    });
  }
  for (let i = 0; servicePrincipals.length < nSp; i++) {
    const r = rSp.fork(`app${i}`);
    const name = `${orgName}-${faker.hacker.noun().replace(/\s+/g, '-')}-${r.pick(['sync', 'reporting', 'automation', 'connector', 'api', 'portal', 'bot'])}`;
    servicePrincipals.push({
      id: r.uuid(),
      appId: r.uuid(),
      displayName: name,
      kind: 'tenantApp',
      credential: r.bool(0.5) ? 'certificate' : 'clientSecret',
      keyId: r.uuid(),
    });
  }
  return servicePrincipals;
}

function roleOrder(name: string): number {
  const i = DIRECTORY_ROLES.findIndex((r) => r.name === name);
  return i < 0 ? 999 : i;
}

function placeholderUser(r: Rng): User {
  const point: NetworkPoint = pointOn(r, pickOperator(r, 'corporate', null), 1, 0);
  return {
    index: 0,
    id: '',
    upn: '',
    displayName: '',
    givenName: '',
    surname: '',
    puid: '',
    department: '',
    jobTitle: '',
    country: point.country,
    timezone: 'UTC',
    kind: 'sync',
    roles: [],
    wids: MEMBER_USER_WID,
    home: point,
    mobile: point,
    office: null,
    workStyle: 'office',
    workStart: 0,
    workEnd: 1440,
    devices: [],
    mfaRegistered: false,
    hasPhoto: false,
    adminHost: null,
  };
}

const EDGE = ['131.0.2903', '132.0.2957', '133.0.3065'];
const CHROME = ['131.0.0', '132.0.0', '133.0.0'];

function makeComputer(r: Rng, u: User): Device {
  const mac = r.bool(0.12);
  if (mac) {
    const v = r.pick(CHROME);
    return {
      id: r.uuid(),
      displayName: `${u.givenName.slice(0, 10)}'s MacBook Pro`,
      kind: 'laptop',
      operatingSystem: 'MacOs',
      osLabel: 'MacOS',
      browser: `Chrome ${v}`,
      browserUa: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v.split('.')[0]}.0.0.0 Safari/537.36`,
      trustType: 'Azure AD registered',
      isCompliant: r.bool(0.9),
      isManaged: true,
    };
  }
  const v = r.pick(EDGE);
  const major = v.split('.')[0];
  const desktop = r.bool(0.25);
  return {
    id: r.uuid(),
    displayName: `${desktop ? 'DESKTOP' : 'LAPTOP'}-${r.hex(7).toUpperCase()}`,
    kind: desktop ? 'desktop' : 'laptop',
    operatingSystem: 'Windows10',
    osLabel: 'Windows 10',
    browser: `Edge ${v}`,
    browserUa: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 Edg/${major}.0.0.0`,
    trustType: r.bool(0.6) ? 'Hybrid Azure AD joined' : 'Azure AD joined',
    isCompliant: r.bool(0.96),
    isManaged: true,
  };
}

function makePhone(r: Rng, u: User): Device {
  const ios = r.bool(0.6);
  return {
    id: r.uuid(),
    displayName: ios ? `${u.givenName.slice(0, 10)}'s iPhone` : `${r.pick(['Galaxy S24', 'Pixel 8', 'Galaxy A54'])}`,
    kind: 'mobile',
    operatingSystem: ios ? 'Ios' : 'Android',
    osLabel: ios ? 'iOS' : 'Android',
    browser: ios ? 'Mobile Safari' : 'Chrome Mobile',
    browserUa: ios
      ? 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'
      : 'Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    trustType: 'Azure AD registered',
    isCompliant: r.bool(0.8),
    isManaged: r.bool(0.8),
  };
}

function makePolicy(r: Rng, offices: Office[]): TenantPolicy {
  const mfaScope = r.weighted([
    ['all', 2],
    ['outsideTrusted', 3],
  ] as const);
  const riskPolicy = r.bool(0.7);
  const policies: CaPolicy[] = [
    {
      id: r.uuid(),
      displayName: mfaScope === 'all' ? 'Require MFA for all users' : 'Require MFA outside corporate networks',
      grant: ['Mfa'],
      state: 'enabled',
      target: mfaScope === 'all' ? 'allUsers' : 'outsideTrusted',
    },
    { id: r.uuid(), displayName: 'Require MFA for administrators', grant: ['Mfa'], state: 'enabled', target: 'admins' },
    {
      id: r.uuid(),
      displayName: 'Block legacy authentication',
      grant: ['Block'],
      state: 'enabled',
      target: 'legacyAuth',
    },
  ];
  if (riskPolicy) {
    policies.push({
      id: r.uuid(),
      displayName: 'Sign-in risk: require MFA on medium and high',
      grant: ['Mfa'],
      state: 'enabled',
      target: 'risk',
    });
  }
  const trusted = new Set<string>();
  for (const o of offices) for (const a of o.egress.v4) trusted.add(a);
  return {
    mfaScope,
    mfaForAdmins: true,
    riskPolicy,
    caPolicies: policies,
    trustedNetworks: trusted,
    namedLocationId: r.uuid(),
  };
}

/** Resolve a selector to users, in a stable seeded order. */
export function resolveSelector(world: World, sel: ActorSelector, rng: Rng): User[] {
  switch (sel.kind) {
    case 'role': {
      const role = findRole(sel.role);
      return role ? (world.roleHolders.get(role.name) ?? []) : [];
    }
    case 'random-user':
      return world.ordinary.length ? [rng.pick(world.ordinary)] : world.people.length ? [rng.pick(world.people)] : [];
    case 'random-admin':
      return world.admins.length ? [rng.pick(world.admins)] : [];
    case 'all':
      return world.people;
    case 'upn': {
      const want = sel.upn.toLowerCase();
      return world.users.filter((u) => u.upn.toLowerCase() === want || u.upn.split('@')[0]?.toLowerCase() === want);
    }
    case 'count':
      return rng.sample(world.people, sel.count);
  }
}

const DEFAULT_SIGNIN: Readonly<Record<NetworkKind, SignInMethod>> = {
  corporate: 'password',
  home: 'password',
  mobile: 'password',
  vps: 'password',
  'residential-proxy': 'password',
  tor: 'password',
  'vendor-cloud': 'clientSecret',
  microsoft: 'clientSecret',
};

function planAttack(world: World, index: number): AttackPlan {
  const s = world.scenario;
  const entry = s.attacks[index];
  if (!entry) throw new RangeError(`no attack ${index}`);
  const r = rngStream(world.seed, 'world', 'attack', entry.id);
  let user: User | null = null;
  let sp: ServicePrincipal | null = null;
  if (entry.actor.kind === 'account') {
    const candidates = resolveSelector(world, entry.actor.selector, r.fork('actor'));
    const picked = candidates.length > 1 ? r.fork('pick').pick(candidates) : candidates[0];
    if (!picked) {
      throw refused([
        {
          code: 'E_SELECTOR_EMPTY',
          message: `attack "${entry.id}": the actor selector matches nobody in this tenant`,
          path: ['attacks', index, 'actor'],
          hint: 'check the UPN or role name, or use "random-user"',
        },
      ]);
    }
    user = picked;
  } else {
    const name = entry.actor.name;
    const apps = world.servicePrincipals.filter((p) => p.kind !== 'firstParty');
    sp = name
      ? (apps.find((p) => p.displayName === name || p.appId === name) ?? null)
      : apps.length
        ? r.pick(apps)
        : null;
    if (!sp) {
      throw refused([
        {
          code: 'E_SELECTOR_EMPTY',
          message: `attack "${entry.id}": no service principal ${name ? `named "${name}"` : ''} in this tenant`,
          path: ['attacks', index, 'actor'],
          hint: 'raise tenant.servicePrincipals or name an app the tenant has',
        },
      ]);
    }
  }
  const network: NetworkKind = entry.session.network ?? (sp ? 'vendor-cloud' : 'vps');
  const country =
    entry.session.country ??
    (network === 'residential-proxy' && user ? user.country : r.pick(OPERATORS_BY_KIND[network]).country);
  const op = pickOperator(r.fork('net'), network, country);
  const point = pointOn(r.fork('point'), op, 1, network === 'residential-proxy' || network === 'home' ? 1 : 0);
  const signIn = entry.session.signIn ?? (sp ? 'clientSecret' : DEFAULT_SIGNIN[network]);
  let start = entry.at;
  if (start === null) {
    const span = Math.max(1, s.time.end - s.time.start - 2 * 3_600_000);
    start = s.time.start + Math.floor(r.fork('at').float() * span);
  }
  return { entry, index, user, servicePrincipal: sp, network, country: op.country, signIn, point, start };
}

export { APP };
