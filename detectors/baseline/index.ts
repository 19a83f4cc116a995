/**
 * `builtin:baseline` — abnormal bulk directory enumeration by abnormal accounts or suspicious
 * sessions (AN1089's own words), judged against each principal's and each app's own history and
 * weighted by session context joined across sources (docs/baseline.md).
 *
 * 1. Learn, from everything delivered before (the scenario's history window first): each
 *    principal's peak of directory objects read per window, each app's peak, and the networks
 *    (ASNs, countries: the dataset's IP enrichment table, `ctx.networks`) each principal signs in
 *    and reads from.
 * 2. Bulk: a principal reads at least `minObjects` objects in one window. Abnormal bulk: more than
 *    `ratio` × its own peak (automation — app-only principals and accounts whose peak is itself
 *    bulk — is judged on context alone, never on volume).
 * 3. The session that read the most in the window gets a context score: the weights of its
 *    signals (new ASN or country for the account, hosting / VPN / Tor egress, device-code or
 *    single-factor sign-in, one session from several ASNs, a risky sign-in, an app-only token from a
 *    network new for the app, delegated reads with no matching sign-in). Abnormal bulk with a score
 *    ≥ `threshold` alerts; so does bulk above `strongRatio` × the account's peak (an account that is
 *    not automation, reading far beyond anything it did before, from wherever: the insider).
 *
 * Every alert names the principal and the session, cites that session's reads in the window, and
 * lists its signals. State is bounded by the principals and the window: per principal an hourly
 * bucket per hour of the window, a peak and at most `maxNetworks` networks; sessions and tokens are
 * dropped after `sessionTtl` idle. Written as an outside detector would be: src/core types only.
 */
import type { Alert } from '../../src/core/alerts.js';
import type { DetectorInfo } from '../../src/core/catalog.js';
import type { DeliveredRecord, Detector, DetectorContext, DetectorFactory } from '../../src/core/detector.js';
import type { IpNetworkLookup } from '../../src/core/ip-networks.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { asString, pick } from '../published/fields.js';
import { type DirectoryRead, directoryRead, Fields, type RequestFacts, requestFacts } from '../volume/fields.js';
import { objectsRead } from '../volume/index.js';
import { BASELINE_OPTION_SPECS, type BaselineOptions, type BaselineWeights, baselineOptions } from './options.js';

export { BASELINE_DEFAULTS, BASELINE_OPTION_SPECS, type BaselineOptions, baselineOptions } from './options.js';

export const RULE = 'baseline-abnormal-enumeration';
/** AS8075: Microsoft's own egress (first-party service calls) is never a signal */
const MICROSOFT_ASN = 8075;
const HOUR = 60 * 60_000;

/** What the enrichment table (or, without one, the record) says about an address. */
interface Net {
  asn: string;
  country: string | undefined;
  hosting: boolean;
  vpn: boolean;
  tor: boolean;
  microsoft: boolean;
}

interface Read extends RequestFacts {
  read: NonNullable<DirectoryRead>;
  appId: string | undefined;
  appOnly: boolean;
  net: Net | undefined;
}

interface PrincipalState {
  firstSeen: number;
  /** ASN → first seen (event time), at most maxNetworks, oldest forgotten first */
  asns: Map<string, number>;
  countries: Map<string, number>;
  /** reads of the current window, in event-time order */
  reads: Read[];
  /** the ids of those reads and of reads already folded away (a record delivered twice counts once) */
  readIds: Map<string, number>;
  /** objects read per hour (start of hour → objects), for hours not yet folded into the peak */
  hours: Map<number, number>;
  /** the most objects read in one hour before the current window */
  peak: number;
  appOnly: boolean;
  quietUntil: number;
  dirty: boolean;
}

interface SessionState {
  lastSeen: number;
  asns: Set<string>;
  signedIn: boolean;
  deviceCode: boolean;
  passwordOnly: boolean;
  risky: boolean;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function remember(m: Map<string, number>, key: string, t: number, max: number): void {
  const seen = m.get(key);
  if (seen !== undefined && seen <= t) return;
  m.set(key, t);
  if (m.size > max) {
    let oldest: string | undefined;
    let at = Number.POSITIVE_INFINITY;
    for (const [k, v] of m) if (v < at) [oldest, at] = [k, v];
    if (oldest !== undefined) m.delete(oldest);
  }
}

export class BaselineDetector implements Detector {
  readonly name = 'builtin:baseline';
  private readonly principals = new Map<string, PrincipalState>();
  private readonly sessions = new Map<string, SessionState>();
  /** sign-in token ids (uniqueTokenIdentifier) seen → event time */
  private readonly tokens = new Map<string, number>();
  /** app id → the most objects its reads took in one hour, over every principal */
  private readonly appPeak = new Map<string, number>();
  private readonly appHours = new Map<string, Map<number, number>>();
  private readonly upnOf = new Map<string, string>();
  private networks: IpNetworkLookup | undefined;
  private signInsCollected = false;
  private lastPrune = Number.NEGATIVE_INFINITY;
  /** principals with reads since the last evaluation */
  private readonly dirty = new Set<string>();
  private readonly dirtyApps = new Set<string>();

  constructor(readonly options: BaselineOptions) {}

  start(ctx: DetectorContext): void {
    this.networks = ctx.networks;
    this.signInsCollected = ctx.sources.includes('signIns');
  }

  ingest(batch: readonly DeliveredRecord[], ctx: DetectorContext): void {
    for (const { source, record } of batch) {
      if (source === 'signIns') this.signIn(record);
      else if (source === 'graphActivity' || source === 'aadGraphActivity') this.request(record);
    }
    this.evaluate(ctx);
    if (ctx.now() - this.lastPrune >= HOUR) this.prune(ctx.now());
  }

  stop(ctx: DetectorContext): void {
    this.evaluate(ctx);
  }

  /**
   * What the detector holds, for the benchmark that shows it is bounded by the principals and the
   * window, not by the run's length (bench/baseline.ts).
   */
  stateSize(): {
    principals: number;
    reads: number;
    readIds: number;
    hours: number;
    networks: number;
    sessions: number;
    tokens: number;
  } {
    let reads = 0;
    let readIds = 0;
    let hours = 0;
    let networks = 0;
    for (const p of this.principals.values()) {
      reads += p.reads.length;
      readIds += p.readIds.size;
      hours += p.hours.size;
      networks += p.asns.size + p.countries.size;
    }
    for (const h of this.appHours.values()) hours += h.size;
    return {
      principals: this.principals.size,
      reads,
      readIds,
      hours,
      networks,
      sessions: this.sessions.size,
      tokens: this.tokens.size,
    };
  }

  /** the network of an address: the enrichment table's row, else what the record says */
  private netOf(ip: string | undefined, asn?: number, country?: string): Net | undefined {
    if (ip === undefined || ip === '') return undefined;
    const row = this.networks?.lookup(ip);
    if (row) {
      return {
        asn: String(row.asn),
        country: row.country,
        hosting: row.hosting,
        vpn: row.vpn,
        tor: row.tor,
        microsoft: row.asn === MICROSOFT_ASN,
      };
    }
    if (asn !== undefined) {
      return { asn: String(asn), country, hosting: false, vpn: false, tor: false, microsoft: asn === MICROSOFT_ASN };
    }
    // no table, no ASN: the address's /16 (IPv4) or /32 (IPv6) stands for its network
    const key = ip.includes(':') ? ip.split(':').slice(0, 2).join(':') : ip.split('.').slice(0, 2).join('.');
    return { asn: `net:${key}`, country, hosting: false, vpn: false, tor: false, microsoft: false };
  }

  private principal(id: string, t: number): PrincipalState {
    let p = this.principals.get(id);
    if (!p) {
      p = {
        firstSeen: t,
        asns: new Map(),
        countries: new Map(),
        reads: [],
        readIds: new Map(),
        hours: new Map(),
        peak: 0,
        appOnly: false,
        quietUntil: Number.NEGATIVE_INFINITY,
        dirty: false,
      };
      this.principals.set(id, p);
    }
    if (t < p.firstSeen) p.firstSeen = t;
    return p;
  }

  private learnNet(p: PrincipalState, net: Net | undefined, t: number): void {
    if (!net || net.microsoft) return;
    remember(p.asns, net.asn, t, this.options.maxNetworks);
    if (net.country) remember(p.countries, net.country, t, this.options.maxNetworks);
  }

  private session(key: string, t: number): SessionState {
    let s = this.sessions.get(key);
    if (!s) {
      s = { lastSeen: t, asns: new Set(), signedIn: false, deviceCode: false, passwordOnly: false, risky: false };
      this.sessions.set(key, s);
    }
    if (t > s.lastSeen) s.lastSeen = t;
    return s;
  }

  private signIn(record: TelemetryRecord): void {
    const time = Date.parse(asString(pick(record, ['createdDateTime', 'CreatedDateTime', 'time'])) ?? '');
    if (Number.isNaN(time)) return;
    const user = asString(pick(record, ['userId', 'UserId']))?.toLowerCase();
    const sp = asString(pick(record, ['servicePrincipalId', 'ServicePrincipalId']))?.toLowerCase();
    const id = user || sp;
    if (!id) return;
    const upn = asString(pick(record, ['userPrincipalName', 'UserPrincipalName']));
    if (user && upn) this.upnOf.set(user, upn);
    const status = pick(record, ['status', 'Status']) as { errorCode?: unknown } | undefined;
    const failed = Number(status?.errorCode ?? record.resultType ?? 0) !== 0;
    const asn = Number(pick(record, ['autonomousSystemNumber', 'AutonomousSystemNumber']));
    const loc = pick(record, ['location', 'LocationDetails']) as { countryOrRegion?: unknown } | undefined;
    const net = this.netOf(
      asString(pick(record, ['ipAddress', 'IPAddress'])),
      Number.isFinite(asn) ? asn : undefined,
      asString(loc?.countryOrRegion),
    );
    const p = this.principal(id, time);
    if (!user) p.appOnly = true;
    if (failed) return;
    this.learnNet(p, net, time);
    const uti = asString(pick(record, ['uniqueTokenIdentifier', 'UniqueTokenIdentifier']));
    if (uti) this.tokens.set(uti, time);
    const sid = asString(pick(record, ['sessionId', 'SessionId']));
    if (!sid) return;
    const s = this.session(sid, time);
    s.signedIn = true;
    if (net && !net.microsoft) s.asns.add(net.asn);
    if (asString(pick(record, ['authenticationProtocol', 'AuthenticationProtocol'])) === 'deviceCode')
      s.deviceCode = true;
    const interactive = pick(record, ['isInteractive', 'IsInteractive']);
    if (
      asString(pick(record, ['authenticationRequirement', 'AuthenticationRequirement'])) ===
        'singleFactorAuthentication' &&
      (interactive === true || interactive === 'true' || record.category === 'SignInLogs')
    )
      s.passwordOnly = true;
    const risk = asString(pick(record, ['riskLevelDuringSignIn', 'RiskLevelDuringSignIn']));
    if (risk === 'medium' || risk === 'high') s.risky = true;
  }

  private request(record: TelemetryRecord): void {
    const fields = new Fields(record);
    const f = requestFacts(record, fields);
    const read = f ? directoryRead(f) : null;
    const idtyp = fields.pick('C_Idtyp', 'idtyp');
    const appOnly = idtyp === 'app' || (f !== null && !fields.pick('userId', 'UserId') && idtyp !== 'user');
    const net = this.netOf(f?.ip);
    if (!f) return;
    const p = this.principal(f.principal, f.time);
    if (appOnly) p.appOnly = true;
    const key = this.sessionKey(f, appOnly);
    if (key) {
      const s = this.session(key, f.time);
      if (net && !net.microsoft) s.asns.add(net.asn);
    }
    this.learnNet(p, net, f.time);
    if (!read || p.readIds.has(f.id)) return;
    p.readIds.set(f.id, f.time);
    const r: Read = { ...f, read, appId: fields.pick('appId', 'AppId'), appOnly, net };
    let i = p.reads.length;
    while (i > 0 && (p.reads[i - 1] as Read).time > r.time) i--;
    p.reads.splice(i, 0, r);
    const n = read.kind === 'list' ? read.items : 1;
    const hour = Math.floor(r.time / HOUR) * HOUR;
    p.hours.set(hour, (p.hours.get(hour) ?? 0) + n);
    if (r.appId) {
      let h = this.appHours.get(r.appId);
      if (!h) {
        h = new Map();
        this.appHours.set(r.appId, h);
      }
      h.set(hour, (h.get(hour) ?? 0) + n);
      this.dirtyApps.add(r.appId);
    }
    p.dirty = true;
    this.dirty.add(f.principal);
  }

  /** the session a read belongs to: Entra's session id, else the token, else the app's network */
  private sessionKey(f: RequestFacts, appOnly: boolean): string | undefined {
    if (f.session) return f.session;
    if (f.token) return `token:${f.token}`;
    return appOnly ? `app:${f.principal}` : undefined;
  }

  private evaluate(ctx: DetectorContext): void {
    const o = this.options;
    const dirty = [...this.dirty].sort(byText);
    this.dirty.clear();
    for (const id of dirty) {
      const p = this.principals.get(id);
      if (!p) continue;
      p.dirty = false;
      const newest = (p.reads[p.reads.length - 1] as Read | undefined)?.time;
      if (newest === undefined) continue;
      const from = newest - o.windowMs;
      this.fold(p.hours, from, (v) => {
        if (v > p.peak) p.peak = v;
      });
      let drop = 0;
      while (drop < p.reads.length && (p.reads[drop] as Read).time < from) drop++;
      if (drop) p.reads.splice(0, drop);
      if (newest <= p.quietUntil) continue;
      const objects = objectsRead(p.reads);
      if (objects < o.minObjects) continue;
      const a = this.judge(id, p, objects, ctx);
      if (a) {
        ctx.emit(a);
        p.quietUntil = newest + o.cooldownMs;
      }
    }
    for (const app of this.dirtyApps) {
      const hours = this.appHours.get(app);
      if (!hours || hours.size === 0) continue;
      let newest = Number.NEGATIVE_INFINITY;
      for (const h of hours.keys()) if (h > newest) newest = h;
      this.fold(hours, newest + HOUR - o.windowMs - HOUR, (v) => {
        if (v > (this.appPeak.get(app) ?? 0)) this.appPeak.set(app, v);
      });
    }
    this.dirtyApps.clear();
  }

  /** fold the hours that ended before `from` into a peak */
  private fold(hours: Map<number, number>, from: number, into: (v: number) => void): void {
    for (const [h, v] of hours) {
      if (h + HOUR > from) continue;
      into(v);
      hours.delete(h);
    }
  }

  private judge(id: string, p: PrincipalState, objects: number, ctx: DetectorContext): Alert | undefined {
    const o = this.options;
    // the session that read the most objects in the window
    const groups = new Map<string, Read[]>();
    for (const r of p.reads) {
      const k = this.sessionKey(r, r.appOnly) ?? `ip:${r.ip ?? '-'}`;
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    let key = '';
    let best: Read[] = [];
    let bestObjects = -1;
    for (const [k, g] of [...groups.entries()].sort(([a], [b]) => byText(a, b))) {
      const n = objectsRead(g);
      if (n > bestObjects) [key, best, bestObjects] = [k, g, n];
    }
    const automation = p.appOnly || p.peak >= o.minObjects;
    const apps = [...new Set(best.map((r) => r.appId).filter((x): x is string => x !== undefined))].sort(byText);
    const appPeak = Math.max(0, ...apps.map((a) => this.appPeak.get(a) ?? 0));
    const base = Math.max(p.peak, o.minObjects / o.ratio);
    const abnormal = automation || objects > o.ratio * base;
    if (!abnormal) return undefined;
    const signals = this.signals(p, key, best);
    const score = signals.reduce((s, [name]) => s + o.weights[name], 0);
    const volumeAlone =
      !automation && objects >= o.strongRatio * Math.max(p.peak, o.minObjects) && appPeak < o.minObjects;
    if (score < o.threshold && !volumeAlone) return undefined;
    const sessionId = best.find((r) => r.session)?.session;
    const ips = new Map<string, number>();
    for (const r of best) if (r.ip) ips.set(r.ip, (ips.get(r.ip) ?? 0) + 1);
    const ip = [...ips.entries()].sort((a, b) => b[1] - a[1] || byText(a[0], b[0]))[0]?.[0];
    const alert: Alert = {
      rule: RULE,
      principal: this.upnOf.get(id) ?? id,
      evidence: best.slice(-o.evidenceCap).map((r) => r.id),
      time: new Date(ctx.now()).toISOString(),
      severity: score >= 2 * o.threshold ? 'high' : 'medium',
      technique: 'T1087.004',
      details: {
        objects,
        sessionObjects: bestObjects,
        peak: p.peak,
        appPeak,
        automation,
        score,
        signals: signals.map(([name, why]) => `${name}: ${why}`),
        volumeAlone,
        apps,
        windowStart: new Date((best[0] as Read).time).toISOString(),
        windowEnd: new Date((best[best.length - 1] as Read).time).toISOString(),
      },
    };
    if (sessionId !== undefined) alert.sessionId = sessionId;
    if (ip !== undefined) alert.ip = ip;
    return alert;
  }

  /** the context signals of one session's reads, with why */
  private signals(p: PrincipalState, key: string, reads: readonly Read[]): [keyof BaselineWeights, string][] {
    const o = this.options;
    const out: [keyof BaselineWeights, string][] = [];
    const now = (reads[reads.length - 1] as Read).time;
    const nets = new Map<string, Net>();
    for (const r of reads) if (r.net && !r.net.microsoft) nets.set(r.net.asn, r.net);
    const isNew = (first: number | undefined) =>
      first !== undefined && first - p.firstSeen >= o.settleMs && now - first <= o.newForMs;
    const newAsns = [...nets.keys()].filter((a) => isNew(p.asns.get(a))).sort(byText);
    if (newAsns.length) out.push([p.appOnly ? 'appOnlyNewNetwork' : 'newAsn', `AS ${newAsns.join(', ')}`]);
    const countries = [...new Set([...nets.values()].map((n) => n.country).filter((c): c is string => !!c))];
    const newCountries = countries.filter((c) => isNew(p.countries.get(c))).sort(byText);
    if (newCountries.length && !p.appOnly) out.push(['newCountry', newCountries.join(', ')]);
    const all = [...nets.values()];
    if (all.some((n) => n.tor)) out.push(['tor', 'Tor exit network']);
    else if (all.some((n) => n.vpn)) out.push(['vpn', 'VPN network']);
    if (all.some((n) => n.hosting)) out.push(['hosting', 'hosting/VPS network']);
    const s = this.sessions.get(key);
    if (s?.deviceCode) out.push(['deviceCode', 'device-code sign-in']);
    if (s?.passwordOnly) out.push(['passwordOnly', 'single-factor sign-in']);
    if (s?.risky) out.push(['riskySignIn', 'medium or high sign-in risk']);
    if (s && s.asns.size > 1) out.push(['multiNetworkSession', `${s.asns.size} ASNs in one session`]);
    const delegated = reads.filter((r) => !r.appOnly && r.net && !r.net.microsoft);
    if (
      this.signInsCollected &&
      delegated.length > 0 &&
      !s?.signedIn &&
      delegated.every((r) => !r.token || !this.tokens.has(r.token))
    )
      out.push(['noSignIn', 'no sign-in matches the session or its tokens']);
    return out;
  }

  /** drop sessions and tokens idle past sessionTtl */
  private prune(now: number): void {
    this.lastPrune = now;
    const cutoff = now - this.options.sessionTtlMs - 6 * HOUR;
    for (const [k, s] of this.sessions) if (s.lastSeen < cutoff) this.sessions.delete(k);
    for (const [k, t] of this.tokens) if (t < cutoff) this.tokens.delete(k);
    // a duplicate arrives within hours of its first copy: read ids are kept a day past the window
    const ids = now - this.options.windowMs - 24 * HOUR;
    for (const p of this.principals.values()) for (const [rid, t] of p.readIds) if (t < ids) p.readIds.delete(rid);
  }
}

export const baselineInfo: DetectorInfo = {
  id: 'baseline',
  summary:
    "Reference detector: abnormal bulk directory reads against each principal's and app's own history, weighted by session context (new ASN/country, hosting/VPN/Tor, device code, single factor, multi-network session, risk, app-only from a new network, no sign-in)",
  options: BASELINE_OPTION_SPECS,
};

export const createBaselineDetector: DetectorFactory = (options) => new BaselineDetector(baselineOptions(options));
