/**
 * From the raw document to the typed `Scenario`: defaults filled in, every duration, rate, time,
 * schedule and selector parsed once, and every meaning checked against the catalogue (techniques,
 * profiles, their options, roles, windows, thresholds). Reads the raw value defensively: the
 * structural schema reports type errors; this pass reports what is wrong in meaning.
 */
import { Cron } from 'croner';
import type { Catalog, ModuleInfo, OptionSpec } from '../core/catalog.js';
import { DAY } from '../core/clock.js';
import { findCountry, unmodelledCountry } from '../core/countries.js';
import { findRole, ROLE_NAMES } from '../core/directory-roles.js';
import type { ErrorCode } from '../core/errors.js';
import { COLLECTION_PRESETS, DEFAULT_COLLECTION, SOURCE_IDS, type SourceId } from '../core/sources.js';
import { isTimeZone } from '../core/time-zone.js';
import { closest } from './suggest.js';
import { parseThreshold, type Threshold } from './thresholds.js';
import type {
  ActorSelector,
  AttackEntry,
  LatencySpec,
  OptionValue,
  ProfileEntry,
  Rate,
  Scenario,
  Schedule,
  SourceDelivery,
} from './types.js';
import { parseDuration, parseRate, parseTime, ratePerMs, splitRange } from './units.js';
import type { DocPath } from './yaml.js';

export interface Problem {
  path: DocPath;
  target: 'value' | 'key';
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const DEFAULTS = {
  seed: 1,
  domain: 'contoso.onmicrosoft.com',
  users: 500,
  start: '2026-11-02T00:00:00Z',
  duration: '1d',
  history: '0',
  countries: ['US'],
  businessHours: { start: 9, end: 18, days: [1, 2, 3, 4, 5] },
  /** benign profiles a scenario gets when it has no `activity:` (those the catalogue has) */
  activity: ['workforce', 'directory-sync', 'helpdesk', 'admin-report'],
} as const;

/** Default ingestion delay and blob cuts per source (DESIGN.md "Delivery"; management-activity-api.md §7). */
export const DEFAULT_DELIVERY: Readonly<Record<SourceId, SourceDelivery>> = {
  ual: {
    latency: { median: 60 * 60e3, p95: 90 * 60e3, max: 12 * 3600e3 },
    blob: { maxRecords: 2000, maxSpan: 5 * 60e3 },
    duplicates: 0.002,
  },
  graphActivity: {
    latency: { median: 10 * 60e3, p95: 30 * 60e3, max: 2 * 3600e3 },
    blob: { maxRecords: 5000, maxSpan: 5 * 60e3 },
    duplicates: 0,
  },
  signIns: {
    latency: { median: 5 * 60e3, p95: 20 * 60e3, max: 2 * 3600e3 },
    blob: { maxRecords: 5000, maxSpan: 5 * 60e3 },
    duplicates: 0.01,
  },
  aadGraphActivity: {
    latency: { median: 10 * 60e3, p95: 30 * 60e3, max: 2 * 3600e3 },
    blob: { maxRecords: 5000, maxSpan: 5 * 60e3 },
    duplicates: 0,
  },
  endpointPowerShell: {
    latency: { median: 2 * 60e3, p95: 10 * 60e3, max: 3600e3 },
    blob: { maxRecords: 1000, maxSpan: 5 * 60e3 },
    duplicates: 0,
  },
};

const DAY_INDEX: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Realistic role-holder counts for a tenant of `users` users (explicit `tenant.roles` override them). */
export function defaultRoles(users: number): Record<string, number> {
  return {
    'Global Administrator': users <= 100 ? 2 : users <= 5000 ? 3 : 5,
    'Exchange Administrator': Math.max(1, Math.round(users / 2500)),
    'User Administrator': Math.max(1, Math.round(users / 1500)),
    'Helpdesk Administrator': Math.max(1, Math.round(users / 250)),
    'Global Reader': Math.max(1, Math.round(users / 5000)),
    'Directory Synchronization Accounts': 1,
  };
}

export function normalise(raw: unknown, catalog: Catalog): { scenario: Scenario; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (path: DocPath, code: ErrorCode, message: string, hint?: string, target: 'value' | 'key' = 'value') =>
    problems.push({ path, target, code, message, hint });

  const doc: Obj = isObj(raw) ? raw : {};

  // --- tenant -----------------------------------------------------------------------------
  const t: Obj = isObj(doc.tenant) ? doc.tenant : {};
  const users = num(t.users) ?? DEFAULTS.users;
  const roles = defaultRoles(users);
  if (isObj(t.roles)) {
    for (const [name, count] of Object.entries(t.roles)) {
      const role = findRole(name);
      if (!role) {
        const guess = closest(name, ROLE_NAMES);
        report(
          ['tenant', 'roles', name],
          'E_UNKNOWN_ROLE',
          `unknown directory role "${name}"`,
          guess ? `did you mean \`${guess}\`?` : `roles: ${ROLE_NAMES.join(', ')}`,
          'key',
        );
        continue;
      }
      const n = num(count);
      if (n === undefined) continue;
      if (n === 0) delete roles[role.name];
      else roles[role.name] = n;
    }
  }
  const holders = Object.values(roles).reduce((a, b) => a + b, 0);
  if (holders > users) {
    report(
      ['tenant', 'roles'],
      'E_TENANT_ROLES',
      `${holders} role holders in a tenant of ${users} users`,
      'each role holder is a distinct user: raise tenant.users or lower the role counts',
    );
  }
  const countries = Array.isArray(t.countries)
    ? t.countries.filter((c): c is string => typeof c === 'string')
    : [...DEFAULTS.countries];
  if (Array.isArray(t.countries)) {
    t.countries.forEach((c, i) => {
      if (typeof c === 'string' && /^[A-Z]{2}$/.test(c) && !findCountry(c)) {
        const d = unmodelledCountry(c, ['tenant', 'countries', i]);
        report(['tenant', 'countries', i], d.code, d.message, d.hint);
      }
    });
  }
  const timezone = str(t.timezone) ?? findCountry(countries[0] ?? 'US')?.timezone ?? 'UTC';
  if (str(t.timezone) !== undefined && !isTimeZone(timezone)) {
    report(
      ['tenant', 'timezone'],
      'E_TIMEZONE',
      `unknown time zone "${timezone}"`,
      'use an IANA zone such as America/New_York, Europe/London or UTC',
    );
  }
  const bh: Obj = isObj(t.businessHours) ? t.businessHours : {};
  const businessHours = {
    start: num(bh.start) ?? DEFAULTS.businessHours.start,
    end: num(bh.end) ?? DEFAULTS.businessHours.end,
    days: Array.isArray(bh.days)
      ? [...new Set(bh.days.map((d) => DAY_INDEX[String(d)]).filter((d): d is number => d !== undefined))].sort()
      : [...DEFAULTS.businessHours.days],
  };
  if (businessHours.end <= businessHours.start) {
    report(
      ['tenant', 'businessHours'],
      'E_BUSINESS_HOURS',
      `business hours end (${businessHours.end}) is not after their start (${businessHours.start})`,
      'e.g. {start: 9, end: 18}',
    );
  }
  const domain = str(t.domain) ?? DEFAULTS.domain;
  const tenant: Scenario['tenant'] = {
    domain,
    users,
    groups: num(t.groups) ?? Math.max(5, Math.round(users * 0.3)),
    devices: num(t.devices) ?? Math.round(users * 1.2),
    servicePrincipals: num(t.servicePrincipals) ?? Math.max(200, Math.min(3000, Math.round(users * 0.3))),
    roles,
    countries,
    timezone,
    businessHours,
  };

  // --- time -------------------------------------------------------------------------------
  const tm: Obj = isObj(doc.time) ? doc.time : {};
  const startP = parseTime(str(tm.start) ?? DEFAULTS.start);
  const durP = parseDuration(str(tm.duration) ?? DEFAULTS.duration);
  const histP = parseDuration(str(tm.history) ?? DEFAULTS.history);
  const start = startP.ok ? startP.value : (parseTime(DEFAULTS.start) as { ok: true; value: number }).value;
  const duration = durP.ok ? durP.value : DAY;
  const history = histP.ok ? histP.value : 0;
  if (durP.ok && duration <= 0) {
    report(
      ['time', 'duration'],
      'E_TIME_WINDOW',
      'the scored window has no length',
      'give time.duration a positive value, e.g. "1d"',
    );
  }
  if (durP.ok && duration > 90 * DAY) {
    report(
      ['time', 'duration'],
      'E_TIME_WINDOW',
      'the scored window is longer than 90 days',
      'split it into several scenarios, or shorten it',
    );
  }
  if (histP.ok && history > 90 * DAY) {
    report(
      ['time', 'history'],
      'E_TIME_WINDOW',
      'time.history is longer than 90 days',
      'detectors rarely look back further than 30 days: e.g. "14d"',
    );
  }
  const time: Scenario['time'] = { start, end: start + duration, duration, history, historyStart: start - history };

  // --- telemetry --------------------------------------------------------------------------
  const tel: Obj = isObj(doc.telemetry) ? doc.telemetry : {};
  let collection: string | null = str(tel.collection) ?? null;
  let sources: SourceId[];
  if (Array.isArray(tel.sources)) {
    if (collection !== null) {
      report(
        ['telemetry', 'sources'],
        'E_COLLECTION',
        'give either `collection` (a preset) or `sources` (an explicit list), not both',
        'remove one of them',
        'key',
      );
    }
    sources = [
      ...new Set(tel.sources.filter((s): s is SourceId => (SOURCE_IDS as readonly string[]).includes(String(s)))),
    ];
    collection = null;
  } else {
    collection ??= DEFAULT_COLLECTION;
    sources = [...(COLLECTION_PRESETS.find((p) => p.id === collection)?.sources ?? [])];
  }
  sources.sort((a, b) => SOURCE_IDS.indexOf(a) - SOURCE_IDS.indexOf(b));
  const hypotheses = Array.isArray(tel.hypotheses) ? [...new Set(tel.hypotheses.map(String))].sort() : [];
  const telemetry: Scenario['telemetry'] = { collection, sources, hypotheses };

  // --- delivery ---------------------------------------------------------------------------
  const dl: Obj = isObj(doc.delivery) ? doc.delivery : {};
  const delivery = {} as Record<SourceId, SourceDelivery>;
  for (const s of SOURCE_IDS) {
    const def = DEFAULT_DELIVERY[s];
    const d: Obj = isObj(dl[s]) ? (dl[s] as Obj) : {};
    const lat: Obj = isObj(d.latency) ? d.latency : {};
    const blob: Obj = isObj(d.blob) ? d.blob : {};
    const dur = (v: unknown, fallback: number) => {
      const p = typeof v === 'string' ? parseDuration(v) : undefined;
      return p?.ok ? p.value : fallback;
    };
    const latency: LatencySpec = {
      median: dur(lat.median, def.latency.median),
      p95: dur(lat.p95, def.latency.p95),
      max: dur(lat.max, def.latency.max),
    };
    if (isObj(d.latency)) {
      // an explicit median alone should not be left above the default p95
      if (lat.p95 === undefined && latency.p95 < latency.median) latency.p95 = latency.median;
      if (lat.max === undefined && latency.max < latency.p95) latency.max = latency.p95;
      if (latency.median > latency.p95 || latency.p95 > latency.max) {
        report(
          ['delivery', s, 'latency'],
          'E_LATENCY',
          `latency must satisfy median ≤ p95 ≤ max (got ${lat.median ?? 'default'}, ${lat.p95 ?? 'default'}, ${lat.max ?? 'default'})`,
          'e.g. {median: 60m, p95: 90m, max: 12h}',
        );
      }
    }
    delivery[s] = {
      latency,
      blob: { maxRecords: num(blob.maxRecords) ?? def.blob.maxRecords, maxSpan: dur(blob.maxSpan, def.blob.maxSpan) },
      duplicates: num(d.duplicates) ?? def.duplicates,
    };
    if (blob.maxSpan !== undefined && delivery[s].blob.maxSpan <= 0) {
      report(['delivery', s, 'blob', 'maxSpan'], 'E_BLOB', 'a blob must span a positive time', 'e.g. "5m"');
    }
  }

  // --- activity ---------------------------------------------------------------------------
  const roleCount = (name: string) => roles[findRole(name)?.name ?? ''] ?? 0;
  const checkSelector = (v: unknown, path: DocPath): ActorSelector | null => {
    if (v === undefined || v === null) return null;
    const r = parseSelector(v, tenant);
    if (!r.ok) {
      report(path, 'E_SELECTOR', r.message, r.hint);
      return null;
    }
    if (r.value.kind === 'role') {
      const role = findRole(r.value.role);
      if (!role) {
        const guess = closest(r.value.role, ROLE_NAMES);
        report(
          path,
          'E_UNKNOWN_ROLE',
          `unknown directory role "${r.value.role}"`,
          guess ? `did you mean \`role:${guess}\`?` : `roles: ${ROLE_NAMES.join(', ')}`,
        );
        return null;
      }
      if (roleCount(role.name) === 0) {
        report(
          path,
          'E_SELECTOR_EMPTY',
          `"role:${role.name}" matches nobody: the tenant has no ${role.name}`,
          `add it under tenant.roles, e.g. {${role.name}: 1}`,
        );
        return null;
      }
      return { kind: 'role', role: role.name };
    }
    if (r.value.kind === 'random-admin') {
      const anyAdmin = Object.entries(roles).some(([n, c]) => c > 0 && findRole(n)?.admin);
      if (!anyAdmin)
        report(
          path,
          'E_SELECTOR_EMPTY',
          '"random-admin" matches nobody: the tenant has no administrators',
          'add role holders under tenant.roles',
        );
    }
    if (r.value.kind === 'count' && r.value.count > users) {
      report(
        path,
        'E_SELECTOR_EMPTY',
        `${r.value.count} actors asked for in a tenant of ${users} users`,
        'lower the count or raise tenant.users',
      );
    }
    return r.value;
  };

  const activity: ProfileEntry[] = [];
  const activityIds = new Set<string>();
  const rawActivity: unknown[] = Array.isArray(doc.activity)
    ? doc.activity
    : DEFAULTS.activity.filter((id) => catalog.profiles.some((p) => p.id === id)).map((profile) => ({ profile }));
  const profileCounts = new Map<string, number>();
  rawActivity.forEach((entry, i) => {
    if (!isObj(entry)) return;
    const base: DocPath = ['activity', i];
    const id0 = str(entry.profile) ?? '';
    const mod = catalog.profiles.find((p) => p.id === id0);
    if (id0 && !mod) {
      const guess = closest(
        id0,
        catalog.profiles.map((p) => p.id),
      );
      report(
        [...base, 'profile'],
        'E_UNKNOWN_PROFILE',
        `unknown profile "${id0}"`,
        guess ? `did you mean \`${guess}\`?` : knownList('profiles', catalog.profiles),
      );
    }
    const n = profileCounts.get(id0) ?? 0;
    profileCounts.set(id0, n + 1);
    let id = str(entry.id) ?? (n === 0 ? id0 : `${id0}#${n}`);
    if (activityIds.has(id)) {
      report(
        [...base, str(entry.id) ? 'id' : 'profile'],
        'E_DUPLICATE_ID',
        `activity id "${id}" is used twice`,
        'give each entry a distinct `id`',
      );
      id = `${id}#${i}`;
    }
    activityIds.add(id);
    const schedule = normaliseSchedule(entry, base, report);
    const options = mod ? normaliseOptions(entry.options, mod, [...base, 'options'], report) : {};
    activity.push({
      id,
      profile: id0,
      actors: checkSelector(entry.actors, [...base, 'actors']),
      schedule,
      app: str(entry.app) ?? null,
      options,
    });
  });

  // --- attacks ----------------------------------------------------------------------------
  const attacks: AttackEntry[] = [];
  const attackIds = new Set<string>();
  const techCounts = new Map<string, number>();
  (Array.isArray(doc.attacks) ? doc.attacks : []).forEach((entry, i) => {
    if (!isObj(entry)) return;
    const base: DocPath = ['attacks', i];
    const tech = str(entry.technique) ?? '';
    const mod = catalog.techniques.find((x) => x.id === tech);
    if (tech && !mod) {
      const guess = closest(
        tech,
        catalog.techniques.map((x) => x.id),
      );
      report(
        [...base, 'technique'],
        'E_UNKNOWN_TECHNIQUE',
        `unknown technique "${tech}"`,
        guess ? `did you mean \`${guess}\`?` : knownList('techniques', catalog.techniques),
      );
    }
    const n = techCounts.get(tech) ?? 0;
    techCounts.set(tech, n + 1);
    let id = str(entry.id) ?? (n === 0 ? tech : `${tech}-${n + 1}`);
    if (attackIds.has(id)) {
      report(
        [...base, str(entry.id) ? 'id' : 'technique'],
        'E_DUPLICATE_ID',
        `attack id "${id}" is used twice`,
        'give each attack a distinct `id`',
      );
      id = `${id}#${i}`;
    }
    attackIds.add(id);

    let actor: AttackEntry['actor'] = { kind: 'account', selector: { kind: 'random-user' } };
    if (entry.actor !== undefined) {
      if (isObj(entry.actor)) {
        const a = entry.actor;
        if (a.account !== undefined && a.servicePrincipal !== undefined) {
          report(
            [...base, 'actor'],
            'E_ACTOR',
            'an attack acts as an account or a service principal, not both',
            'keep `account` or `servicePrincipal`',
          );
        } else if (a.servicePrincipal !== undefined) {
          actor = { kind: 'servicePrincipal', name: str(a.servicePrincipal) ?? null };
        } else if (a.account !== undefined) {
          const sel = checkSelector(a.account, [...base, 'actor', 'account']);
          if (sel) actor = { kind: 'account', selector: sel };
        } else {
          report(
            [...base, 'actor'],
            'E_ACTOR',
            'an empty actor',
            'e.g. {account: random-user} or {account: "role:Helpdesk Administrator"}',
          );
        }
      } else {
        const sel = checkSelector(entry.actor, [...base, 'actor']);
        if (sel) actor = { kind: 'account', selector: sel };
      }
    }
    if (actor.kind === 'account' && (actor.selector.kind === 'all' || actor.selector.kind === 'count')) {
      report(
        [...base, 'actor'],
        'E_ACTOR',
        'an attack is one campaign acting as one account',
        'use "random-user", "random-admin", "role:<name>" or a UPN',
      );
    }

    const s: Obj = isObj(entry.session) ? entry.session : {};
    const session: AttackEntry['session'] = {
      network: (str(s.network) as AttackEntry['session']['network']) ?? null,
      country: str(s.country) ?? null,
      signIn: (str(s.signIn) as AttackEntry['session']['signIn']) ?? null,
      userAgent: str(s.userAgent) ?? null,
    };
    const kind = session.network ?? (actor.kind === 'servicePrincipal' ? 'vendor-cloud' : 'vps');
    const modelled = catalog.networkCountries?.[kind];
    if (session.country && /^[A-Z]{2}$/.test(session.country) && modelled && !modelled.includes(session.country)) {
      report(
        [...base, 'session', 'country'],
        'E_COUNTRY',
        `enumbench has no ${kind} network in "${session.country}"`,
        `use one of ${modelled.join(', ')} for network ${kind}, or another network (docs/generators.md "Countries")`,
      );
    }

    let at: number | null = null;
    const atText = str(entry.at);
    if (atText !== undefined) {
      const parsed = atText.startsWith('+') ? parseDuration(atText.slice(1)) : parseTime(atText);
      if (parsed.ok) {
        at = atText.startsWith('+') ? time.start + parsed.value : parsed.value;
        if (at < time.start || at >= time.end) {
          report(
            [...base, 'at'],
            'E_ATTACK_WINDOW',
            `the attack starts at ${new Date(at).toISOString()}, outside the scored window ${new Date(time.start).toISOString()} – ${new Date(time.end).toISOString()}`,
            'move `at` inside the window, or widen time.start/time.duration',
          );
        }
      } else if (atText.startsWith('+')) {
        report([...base, 'at'], 'E_FORMAT', parsed.message, parsed.hint);
      }
    }
    const options = mod ? normaliseOptions(entry.options, mod, [...base, 'options'], report) : {};
    attacks.push({ id, technique: tech, actor, session, at, options });
  });

  // --- expect -----------------------------------------------------------------------------
  const expect: Threshold[] = [];
  if (isObj(doc.expect)) {
    for (const [key, conds] of Object.entries(doc.expect)) {
      const r = parseThreshold(key, conds, { catalog });
      if (r.ok) expect.push(r.value);
      else
        for (const p of r.problems) {
          if (p.where === 'key') report(['expect', key], 'E_THRESHOLD', p.message, p.hint, 'key');
          else
            report(Array.isArray(conds) ? ['expect', key, p.where] : ['expect', key], 'E_THRESHOLD', p.message, p.hint);
        }
    }
  }

  const scenario: Scenario = {
    version: 1,
    name: str(doc.name) ?? 'unnamed',
    description: str(doc.description) ?? '',
    seed: num(doc.seed) ?? DEFAULTS.seed,
    repeat: num(doc.repeat) ?? 1,
    tenant,
    time,
    telemetry,
    delivery,
    activity,
    attacks,
    expect,
  };
  return { scenario, problems };
}

function knownList(what: string, mods: readonly ModuleInfo[]): string {
  return mods.length
    ? `${what}: ${mods.map((m) => m.id).join(', ')} (see \`enumbench list ${what}\`)`
    : `no ${what} are registered yet`;
}

export function parseSelector(
  v: unknown,
  tenant: { domain: string },
): { ok: true; value: ActorSelector } | { ok: false; message: string; hint?: string } {
  const hint = 'use "role:<Role Name>", "random-user", "random-admin", "all", a UPN (name@domain) or a number';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 1) return { ok: true, value: { kind: 'count', count: v } };
    return { ok: false, message: `not an actor count: ${v}`, hint };
  }
  if (typeof v !== 'string') return { ok: false, message: 'expected an actor selector', hint };
  const s = v.trim();
  if (s === 'random-user') return { ok: true, value: { kind: 'random-user' } };
  if (s === 'random-admin') return { ok: true, value: { kind: 'random-admin' } };
  if (s === 'all') return { ok: true, value: { kind: 'all' } };
  if (/^\d+$/.test(s) && Number(s) >= 1) return { ok: true, value: { kind: 'count', count: Number(s) } };
  if (s.startsWith('role:')) {
    const role = s.slice(5).trim();
    if (!role)
      return { ok: false, message: 'a role selector needs a role name', hint: 'e.g. "role:Helpdesk Administrator"' };
    return { ok: true, value: { kind: 'role', role } };
  }
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) {
    const domain = s.slice(s.indexOf('@') + 1).toLowerCase();
    if (domain !== tenant.domain.toLowerCase()) {
      return {
        ok: false,
        message: `"${s}" is not in the tenant's domain ${tenant.domain}`,
        hint: `use a UPN ending in @${tenant.domain}`,
      };
    }
    return { ok: true, value: { kind: 'upn', upn: s.toLowerCase() } };
  }
  const guess = closest(s, ['random-user', 'random-admin', 'all']);
  return { ok: false, message: `not an actor selector: "${s}"`, hint: guess ? `did you mean \`${guess}\`?` : hint };
}

function normaliseSchedule(
  entry: Obj,
  base: DocPath,
  report: (path: DocPath, code: ErrorCode, message: string, hint?: string, target?: 'value' | 'key') => void,
): Schedule | null {
  const sch = isObj(entry.schedule) ? entry.schedule : undefined;
  if (sch && entry.rate !== undefined) {
    report(
      [...base, 'rate'],
      'E_SCHEDULE',
      'give either `schedule` or `rate`, not both',
      'a schedule says when runs happen; a rate says how often events happen',
      'key',
    );
  }
  if (sch) {
    const hasEvery = sch.every !== undefined;
    const hasCron = sch.cron !== undefined;
    if (hasEvery === hasCron) {
      report(
        [...base, 'schedule'],
        'E_SCHEDULE',
        hasEvery ? 'a schedule has `every` or `cron`, not both' : 'a schedule needs `every` or `cron`',
        'e.g. {every: 30m} or {cron: "0 1 * * *"}',
      );
      return null;
    }
    if (hasCron) {
      const cron = String(sch.cron);
      if (sch.jitter !== undefined)
        report(
          [...base, 'schedule', 'jitter'],
          'E_SCHEDULE',
          '`jitter` goes with `every`',
          'remove it or use {every: …, jitter: …}',
          'key',
        );
      if (cron.trim().split(/\s+/).length !== 5) {
        report(
          [...base, 'schedule', 'cron'],
          'E_CRON',
          `"${cron}" is not a five-field cron expression`,
          'minute hour day-of-month month day-of-week, e.g. "0 9 * * 1" (Mondays 09:00)',
        );
        return null;
      }
      try {
        new Cron(cron, { paused: true });
      } catch (e) {
        report(
          [...base, 'schedule', 'cron'],
          'E_CRON',
          `bad cron expression "${cron}": ${(e as Error).message}`,
          'e.g. "*/30 * * * *", "0 1 * * *", "0 9 * * 1"',
        );
        return null;
      }
      return { kind: 'cron', cron: cron.trim() };
    }
    const every = typeof sch.every === 'string' ? parseDuration(sch.every) : undefined;
    const jitter = typeof sch.jitter === 'string' ? parseDuration(sch.jitter) : undefined;
    if (!every?.ok) return null;
    if (every.value < 60_000) {
      report(
        [...base, 'schedule', 'every'],
        'E_SCHEDULE',
        `runs every ${sch.every} is too often for a scheduled job`,
        'use at least "1m"; for continuous activity use `rate`',
      );
      return null;
    }
    const j = jitter?.ok ? jitter.value : 0;
    if (j >= every.value) {
      report(
        [...base, 'schedule', 'jitter'],
        'E_SCHEDULE',
        'jitter must be shorter than the interval',
        `e.g. jitter: ${Math.max(1, Math.floor(every.value / 60_000 / 10))}m`,
      );
    }
    return { kind: 'every', everyMs: every.value, jitterMs: j };
  }
  if (entry.rate !== undefined) {
    if (typeof entry.rate === 'string') {
      const r = parseRate(entry.rate);
      return r.ok ? { kind: 'rate', rate: r.value, hours: 'all' } : null;
    }
    if (isObj(entry.rate)) {
      const given = (['perMinute', 'perHour', 'perDay'] as const).filter(
        (k) => entry.rate && (entry.rate as Obj)[k] !== undefined,
      );
      if (given.length !== 1) {
        report(
          [...base, 'rate'],
          'E_RATE',
          given.length
            ? `give one of perMinute, perHour, perDay (got ${given.join(', ')})`
            : 'a rate needs perMinute, perHour or perDay',
          'e.g. {perHour: 4, hours: business}',
        );
        return null;
      }
      const k = given[0] as 'perMinute' | 'perHour' | 'perDay';
      const count = num((entry.rate as Obj)[k]) ?? 0;
      const perMs = k === 'perMinute' ? 60_000 : k === 'perHour' ? 3_600_000 : 86_400_000;
      const hours = (str((entry.rate as Obj).hours) ?? 'all') as 'business' | 'all' | 'night' | 'weekdays';
      return { kind: 'rate', rate: { count, perMs }, hours };
    }
  }
  return null;
}

/** Check one module's options against its declared specs; fill defaults; keep ranges. */
function normaliseOptions(
  raw: unknown,
  mod: ModuleInfo,
  base: DocPath,
  report: (path: DocPath, code: ErrorCode, message: string, hint?: string, target?: 'value' | 'key') => void,
): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  const given: Obj = isObj(raw) ? raw : {};
  const names = Object.keys(mod.options);
  for (const key of Object.keys(given)) {
    if (!(key in mod.options)) {
      const guess = closest(key, names);
      report(
        [...base, key],
        'E_UNKNOWN_OPTION',
        `${mod.kind} "${mod.id}" has no option "${key}"`,
        guess
          ? `did you mean \`${guess}\`?`
          : names.length
            ? `options: ${names.join(', ')}`
            : `"${mod.id}" takes no options`,
        'key',
      );
    }
  }
  for (const [name, spec] of Object.entries(mod.options)) {
    const v = given[name];
    if (v === undefined) {
      const d = defaultOption(spec);
      if (d !== undefined) out[name] = d;
      continue;
    }
    const r = parseOptionValue(v, spec);
    if (r.ok) out[name] = r.value;
    else report([...base, name], 'E_OPTION', `option "${name}" of ${mod.id}: ${r.message}`, r.hint);
  }
  return out;
}

function defaultOption(spec: OptionSpec): OptionValue | undefined {
  if (spec.default === undefined) return undefined;
  switch (spec.type) {
    case 'duration': {
      const p = parseDuration(spec.default);
      return p.ok ? p.value : undefined;
    }
    case 'rate': {
      const p = parseRate(spec.default);
      return p.ok ? p.value : undefined;
    }
    case 'list':
      return [...spec.default] as readonly string[];
    default:
      return spec.default as OptionValue;
  }
}

type OptResult = { ok: true; value: OptionValue } | { ok: false; message: string; hint?: string };

/** Parse one option value against its spec; ranges ("1..25", "1/min..10/min") where allowed. */
export function parseOptionValue(v: unknown, spec: OptionSpec): OptResult {
  const rangeable = 'rangeable' in spec && spec.rangeable !== false;
  if (
    typeof v === 'string' &&
    (spec.type === 'integer' || spec.type === 'number' || spec.type === 'duration' || spec.type === 'rate')
  ) {
    const parts = splitRange(v);
    if (parts) {
      if (!rangeable) return { ok: false, message: `does not accept a range ("${v}")`, hint: 'give a single value' };
      const a = parseOptionValue(coerceNumeric(parts[0], spec), spec);
      const b = parseOptionValue(coerceNumeric(parts[1], spec), spec);
      if (!a.ok) return a;
      if (!b.ok) return b;
      if (spec.type === 'rate') {
        const ra = a.value as Rate;
        const rb = b.value as Rate;
        if (ratePerMs(ra) > ratePerMs(rb))
          return { ok: false, message: `range "${v}" runs backwards`, hint: 'write the lower end first' };
        return { ok: true, value: { range: { min: ra, max: rb }, unit: 'rate' } };
      }
      const na = a.value as number;
      const nb = b.value as number;
      if (na > nb) return { ok: false, message: `range "${v}" runs backwards`, hint: 'write the lower end first' };
      return { ok: true, value: { range: { min: na, max: nb }, unit: spec.type as 'integer' | 'number' | 'duration' } };
    }
  }
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return {
          ok: false,
          message: `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${describe(v)}`,
          hint: rangeable ? 'a value such as 25, or a range such as "1..25"' : undefined,
        } as OptResult;
      }
      if (spec.type === 'integer' && !Number.isInteger(v))
        return { ok: false, message: `expected an integer, got ${v}` };
      if (spec.min !== undefined && v < spec.min)
        return { ok: false, message: `${v} is below the minimum ${spec.min}` };
      if (spec.max !== undefined && v > spec.max)
        return { ok: false, message: `${v} is above the maximum ${spec.max}` };
      return { ok: true, value: v };
    }
    case 'duration': {
      const p = parseDuration(v);
      if (!p.ok) return p;
      if (spec.min !== undefined) {
        const m = parseDuration(spec.min);
        if (m.ok && p.value < m.value)
          return { ok: false, message: `${String(v)} is shorter than the minimum ${spec.min}` };
      }
      if (spec.max !== undefined) {
        const m = parseDuration(spec.max);
        if (m.ok && p.value > m.value)
          return { ok: false, message: `${String(v)} is longer than the maximum ${spec.max}` };
      }
      return { ok: true, value: p.value };
    }
    case 'rate': {
      const p = parseRate(v);
      return p.ok ? { ok: true, value: p.value } : p;
    }
    case 'string':
      return typeof v === 'string'
        ? { ok: true, value: v }
        : { ok: false, message: `expected a string, got ${describe(v)}` };
    case 'boolean':
      return typeof v === 'boolean'
        ? { ok: true, value: v }
        : { ok: false, message: `expected true or false, got ${describe(v)}` };
    case 'enum': {
      if (typeof v === 'string' && spec.values.includes(v)) return { ok: true, value: v };
      const guess = typeof v === 'string' ? closest(v, spec.values) : undefined;
      return {
        ok: false,
        message: `expected one of ${spec.values.join(', ')}, got ${describe(v)}`,
        ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
      };
    }
    case 'list': {
      const list = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
        return { ok: false, message: `expected a list of strings, got ${describe(v)}` };
      }
      if (spec.values) {
        for (const x of list as string[]) {
          if (!spec.values.includes(x)) {
            const guess = closest(x, spec.values);
            return {
              ok: false,
              message: `"${x}" is not one of ${spec.values.join(', ')}`,
              ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
            };
          }
        }
      }
      return { ok: true, value: [...(list as string[])] };
    }
  }
}

function coerceNumeric(s: string, spec: OptionSpec): unknown {
  if ((spec.type === 'integer' || spec.type === 'number') && /^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}
