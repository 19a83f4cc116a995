/**
 * AzureADGraphActivityLogs (requests to graph.windows.net) in the diagnostic-settings shape.
 * Field names and types: samples/SOURCES.md "aadgraph-activity (diag form)" (elastic/integrations
 * field names and the MicrosoftDocs LA table): `category:"AzureADGraphActivityLogs"`,
 * `operationName:"AAD Graph Activity"`, region without spaces ("WestUS"), `__UDI_RequiredFields_*`
 * (EventTime as .NET ticks, an int64 in the JSON), `issuedAt` in US-locale form, `requestUri` path only, `roles`/`wids`
 * comma-terminated with a leading space, `signInActivityId` base64 with `==` padding,
 * `clientAuthMethod` an int.
 */
import { dotnetTicks, ticksTime } from './common.js';

export interface AadGraphRequestInput {
  time: number;
  ticks: number;
  requestId: string;
  region: string;
  actorType: 'User' | 'Application';
  apiVersion: string;
  appId: string;
  ip: string;
  clientAuthMethod: 0 | 1 | 2;
  deviceId: string;
  durationMs: number;
  method: string;
  status: number;
  tokenIssuedAt: number;
  /** path only: /<tid>/users */
  uri: string;
  responseSizeBytes: number;
  roles: readonly string[];
  wids: readonly string[];
  scopes: string;
  servicePrincipalId: string;
  sessionId: string;
  /** a 22-char base64url uti; written padded with "==" as AAD Graph logs do */
  signInActivityId: string;
  userAgent: string;
  userId: string;
}

/** "5/7/2026 1:50:39 PM" */
export function usLocaleTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A base64url token id as AAD Graph prints it: standard base64 with its "==" padding (samples/SOURCES.md). */
function paddedBase64(b64url: string): string {
  return `${b64url.replace(/-/g, '+').replace(/_/g, '/')}==`;
}

const commaList = (xs: readonly string[]) => (xs.length ? ` ${xs.join(',')},` : '');

/**
 * The record's JSON line: aadGraphActivityDiag's, with `__UDI_RequiredFields_EventTime` written as
 * the int64 the source defines (samples/SOURCES.md "aadgraph-activity": int64 ticks), its exact
 * digits. Eighteen digits exceed a double's 53 bits, so a JSON.parse reader — the dataset's, a
 * detector's — holds the nearest double (within 128 ticks), as it would reading the real feed.
 */
export function aadGraphActivityDiagLine(tenantId: string, q: AadGraphRequestInput): string {
  const o = aadGraphActivityDiag(tenantId, q);
  const ticks = dotnetTicks(q.time, q.ticks).toString();
  (o.properties as Record<string, unknown>).__UDI_RequiredFields_EventTime = ticks;
  return JSON.stringify(o).replace(
    `"__UDI_RequiredFields_EventTime":"${ticks}"`,
    `"__UDI_RequiredFields_EventTime":${ticks}`,
  );
}

/** The record as a reader of its line holds it (EventTime the nearest double: aadGraphActivityDiagLine). */
export function aadGraphActivityDiag(tenantId: string, q: AadGraphRequestInput): Record<string, unknown> {
  const time = ticksTime(q.time, q.ticks);
  return {
    time,
    resourceId: `/TENANTS/${tenantId.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`,
    operationName: 'AAD Graph Activity',
    category: 'AzureADGraphActivityLogs',
    correlationId: q.requestId,
    location: q.region,
    tenantId,
    properties: {
      __UDI_RequiredFields_EventTime: Number(dotnetTicks(q.time, q.ticks)),
      __UDI_RequiredFields_RegionScope: 'NA',
      __UDI_RequiredFields_TenantId: tenantId,
      __UDI_RequiredFields_UniqueId: q.requestId,
      actorType: q.actorType,
      apiVersion: q.apiVersion,
      appId: q.appId,
      callerIpAddress: q.ip,
      clientAuthMethod: q.clientAuthMethod,
      deviceId: q.deviceId,
      directAccessSource: 'Gateway',
      durationMs: q.durationMs,
      env_cloud_role: 'restdirectoryservice',
      httpMethod: q.method,
      httpStatusCode: q.status,
      identityProvider: `https://sts.windows.net/${tenantId}/`,
      issuedAt: usLocaleTime(q.tokenIssuedAt),
      location: q.region,
      requestId: q.requestId,
      requestUri: q.uri,
      responseSizeBytes: q.responseSizeBytes,
      roles: commaList(q.roles),
      scopes: q.scopes,
      servicePrincipalId: q.servicePrincipalId,
      sessionId: q.sessionId,
      signInActivityId: paddedBase64(q.signInActivityId),
      tenantId,
      timeGenerated: time,
      userAgent: q.userAgent,
      userId: q.userId,
      wids: commaList(q.wids),
    },
  };
}
