/**
 * What the tool emulations (azurehound, roadrecon, graphrunner, teamfiltration) share: the campaign
 * actor and its truth facts, the attacker's sign-ins and token refreshes, a pool of concurrent
 * client streams that turns a queue of request chains into timed requests, and the loop that hands
 * each planned request to the RecordKit (Microsoft Graph or Azure AD Graph). Requests are planned
 * as plain objects first (cheap), sorted by time, then built into records lazily as the stream is
 * pulled.
 */

import type { OptionSpecs } from '../../src/core/catalog.js';
import { MINUTE } from '../../src/core/clock.js';
import type { Label } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
import { optionsForTruth, type ResolvedOption, resolveOptions } from '../compose/options.js';
import type { Actor, CampaignFacts, StreamItem } from '../registry-types.js';
import { sessionEpoch, sessionIdFor } from '../sessions/session-ids.js';
import { firstPartyApp, RESOURCE, scopesFor } from '../world/apps.js';
import { mix32 } from '../world/hash.js';
import { rotatingV4 } from '../world/networks.js';
import type { AttackPlan, User } from '../world/types.js';

/** One planned HTTP request of a tool. */
export interface Call {
  t: number;
  method: 'GET' | 'POST';
  /** Microsoft Graph: the full URL; Azure AD Graph: the path the log records */
  uri: string;
  status: number;
  size: number;
  /** server-side latency (ms): drives the log's durationMs */
  latency: number;
}

/** A request before it is scheduled: the pool gives it a time. */
export interface CallSpec {
  method?: 'GET' | 'POST';
  uri: string;
  status?: number;
  size: number;
  /** latency multiplier (large pages take longer) */
  weight?: number;
}

/**
 * N client streams pulling request chains from a queue in order: a chain's requests are dependent
 * (page k+1 needs page k's nextLink), chains run in parallel. Each request takes the server latency
 * plus client overhead; a chain cannot start before its `ready` time (its parent page arrived).
 */
export class StreamPool {
  private readonly free: Float64Array;
  readonly calls: Call[] = [];
  constructor(
    streams: number,
    t0: number,
    private readonly r: Rng,
    private readonly latency: { median: number; p95: number; overhead: number; minGap: number },
  ) {
    this.free = new Float64Array(Math.max(1, streams)).fill(t0);
  }

  /** Schedule one chain; returns the completion time of each request (for dependent chains). */
  chain(specs: readonly CallSpec[], ready = Number.NEGATIVE_INFINITY): number[] {
    const f = this.free;
    let wi = 0;
    for (let i = 1; i < f.length; i++) if ((f[i] as number) < (f[wi] as number)) wi = i;
    let t = Math.max(f[wi] as number, ready);
    const done: number[] = [];
    const L = this.latency;
    for (const s of specs) {
      const lat = this.r.logNormal(L.median, L.p95) * (s.weight ?? 1);
      this.calls.push({
        t: Math.floor(t),
        method: s.method ?? 'GET',
        uri: s.uri,
        status: s.status ?? 200,
        size: s.size,
        latency: lat,
      });
      t += Math.max(L.minGap, lat + L.overhead * (0.5 + this.r.float()));
      done.push(t);
    }
    f[wi] = t;
    return done;
  }

  /** when every stream is idle */
  get end(): number {
    let m = 0;
    for (const x of this.free) if (x > m) m = x;
    return m;
  }

  sorted(): Call[] {
    return this.calls.sort((a, b) => a.t - b.t);
  }
}

export interface ToolCtx {
  env: GenEnv;
  plan: AttackPlan;
  r: Rng;
  label: Label;
  facts: CampaignFacts;
  user: User;
  appId: string;
  appName: string;
  ua: string;
  sid: string;
  ipAt(t: number): string;
}

export function toolCtx(
  env: GenEnv,
  plan: AttackPlan,
  r: Rng,
  label: Label,
  facts: CampaignFacts,
  appId: string,
  ua: string,
): ToolCtx {
  const user = plan.user as User;
  const point = plan.point;
  const rotating = point.kind === 'residential-proxy' || point.kind === 'tor';
  const ipAt = (t: number) =>
    rotating ? rotatingV4(point, mix32(plan.index, Math.floor(t / (10 * MINUTE)), 17)) : (point.v4[0] as string);
  const stolen = plan.signIn === 'stolenToken';
  const sid = stolen
    ? sessionIdFor(env.world, user, 0, sessionEpoch(env.world, user, 0, plan.start))
    : r.fork('sid').uuid();
  facts.sessions.add(sid);
  facts.appIds.add(appId);
  facts.principals.add(user.upn);
  facts.principals.add(user.id);
  return {
    env,
    plan,
    r,
    label,
    facts,
    user,
    appId,
    appName: firstPartyApp(appId)?.displayName ?? appId,
    ua,
    sid,
    ipAt,
  };
}

export interface SignInStep {
  time: number;
  interactive: boolean;
  method: SignInSpec['method'];
  resource?: { id: string; displayName: string };
  userAgent?: string;
  mfaInSession?: boolean;
}

/** One sign-in of the attacker session; yields its records, returns the token and whether it succeeded. */
export function* attackerSignIn(c: ToolCtx, s: SignInStep): Generator<StreamItem, { token: Token; ok: boolean }> {
  const ip = c.ipAt(s.time);
  const res = c.env.kit.signIn(c.r, c.label, {
    time: s.time,
    category: s.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    user: c.user,
    appId: c.appId,
    appDisplayName: c.appName,
    resource: s.resource ?? RESOURCE.msGraph,
    point: c.plan.point,
    ip,
    device: null,
    userAgent: s.userAgent ?? c.ua,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    method: s.method,
    mfaInSession: s.mfaInSession ?? !s.interactive,
    sid: c.sid,
  });
  c.facts.ips.add(ip);
  if (res.ok) c.facts.tokens.add(res.token.uti);
  yield* res.records;
  return { token: res.token, ok: res.ok };
}

/**
 * The first sign-in of a tool: `password` → the tool's own flow (ROPC when `passwordInteractive`
 * is false, an interactive password sign-in otherwise), `deviceCode`/`mfa` → an interactive sign-in
 * of that kind, `refreshToken`/`stolenToken` → a non-interactive redemption of a token minted
 * elsewhere. If the password flow is refused (Conditional Access demands MFA, which ROPC cannot
 * satisfy), the operator redeems a refresh token phished elsewhere (e.g. a device code through
 * roadtx or TokenTactics) with the same tool: a second, non-interactive sign-in that succeeds.
 */
export function* initialSignIn(
  c: ToolCtx,
  t: number,
  opts: { passwordInteractive: boolean; resource?: { id: string; displayName: string } },
): Generator<StreamItem, Token> {
  const m = c.plan.signIn;
  const resource = opts.resource;
  yield t;
  if (m === 'refreshToken' || m === 'stolenToken') {
    const res = yield* attackerSignIn(c, { time: t, interactive: false, method: m, resource });
    return res.token;
  }
  const interactive = m === 'password' ? opts.passwordInteractive : true;
  const res = yield* attackerSignIn(c, { time: t, interactive, method: m, resource, mfaInSession: false });
  if (res.ok) return res.token;
  const later = t + c.r.int(120, 1800) * 1000;
  yield later;
  const rt = yield* attackerSignIn(c, { time: later, interactive: false, method: 'refreshToken', resource });
  return rt.token;
}

/**
 * Hands planned Graph requests to the RecordKit in time order, announcing each request's time
 * first (the merge builds it only when its time comes: registry-types.ts StreamItem), refreshing the token (a
 * non-interactive refresh-token sign-in) when it is about to expire. Stops at the window's end.
 */
export function* emitGraph(c: ToolCtx, calls: readonly Call[], token: Token): Generator<StreamItem, Token> {
  const kit = c.env.kit;
  const scopes = scopesFor(c.appId);
  let tok = token;
  for (const q of calls) {
    if (q.t >= c.env.to) break;
    yield q.t - 1000;
    if (q.t >= tok.exp - 2 * MINUTE) {
      const res = yield* attackerSignIn(c, {
        time: q.t - c.r.int(200, 900),
        interactive: false,
        method: 'refreshToken',
      });
      tok = res.token;
    }
    const ip = c.ipAt(q.t);
    c.facts.ips.add(ip);
    if (q.t > c.facts.end) c.facts.end = q.t;
    const rec = kit.graphRequest(c.r, c.label, {
      time: q.t,
      apiVersion: q.uri.startsWith('https://graph.microsoft.com/beta/') ? 'beta' : 'v1.0',
      method: q.method,
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(q.latency * (900 + c.r.int(0, 400))),
      responseSizeBytes: q.size,
      ip,
      userAgent: c.ua,
      appId: c.appId,
      userId: c.user.id,
      servicePrincipalId: null,
      scopes,
      roles: null,
      wids: c.user.wids,
      tokenIssuedAt: tok.iat,
      signInActivityId: tok.uti,
      sessionId: c.sid,
      deviceId: null,
      clientAuthMethod: 0,
      // the tools' raw HTTP clients send no client-request-id (graph-activity.ts GraphClientLibrary)
      client: 'raw-http',
    });
    if (rec) yield rec;
  }
  return tok;
}

/**
 * What sets a campaign's records apart by population (the leak classifier's population family,
 * docs/adversarial.md): the session is the operator's, not the victim's everyday one. Listed on the
 * page of every technique whose records that family tells apart, with why a rule on it still loses.
 */
export function operatorSessionBehaviour(): string {
  return "Population: the campaign's session is the operator's, not the victim's everyday one — by default a hosting-provider address (`network`: a user-token campaign's session defaults to `vps`; `session.network` moves it to a residential proxy, a home ISP or the tenant's own egress), a device the tenant does not know (`device` empty, `managed` false; the UAL's `DeviceProperties`), and a password sign-in with a pushed second factor or none (`methods`; the UAL's `UserAuthenticationMethod`, `method`). Record by record these traits set the campaign apart (docs/adversarial.md: population balanced accuracy near 1), because one session carries hundreds of records; benign users reach hosting addresses, sign in from unknown devices and with a password too, so a rule on any of them alone loses at the principal and day (adversarial baselines hosting-prefix, no-device-id, failed-or-single-factor).";
}

/**
 * The behaviour line (ModuleInfo.behaviour) of a tool whose raw HTTP client sends no
 * `client-request-id`: its Graph rows repeat the request id, whatever user agent it claims.
 */
export function rawHttpClientBehaviour(client: string): string {
  return `Microsoft Graph activity: \`clientRequestId\` equals \`requestId\` on every request — ${client} sends no \`client-request-id\` header, so the service repeats the request id whatever user agent the tool claims; Microsoft's apps and Graph SDKs send one (telemetry.md §1a; \`GraphClientLibrary\` in generators/records/graph-activity.ts).`;
}

/**
 * The base of an Azure AD Graph request path as AzureADGraphActivityLogs records it: `/v2/<tid>`,
 * the path only, no query string (samples/SOURCES.md; the record schema and every other actor use
 * the same form).
 */
export function aadGraphBase(tenantId: string): string {
  return `/v2/${tenantId}`;
}

/** Delegated scopes of an Azure AD Graph token (`user_impersonation`). */
export const AAD_GRAPH_SCOPES = 'user_impersonation';

/** The same for Azure AD Graph (AzureADGraphActivityLogs): `uri` is the logged path. */
export function* emitAadGraph(
  c: ToolCtx,
  calls: readonly Call[],
  token: Token,
  apiVersion: string,
): Generator<StreamItem, Token> {
  const kit = c.env.kit;
  let tok = token;
  const wids = c.user.wids.split(' ').filter(Boolean);
  for (const q of calls) {
    if (q.t >= c.env.to) break;
    yield q.t - 1000;
    if (q.t >= tok.exp - 2 * MINUTE) {
      const res = yield* attackerSignIn(c, {
        time: q.t - c.r.int(200, 900),
        interactive: false,
        method: 'refreshToken',
        resource: RESOURCE.aadGraph,
        // token renewal goes through requests, not aiohttp (telemetry.md §3)
        userAgent: 'python-requests/2.31.0',
      });
      tok = res.token;
    }
    const ip = c.ipAt(q.t);
    c.facts.ips.add(ip);
    if (q.t > c.facts.end) c.facts.end = q.t;
    const rec = kit.aadGraphRequest(c.r, c.label, {
      time: q.t,
      actorType: 'User',
      apiVersion,
      appId: c.appId,
      ip,
      clientAuthMethod: 0,
      deviceId: '',
      durationMs: Math.max(1, Math.round(q.latency)),
      method: q.method,
      status: q.status,
      tokenIssuedAt: tok.iat,
      uri: q.uri,
      responseSizeBytes: q.size,
      roles: [],
      wids,
      scopes: AAD_GRAPH_SCOPES,
      servicePrincipalId: '',
      sessionId: c.sid,
      signInActivityId: tok.uti,
      userAgent: c.ua,
      userId: c.user.id,
    });
    if (rec) yield rec;
  }
  return tok;
}

export interface RunArgs {
  opts: Record<string, ResolvedOption>;
  r: Rng;
  label: Label;
  facts: CampaignFacts;
}

/** The campaign actor every tool module returns: options resolved from the entry's own stream. */
export function toolCampaign(
  info: { id: string; attack: readonly string[] },
  specs: OptionSpecs,
  plan: AttackPlan,
  env: GenEnv,
  run: (c: RunArgs) => Generator<StreamItem>,
): Actor & { campaign: CampaignFacts } {
  const e = plan.entry;
  const r = rngStream(env.seed, 'technique', e.id);
  const opts = resolveOptions(specs, e.options, r.fork('options'));
  const label: Label = { actor: `attack:${e.id}`, kind: 'technique', module: info.id, campaign: e.id, malicious: true };
  const facts: CampaignFacts = {
    id: e.id,
    technique: info.id,
    attack: [...info.attack],
    principals: new Set(),
    sessions: new Set(),
    tokens: new Set(),
    ips: new Set(),
    appIds: new Set(),
    start: plan.start,
    end: plan.start,
    options: optionsForTruth(opts),
  };
  return {
    id: `attack:${e.id}`,
    label,
    principals: plan.user ? [plan.user.upn] : [],
    campaign: facts,
    stream: () => run({ opts, r: r.fork('stream'), label, facts }),
  };
}

/** A list option resolved to a set of names. */
export function listOption(v: ResolvedOption | undefined, fallback: readonly string[]): Set<string> {
  return new Set(Array.isArray(v) ? (v as readonly string[]) : fallback);
}
