/**
 * Reading the fields the volume detector needs from Graph activity, Azure AD Graph activity and
 * sign-in records, in the diagnostic-settings shape (`time`, `properties{…}`, lowerCamel) with the
 * Log Analytics row shape (PascalCase columns) as a fallback. Mixed casing is real
 * (`c_Sid`, `C_DeviceId`, `UserPrincipalObjectID`), so lookups ignore case.
 */
import type { TelemetryRecord } from '../../src/core/records.js';

function lowerKeys(o: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) m.set(k.toLowerCase(), v);
  }
  return m;
}

/** A record's fields by lower-case name, `properties` first: built once per record, read many times. */
export class Fields {
  private readonly top: Map<string, unknown>;
  private readonly props: Map<string, unknown>;

  constructor(record: TelemetryRecord) {
    this.top = lowerKeys(record);
    this.props = lowerKeys(this.top.get('properties'));
  }

  /** The first non-empty string among `names`, looked up in `properties` then at the top level. */
  pick(...names: string[]): string | undefined {
    for (const n of names) {
      const k = n.toLowerCase();
      for (const src of [this.props, this.top]) {
        const v = src.get(k);
        if (typeof v === 'string' && v !== '') return v;
        if (typeof v === 'number') return String(v);
      }
    }
    return undefined;
  }
}

/** The first non-empty string among `names`, looked up in `properties` then at the top level. */
export function pick(record: TelemetryRecord, ...names: string[]): string | undefined {
  return new Fields(record).pick(...names);
}

export interface RequestFacts {
  id: string;
  time: number;
  principal: string;
  ip: string | undefined;
  session: string | undefined;
  token: string | undefined;
  method: string;
  /** normalised path: no host, no query, no API version, no AAD Graph tenant segment, lower case */
  path: string;
  /** the `$top` of the query, when given */
  top: number | undefined;
  /** `responseSizeBytes`, when the record carries it */
  size: number | undefined;
}

/** `fields`: the record's Fields when the caller has built them already (they are built once per record) */
export function requestFacts(record: TelemetryRecord, fields = new Fields(record)): RequestFacts | null {
  const pick = fields.pick.bind(fields);
  const id = pick('requestId', 'RequestId', 'correlationId', 'id');
  const timeText = pick('time', 'timeGenerated', 'TimeGenerated');
  const principal = pick('userId', 'UserPrincipalObjectID', 'servicePrincipalId', 'appId', 'UserId');
  const uri = pick('requestUri', 'RequestUri', 'uri');
  if (!id || !timeText || !principal || !uri) return null;
  const time = Date.parse(timeText);
  if (Number.isNaN(time)) return null;
  const top = /[?&](?:\$|%24)top=(\d+)/i.exec(uri);
  return {
    id,
    time,
    principal: principal.toLowerCase(),
    ip: pick('ipAddress', 'IPAddress', 'callerIpAddress'),
    session: pick('sessionId', 'c_sid', 'SessionId'),
    token: pick('signInActivityId', 'SignInActivityId', 'uniqueTokenId'),
    method: (pick('requestMethod', 'RequestMethod', 'httpMethod') ?? 'GET').toUpperCase(),
    path: normalisePath(uri),
    top: top ? Number(top[1]) : undefined,
    size: sizeOf(record),
  };
}

function sizeOf(record: TelemetryRecord): number | undefined {
  const props = (record.properties ?? {}) as Record<string, unknown>;
  const v = props.responseSizeBytes ?? record.ResponseSizeBytes ?? record.responseSizeBytes;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function normalisePath(uri: string): string {
  let p = uri.replace(/^[a-z]+:\/\/[^/]+/i, '');
  const q = p.indexOf('?');
  if (q >= 0) p = p.slice(0, q);
  p = p.replace(/\/{2,}/g, '/').toLowerCase();
  // drop the API version (Graph v1.0, beta; AAD Graph activity logs' /v2) and an AAD Graph tenant segment
  p = p
    .replace(/^\/(v1\.0|beta|v2)(?=\/)/, '')
    .replace(/^\/[0-9a-f-]{36}(?=\/|$)|^\/[a-z0-9.-]+\.onmicrosoft\.com(?=\/|$)/, '');
  return p === '' ? '/' : p;
}

const COLLECTIONS =
  'users|groups|serviceprincipals|devices|applications|directoryroles|contacts|administrativeunits|oauth2permissiongrants|domains|organization|tenantdetails|roledefinitions|roleassignments|eligibleroleassignments|directoryobjects';
/** a whole collection: `/users`, `/groups/delta`, `/roleManagement/directory/roleAssignments` */
const LISTING = new RegExp(
  `^/((${COLLECTIONS})(/delta)?|rolemanagement/directory/[a-z]+|policies/[a-z]+|serviceprincipals\\([^)]*\\)/[a-z]+)$`,
);
/** the members, owners or assignments of one object */
const MEMBERS = new RegExp(
  `^/(${COLLECTIONS})/[^/]+/(\\$links/)?(members|transitivemembers|owners|registeredowners|registeredusers|approleassignedto|approleassignments|memberof|transitivememberof|directreports|ownedobjects)$`,
);
/** one directory object */
const OBJECT = new RegExp(`^/(${COLLECTIONS})/[^/]+$`);

/** How a request reads the directory: a listing (of about `items` objects), one object, or not at all. */
export type DirectoryRead = { kind: 'list'; items: number } | { kind: 'object' } | null;

/** Graph and AAD Graph page 100 objects by default and at most 999. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 999;
/**
 * Bytes a listed directory object takes at least in a response (a `$select=id,displayName` entry is
 * ~100 B, a full user ~1 KB): a page's object count is at most its size over this. It keeps a
 * `memberOf` of ten groups from counting as a page of 100.
 */
export const MIN_OBJECT_BYTES = 300;

export function directoryRead(f: RequestFacts): DirectoryRead {
  if (f.method !== 'GET') return null;
  if (LISTING.test(f.path) || MEMBERS.test(f.path)) {
    const page = Math.min(MAX_PAGE, Math.max(1, f.top ?? DEFAULT_PAGE));
    const bySize = f.size === undefined ? page : Math.max(1, Math.ceil(f.size / MIN_OBJECT_BYTES));
    return { kind: 'list', items: Math.min(page, bySize) };
  }
  if (OBJECT.test(f.path)) return { kind: 'object' };
  return null;
}

export interface SignInFacts {
  userId: string | undefined;
  upn: string | undefined;
}

export function signInFacts(record: TelemetryRecord): SignInFacts {
  const f = new Fields(record);
  return {
    userId: f.pick('userId', 'UserId')?.toLowerCase(),
    upn: f.pick('userPrincipalName', 'UserPrincipalName'),
  };
}
