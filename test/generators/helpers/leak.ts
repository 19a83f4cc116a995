/**
 * The leak classifier (issue #12 item 5, docs/adversarial.md): can a classifier that never looks at
 * what a record says — only how it is written (formatting) or which everyday population trait it
 * carries (population) — tell attack records from benign ones, on attack tools it was not trained on?
 *
 * - Records are compared like with like: within one source and one operation of one record type
 *   (Graph: method and path template; UAL: RecordType and Operation; sign-ins: category; 4104:
 *   event id), so the mix of operations — what an attack legitimately does differently — is not a leak.
 * - Leave one technique out: for each technique t, a model is trained on the other techniques'
 *   records against the benign actors of one half (actors split by a hash of their id), and tested on
 *   t's records against the other half's, in the groups where training saw both classes.
 * - The model is categorical naive Bayes: per group, per feature, P(value | class) with Laplace
 *   smoothing (α = 1), equal class priors, features whose value neither class showed in training
 *   ignored; it predicts "attack" when the summed log-likelihood ratio is positive. Small, exact and
 *   deterministic; what it finds is read off its per-feature counts.
 * - The figure is balanced accuracy per source: (TPR + TNR) / 2 pooled over the folds, where TPR is
 *   over the held-out tools' records and TNR over the benign test records of the groups they touched.
 *   Chance is 0.5; below chance is not a leak.
 */
import { directoryRead, requestFacts } from '../../../detectors/volume/fields.js';
import { OPERATORS_BY_KIND } from '../../../generators/world/networks.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import type { SourceId } from '../../../src/core/sources.js';
import type { NetworkKind, Scenario } from '../../../src/scenario/types.js';
import { attack, makeScenario } from './scenario.js';

const H = 3_600_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Family = 'formatting' | 'population';
export const FAMILIES: readonly Family[] = ['formatting', 'population'];

/**
 * Fields whose presence or value is a population trait (population family), kept out of formatting:
 * the device fields, and the keys a failed sign-in adds (`status.failureReason`, `additionalDetails`,
 * UAL `LogonError`), which the real records write only on failures (samples/ual-15.jsonl L1/L3 have
 * `LogonError`, L2/L4/L5 do not; signin-interactive-diag.jsonl's failed sign-in has `failureReason`):
 * their presence is the outcome, which the population family reads as `outcome`; and Graph's `c_Sid`,
 * whose presence is which flow minted the token (a user's sign-in session, or none: a first-party
 * service's on-behalf-of token may carry none, and Elastic's Graph rules drop rows whose c_sid is
 * null — published-detections.md, the session-from-several-addresses rule), read as `session`.
 */
const POPULATION_PATHS =
  /(^|\.)(C_DeviceId|c_Sid|deviceId|deviceDetail(\..*)?|DeviceProperties|failureReason|additionalDetails|LogonError)$/;

/**
 * Ids that name the application or resource: their GUID version and variant are the app's own id (a
 * first-party app's well-known `00000002-0000-0ff1-ce00-…` is not a GUID anyone generated), and
 * which app a technique uses is behaviour, which this classifier never reads. So for them only the
 * encoding counts — a GUID and its case, or the shape of anything else — and not their equalities
 * (`appId == resourceId` is an app that calls itself, as Outlook on the web does).
 */
const APP_ID_PATHS =
  /(^|\.)(appId|AppId|ApplicationId|ClientAppId|resourceServicePrincipalId)$|^properties\.resourceId$/;

/**
 * Behaviour, not formatting: whether Graph's `clientRequestId` repeats the `requestId` is whether
 * the caller's HTTP client sends a `client-request-id` header (the service copies it, or repeats the
 * request id when none is sent: telemetry.md §1a). Microsoft's SDKs and apps send one; the tools'
 * raw HTTP clients do not, whatever user agent they claim (AzureHound's client/rest sets only
 * User-Agent, Accept and Content-Type). It is the tool's own client, like its user agent — each
 * technique's page says so under "Behaviour its records show" — so its equalities are left out.
 */
const CLIENT_LIBRARY_PATHS = /(^|\.)(clientRequestId|ClientRequestId)$/;

// ── the group: one operation of one record type ──────────────────────────────────────────────

/** What a Graph or AAD Graph request does: its method and whether it lists, reads one object, or neither. */
function requestKind(method: string, uri: string): string {
  const f = requestFacts({
    properties: { requestId: 'x', time: '2026-01-01T00:00:00Z', userId: 'x', requestUri: uri, requestMethod: method },
  });
  const read = f === null ? null : directoryRead(f);
  return `${method}|${read === null ? 'other' : read.kind}`;
}

/**
 * The record type and operation a record is compared within: Graph and AAD Graph by method and
 * kind of directory access (list, one object, other), UAL by RecordType and Operation, sign-ins by
 * category, 4104 by event id. Paths are not part of it: which collection a tool lists is what it
 * does, not how its records are written.
 */
export function groupOf(source: SourceId, o: Obj): string {
  const p = isObj(o.properties) ? o.properties : o;
  switch (source) {
    case 'graphActivity':
      return requestKind(String(p.requestMethod), String(p.requestUri ?? ''));
    case 'aadGraphActivity':
      return requestKind(String(p.httpMethod), String(p.requestUri ?? ''));
    case 'signIns':
      return String(o.category);
    case 'ual':
      return `${o.RecordType}|${o.Operation}`;
    case 'endpointPowerShell':
      return String(o.EventID ?? o.EventId ?? '');
  }
}

// ── formatting features ───────────────────────────────────────────────────────────────────────

function walk(o: Json, prefix: string, visit: (path: string, v: Json) => void): void {
  if (!isObj(o)) return;
  for (const [k, v] of Object.entries(o)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (POPULATION_PATHS.test(path)) continue;
    visit(path, v);
    if (isObj(v)) walk(v, path, visit);
  }
}

function typeOf(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/;
const ID_KEY = /(id|Id|ID|token|Token|Sid|sid)$/;

/**
 * How an id is written: GUID (version, variant, case), hex, base64url/base64 (length, padding, tail),
 * else length. The alphabet is standard base64 only where a `+` or `/` shows it; otherwise the id is
 * read as base64url, which it is consistent with: whether a random 22-character id happens to hold
 * a `-` or `_` is its content (about one id in two has neither), not its encoding, and one token's
 * id repeats on every request of a campaign, so that coin flip would land on all of them at once.
 */
export function idShape(s: string): string {
  const g = GUID.exec(s);
  if (g)
    return `guid:v${g[1]}:${((Number.parseInt(g[2] as string, 16) >> 2) & 3).toString(2)}:${s === s.toLowerCase() ? 'lower' : 'upper'}`;
  if (/^[0-9a-f]+$/i.test(s)) return `hex:${s.length}`;
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(s) || /^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    const kind = /[+/]/.test(s) ? 'b64' : 'b64url';
    return `${kind}:${s.length}:${s.endsWith('AA') ? 'AA' : 'x'}:${(s.match(/=*$/) as RegExpMatchArray)[0].length}`;
  }
  return `other:${s.length}`;
}

/** How a timestamp is written: fractional digits, trailing zeros of the fraction, offset form. */
export function timeShape(s: string): string | null {
  const m = ISO_TIME.exec(s);
  if (!m) return null;
  const frac = m[1] ?? '';
  return `${frac.length}:${frac.length - frac.replace(/0+$/, '').length}:${m[2] ?? 'none'}`;
}

function formatting(o: Obj): Record<string, string> {
  const order: string[] = [];
  const keys: string[] = [];
  const nulls: string[] = [];
  const types: string[] = [];
  const out: Record<string, string> = {};
  const ids = new Map<string, string>();
  walk(o, '', (path, v) => {
    order.push(path);
    keys.push(path);
    if (v === null) nulls.push(path);
    types.push(`${path}:${typeOf(v)}`);
    if (typeof v === 'string' && v !== '') {
      const key = path.slice(path.lastIndexOf('.') + 1);
      if (APP_ID_PATHS.test(path)) {
        out[`id shape ${path}`] = GUID.test(v) ? `guid:${v === v.toLowerCase() ? 'lower' : 'upper'}` : idShape(v);
      } else if (ID_KEY.test(key)) {
        out[`id shape ${path}`] = idShape(v);
        if (!CLIENT_LIBRARY_PATHS.test(path)) ids.set(path, v);
      }
      const t = timeShape(v);
      if (t !== null) out[`time shape ${path}`] = t;
    }
  });
  const equal: string[] = [];
  const idList = [...ids.entries()];
  for (let i = 0; i < idList.length; i++)
    for (let j = i + 1; j < idList.length; j++)
      if ((idList[i] as [string, string])[1] === (idList[j] as [string, string])[1])
        equal.push(`${(idList[i] as [string, string])[0]}=${(idList[j] as [string, string])[0]}`);
  out['key order'] = order.join(',');
  out['key set'] = keys.sort().join(',');
  out['null vs missing'] = nulls.join(',');
  out['value types'] = types.sort().join(',');
  out['equal ids'] = equal.sort().join(',');
  return out;
}

// ── population features ───────────────────────────────────────────────────────────────────────

const KIND_ORDER: readonly NetworkKind[] = [
  'corporate',
  'home',
  'mobile',
  'vps',
  'tor',
  'vendor-cloud',
  'microsoft',
  'residential-proxy',
];
const V4_KIND = new Map<string, NetworkKind>();
const V6_KIND: [string, NetworkKind][] = [];
for (const kind of KIND_ORDER) {
  for (const op of OPERATORS_BY_KIND[kind]) {
    // residential proxies egress from home ISPs' prefixes: the first kind listed keeps a prefix
    for (const p of op.v4) if (!V4_KIND.has(p)) V4_KIND.set(p, kind);
    for (const p of op.v6 ?? []) V6_KIND.push([`${p.toLowerCase()}:`, kind]);
  }
}

/** The network kind of an address by the world's network catalogue (what an IP-intelligence feed says). */
export function networkKindOf(ip: string): string {
  if (ip === '') return 'none';
  if (ip.includes(':')) return V6_KIND.find(([p]) => ip.toLowerCase().startsWith(p))?.[1] ?? 'unknown';
  const [a, b] = ip.split('.');
  return V4_KIND.get(`${a}.${b}`) ?? 'unknown';
}

function nameValue(o: Obj, list: string, name: string): string {
  const arr = o[list];
  if (!Array.isArray(arr)) return 'absent';
  for (const e of arr) if (isObj(e) && e.Name === name) return String(e.Value);
  return 'absent';
}

function population(source: SourceId, o: Obj): Record<string, string> {
  const p = isObj(o.properties) ? o.properties : o;
  const present = (v: Json | undefined) => (v === undefined ? 'absent' : v === null || v === '' ? 'empty' : 'set');
  switch (source) {
    case 'graphActivity':
      return {
        device: present(p.C_DeviceId),
        session: present(p.c_Sid),
        identity: String(p.C_Idtyp),
        network: networkKindOf(String(p.ipAddress ?? '')),
      };
    case 'aadGraphActivity':
      return {
        device: present(p.deviceId),
        identity: String(p.actorType),
        network: networkKindOf(String(p.callerIpAddress ?? '')),
      };
    case 'signIns': {
      const detail = isObj(p.deviceDetail) ? p.deviceDetail : {};
      const steps = Array.isArray(p.authenticationDetails) ? p.authenticationDetails : [];
      return {
        device: present(detail.deviceId),
        managed: String(detail.isManaged),
        outcome: String(o.resultType),
        requirement: String(p.authenticationRequirement),
        methods: steps.map((s) => (isObj(s) ? String(s.authenticationMethod) : '')).join('+'),
        identity: String(o.category),
        network: networkKindOf(String(p.ipAddress ?? '')),
      };
    }
    case 'ual':
      return {
        device: nameValue(o, 'DeviceProperties', 'IsCompliantAndManaged'),
        outcome: `${o.Operation}:${o.ErrorNumber ?? 'absent'}`,
        method: nameValue(o, 'ExtendedProperties', 'UserAuthenticationMethod'),
        identity: String(o.UserType),
        network: networkKindOf(String(o.ClientIP ?? o.ClientIPAddress ?? '')),
      };
    case 'endpointPowerShell':
      return {};
  }
}

// ── the classifier ────────────────────────────────────────────────────────────────────────────

export interface Sample {
  source: SourceId;
  group: string;
  /** the technique of an attack record, null for benign */
  technique: string | null;
  /** benign actors are split into a training and a test half by this */
  actor: string;
  features: Record<Family, Record<string, string>>;
}

export function sampleOf(r: LabelledRecord): Sample {
  const o = JSON.parse(r.line ?? JSON.stringify(r.record)) as Obj;
  return {
    source: r.source,
    group: groupOf(r.source, o),
    technique: r.label.malicious ? r.label.module : null,
    actor: r.label.actor,
    features: { formatting: formatting(o), population: population(r.source, o) },
  };
}

/** FNV-1a: a stable half for each benign actor. */
function half(actor: string): 0 | 1 {
  let h = 0x811c9dc5;
  for (let i = 0; i < actor.length; i++) h = Math.imul(h ^ actor.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 2 === 0 ? 0 : 1;
}

class Counts {
  n = 0;
  readonly values = new Map<string, Map<string, number>>();
  add(features: Record<string, string>): void {
    this.n++;
    for (const [f, v] of Object.entries(features)) {
      const m = this.values.get(f) ?? new Map<string, number>();
      this.values.set(f, m);
      m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  count(f: string, v: string): number {
    return this.values.get(f)?.get(v) ?? 0;
  }
  /** records of this class that lack feature f (it is per-path: absent where the path is) */
  missing(f: string): number {
    let seen = 0;
    for (const c of this.values.get(f)?.values() ?? []) seen += c;
    return this.n - seen;
  }
}

interface GroupModel {
  attack: Counts;
  benign: Counts;
  /** per feature: the number of distinct values seen in training, plus one (Laplace) */
  k?: Map<string, number>;
}

function distinctValues(m: GroupModel): Map<string, number> {
  if (m.k) return m.k;
  const k = new Map<string, number>();
  for (const f of new Set([...m.attack.values.keys(), ...m.benign.values.keys()])) {
    const vs = new Set([...(m.attack.values.get(f)?.keys() ?? []), ...(m.benign.values.get(f)?.keys() ?? [])]);
    k.set(f, vs.size + 1);
  }
  m.k = k;
  return k;
}

/** The log-likelihood ratio (attack over benign) of one record under one group's model. */
function score(m: GroupModel, features: Record<string, string>, evidence?: Map<string, number>): number {
  let llr = 0;
  const ks = distinctValues(m);
  for (const [f, k] of ks) {
    const v = features[f];
    const ca = v === undefined ? m.attack.missing(f) : m.attack.count(f, v);
    const cb = v === undefined ? m.benign.missing(f) : m.benign.count(f, v);
    // a value neither class showed in training says nothing (features only the record has are skipped too)
    if (ca === 0 && cb === 0) continue;
    const term = Math.log((ca + 1) / (m.attack.n + k)) - Math.log((cb + 1) / (m.benign.n + k));
    llr += term;
    if (evidence) {
      const key = `${f} = ${v ?? '(absent)'}`;
      evidence.set(key, (evidence.get(key) ?? 0) + term);
    }
  }
  return llr;
}

export interface FoldResult {
  technique: string;
  tp: number;
  fn: number;
  tn: number;
  fp: number;
  /**
   * With `explain`: per `feature = value`, the log-likelihood ratio it added, summed over the
   * held-out tool's records (attack) and over the benign test records (benign) of the fold.
   */
  evidence?: { attack: Map<string, number>; benign: Map<string, number> };
}

export interface LeakResult {
  source: SourceId;
  family: Family;
  balancedAccuracy: number | null;
  attackRecords: number;
  benignRecords: number;
  folds: FoldResult[];
}

/** Leave-one-technique-out naive Bayes on one source and one feature family. */
export function leaveOneTechniqueOut(
  samples: readonly Sample[],
  source: SourceId,
  family: Family,
  explain = false,
): LeakResult {
  const mine = samples.filter((s) => s.source === source);
  const techniques = [...new Set(mine.flatMap((s) => (s.technique ? [s.technique] : [])))].sort();
  const benignTrain = mine.filter((s) => s.technique === null && half(s.actor) === 0);
  const benignTest = mine.filter((s) => s.technique === null && half(s.actor) === 1);
  const folds: FoldResult[] = [];
  for (const held of techniques) {
    const models = new Map<string, GroupModel>();
    const model = (g: string) => {
      const m = models.get(g) ?? { attack: new Counts(), benign: new Counts() };
      models.set(g, m);
      return m;
    };
    for (const s of mine)
      if (s.technique !== null && s.technique !== held) model(s.group).attack.add(s.features[family]);
    for (const s of benignTrain) model(s.group).benign.add(s.features[family]);
    const usable = (g: string) => {
      const m = models.get(g);
      return m !== undefined && m.attack.n > 0 && m.benign.n > 0;
    };
    const fold: FoldResult = { technique: held, tp: 0, fn: 0, tn: 0, fp: 0 };
    if (explain) fold.evidence = { attack: new Map(), benign: new Map() };
    const touched = new Set<string>();
    for (const s of mine) {
      if (s.technique !== held || !usable(s.group)) continue;
      touched.add(s.group);
      if (score(models.get(s.group) as GroupModel, s.features[family], fold.evidence?.attack) > 0) fold.tp++;
      else fold.fn++;
    }
    for (const s of benignTest) {
      if (!touched.has(s.group)) continue;
      if (score(models.get(s.group) as GroupModel, s.features[family], fold.evidence?.benign) > 0) fold.fp++;
      else fold.tn++;
    }
    if (fold.tp + fold.fn > 0 && fold.tn + fold.fp > 0) folds.push(fold);
  }
  const sum = (k: 'tp' | 'fn' | 'tn' | 'fp') => folds.reduce((t, f) => t + f[k], 0);
  const [tp, fn, tn, fp] = [sum('tp'), sum('fn'), sum('tn'), sum('fp')];
  return {
    source,
    family,
    balancedAccuracy: tp + fn > 0 && tn + fp > 0 ? (tp / (tp + fn) + tn / (tn + fp)) / 2 : null,
    attackRecords: tp + fn,
    benignRecords: tn + fp,
    folds,
  };
}

// ── the data: every profile and every technique in one tenant ─────────────────────────────────

/**
 * One tenant with every benign profile at its defaults and every technique as two campaigns, one an
 * hour from 13:00 UTC on a Monday, over 30 hours so weekly and nightly jobs run: one with the
 * contract suite's session (a random user from a VPS with a password), one half an hour later with the
 * technique's own default session; both with `pageSize: 50`. Small enough for the contract suite.
 */
export function leakScenario(profiles: readonly string[], techniques: readonly string[]): Scenario {
  const start = Date.parse('2026-11-02T00:00:00Z');
  const defaults = { network: null, country: null, signIn: null, userAgent: null };
  return makeScenario({
    name: 'leak-classifier',
    users: 200,
    durationMs: 30 * H,
    start: '2026-11-02T00:00:00Z',
    roles: {
      'Global Administrator': 2,
      'Exchange Administrator': 1,
      'Helpdesk Administrator': 2,
      'User Administrator': 1,
      'Directory Synchronization Accounts': 1,
    },
    activity: profiles.map((id) => ({ id, profile: id, actors: null, schedule: null, app: null, options: {} })),
    attacks: techniques.flatMap((technique, i) => [
      attack({ id: `c-${technique}`, technique, at: start + (13 + i) * H, options: { pageSize: 50 } }),
      attack({
        id: `d-${technique}`,
        technique,
        at: start + (13.5 + i) * H,
        session: defaults,
        options: { pageSize: 50 },
      }),
    ]),
  });
}
