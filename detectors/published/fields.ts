/**
 * Field access for the published-rule ports. One record may arrive in either of Microsoft's two
 * shapes (telemetry.md §1, samples/SOURCES.md):
 *
 * - the diagnostic-settings JSON (Event Hub / Storage): an envelope `{time, resourceId, category, …}`
 *   with the fields in lowerCamel under `properties` (`properties.requestUri`, `properties.userId`, …);
 * - the Log Analytics row: PascalCase columns at the top level (`RequestUri`, `UserId`, …).
 *
 * `pick` looks in `properties` first, then at the top level, for each candidate name in turn; exact
 * names first, then case-insensitively, because Microsoft's casing drifts (`c_Sid`, `C_Idtyp`,
 * `UserPrincipalObjectID`). The readers below turn one record into the handful of values the ports
 * use, once per record.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { TelemetryRecord } from '../../src/core/records.js';

type Bag = Record<string, unknown>;

function isBag(v: unknown): v is Bag {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function containers(record: TelemetryRecord): Bag[] {
  const props = record.properties;
  return isBag(props) ? [props, record] : [record];
}

/** The first present (non-null) value among `names`, in `properties` then at the top level. */
export function pick(record: TelemetryRecord, names: readonly string[]): unknown {
  const bags = containers(record);
  for (const name of names) {
    for (const bag of bags) {
      const v = bag[name];
      if (v !== undefined && v !== null) return v;
    }
  }
  for (const name of names) {
    const lower = name.toLowerCase();
    for (const bag of bags) {
      for (const key of Object.keys(bag)) {
        if (key.toLowerCase() !== lower) continue;
        const v = bag[key];
        if (v !== undefined && v !== null) return v;
      }
    }
  }
  return undefined;
}

/** A string value: strings as they are, numbers and booleans as text, anything else undefined. */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A number: numbers as they are, numeric strings parsed ("2" → 2), anything else undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** An ISO 8601 timestamp as epoch milliseconds (7 fractional digits and `+00:00` offsets accepted). */
export function asTime(v: unknown): EpochMs | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function str(record: TelemetryRecord, names: readonly string[]): string | undefined {
  return asString(pick(record, names));
}

/** KQL `isempty`: null, missing or "". */
export function isEmpty(s: string | undefined): s is undefined | '' {
  return s === undefined || s === '';
}

/** The path of a URL (no query, no fragment), as KQL `parse_url(...).Path` gives it; a bare path is kept. */
export function urlPath(uri: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(uri);
  if (m) return m[1] ?? '';
  const cut = uri.search(/[?#]/);
  return cut === -1 ? uri : uri.slice(0, cut);
}

/** One Microsoft Graph activity record (MicrosoftGraphActivityLogs), reduced to what the ports read. */
export interface GraphRow {
  /** `properties.requestId` / `RequestId`: the evidence id */
  requestId: string | undefined;
  clientRequestId: string | undefined;
  /** TimeGenerated (event time) */
  time: EpochMs;
  requestUri: string;
  requestMethod: string;
  status: number | undefined;
  userId: string | undefined;
  servicePrincipalId: string | undefined;
  /** the undocumented `UserPrincipalObjectID` (Elastic's `user_principal_object_id`), else UserId */
  userPrincipalObjectId: string | undefined;
  ipAddress: string | undefined;
  userAgent: string | undefined;
  responseSizeBytes: number;
  appId: string | undefined;
  /** the Entra session id: `c_Sid` in diagnostic-settings JSON, `SessionId` in Log Analytics */
  sessionId: string | undefined;
  /** `C_Idtyp` (`user`/`app`); inferred from UserId/ServicePrincipalId when absent (Log Analytics rows) */
  idtyp: string | undefined;
  clientAuthMethod: number | undefined;
  tenantId: string | undefined;
  tokenIssuedAt: string | undefined;
  signInActivityId: string | undefined;
  location: string | undefined;
  category: string | undefined;
}

export function readGraph(record: TelemetryRecord): GraphRow | undefined {
  const time = asTime(pick(record, ['timeGenerated', 'TimeGenerated', 'time']));
  const requestUri = str(record, ['requestUri', 'RequestUri']);
  if (time === undefined || requestUri === undefined) return undefined;
  const userId = str(record, ['userId', 'UserId']);
  const servicePrincipalId = str(record, ['servicePrincipalId', 'ServicePrincipalId']);
  let idtyp = str(record, ['C_Idtyp', 'c_idtyp', 'idtyp']);
  if (idtyp === undefined) idtyp = !isEmpty(userId) ? 'user' : !isEmpty(servicePrincipalId) ? 'app' : undefined;
  return {
    requestId: str(record, ['requestId', 'RequestId', 'correlationId']),
    clientRequestId: str(record, ['clientRequestId', 'ClientRequestId']),
    time,
    requestUri,
    requestMethod: str(record, ['requestMethod', 'RequestMethod']) ?? '',
    status: asNumber(pick(record, ['responseStatusCode', 'ResponseStatusCode', 'resultSignature'])),
    userId,
    servicePrincipalId,
    userPrincipalObjectId: str(record, ['UserPrincipalObjectID', 'userPrincipalObjectId']) ?? userId,
    ipAddress: str(record, ['ipAddress', 'IPAddress', 'callerIpAddress']),
    userAgent: str(record, ['userAgent', 'UserAgent']),
    responseSizeBytes: asNumber(pick(record, ['responseSizeBytes', 'ResponseSizeBytes'])) ?? 0,
    appId: str(record, ['appId', 'AppId']),
    sessionId: str(record, ['c_Sid', 'C_Sid', 'c_sid', 'SessionId', 'sessionId']),
    idtyp,
    clientAuthMethod: asNumber(pick(record, ['clientAuthMethod', 'ClientAuthMethod'])),
    tenantId: str(record, ['AadTenantId', 'tenantId']),
    tokenIssuedAt: str(record, ['tokenIssuedAt', 'TokenIssuedAt']),
    signInActivityId: str(record, ['signInActivityId', 'SignInActivityId']),
    location: str(record, ['location', 'Location']),
    category: str(record, ['category', 'Type']),
  };
}

/** One Entra sign-in record (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs). */
export interface SignInRow {
  /** `properties.id` / `Id`: the evidence id */
  id: string | undefined;
  time: EpochMs;
  userId: string | undefined;
  userPrincipalName: string | undefined;
  appId: string | undefined;
  ipAddress: string | undefined;
  userAgent: string | undefined;
  /** top-level `resultType` (diagnostic settings) / `ResultType` (Log Analytics), else `status.errorCode` */
  resultType: string | undefined;
  sessionId: string | undefined;
  asn: number | undefined;
  servicePrincipalId: string | undefined;
}

export function readSignIn(record: TelemetryRecord): SignInRow | undefined {
  const time = asTime(pick(record, ['createdDateTime', 'CreatedDateTime', 'TimeGenerated', 'time']));
  if (time === undefined) return undefined;
  let resultType = asString(record.resultType ?? record.ResultType);
  if (resultType === undefined) {
    const status = pick(record, ['status', 'Status']);
    if (isBag(status)) resultType = asString(status.errorCode);
  }
  return {
    id: str(record, ['id', 'Id']),
    time,
    userId: str(record, ['userId', 'UserId']),
    userPrincipalName: str(record, ['userPrincipalName', 'UserPrincipalName']),
    appId: str(record, ['appId', 'AppId']),
    ipAddress: str(record, ['ipAddress', 'IPAddress', 'callerIpAddress']),
    userAgent: str(record, ['userAgent', 'UserAgent']),
    resultType,
    sessionId: str(record, ['sessionId', 'SessionId']),
    asn: asNumber(pick(record, ['autonomousSystemNumber', 'AutonomousSystemNumber'])),
    servicePrincipalId: str(record, ['servicePrincipalId', 'ServicePrincipalId']),
  };
}

/** One Azure AD Graph activity record (AzureADGraphActivityLogs). */
export interface AadGraphRow {
  requestId: string | undefined;
  time: EpochMs;
  requestUri: string;
  userId: string | undefined;
  tenantId: string | undefined;
  userAgent: string | undefined;
  ipAddress: string | undefined;
}

export function readAadGraph(record: TelemetryRecord): AadGraphRow | undefined {
  const time = asTime(pick(record, ['timeGenerated', 'TimeGenerated', 'time']));
  const requestUri = str(record, ['requestUri', 'RequestUri']);
  if (time === undefined || requestUri === undefined) return undefined;
  return {
    requestId: str(record, ['requestId', 'RequestId', 'correlationId']),
    time,
    requestUri,
    userId: str(record, ['userId', 'UserId']),
    tenantId: str(record, ['tenantId', 'AADTenantId', 'AadTenantId']),
    userAgent: str(record, ['userAgent', 'UserAgent']),
    ipAddress: str(record, ['callerIpAddress', 'CallerIpAddress', 'ipAddress']),
  };
}

/** One Unified Audit Log record (Management Activity API `AuditData` shape). */
export interface UalRow {
  id: string | undefined;
  time: EpochMs | undefined;
  userId: string | undefined;
  clientIp: string | undefined;
  /** `ExtendedProperties[Name=UserAgent].Value` (RecordType 15), else a top-level `UserAgent` */
  userAgent: string | undefined;
}

export function readUal(record: TelemetryRecord): UalRow {
  let userAgent: string | undefined;
  const ext = record.ExtendedProperties;
  if (Array.isArray(ext)) {
    for (const p of ext) if (isBag(p) && p.Name === 'UserAgent') userAgent = asString(p.Value);
  }
  userAgent ??= asString(record.UserAgent);
  const creation = asString(record.CreationTime);
  // CreationTime carries no zone designator: it is UTC (management-activity-api.md)
  const time =
    creation === undefined ? undefined : asTime(/[zZ]|[+-]\d\d:\d\d$/.test(creation) ? creation : `${creation}Z`);
  return {
    id: asString(record.Id),
    time,
    userId: asString(record.UserId),
    clientIp: asString(record.ClientIP ?? record.ActorIpAddress),
    userAgent,
  };
}
