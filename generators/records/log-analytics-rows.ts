/**
 * Log Analytics rows for the sign-in logs and the Unified Audit Log — the shapes a KQL rule queries
 * in a Sentinel workspace — made from the records as a detector receives them (diagnostic-settings
 * JSON for sign-ins, Management Activity API `AuditData` for the UAL). The Graph activity rows are
 * graphActivityLaRow in graph-activity.ts.
 *
 * Tables and columns: Microsoft's Azure Monitor table reference for SigninLogs,
 * AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs and OfficeActivity, as summarised in
 * ../shared/reference/telemetry.md §2: PascalCase columns; `ResultType` a string (0 = success);
 * `Location` the two-letter country; in SigninLogs `DeviceDetail`, `LocationDetails`, `Status` and
 * `ConditionalAccessPolicies` are dynamic, in the non-interactive table they are JSON text.
 * OfficeActivity keeps the audit record's own names where the table does (`Operation`, `UserId`,
 * `ClientIP`, `ResultStatus`, `UserKey`, `OrganizationId`), renames `Id` → `OfficeId`, `Workload` →
 * `OfficeWorkload`, `CreationTime` → `TimeGenerated` (UTC), gives `RecordType` its name
 * (`ExchangeAdmin`, `AzureActiveDirectory`, `AzureActiveDirectoryStsLogon`) and writes nested values
 * as JSON text, as the table stores them.
 */

/** Diagnostic-settings sign-in category → Log Analytics table. */
export const SIGN_IN_TABLES: Readonly<Record<string, string>> = {
  SignInLogs: 'SigninLogs',
  NonInteractiveUserSignInLogs: 'AADNonInteractiveUserSignInLogs',
  ServicePrincipalSignInLogs: 'AADServicePrincipalSignInLogs',
};

type Bag = Record<string, unknown>;

const asBag = (v: unknown): Bag => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Bag) : {});
const jsonText = (v: unknown): string => (v === undefined || v === null ? '' : JSON.stringify(v));

/** The Log Analytics row of one sign-in (diagnostic-settings JSON), or undefined for another category. */
export function signInLaRow(diag: Bag, workspaceId: string): { table: string; row: Bag } | undefined {
  const table = SIGN_IN_TABLES[String(diag.category)];
  if (table === undefined) return undefined;
  const p = asBag(diag.properties);
  const interactive = table === 'SigninLogs';
  // nested values: dynamic columns in SigninLogs, JSON text in the other two tables
  const nested = (v: unknown): unknown => (interactive ? (v ?? null) : jsonText(v));
  const loc = asBag(p.location);
  const row: Bag = {
    TimeGenerated: p.createdDateTime ?? diag.time,
    CreatedDateTime: p.createdDateTime,
    Id: p.id,
    OperationName: diag.operationName,
    Category: diag.category,
    ResultType: diag.resultType,
    ResultSignature: diag.resultSignature,
    ResultDescription: diag.resultDescription ?? asBag(p.status).failureReason ?? '',
    DurationMs: diag.durationMs,
    CorrelationId: p.correlationId ?? diag.correlationId,
    Identity: diag.identity ?? '',
    Level: diag.Level,
    Location: loc.countryOrRegion ?? diag.location ?? '',
    AppId: p.appId,
    AppDisplayName: p.appDisplayName ?? '',
    IPAddress: p.ipAddress,
    UserAgent: p.userAgent ?? '',
    UserId: p.userId ?? '',
    UserPrincipalName: p.userPrincipalName ?? '',
    UserDisplayName: p.userDisplayName ?? '',
    UserType: p.userType ?? '',
    ServicePrincipalId: p.servicePrincipalId ?? '',
    ServicePrincipalName: p.servicePrincipalName ?? '',
    ClientAppUsed: p.clientAppUsed ?? '',
    IsInteractive: p.isInteractive,
    ResourceDisplayName: p.resourceDisplayName ?? '',
    ResourceIdentity: p.resourceId ?? '',
    ResourceTenantId: p.resourceTenantId ?? '',
    HomeTenantId: p.homeTenantId ?? '',
    AutonomousSystemNumber: p.autonomousSystemNumber,
    SessionId: p.sessionId ?? '',
    UniqueTokenIdentifier: p.uniqueTokenIdentifier ?? '',
    OriginalRequestId: p.originalRequestId ?? '',
    ConditionalAccessStatus: p.conditionalAccessStatus ?? '',
    AuthenticationRequirement: p.authenticationRequirement ?? '',
    AuthenticationProtocol: p.authenticationProtocol ?? '',
    IncomingTokenType: p.incomingTokenType ?? '',
    ClientCredentialType: p.clientCredentialType ?? '',
    ServicePrincipalCredentialKeyId: p.servicePrincipalCredentialKeyId ?? '',
    RiskDetail: p.riskDetail ?? '',
    RiskLevelAggregated: p.riskLevelAggregated ?? '',
    RiskLevelDuringSignIn: p.riskLevelDuringSignIn ?? '',
    RiskState: p.riskState ?? '',
    RiskEventTypes_V2: nested(p.riskEventTypes_v2 ?? []),
    TokenIssuerType: p.tokenIssuerType ?? '',
    CrossTenantAccessType: p.crossTenantAccessType ?? '',
    DeviceDetail: nested(p.deviceDetail ?? {}),
    LocationDetails: nested(p.location ?? {}),
    Status: nested(p.status ?? {}),
    ConditionalAccessPolicies: nested(p.appliedConditionalAccessPolicies ?? []),
    NetworkLocationDetails: jsonText(p.networkLocationDetails ?? []),
    AuthenticationDetails: jsonText(p.authenticationDetails ?? []),
    AADTenantId: diag.tenantId,
    SourceSystem: 'Azure AD',
    Type: table,
    TenantId: workspaceId,
  };
  return { table, row };
}

/** UAL RecordType number → the name OfficeActivity stores (management-activity-api schema, RecordType enum). */
const RECORD_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'ExchangeAdmin',
  2: 'ExchangeItem',
  8: 'AzureActiveDirectory',
  15: 'AzureActiveDirectoryStsLogon',
};

const USER_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Regular',
  1: 'Reserved',
  2: 'Admin',
  3: 'DcAdmin',
  4: 'System',
  5: 'Application',
  6: 'ServicePrincipal',
};

/** The OfficeActivity row of one UAL record (Management Activity API AuditData). */
export function officeActivityRow(record: Bag, workspaceId: string): Bag {
  const renamed = new Set(['Id', 'Workload', 'CreationTime', 'RecordType', 'UserType']);
  const row: Bag = {
    TimeGenerated: typeof record.CreationTime === 'string' ? `${record.CreationTime}Z` : record.CreationTime,
    OfficeId: record.Id,
    OfficeWorkload: record.Workload,
    RecordType: RECORD_TYPE_NAMES[Number(record.RecordType)] ?? String(record.RecordType),
    UserType: USER_TYPE_NAMES[Number(record.UserType)] ?? String(record.UserType ?? ''),
  };
  for (const [k, v] of Object.entries(record)) {
    if (renamed.has(k)) continue;
    row[k] = typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
  }
  row.SourceSystem = 'OfficeActivityManager';
  row.Type = 'OfficeActivity';
  row.TenantId = workspaceId;
  return row;
}
