/**
 * MicrosoftGraphActivityLogs records.
 *
 * Diagnostic-settings shape (Event Hub / Storage): the live record quoted in telemetry.md §1b
 * (rknightion/graph2otel) and samples/graph-activity-diag.jsonl L1 (Google SecOps docs): envelope
 * `time`, upper-case `resourceId`, `resultSignature` as a string, top-level `durationMs` as a string,
 * `level: "Informational"`, `location` = the Azure region that served the request; `properties`
 * in lowerCamel with the undocumented extras (`UserPrincipalObjectID`, `C_Idtyp`, `c_Sid`,
 * `C_DeviceId`, `isReplay`, `policyEvaluated`, `__UDI_RequiredFields_TenantId`), `clientAuthMethod`
 * as a string, `roles`/`scopes`/`wids` space-separated or null. Delegated calls carry `userId`,
 * `c_Sid`, `C_DeviceId` and `scopes` with `servicePrincipalId: null`; app-only calls carry
 * `servicePrincipalId` and `roles`, `scopes: ""`, and no `userId`, `c_Sid` or `C_DeviceId` key at all,
 * as the live app-only record has none (telemetry.md §1b; the older Google SecOps sample's
 * `userId: null` is the previous generation, with `Level: 4` and a numeric `durationMs`).
 *
 * Log Analytics row shape: the MicrosoftGraphActivityLogs table columns (telemetry.md §1a,
 * samples/graph-activity-la.jsonl): PascalCase, `ClientAuthMethod` an int.
 */
import { iatTime, jsonStr, ticksTime } from './common.js';

/** What the caller knows about a Graph request; the kit adds ids, sub-second ticks and the region. */
export interface GraphCall {
  time: number;
  apiVersion: 'v1.0' | 'beta';
  method: string;
  /** full URL with query string */
  uri: string;
  status: number;
  durationMs: number;
  responseSizeBytes: number;
  ip: string;
  userAgent: string;
  appId: string;
  /** delegated: the user's object id */
  userId: string | null;
  /** app-only: the service principal's object id */
  servicePrincipalId: string | null;
  scopes: string | null;
  roles: string | null;
  wids: string | null;
  tokenIssuedAt: number;
  signInActivityId: string;
  sessionId: string | null;
  deviceId: string | null;
  /** 0 public client, 1 client secret, 2 certificate */
  clientAuthMethod: 0 | 1 | 2;
  /** the HTTP client library that sent the request; by default the one its user agent names */
  client?: GraphClientLibrary;
}

/**
 * The kind of HTTP client behind a Graph request. Whether the log's `clientRequestId` differs from
 * the `requestId` is a property of the client, not a coin flip: the service copies the
 * `client-request-id` header when one is sent and otherwise repeats the request id (telemetry.md
 * §1a). Microsoft's Graph SDKs add the header on every request (their telemetry middleware), and so
 * do Microsoft's own apps and the admin portals [U: seen in browser traces, not in a document];
 * raw HTTP (Go net/http in AzureHound, Invoke-RestMethod, python-requests, aiohttp, java.net,
 * curl) sends none unless the code sets it, and the tools do not (AzureHound client/rest/http.go
 * sets only User-Agent, Accept and Content-Type).
 */
export type GraphClientLibrary = 'graph-sdk' | 'microsoft-app' | 'browser' | 'raw-http';

export const SENDS_CLIENT_REQUEST_ID: Readonly<Record<GraphClientLibrary, boolean>> = {
  'graph-sdk': true,
  'microsoft-app': true,
  browser: true,
  'raw-http': false,
};

const libraryByAgent = new Map<string, GraphClientLibrary>();

/** The client library a user agent names (memoised: a tenant has few distinct agents). */
export function clientLibraryOf(userAgent: string): GraphClientLibrary {
  let lib = libraryByAgent.get(userAgent);
  if (lib === undefined) {
    lib = classifyAgent(userAgent);
    if (libraryByAgent.size < 10_000) libraryByAgent.set(userAgent, lib);
  }
  return lib;
}

function classifyAgent(ua: string): GraphClientLibrary {
  // Microsoft's own services call with no user agent
  if (ua === '') return 'microsoft-app';
  if (/Microsoft\.Graph|msgraph-sdk|Kiota|GraphExplorer/i.test(ua)) return 'graph-sdk';
  if (
    /^(Microsoft Office|Outlook-|Teams|Microsoft Teams|OneDrive|SharePoint)|MSAL|Microsoft Outlook|Teams\//.test(ua)
  ) {
    return 'microsoft-app';
  }
  if (/PowerShell|python|aiohttp|Go-http-client|azurehound|curl|Java\//i.test(ua)) return 'raw-http';
  if (/^Mozilla\/5\.0 .*(Chrome|Firefox|Safari|Edg)\//.test(ua)) return 'browser';
  return 'raw-http';
}

export interface GraphRequestInput extends GraphCall {
  ticks: number;
  requestId: string;
  /** client-request-id sent by the client; equals requestId when none was sent */
  clientRequestId: string;
  /** serving Azure region, e.g. "East US" */
  region: string;
}

export interface GraphTenant {
  tenantId: string;
  /** "/TENANTS/<TID>/PROVIDERS/MICROSOFT.AADIAM" */
  resourceId: string;
  identityProvider: string;
}

export function graphTenant(tenantId: string): GraphTenant {
  return {
    tenantId,
    resourceId: `/TENANTS/${tenantId.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`,
    identityProvider: `https://sts.windows.net/${tenantId}/`,
  };
}

export function graphActivityDiag(
  t: GraphTenant,
  q: GraphCall,
  ticks: number,
  requestId: string,
  clientRequestId: string,
  region: string,
): Record<string, unknown> {
  const time = ticksTime(q.time, ticks);
  const delegated = q.userId !== null;
  return {
    time,
    resourceId: t.resourceId,
    operationName: 'Microsoft Graph Activity',
    operationVersion: q.apiVersion,
    category: 'MicrosoftGraphActivityLogs',
    resultSignature: String(q.status),
    durationMs: String(q.durationMs),
    callerIpAddress: q.ip,
    correlationId: requestId,
    level: 'Informational',
    location: region,
    properties: {
      __UDI_RequiredFields_TenantId: t.tenantId,
      timeGenerated: time,
      location: region,
      requestId: requestId,
      operationId: requestId,
      clientRequestId: clientRequestId,
      apiVersion: q.apiVersion,
      requestMethod: q.method,
      responseStatusCode: q.status,
      tenantId: t.tenantId,
      durationMs: q.durationMs,
      responseSizeBytes: q.responseSizeBytes,
      signInActivityId: q.signInActivityId,
      roles: q.roles,
      appId: q.appId,
      UserPrincipalObjectID: delegated ? q.userId : q.servicePrincipalId,
      scopes: scopesOf(q),
      identityProvider: t.identityProvider,
      clientAuthMethod: String(q.clientAuthMethod),
      wids: q.wids,
      isReplay: false,
      C_Idtyp: delegated ? 'user' : 'app',
      ...(delegated ? { c_Sid: q.sessionId, C_DeviceId: q.deviceId } : {}),
      ipAddress: q.ip,
      userAgent: q.userAgent,
      requestUri: q.uri,
      policyEvaluated: false,
      servicePrincipalId: q.servicePrincipalId,
      ...(delegated ? { userId: q.userId } : {}),
      tokenIssuedAt: iatTime(q.tokenIssuedAt),
    },
    tenantId: t.tenantId,
  };
}

/**
 * The Log Analytics row for the same request (MicrosoftGraphActivityLogs table). `workspaceId` is
 * the workspace's TenantId column (the Log Analytics workspace, not the Entra tenant).
 */
export function graphActivityLaRow(
  diag: Record<string, unknown>,
  workspaceId: string,
  billedSize: number,
): Record<string, unknown> {
  const p = diag.properties as Record<string, unknown>;
  return {
    TimeGenerated: p.timeGenerated,
    Location: p.location,
    RequestId: p.requestId,
    OperationId: p.operationId,
    ClientRequestId: p.clientRequestId,
    ApiVersion: p.apiVersion,
    RequestMethod: p.requestMethod,
    ResponseStatusCode: p.responseStatusCode,
    AadTenantId: p.tenantId,
    IPAddress: p.ipAddress,
    UserAgent: p.userAgent ?? '',
    RequestUri: p.requestUri,
    DurationMs: p.durationMs,
    ResponseSizeBytes: p.responseSizeBytes,
    SignInActivityId: p.signInActivityId,
    TokenIssuedAt: p.tokenIssuedAt,
    AppId: p.appId,
    UserId: p.userId ?? '',
    ServicePrincipalId: p.servicePrincipalId ?? '',
    Scopes: p.scopes ?? '',
    Roles: p.roles ?? '',
    Wids: p.wids ?? '',
    SessionId: p.c_Sid ?? '',
    DeviceId: p.C_DeviceId ?? '',
    ClientAuthMethod: Number(p.clientAuthMethod),
    IdentityProvider: p.identityProvider,
    SourceSystem: 'Azure',
    Type: 'MicrosoftGraphActivityLogs',
    TenantId: workspaceId,
    _BilledSize: billedSize,
    _IsBillable: 'True',
  };
}

/**
 * `scopes` as the record writes it: an app-only token has no `scp` claim and the record says ""
 * (the live app-only record in telemetry.md §1b), not null.
 */
const scopesOf = (q: GraphCall): string | null => (q.userId === null ? (q.scopes ?? '') : q.scopes);

/** Quote a value we generated ourselves (ids, addresses, fixed scope lists): nothing to escape. */
const quoteOrNull = (s: string | null) => (s === null ? 'null' : `"${s}"`);

/**
 * The same record as graphActivityDiag, serialised directly. Free text a scenario can set (user
 * agent, URI, app id) goes through jsonStr; values enumbench generates (ids, addresses, regions,
 * scope lists) are quoted as they are (byte-identical to
 * JSON.stringify(graphActivityDiag(…)), which a test checks): the hot path of every dataset, since
 * Graph requests are most of a tenant's records.
 */
export function graphActivityDiagLine(
  t: GraphTenant,
  q: GraphCall,
  ticks: number,
  requestId: string,
  clientRequestId: string,
  region: string,
): string {
  const time = ticksTime(q.time, ticks);
  const delegated = q.userId !== null;
  const ip = `"${q.ip}"`;
  const reg = `"${region}"`;
  const tid = `"${t.tenantId}"`;
  return (
    `{"time":"${time}","resourceId":"${t.resourceId}","operationName":"Microsoft Graph Activity","operationVersion":"${q.apiVersion}","category":"MicrosoftGraphActivityLogs","resultSignature":"${q.status}","durationMs":"${q.durationMs}","callerIpAddress":${ip},"correlationId":"${requestId}","level":"Informational","location":${reg},` +
    `"properties":{"__UDI_RequiredFields_TenantId":${tid},"timeGenerated":"${time}","location":${reg},"requestId":"${requestId}","operationId":"${requestId}","clientRequestId":"${clientRequestId}","apiVersion":"${q.apiVersion}","requestMethod":"${q.method}","responseStatusCode":${q.status},"tenantId":${tid},"durationMs":${q.durationMs},"responseSizeBytes":${q.responseSizeBytes},"signInActivityId":"${q.signInActivityId}","roles":${quoteOrNull(q.roles)},"appId":${jsonStr(q.appId)},"UserPrincipalObjectID":${quoteOrNull(delegated ? q.userId : q.servicePrincipalId)},"scopes":${quoteOrNull(scopesOf(q))},"identityProvider":"${t.identityProvider}","clientAuthMethod":"${q.clientAuthMethod}","wids":${quoteOrNull(q.wids)},"isReplay":false,"C_Idtyp":"${delegated ? 'user' : 'app'}",${delegated ? `"c_Sid":${quoteOrNull(q.sessionId)},"C_DeviceId":${quoteOrNull(q.deviceId)},` : ''}"ipAddress":${ip},"userAgent":${jsonStr(q.userAgent)},"requestUri":${jsonStr(q.uri)},"policyEvaluated":false,"servicePrincipalId":${quoteOrNull(q.servicePrincipalId)},${delegated ? `"userId":${quoteOrNull(q.userId)},` : ''}"tokenIssuedAt":"${iatTime(q.tokenIssuedAt)}"},"tenantId":${tid}}`
  );
}
