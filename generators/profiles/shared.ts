/**
 * What the scheduled benign profiles share: when a job runs (the entry's `schedule`/`rate` or the
 * profile's default), who runs it (a user's network and session, or a vendor app's service
 * principal, address and token), and one-line builders for the Graph requests they make. Records
 * still come only from the RecordKit (env.ts), so benign and malicious records share every builder.
 */
import { DAY, HOUR, MINUTE } from '../../src/core/clock.js';
import type { Label, LabelledRecord } from '../../src/core/records.js';
import type { Rng } from '../../src/core/rng.js';
import { inBusinessHours, localTime, scheduleRuns } from '../../src/scenario/schedule.js';
import type { ProfileEntry, Schedule } from '../../src/scenario/types.js';
import type { GenEnv, SignInResult, Token } from '../compose/env.js';
import type { StreamItem } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { RESOURCE } from '../world/apps.js';
import { mix32 } from '../world/hash.js';
import { type NetworkPoint, pickOperator, pointOn, VENDOR_CLOUDS } from '../world/networks.js';
import { resolveSelector } from '../world/plan.js';
import type { Device, ServicePrincipal, User, World } from '../world/types.js';

export const GRAPH = 'https://graph.microsoft.com';

export function profileLabel(actor: string, module: string): Label {
  return { actor, kind: 'profile', module, malicious: false };
}

/**
 * The instants a job runs in [env.from, env.to): `every`/`cron` schedules on their grid (cron in
 * the tenant's zone), or a `rate` as a Poisson process restricted to its hours window.
 */
export function runTimes(schedule: Schedule, env: GenEnv, rng: Rng): number[] {
  const tz = env.scenario.tenant.timezone;
  if (schedule.kind !== 'rate') return [...scheduleRuns(schedule, tz, env.from, env.to, rng)].map(Math.floor);
  const perMs = schedule.rate.count / schedule.rate.perMs;
  if (!(perMs > 0)) return [];
  const bh = env.scenario.tenant.businessHours;
  const out: number[] = [];
  let t = env.from;
  for (;;) {
    t += rng.exponential(1 / perMs);
    if (t >= env.to) break;
    const ok =
      schedule.hours === 'all'
        ? true
        : schedule.hours === 'business'
          ? inBusinessHours(t, tz, bh)
          : schedule.hours === 'weekdays'
            ? bh.days.includes(localTime(t, tz).weekday)
            : nightHour(localTime(t, tz).hour);
    if (ok) out.push(Math.floor(t));
  }
  return out;
}

function nightHour(h: number): boolean {
  return h < 6 || h >= 22;
}

/** The entry's schedule, else the profile's default. */
export function scheduleOf(entry: ProfileEntry, fallback: Schedule): Schedule {
  return entry.schedule ?? fallback;
}

/** Users an entry names, or the default role's holders (then Global Administrators) when it names none. */
export function actorsOf(entry: ProfileEntry, env: GenEnv, rng: Rng, defaultRole: string): User[] {
  const w = env.world;
  if (entry.actors) return resolveSelector(w, entry.actors, rng);
  const holders = w.roleHolders.get(defaultRole) ?? [];
  if (holders.length) return holders;
  return w.roleHolders.get('Global Administrator') ?? [];
}

/**
 * A vendor's app registration in this tenant: the consented service principal whose name matches
 * (`app:` in the scenario), else a stable one made up from the entry's stream (a tenant too small
 * to list it among its service principals still has the vendor's app).
 */
export function vendorApp(
  w: World,
  name: string,
  r: Rng,
  credential: ServicePrincipal['credential'],
): ServicePrincipal {
  const n = name.toLowerCase();
  const apps = w.servicePrincipals.filter((p) => p.kind !== 'firstParty');
  const hit =
    apps.find((p) => p.displayName.toLowerCase() === n || p.appId === n) ??
    apps.find((p) => p.displayName.toLowerCase().includes(n) || n.includes(p.displayName.toLowerCase()));
  if (hit) return hit;
  return { id: r.uuid(), appId: r.uuid(), displayName: name, kind: 'thirdParty', credential, keyId: r.uuid() };
}

/** A stable egress in a vendor cloud (one operator, a small pool), optionally on a given ASN. */
export function vendorEgress(r: Rng, country: string, asn?: number, pool = 2): NetworkPoint {
  const ops = asn ? VENDOR_CLOUDS.filter((o) => o.asn === asn) : [];
  const op = ops.length
    ? (ops.find((o) => o.country === country) ?? r.pick(ops))
    : pickOperator(r, 'vendor-cloud', country);
  return pointOn(r, op, pool, 0);
}

/** The app-only token of a service principal: its sign-in row (ServicePrincipalSignInLogs) and the token. */
export function appSignIn(
  env: GenEnv,
  r: Rng,
  label: Label,
  sp: ServicePrincipal,
  t: number,
  point: NetworkPoint,
  ip: string,
  resource: { id: string; displayName: string } = RESOURCE.msGraph,
): SignInResult {
  return env.kit.signIn(r, label, {
    time: t,
    category: 'ServicePrincipalSignInLogs',
    user: null,
    sp,
    appId: sp.appId,
    appDisplayName: sp.displayName,
    resource,
    point,
    ip,
    device: null,
    userAgent: '',
    clientAppUsed: '',
    method: sp.credential === 'certificate' ? 'certificate' : 'clientSecret',
    mfaInSession: false,
    sid: null,
  });
}

/** The apiVersion of a Graph URL. */
export function apiVersionOf(uri: string): 'v1.0' | 'beta' {
  return uri.startsWith(`${GRAPH}/beta/`) ? 'beta' : 'v1.0';
}

/** Who makes a Graph call and with which token: everything but the request itself. */
export interface Caller {
  ip: string;
  userAgent: string;
  token: Token;
  /** delegated: the user; app-only: null */
  user: User | null;
  sp: ServicePrincipal | null;
  /** app roles (app-only) */
  roles: string | null;
  scopes: string | null;
  deviceId: string | null;
}

/** One Graph request by a caller. */
export function graphCall(
  env: GenEnv,
  r: Rng,
  label: Label,
  c: Caller,
  t: number,
  uri: string,
  size: number,
  status = 200,
  method = 'GET',
): LabelledRecord | null {
  const user = c.user;
  return env.kit.graphRequest(r, label, {
    time: t,
    apiVersion: apiVersionOf(uri),
    method,
    uri,
    status,
    durationMs: Math.round(r.logNormal(160_000, 1_200_000)),
    responseSizeBytes: size,
    ip: c.ip,
    userAgent: c.userAgent,
    appId: c.token.appId,
    userId: user ? user.id : null,
    servicePrincipalId: user ? null : (c.sp?.id ?? null),
    scopes: user ? c.scopes : null,
    roles: user ? null : c.roles,
    wids: user ? user.wids : null,
    tokenIssuedAt: c.token.iat,
    signInActivityId: c.token.uti,
    sessionId: c.token.sid,
    deviceId: c.deviceId,
    clientAuthMethod: user ? 0 : c.sp?.credential === 'certificate' ? 2 : 1,
  });
}

/** An opaque paging token (`$skiptoken=` / `$deltatoken=`). */
export function pagingToken(r: Rng): string {
  return r.base64url(r.int(120, 220));
}

/** Where an admin works at `t`: the office egress on office days, else home. */
export function adminNetwork(u: User, t: number): { point: NetworkPoint; ip: string } {
  const day = Math.floor(t / DAY);
  const inOffice =
    u.office !== null && (u.workStyle === 'office' || (u.workStyle === 'hybrid' && (mix32(u.index, day, 23) & 3) < 2));
  if (inOffice && u.office) {
    const pool = u.office.egress.v4;
    return {
      point: u.office.egress,
      ip: pool[mix32(u.index, Math.floor(t / (25 * MINUTE)), 5) % pool.length] as string,
    };
  }
  return { point: u.home, ip: u.home.v4[0] as string };
}

/** The admin's computer and device session id at `t` (the same `sid` workforce uses for that device). */
export function adminDevice(w: World, u: User, t: number): { device: Device | null; sid: string } {
  return { device: u.devices[0] ?? null, sid: sessionIdFor(w, u, 0, sessionEpoch(w, u, 0, t)) };
}

/** Spread `n` items over workers: returns each item's start time given per-item service times. */
export class Workers {
  private readonly free: number[];
  constructor(n: number, t0: number) {
    this.free = new Array<number>(Math.max(1, n)).fill(t0);
  }
  /** the earliest free worker takes a job of `ms`; returns its start time */
  take(ms: number): number {
    let wi = 0;
    for (let i = 1; i < this.free.length; i++) if ((this.free[i] as number) < (this.free[wi] as number)) wi = i;
    const start = this.free[wi] as number;
    this.free[wi] = start + ms;
    return start;
  }
  get end(): number {
    return Math.max(...this.free);
  }
}

/** Sort planned requests by time and yield each announced, then built (the merge builds just in time). */
export function* emitPlanned<T extends { t: number }>(
  items: T[],
  build: (item: T) => LabelledRecord | null | Iterable<LabelledRecord>,
  to: number,
): Generator<StreamItem> {
  items.sort((a, b) => a.t - b.t);
  for (const it of items) {
    if (it.t >= to) return;
    yield it.t;
    const out = build(it);
    if (out === null) continue;
    if ('source' in out) yield out as LabelledRecord;
    else yield* out as Iterable<LabelledRecord>;
  }
}

export { DAY, HOUR, MINUTE };
