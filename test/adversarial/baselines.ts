/**
 * Adversarial baselines (issue #12 item 4, docs/adversarial.md): lazy rules a hostile user of the bench
 * would write to score well without detecting enumeration. Each keys on one property the synthetic
 * attacker has and a real tenant's benign population also has (or should have) — a hosting-provider
 * address, no device id (on any client, or on a computer's), a failed or single-factor sign-in,
 * app-only access, a paging-token form, a new address, night hours, a non-browser client. They must never win: the suite in
 * baselines-suite.ts asserts none reaches precision ≥ 0.9 with recall ≥ 0.9 on any library scenario
 * with benign activity.
 *
 * Each is a real in-process detector (the `Detector` interface of `builtin:` and `module:` detectors,
 * src/core/detector.ts), sees records only, and alerts the way that flatters it most under the
 * scorer's rules (src/scoring/incidents.ts: false positives count once per rule, principal and day;
 * an alert citing only the attacker's sign-in is a weak match, src/scoring/match.ts): one alert per
 * principal, address, UTC day and kind of record (sign-ins apart from the activity they open) on
 * its first matching record, citing that record, with the principal, address and session the
 * record names. More alerts on one principal and day cost it nothing.
 */

import { directoryRead, Fields, requestFacts } from '../../detectors/volume/fields.js';
import { HOSTING } from '../../generators/world/networks.js';
import type { Alert } from '../../src/core/alerts.js';
import type { DeliveredRecord, Detector, DetectorFactory } from '../../src/core/detector.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { recordIdOf, type SourceId } from '../../src/core/sources.js';
import { localTime } from '../../src/scenario/schedule.js';

/** What the baselines read from one record, whatever its source. */
export interface RecordFacts {
  source: SourceId;
  record: TelemetryRecord;
  fields: Fields;
  id: string;
  /** event time (epoch ms) */
  time: number;
  principal: string | undefined;
  ip: string | undefined;
  session: string | undefined;
  /** isDirectoryRead, once computed */
  directoryRead?: boolean;
}

type Bag = Record<string, unknown>;
const bag = (v: unknown): Bag | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Bag) : undefined;

/** UAL times carry no offset (`2026-11-03T14:00:04`): they are UTC. */
function parseTime(s: string | undefined): number {
  if (s === undefined) return Number.NaN;
  return Date.parse(/(Z|[+-]\d\d:\d\d)$/i.test(s) ? s : `${s}Z`);
}

/** A UAL record's `ExtendedProperties` / `DeviceProperties` entry by name. */
function nameValue(record: TelemetryRecord, list: string, name: string): string | undefined {
  const arr = record[list];
  if (!Array.isArray(arr)) return undefined;
  for (const e of arr) {
    const b = bag(e);
    if (b?.Name === name && typeof b.Value === 'string') return b.Value;
  }
  return undefined;
}

/**
 * Facts per record object: the baselines run side by side over one replay and receive the same
 * record objects, so each record is read once, not once per baseline.
 */
const factsCache = new WeakMap<TelemetryRecord, RecordFacts | null>();

export function factsOf(d: DeliveredRecord): RecordFacts | null {
  const cached = factsCache.get(d.record);
  if (cached !== undefined) return cached;
  const facts = readFacts(d);
  factsCache.set(d.record, facts);
  return facts;
}

function readFacts(d: DeliveredRecord): RecordFacts | null {
  const { source, record } = d;
  const id = recordIdOf(source, record);
  if (id === undefined) return null;
  const f = new Fields(record);
  const time = parseTime(f.pick('timeGenerated', 'createdDateTime', 'CreationTime', 'TimeCreated', 'time'));
  const principal =
    source === 'ual'
      ? f.pick('UserId', 'UserKey')
      : f.pick('userId', 'servicePrincipalId', 'UserPrincipalObjectID', 'userPrincipalName', 'appId');
  const ip = f.pick('ipAddress', 'callerIpAddress', 'ClientIP', 'ClientIPAddress', 'ActorIpAddress', 'IPAddress');
  const session =
    source === 'ual' ? nameValue(record, 'DeviceProperties', 'SessionId') : f.pick('c_Sid', 'sessionId', 'SessionId');
  return { source, record, fields: f, id, time, principal: principal?.toLowerCase(), ip, session };
}

/** The user agent a record names (Graph, AAD Graph, sign-ins; UAL sign-ins in ExtendedProperties). */
export function userAgentOf(x: RecordFacts): string | undefined {
  if (x.source === 'ual') return nameValue(x.record, 'ExtendedProperties', 'UserAgent');
  return x.fields.pick('userAgent', 'UserAgent');
}

/** Delegated (a user's token) or app-only (an application's own token), where the record says. */
export function identityTypeOf(x: RecordFacts): 'user' | 'app' | undefined {
  const t = x.fields.pick('C_Idtyp', 'actorType')?.toLowerCase();
  if (t === 'user') return 'user';
  if (t === 'app' || t === 'application' || t === 'serviceprincipal') return 'app';
  if (x.source === 'signIns') {
    const cat = x.fields.pick('category');
    if (cat === 'ServicePrincipalSignInLogs' || cat === 'ManagedIdentitySignInLogs') return 'app';
    return 'user';
  }
  return undefined;
}

/** The device id a delegated request or user sign-in carries ('' when it carries none); undefined: not applicable. */
export function deviceIdOf(x: RecordFacts): string | undefined {
  if (identityTypeOf(x) !== 'user') return undefined;
  if (x.source === 'graphActivity') return x.fields.pick('C_DeviceId', 'DeviceId') ?? '';
  if (x.source === 'aadGraphActivity') return x.fields.pick('deviceId', 'DeviceId') ?? '';
  if (x.source === 'signIns') {
    const detail = bag(bag(x.record.properties)?.deviceDetail ?? x.record.DeviceDetail);
    const v = detail?.deviceId;
    return typeof v === 'string' ? v : '';
  }
  return undefined;
}

/** A directory read (Graph or AAD Graph GET of a directory collection, its members, or one object). */
export function isDirectoryRead(x: RecordFacts): boolean {
  if (x.directoryRead === undefined) {
    const rf = x.source === 'graphActivity' || x.source === 'aadGraphActivity' ? requestFacts(x.record) : null;
    x.directoryRead = rf !== null && directoryRead(rf) !== null;
  }
  return x.directoryRead;
}

/** A sign-in that failed, or passed with one factor (sign-in logs, UAL RecordType 15). */
export function isFailedOrSingleFactor(x: RecordFacts): boolean {
  if (x.source === 'signIns') {
    const props = bag(x.record.properties);
    const code = x.fields.pick('resultType', 'ResultType') ?? String(bag(props?.status)?.errorCode ?? '0');
    if (code !== '0') return true;
    const req = x.fields.pick('authenticationRequirement', 'AuthenticationRequirement');
    return req === 'singleFactorAuthentication';
  }
  if (x.source === 'ual' && x.record.RecordType === 15) {
    return x.record.Operation === 'UserLoginFailed' || (x.fields.pick('ErrorNumber') ?? '0') !== '0';
  }
  return false;
}

/** `a.b` prefixes of the hosting providers (a hostile rule's IP-reputation list: the bench's own, so perfect). */
const HOSTING_V4 = new Set(HOSTING.flatMap((o) => o.v4));
const HOSTING_V6 = HOSTING.flatMap((o) => o.v6 ?? []).map((p) => `${p.toLowerCase()}:`);

export function isHostingAddress(ip: string): boolean {
  if (ip.includes(':')) {
    const lower = ip.toLowerCase();
    return HOSTING_V6.some((p) => lower.startsWith(p));
  }
  const [a, b] = ip.split('.');
  return HOSTING_V4.has(`${a}.${b}`);
}

/** A phone's client: a mobile browser, Outlook or Exchange ActiveSync on iOS or Android. */
const PHONE_UA = /iPhone|iPad|Android|Outlook-(iOS|Android)\/|^Apple-/;

/** Graph's real `$skiptoken` form: base64 of a binary token starting `DSpt` (`RFNwdAIAAQAAA…`). */
const GRAPH_SKIPTOKEN = /[?&](?:\$|%24)skiptoken=RFNwdA/i;

/** The predicate of one baseline over one record; `state` is the baseline's own memory. */
type Match = (x: RecordFacts, options: BaselineOptions, state: Map<string, Set<string>>) => boolean;

export interface BaselineOptions {
  /** the tenant's IANA time zone, for "local" hours (a rule author knows their tenant's zone) */
  timezone: string;
}

export interface Baseline {
  id: string;
  /** what it alerts on, in one line */
  rule: string;
  match: Match;
}

export const BASELINES: readonly Baseline[] = [
  {
    id: 'hosting-prefix',
    rule: 'any request or sign-in from a hosting-provider (VPS) address',
    match: (x) => x.ip !== undefined && isHostingAddress(x.ip),
  },
  {
    id: 'no-device-id',
    // as sharp as the data allows (#13): a client names itself, yet no device does
    rule: 'any delegated request or user sign-in with a user agent and without a device id',
    match: (x) => deviceIdOf(x) === '' && (userAgentOf(x) ?? '') !== '',
  },
  {
    id: 'no-device-id-desktop',
    // sharper still: personal phones are the everyday device-less client, so leave phones out
    rule: 'any delegated request or user sign-in from a computer (a user agent naming no phone) without a device id',
    match: (x) => {
      const ua = userAgentOf(x) ?? '';
      return deviceIdOf(x) === '' && ua !== '' && !PHONE_UA.test(ua);
    },
  },
  {
    id: 'failed-or-single-factor',
    rule: 'any failed or single-factor sign-in',
    match: (x) => isFailedOrSingleFactor(x),
  },
  {
    id: 'app-only-directory-read',
    rule: 'any app-only directory read',
    match: (x) => identityTypeOf(x) === 'app' && isDirectoryRead(x),
  },
  {
    id: 'graph-skiptoken',
    rule: 'any `$skiptoken` in the Graph form (`RFNwdAIAAQAAA…`)',
    match: (x) => {
      if (x.source !== 'graphActivity' && x.source !== 'aadGraphActivity') return false;
      const uri = x.fields.pick('requestUri', 'RequestUri');
      return uri !== undefined && GRAPH_SKIPTOKEN.test(uri);
    },
  },
  {
    id: 'first-ip-for-account',
    rule: 'the first time an account is seen from an address',
    match: (x, _o, state) => {
      if (x.principal === undefined || x.ip === undefined || x.ip === '') return false;
      const seen = state.get(x.principal) ?? new Set<string>();
      state.set(x.principal, seen);
      if (seen.has(x.ip)) return false;
      seen.add(x.ip);
      return true;
    },
  },
  {
    id: 'night-directory-read',
    rule: 'directory reads between 22:00 and 05:00 in the tenant’s time zone',
    match: (x, o) => {
      if (!Number.isFinite(x.time) || !isDirectoryRead(x)) return false;
      const h = localTime(x.time, o.timezone).hour;
      return h >= 22 || h < 5;
    },
  },
  {
    id: 'non-browser-ua',
    rule: 'any request or sign-in whose user agent is not a browser’s',
    match: (x) => {
      const ua = userAgentOf(x);
      return ua !== undefined && ua !== '' && !/^Mozilla\/5\.0 /.test(ua);
    },
  },
];

const DAY = 86_400_000;

/**
 * The kind of record an alert is deduplicated by: its source, and for the unified audit log its
 * RecordType (a sign-in's mirror, RecordType 15, apart from the Exchange or directory activity).
 */
function recordKind(x: RecordFacts): string {
  return x.source === 'ual' ? `ual:${String(x.record.RecordType)}` : x.source;
}

/**
 * A baseline as a Detector: one alert per principal, address, UTC day and kind of record, on its
 * first matching record.
 */
export function baselineDetector(b: Baseline, options: BaselineOptions): Detector {
  const alerted = new Set<string>();
  const state = new Map<string, Set<string>>();
  return {
    name: `adversarial:${b.id}`,
    start() {},
    ingest(batch: readonly DeliveredRecord[], ctx) {
      for (const d of batch) {
        const x = factsOf(d);
        if (x === null || !b.match(x, options, state)) continue;
        if (x.principal === undefined && x.session === undefined) continue;
        const day = Number.isFinite(x.time) ? Math.floor(x.time / DAY) : Math.floor(ctx.now() / DAY);
        const key = `${x.principal ?? ''}\u0000${x.ip ?? ''}\u0000${day}\u0000${recordKind(x)}`;
        if (alerted.has(key)) continue;
        alerted.add(key);
        const alert: Alert = { rule: `adversarial-${b.id}`, evidence: [x.id] };
        if (x.principal !== undefined) alert.principal = x.principal;
        if (x.session !== undefined) alert.sessionId = x.session;
        if (x.ip !== undefined) alert.ip = x.ip;
        ctx.emit(alert);
      }
    },
    stop() {},
  };
}

/** The `module:`-style factory of one baseline: `options.baseline` names it, `options.timezone` the zone. */
export const createDetector: DetectorFactory = (options) => {
  const b = BASELINES.find((x) => x.id === options.baseline);
  if (!b) throw new Error(`options.baseline must be one of ${BASELINES.map((x) => x.id).join(', ')}`);
  const timezone = typeof options.timezone === 'string' ? options.timezone : 'UTC';
  return baselineDetector(b, { timezone });
};
