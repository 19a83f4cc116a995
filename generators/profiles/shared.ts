/**
 * What the scheduled benign profiles share: when a job runs (the entry's `schedule`/`rate` or the
 * profile's default), who runs it (a user's network and session, or a vendor app's service
 * principal, address and token), and one-line builders for the Graph requests they make. Records
 * still come only from the RecordKit (env.ts), so benign and malicious records share every builder.
 */
import { DAY, HOUR, MINUTE } from '../../src/core/clock.js';
import { APP_ONLY_WIDS } from '../../src/core/directory-roles.js';
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
    wids: user ? user.wids : APP_ONLY_WIDS,
    tokenIssuedAt: c.token.iat,
    signInActivityId: c.token.uti,
    sessionId: c.token.sid,
    deviceId: c.deviceId,
    clientAuthMethod: user ? 0 : c.sp?.credential === 'certificate' ? 2 : 1,
  });
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

/** The Microsoft Graph PowerShell SDK on Windows PowerShell 7 [U: exact string varies by version]. */
export const GRAPH_PWSH_UA =
  'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6 Microsoft.Graph.Authentication/2.25.0';
/** Exchange Online PowerShell V3 (the same string workforce's admins send) [U]. */
export const EXO_PWSH_UA = 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6';

export interface ClientApp {
  appId: string;
  displayName: string;
}

/**
 * An admin's tokens for the apps they use, on their own computer and device session: the first
 * sign-in of a device session is interactive (with MFA), later ones refresh non-interactively.
 * Script blocks (4104) land on the admin's host when endpoint logging is collected.
 */
export class AdminSession {
  private readonly tokens = new Map<string, Token>();
  private readonly sids = new Map<string, string>();
  recordId: number;
  readonly processId: number;
  readonly exoSessionId: string;
  constructor(
    readonly env: GenEnv,
    readonly user: User,
    readonly label: Label,
    r: Rng,
  ) {
    this.recordId = user.adminHost?.recordBase ?? 0;
    this.processId = r.int(1200, 19_000);
    this.exoSessionId = r.uuid();
  }

  /** A valid token for `app` at `t`, signing in first when needed (the sign-in records go to `out`). */
  token(
    r: Rng,
    t: number,
    app: ClientApp,
    resource: { id: string; displayName: string },
    userAgent: string,
    browser: boolean,
    out: LabelledRecord[],
    scheduled = false,
  ): Token | null {
    const have = this.tokens.get(app.appId);
    if (have && t < have.exp - 2 * MINUTE) return have;
    const w = this.env.world;
    const net = adminNetwork(this.user, t);
    const dev = adminDevice(w, this.user, t);
    // a scheduled task refreshes a cached token; a person signs in once per device session
    const interactive = !scheduled && this.sids.get(app.appId) !== dev.sid;
    this.sids.set(app.appId, dev.sid);
    const res = this.env.kit.signIn(r, this.label, {
      time: t - r.int(400, 4000),
      category: interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
      user: this.user,
      appId: app.appId,
      appDisplayName: app.displayName,
      resource,
      point: net.point,
      ip: net.ip,
      device: dev.device,
      userAgent,
      clientAppUsed: browser ? 'Browser' : 'Mobile Apps and Desktop clients',
      method: interactive ? 'mfa' : 'refreshToken',
      mfaInSession: !interactive,
      sid: dev.sid,
    });
    for (const x of res.records) out.push(x);
    if (!res.ok) return null;
    this.tokens.set(app.appId, res.token);
    return res.token;
  }

  caller(t: number, token: Token, userAgent: string, scopes: string): Caller {
    const net = adminNetwork(this.user, t);
    return {
      ip: net.ip,
      userAgent,
      token,
      user: this.user,
      sp: null,
      roles: null,
      scopes,
      deviceId: this.user.devices[0]?.id ?? null,
    };
  }

  /** A PowerShell script block on the admin's host (4104), when collected. */
  scriptBlock(r: Rng, t: number, text: string, out: LabelledRecord[]): void {
    const host = this.user.adminHost;
    if (!host) return;
    this.recordId += r.int(1, 3);
    const sb = this.env.kit.scriptBlock(r, this.label, {
      time: t,
      computer: host.computer,
      eventRecordId: this.recordId,
      userSid: host.sid,
      processId: this.processId,
      text,
    });
    if (sb) out.push(sb);
  }

  /** An Exchange Online cmdlet over EXO V3 REST: a RecordType 1 record only when the service (or a hypothesis) audits it. */
  exchangeCmdlet(
    r: Rng,
    t: number,
    token: Token,
    cmdlet: string,
    objectId: string,
    parameters: readonly { Name: string; Value: string }[],
    out: LabelledRecord[],
  ): void {
    const rec = this.env.kit.exchangeCmdlet(r, this.label, {
      time: t,
      cmdlet,
      objectId,
      user: this.user,
      ip: adminNetwork(this.user, t).ip,
      token,
      parameters,
      exoSessionId: this.exoSessionId,
    });
    if (rec) out.push(rec);
  }
}
