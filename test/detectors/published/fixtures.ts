/**
 * Hand-built records in Microsoft's real shapes (telemetry.md §1–2, reference/samples) and a small
 * lockstep driver for in-process detectors.
 */
import type { Alert } from '../../../src/core/alerts.js';
import { type EpochMs, MINUTE } from '../../../src/core/clock.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../../src/core/detector.js';
import type { IpNetworkLookup } from '../../../src/core/ip-networks.js';
import type { TelemetryRecord } from '../../../src/core/records.js';
import type { SourceId } from '../../../src/core/sources.js';

export const T0 = Date.parse('2026-11-04T14:00:00Z');
export const TENANT = '4b8c1d2e-0000-4000-8000-00000000c0de';
export const ALICE = '87d30957-1111-4111-8111-111111111111';
export const SP = '11111111-2222-3333-4444-555555555555';
export const VPS_IP = '203.0.113.10';
export const HOME_IP = '198.51.100.7';

let counter = 0;
/** a fresh GUID-shaped id (deterministic per test file run order) */
export function guid(prefix = 'a'): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${hex}`;
}

export interface GraphOpts {
  time: EpochMs;
  uri: string;
  method?: string;
  status?: number;
  userId?: string | null;
  servicePrincipalId?: string | null;
  ip?: string;
  userAgent?: string;
  bytes?: number;
  requestId?: string;
  sessionId?: string;
  idtyp?: 'user' | 'app';
  clientAuthMethod?: string;
  appId?: string;
}

/** A MicrosoftGraphActivityLogs record in the diagnostic-settings JSON shape. */
export function graph(o: GraphOpts): TelemetryRecord {
  const requestId = o.requestId ?? guid('9e');
  const iso = new Date(o.time).toISOString();
  const userId = o.userId === undefined ? ALICE : o.userId;
  const spId = o.servicePrincipalId === undefined ? null : o.servicePrincipalId;
  const apiVersion = /\/beta\//.test(o.uri) ? 'beta' : 'v1.0';
  const status = o.status ?? 200;
  return {
    time: iso,
    resourceId: `/TENANTS/${TENANT.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`,
    operationName: 'Microsoft Graph Activity',
    operationVersion: apiVersion,
    category: 'MicrosoftGraphActivityLogs',
    resultSignature: String(status),
    durationMs: '497815',
    callerIpAddress: o.ip ?? VPS_IP,
    correlationId: requestId,
    level: 'Informational',
    location: 'West Europe',
    properties: {
      __UDI_RequiredFields_TenantId: TENANT,
      timeGenerated: iso,
      location: 'West Europe',
      requestId,
      operationId: requestId,
      clientRequestId: guid('c1'),
      apiVersion,
      requestMethod: o.method ?? 'GET',
      responseStatusCode: status,
      tenantId: TENANT,
      durationMs: 497815,
      responseSizeBytes: o.bytes ?? 1024,
      signInActivityId: 'OPD3UZnmTkud24wRw6ATAA',
      roles: spId ? 'Directory.Read.All' : null,
      scopes: userId ? 'Directory.AccessAsUser.All User.Read' : null,
      appId: o.appId ?? '1950a258-227b-4e31-a9cf-717495945fc2',
      UserPrincipalObjectID: userId ?? spId,
      identityProvider: `https://sts.windows.net/${TENANT}/`,
      clientAuthMethod: o.clientAuthMethod ?? (userId ? '0' : '2'),
      wids: 'b79fbf4d-3ef9-4689-8143-76b194e85509',
      isReplay: false,
      C_Idtyp: o.idtyp ?? (userId ? 'user' : 'app'),
      ...(o.sessionId === undefined ? {} : { c_Sid: o.sessionId }),
      ipAddress: o.ip ?? VPS_IP,
      userAgent: o.userAgent ?? 'azurehound/v2.9.2',
      requestUri: o.uri,
      policyEvaluated: false,
      userId,
      servicePrincipalId: spId,
      tokenIssuedAt: new Date(o.time - 10 * MINUTE).toISOString(),
    },
    tenantId: TENANT,
  };
}

/** The same request as a Log Analytics row (PascalCase columns at the top level). */
export function graphLa(o: GraphOpts): TelemetryRecord {
  const requestId = o.requestId ?? guid('9e');
  const userId = o.userId === undefined ? ALICE : o.userId;
  return {
    TimeGenerated: new Date(o.time).toISOString(),
    Location: 'West Europe',
    RequestId: requestId,
    OperationId: requestId,
    ClientRequestId: guid('c1'),
    ApiVersion: 'v1.0',
    RequestMethod: o.method ?? 'GET',
    ResponseStatusCode: o.status ?? 200,
    AadTenantId: TENANT,
    IPAddress: o.ip ?? VPS_IP,
    UserAgent: o.userAgent ?? 'azurehound/v2.9.2',
    RequestUri: o.uri,
    DurationMs: 1309774,
    ResponseSizeBytes: o.bytes ?? 1024,
    SignInActivityId: 'OPD3UZnmTkud24wRw6ATAA',
    AppId: o.appId ?? '1950a258-227b-4e31-a9cf-717495945fc2',
    UserId: userId ?? '',
    ServicePrincipalId: o.servicePrincipalId ?? '',
    SessionId: o.sessionId ?? '',
    ClientAuthMethod: 0,
    Type: 'MicrosoftGraphActivityLogs',
    TenantId: '00000000-0000-0000-0000-00000000ffff',
  };
}

export interface SignInOpts {
  time: EpochMs;
  id?: string;
  userId?: string;
  ip?: string;
  asn?: number;
  userAgent?: string;
  resultType?: string;
  sessionId?: string;
  appId?: string;
}

/** A SignInLogs record in the diagnostic-settings JSON shape. */
export function signIn(o: SignInOpts): TelemetryRecord {
  const iso = new Date(o.time).toISOString().replace('Z', '0000+00:00');
  const resultType = o.resultType ?? '0';
  return {
    time: new Date(o.time).toISOString(),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'SignInLogs',
    tenantId: TENANT,
    resultType,
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: o.ip ?? VPS_IP,
    correlationId: guid('cc'),
    identity: 'Alice Example',
    Level: 4,
    location: 'NL',
    properties: {
      id: o.id ?? guid('51'),
      createdDateTime: iso,
      userDisplayName: 'Alice Example',
      userPrincipalName: 'alice@contoso.onmicrosoft.com',
      userId: o.userId ?? ALICE,
      appId: o.appId ?? '1950a258-227b-4e31-a9cf-717495945fc2',
      appDisplayName: 'Microsoft Azure PowerShell',
      ipAddress: o.ip ?? VPS_IP,
      status: { errorCode: Number(resultType) },
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: o.userAgent ?? 'azurehound/v2.9.2',
      isInteractive: true,
      autonomousSystemNumber: o.asn ?? 64500,
      ...(o.sessionId === undefined ? {} : { sessionId: o.sessionId }),
      resourceId: '00000003-0000-0000-c000-000000000000',
      uniqueTokenIdentifier: 'OPD3UZnmTkud24wRw6ATAA',
    },
  };
}

/** An AzureADGraphActivityLogs record in the diagnostic-settings JSON shape (path-only requestUri). */
export function aadGraph(o: { time: EpochMs; path: string; userAgent?: string; userId?: string; requestId?: string }) {
  const requestId = o.requestId ?? guid('ad');
  return {
    category: 'AzureADGraphActivityLogs',
    operationName: 'AAD Graph Activity',
    location: 'WestUS',
    tenantId: TENANT,
    properties: {
      actorType: 'User',
      apiVersion: '1.61-internal',
      appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
      callerIpAddress: VPS_IP,
      clientAuthMethod: 0,
      httpMethod: 'GET',
      httpStatusCode: 200,
      requestId,
      requestUri: `/v2/${TENANT}${o.path}`,
      responseSizeBytes: 2048,
      tenantId: TENANT,
      timeGenerated: new Date(o.time).toISOString(),
      userAgent: o.userAgent ?? 'Python/3.11 aiohttp/3.9.1',
      userId: o.userId ?? ALICE,
    },
  } as TelemetryRecord;
}

/** A UAL AzureActiveDirectoryStsLogon record (RecordType 15). */
export function ualLogon(o: { time: EpochMs; userAgent: string; id?: string }): TelemetryRecord {
  return {
    CreationTime: new Date(o.time).toISOString().slice(0, 19),
    Id: o.id ?? guid('ua'),
    Operation: 'UserLoggedIn',
    OrganizationId: TENANT,
    RecordType: 15,
    ResultStatus: 'Success',
    UserKey: ALICE,
    UserType: 0,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ClientIP: VPS_IP,
    ObjectId: '00000003-0000-0000-c000-000000000000',
    UserId: 'alice@contoso.onmicrosoft.com',
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'ResultStatusDetail', Value: 'Success' },
      { Name: 'UserAgent', Value: o.userAgent },
      { Name: 'RequestType', Value: 'OAuth2:Token' },
    ],
  };
}

export interface Delivery {
  at: EpochMs;
  records: DeliveredRecord[];
}

export function batch(at: EpochMs, source: SourceId, records: TelemetryRecord[]): Delivery {
  return { at, records: records.map((record) => ({ source, record })) };
}

export interface Emitted {
  alert: Alert;
  at: EpochMs;
}

/**
 * Lockstep: start at `start`, then for each delivery (in order) tick to its time and ingest it,
 * then tick to `end` and stop. Returns the alerts with the simulated time they were emitted.
 */
export async function drive(
  detector: Detector,
  deliveries: readonly Delivery[],
  opts: { start?: EpochMs; end?: EpochMs; sources?: SourceId[]; tickEvery?: number; networks?: IpNetworkLookup } = {},
): Promise<Emitted[]> {
  let now = opts.start ?? T0;
  const out: Emitted[] = [];
  const ctx: DetectorContext = {
    now: () => now,
    emit: (alert) => out.push({ alert, at: now }),
    sources: opts.sources ?? ['ual', 'signIns', 'graphActivity', 'aadGraphActivity'],
    ...(opts.networks ? { networks: opts.networks } : {}),
  };
  const tickTo = async (t: EpochMs) => {
    if (opts.tickEvery) {
      while (now + opts.tickEvery < t) {
        now += opts.tickEvery;
        await detector.tick?.(now, ctx);
      }
    }
    now = Math.max(now, t);
    await detector.tick?.(now, ctx);
  };
  await detector.start(ctx);
  for (const d of [...deliveries].sort((a, b) => a.at - b.at)) {
    await tickTo(d.at);
    await detector.ingest(d.records, ctx);
  }
  await tickTo(opts.end ?? now);
  await detector.stop(ctx);
  return out;
}

export const GRAPH = 'https://graph.microsoft.com';
