/**
 * Unified Audit Log records (Office 365 Management Activity API `AuditData`), exactly as served.
 *
 * Common schema: management-activity-api.md §8 and microsoft-docs/office-365-management-activity-api-schema.md
 * — `CreationTime` UTC without `Z` and without fraction, integer `RecordType`, `Version: 1`.
 * RecordType 15 (AzureActiveDirectoryStsLogon, `UserLoggedIn`/`UserLoginFailed`): samples/ual-15.jsonl
 * — `UserKey` the user object id, `ResultStatus` Success/Failed, `ClientIP` bare, `ObjectId` and
 * `Target[0].ID` the resource app id, `ApplicationId` the client app, `ExtendedProperties` string
 * values, `DeviceProperties` with `SessionId`, `ErrorNumber` a string, `LogonError` only on failures.
 * RecordType 8 (AzureActiveDirectory directory changes): samples/ual-8.jsonl — `UserKey`
 * "PUID@domain", Actor/Target arrays with types 5/3/2, `ModifiedProperties` JSON text with \r\n.
 * RecordType 1 (ExchangeAdmin): samples/ual-1.jsonl — `ResultStatus` "True", `UserType` 2, `UserKey`
 * a PUID, `ClientIP` with a port, `Parameters` string values, `AppAccessContext` (2024+),
 * `OriginatingServer`, `ExternalAccess`, `SessionId`. Only cmdlets that change state are audited;
 * `Get-*` only under the hypothesis `exo-get-cmdlets-audited` (management-activity-api.md §9).
 */
import { ualTime, withPort } from './common.js';

export interface UalTenant {
  tenantId: string;
  domain: string;
}

export interface UalLogonInput {
  time: number;
  /** the sign-in request id (also IntraSystemId) */
  id: string;
  correlationId: string;
  success: boolean;
  errorNumber: string;
  logonError: string | null;
  userObjectId: string;
  upn: string;
  ip: string;
  resourceId: string;
  appId: string;
  userAgent: string;
  requestType: 'OAuth2:Authorize' | 'OAuth2:Token' | 'Login:login' | 'SAS:EndAuth' | 'Login:reprocess' | 'Cmsi:Cmsi';
  /** "1" password, "3" MFA… (UserAuthenticationMethod) */
  authMethod: string;
  keepMeSignedIn: boolean;
  os: string;
  browserType: string;
  compliantAndManaged: boolean;
  sessionId: string | null;
}

/**
 * `DeviceProperties` OS as ESTS reads it from the user agent ("Windows 10", "Linux" in
 * samples/ual-15.jsonl; none for an agent that names no system, such as `azurehound/v2.0.4`), else
 * the registered device's, else none.
 */
export function ualOsOf(userAgent: string, deviceOs: string): string {
  if (/Windows NT 10|Windows 10/.test(userAgent)) return 'Windows 10';
  if (/Windows/.test(userAgent)) return 'Windows';
  if (/iPhone|iPad|iOS/.test(userAgent)) return 'iOS';
  if (/Android/.test(userAgent)) return 'Android';
  if (/Macintosh|Mac OS X/.test(userAgent)) return 'MacOS';
  if (/Linux|X11/.test(userAgent)) return 'Linux';
  return deviceOs;
}

/**
 * `DeviceProperties` BrowserType from the user agent: the browser it names, else "Other" (a
 * PowerShell or tool agent is "Other" even when it starts with Mozilla/5.0: samples/ual-15.jsonl).
 */
export function ualBrowserOf(userAgent: string): string {
  if (!userAgent.startsWith('Mozilla/') || /PowerShell/.test(userAgent)) return 'Other';
  if (/Edg\//.test(userAgent)) return 'Edge';
  if (/Firefox\//.test(userAgent)) return 'Firefox';
  if (/Chrome\//.test(userAgent)) return 'Chrome';
  if (/Safari\//.test(userAgent)) return 'Safari';
  return 'Other';
}

export function ualLogon(t: UalTenant, s: UalLogonInput): Record<string, unknown> {
  const ext: { Name: string; Value: string }[] = [
    {
      Name: 'ResultStatusDetail',
      Value: s.success ? (s.requestType === 'Login:login' ? 'Redirect' : 'Success') : 'UserError',
    },
  ];
  if (s.keepMeSignedIn) ext.push({ Name: 'KeepMeSignedIn', Value: 'true' });
  ext.push({ Name: 'UserAgent', Value: s.userAgent });
  ext.push({ Name: 'UserAuthenticationMethod', Value: s.authMethod });
  ext.push({ Name: 'RequestType', Value: s.requestType });
  const dev: { Name: string; Value: string }[] = [];
  if (s.os) dev.push({ Name: 'OS', Value: s.os });
  dev.push({ Name: 'BrowserType', Value: s.browserType });
  dev.push({ Name: 'IsCompliantAndManaged', Value: s.compliantAndManaged ? 'True' : 'False' });
  if (s.sessionId) dev.push({ Name: 'SessionId', Value: s.sessionId });
  const rec: Record<string, unknown> = {
    CreationTime: ualTime(s.time),
    Id: s.id,
    Operation: s.success ? 'UserLoggedIn' : 'UserLoginFailed',
    OrganizationId: t.tenantId,
    RecordType: 15,
    ResultStatus: s.success ? 'Success' : 'Failed',
    UserKey: s.userObjectId,
    UserType: 0,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ClientIP: s.ip,
    ObjectId: s.resourceId,
    UserId: s.upn,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: ext,
    ModifiedProperties: [],
    Actor: [
      { ID: s.userObjectId, Type: 0 },
      { ID: s.upn, Type: 5 },
    ],
    ActorContextId: t.tenantId,
    ActorIpAddress: s.ip,
    InterSystemsId: s.correlationId,
    IntraSystemId: s.id,
    SupportTicketId: '',
    Target: [{ ID: s.resourceId, Type: 0 }],
    TargetContextId: t.tenantId,
    ApplicationId: s.appId,
    DeviceProperties: dev,
    ErrorNumber: s.errorNumber,
  };
  if (s.logonError) rec.LogonError = s.logonError;
  return rec;
}

export interface UalDirectoryChangeInput {
  time: number;
  id: string;
  operation:
    | 'Add user.'
    | 'Update user.'
    | 'Reset user password.'
    | 'Add member to group.'
    | 'Update group.'
    | 'Add member to role.'
    | 'Add service principal credentials.'
    | 'Update application – Certificates and secrets management ';
  category: 'User' | 'Group' | 'Role' | 'ServicePrincipal' | 'Application';
  actorUpn: string;
  actorPuid: string;
  actorObjectId: string;
  targetUpnOrName: string;
  targetObjectId: string;
  /** the PUID of a User target; for ServicePrincipal / Application targets, the app id (an SPN, Type 4) */
  targetPuid: string | null;
  /** ServicePrincipal / Application targets: `ObjectId` is `<Kind>_<object id>`, the display name is a Name (1), the app id an SPN (4) */
  targetKind: 'User' | 'Group' | 'ServicePrincipal' | 'Application';
  /** the client app id Entra adds to additionalDetails for app-management events */
  clientAppId?: string;
  modified: readonly { Name: string; NewValue: string; OldValue: string }[];
  userAgent: string;
  interSystemsId: string;
  intraSystemId: string;
  /**
   * Who made the change: a user (default) or a service principal such as the Entra provisioning
   * service. App actors are written `ServicePrincipal_<oid>` with the app name as Type 1 [U: shape
   * from community samples of provisioning audit records; UserType 4 = System].
   */
  actorKind?: 'User' | 'ServicePrincipal';
}

/** JSON text as Entra writes it inside ModifiedProperties: indented with \r\n and two spaces. */
export function entraJsonText(values: readonly unknown[]): string {
  if (values.length === 0) return '[]';
  return `[\r\n${values.map((v) => `  ${JSON.stringify(v)}`).join(',\r\n')}\r\n]`;
}

export function ualDirectoryChange(t: UalTenant, c: UalDirectoryChangeInput): Record<string, unknown> {
  /** the change was made by a service principal (e.g. the Entra provisioning service) */
  const actorApp = c.actorKind === 'ServicePrincipal';
  const target: { ID: string; Type: number }[] = [
    { ID: `${c.targetKind}_${c.targetObjectId}`, Type: 2 },
    { ID: c.targetObjectId, Type: 2 },
    { ID: c.targetKind, Type: 2 },
  ];
  /** the change targets a service principal or an application */
  const app = c.targetKind === 'ServicePrincipal' || c.targetKind === 'Application';
  if (c.targetKind === 'User') {
    target.push({ ID: c.targetUpnOrName, Type: 5 });
    if (c.targetPuid) target.push({ ID: c.targetPuid, Type: 3 });
  } else {
    target.push({ ID: c.targetUpnOrName, Type: 1 });
    if (app && c.targetPuid) target.push({ ID: c.targetPuid, Type: 4 });
  }
  const details: Record<string, string> = { 'User-Agent': c.userAgent };
  if (c.clientAppId) details.AppId = c.clientAppId;
  return {
    CreationTime: ualTime(c.time),
    Id: c.id,
    Operation: c.operation,
    OrganizationId: t.tenantId,
    RecordType: 8,
    ResultStatus: 'Success',
    UserKey: actorApp ? 'Not Available' : `${c.actorPuid}@${t.domain}`,
    UserType: actorApp ? 4 : 0,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ObjectId: app ? `${c.targetKind}_${c.targetObjectId}` : c.targetUpnOrName,
    UserId: actorApp ? `ServicePrincipal_${c.actorObjectId}` : c.actorUpn,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'additionalDetails', Value: JSON.stringify(details) },
      { Name: 'extendedAuditEventCategory', Value: c.category },
    ],
    ModifiedProperties: c.modified,
    Actor: actorApp
      ? [
          { ID: c.actorUpn, Type: 1 },
          { ID: `ServicePrincipal_${c.actorObjectId}`, Type: 2 },
          { ID: c.actorObjectId, Type: 2 },
          { ID: 'ServicePrincipal', Type: 2 },
        ]
      : [
          { ID: c.actorUpn, Type: 5 },
          { ID: c.actorPuid, Type: 3 },
          { ID: `User_${c.actorObjectId}`, Type: 2 },
          { ID: c.actorObjectId, Type: 2 },
          { ID: 'User', Type: 2 },
        ],
    ActorContextId: t.tenantId,
    InterSystemsId: c.interSystemsId,
    IntraSystemId: c.intraSystemId,
    SupportTicketId: '',
    Target: target,
    TargetContextId: t.tenantId,
  };
}

export interface UalExchangeAdminInput {
  time: number;
  id: string;
  cmdlet: string;
  objectId: string;
  upn: string;
  puid: string;
  ip: string;
  port: number;
  appId: string;
  parameters: readonly { Name: string; Value: string }[];
  originatingServer: string;
  tokenIssuedAt: number;
  uniqueTokenId: string;
  requestId: string;
  sessionId: string;
}

export function ualExchangeAdmin(t: UalTenant, x: UalExchangeAdminInput): Record<string, unknown> {
  return {
    AppAccessContext: { IssuedAtTime: ualTime(x.tokenIssuedAt), UniqueTokenId: x.uniqueTokenId },
    CreationTime: ualTime(x.time),
    Id: x.id,
    Operation: x.cmdlet,
    OrganizationId: t.tenantId,
    RecordType: 1,
    ResultStatus: 'True',
    UserKey: x.puid,
    UserType: 2,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: withPort(x.ip, x.port),
    ObjectId: x.objectId,
    UserId: x.upn,
    AppId: x.appId,
    AppPoolName: 'MSExchangeAdminApiNetCore',
    ClientAppId: '',
    ExternalAccess: false,
    OrganizationName: t.domain,
    OriginatingServer: x.originatingServer,
    Parameters: x.parameters,
    RequestId: x.requestId,
    SessionId: x.sessionId,
  };
}

/** Exchange cmdlets that change state (audited) and that only read (never audited by the real service). */
export const EXO_STATE_CHANGING = [
  'Set-Mailbox',
  'Add-MailboxPermission',
  'Remove-MailboxPermission',
  'Set-CASMailbox',
  'Add-RecipientPermission',
  'Add-DistributionGroupMember',
  'Set-MailboxAutoReplyConfiguration',
  'Set-MailboxFolderPermission',
  'New-InboxRule',
] as const;

export const EXO_READ_ONLY = [
  'Get-Mailbox',
  'Get-Recipient',
  'Get-User',
  'Get-MailboxStatistics',
  'Get-MailboxPermission',
] as const;

/** Does the real service (or the named hypothesis) write a RecordType 1 record for this cmdlet? */
export function exchangeCmdletAudited(cmdlet: string, hypotheses: readonly string[]): boolean {
  const verb = cmdlet.split('-')[0]?.toLowerCase();
  if (verb === 'get') return hypotheses.includes('exo-get-cmdlets-audited');
  return verb !== 'search' && verb !== 'test';
}
