/**
 * The Log Analytics tables a `kql:` rule queries, built from the records as they are delivered:
 * MicrosoftGraphActivityLogs (graphActivityLaRow, the rows `generate --log-analytics` writes),
 * SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs (signInLaRow) and
 * OfficeActivity (officeActivityRow). Each table's schema (columns and KQL types) is what the binder
 * checks names against and what values are converted to: `datetime` columns hold epoch
 * milliseconds, `dynamic` columns JSON values, `long`/`int`/`real` numbers.
 */
import { graphActivityLaRow } from '../../generators/records/graph-activity.js';
import { officeActivityRow, signInLaRow } from '../../generators/records/log-analytics-rows.js';
import type { DeliveredRecord } from '../../src/core/detector.js';
import type { SourceId } from '../../src/core/sources.js';
import type { KColumn } from './kusto.js';

export type Row = Record<string, unknown>;

function cols(spec: string): KColumn[] {
  return spec
    .trim()
    .split(/\s*,\s*/)
    .map((c) => {
      const [name, type] = c.split(':');
      return { name: name!, type: type ?? 'string' };
    });
}

const SIGN_IN_COMMON = `TimeGenerated:datetime, CreatedDateTime:datetime, Id, OperationName, Category, ResultType,
  ResultSignature, ResultDescription, DurationMs:long, CorrelationId, Identity, Level, Location, AppId, AppDisplayName,
  IPAddress, UserAgent, UserId, UserPrincipalName, UserDisplayName, UserType, ServicePrincipalId, ServicePrincipalName,
  ClientAppUsed, IsInteractive:bool, ResourceDisplayName, ResourceIdentity, ResourceTenantId, HomeTenantId,
  AutonomousSystemNumber, SessionId, UniqueTokenIdentifier, OriginalRequestId, ConditionalAccessStatus,
  AuthenticationRequirement, AuthenticationProtocol, IncomingTokenType, ClientCredentialType,
  ServicePrincipalCredentialKeyId, RiskDetail, RiskLevelAggregated, RiskLevelDuringSignIn, RiskState,
  NetworkLocationDetails, AuthenticationDetails, TokenIssuerType, CrossTenantAccessType, AADTenantId,
  SourceSystem, Type, TenantId`;

/** Table → columns, in the order a `project *` shows them. */
export const TABLE_SCHEMAS: ReadonlyMap<string, readonly KColumn[]> = new Map([
  [
    'MicrosoftGraphActivityLogs',
    cols(`TimeGenerated:datetime, Location, RequestId, OperationId, ClientRequestId, ApiVersion, RequestMethod,
      ResponseStatusCode:int, AadTenantId, IPAddress, UserAgent, RequestUri, DurationMs:int, ResponseSizeBytes:int,
      SignInActivityId, TokenIssuedAt:datetime, AppId, UserId, ServicePrincipalId, Scopes, Roles, Wids, SessionId,
      DeviceId, ClientAuthMethod:int, IdentityProvider, SourceSystem, Type, TenantId`),
  ],
  [
    'SigninLogs',
    cols(
      `${SIGN_IN_COMMON}, RiskEventTypes_V2:dynamic, DeviceDetail:dynamic, LocationDetails:dynamic, Status:dynamic, ConditionalAccessPolicies:dynamic`,
    ),
  ],
  [
    'AADNonInteractiveUserSignInLogs',
    cols(`${SIGN_IN_COMMON}, RiskEventTypes_V2, DeviceDetail, LocationDetails, Status, ConditionalAccessPolicies`),
  ],
  [
    'AADServicePrincipalSignInLogs',
    cols(`${SIGN_IN_COMMON}, RiskEventTypes_V2, DeviceDetail, LocationDetails, Status, ConditionalAccessPolicies`),
  ],
  [
    'OfficeActivity',
    cols(`TimeGenerated:datetime, OfficeId, OfficeWorkload, RecordType, Operation, OrganizationId, ResultStatus,
      UserKey, UserType, UserId, ClientIP, ObjectId, Version:int, AzureActiveDirectoryEventType:int,
      ExtendedProperties, ModifiedProperties, Actor, ActorContextId, ActorIpAddress, InterSystemsId, IntraSystemId,
      SupportTicketId, Target, TargetContextId, ApplicationId, DeviceProperties, ErrorNumber, LogonError, Parameters,
      ExternalAccess:bool, OriginatingServer, OrganizationName, SessionId, AppAccessContext, SourceSystem, Type,
      TenantId`),
  ],
]);

/** Which source feeds each table. */
export const TABLE_SOURCES: Readonly<Record<string, SourceId>> = {
  MicrosoftGraphActivityLogs: 'graphActivity',
  SigninLogs: 'signIns',
  AADNonInteractiveUserSignInLogs: 'signIns',
  AADServicePrincipalSignInLogs: 'signIns',
  OfficeActivity: 'ual',
};

/** The column holding each table's record id (what an alert cites as evidence). */
export const TABLE_ID_COLUMNS: Readonly<Record<string, string>> = {
  MicrosoftGraphActivityLogs: 'RequestId',
  SigninLogs: 'Id',
  AADNonInteractiveUserSignInLogs: 'Id',
  AADServicePrincipalSignInLogs: 'Id',
  OfficeActivity: 'OfficeId',
};

/** A datetime text as epoch ms (7 fractional digits, `+00:00`, and zone-less UTC accepted). */
export function parseDateTime(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return null;
  let s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(s)) s = `${s.replace(' ', 'T')}Z`;
  s = s.replace(/(\.\d{3})\d+/, '$1');
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

/** A value converted to the representation of its column's KQL type. */
export function convertValue(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'datetime':
      return parseDateTime(v);
    case 'int':
    case 'long':
    case 'real': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '') {
        const n = Number(v);
        return Number.isFinite(n) ? n : null;
      }
      return typeof v === 'boolean' ? Number(v) : null;
    }
    case 'bool':
      return typeof v === 'boolean'
        ? v
        : v === 'true' || v === 'True'
          ? true
          : v === 'false' || v === 'False'
            ? false
            : null;
    case 'dynamic':
      return v;
    default:
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

function shape(table: string, raw: Row): Row {
  const out: Row = {};
  for (const c of TABLE_SCHEMAS.get(table) ?? []) out[c.name] = convertValue(raw[c.name], c.type);
  return out;
}

/**
 * The table row(s) one delivered record becomes, for the tables in `wanted`. `workspaceId` fills the
 * `TenantId` column (the Log Analytics workspace).
 */
export function tableRow(
  d: DeliveredRecord,
  wanted: ReadonlySet<string>,
  workspaceId: string,
): { table: string; row: Row } | undefined {
  const rec = d.record as Row;
  if (d.source === 'graphActivity') {
    if (!wanted.has('MicrosoftGraphActivityLogs') || typeof rec.properties !== 'object') return undefined;
    return {
      table: 'MicrosoftGraphActivityLogs',
      row: shape('MicrosoftGraphActivityLogs', graphActivityLaRow(rec, workspaceId, 0)),
    };
  }
  if (d.source === 'signIns') {
    const r = signInLaRow(rec, workspaceId);
    if (!r || !wanted.has(r.table)) return undefined;
    return { table: r.table, row: shape(r.table, r.row) };
  }
  if (d.source === 'ual') {
    if (!wanted.has('OfficeActivity')) return undefined;
    return { table: 'OfficeActivity', row: shape('OfficeActivity', officeActivityRow(rec, workspaceId)) };
  }
  return undefined;
}
