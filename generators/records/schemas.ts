/**
 * Schemas of the records each source emits (zod), checked by the generator contract suite. They
 * encode the reference's types and quirks: UAL CreationTime without Z, integer RecordType, string
 * ErrorNumber; Graph `resultSignature`/top-level `durationMs`/`clientAuthMethod` as strings;
 * sign-in `resultType` a string and `status.errorCode` an int; AAD Graph `signInActivityId` padded.
 */
import { z } from 'zod';
import type { SourceId } from '../../src/core/sources.js';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const ualTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
const ticksZ = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
const nv = z.array(z.strictObject({ Name: z.string(), Value: z.string() }));
const ip = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)$/);
/** a token id: base64url of a GUID's 16 bytes whose last byte is 00 (common.ts utiOf) */
const uti22 = z.string().regex(/^[A-Za-z0-9_-]{20}AA$/);

const ualCommon = {
  CreationTime: ualTime,
  Id: guid,
  Operation: z.string().min(1),
  OrganizationId: guid,
  RecordType: z.number().int(),
  ResultStatus: z.string(),
  UserKey: z.string().min(1),
  UserType: z.number().int(),
  Version: z.literal(1),
  Workload: z.string(),
  ObjectId: z.string(),
  UserId: z.string(),
};

export const UalLogonSchema = z.object({
  ...ualCommon,
  RecordType: z.literal(15),
  Operation: z.enum(['UserLoggedIn', 'UserLoginFailed']),
  ResultStatus: z.enum(['Success', 'Failed']),
  ClientIP: ip,
  AzureActiveDirectoryEventType: z.literal(1),
  ExtendedProperties: nv,
  ModifiedProperties: z.array(z.unknown()),
  Actor: z.array(z.object({ ID: z.string(), Type: z.number().int() })),
  ActorContextId: guid,
  ActorIpAddress: ip,
  InterSystemsId: guid,
  IntraSystemId: guid,
  SupportTicketId: z.literal(''),
  Target: z.array(z.object({ ID: z.string(), Type: z.number().int() })),
  TargetContextId: guid,
  ApplicationId: guid,
  DeviceProperties: nv,
  ErrorNumber: z.string().regex(/^\d+$/),
  LogonError: z.string().optional(),
});

export const UalDirectorySchema = z.object({
  ...ualCommon,
  RecordType: z.literal(8),
  // a user actor's PUID@domain, or "Not Available" for a service-principal actor (provisioning)
  UserKey: z.union([z.string().regex(/^1003[0-9A-F]{12}@/), z.literal('Not Available')]),
  AzureActiveDirectoryEventType: z.literal(1),
  ExtendedProperties: nv,
  ModifiedProperties: z.array(z.strictObject({ Name: z.string(), NewValue: z.string(), OldValue: z.string() })),
  Actor: z.array(z.object({ ID: z.string(), Type: z.number().int() })),
  Target: z.array(z.object({ ID: z.string(), Type: z.number().int() })),
});

export const UalExchangeAdminSchema = z.object({
  ...ualCommon,
  RecordType: z.literal(1),
  Id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  ResultStatus: z.literal('True'),
  UserType: z.literal(2),
  UserKey: z.string().regex(/^1003[0-9A-F]{12}$/),
  Workload: z.literal('Exchange'),
  ClientIP: z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}:\d+|\[[0-9a-f:]+\]:\d+)$/),
  AppAccessContext: z.strictObject({ IssuedAtTime: ualTime, UniqueTokenId: uti22 }),
  ExternalAccess: z.boolean(),
  OrganizationName: z.string(),
  OriginatingServer: z.string().regex(/^[A-Z0-9]+ \(15\.20\.\d+\.\d{3}\)$/),
  Parameters: nv,
  SessionId: guid,
});

export const GraphActivityDiagSchema = z.object({
  time: ticksZ,
  resourceId: z.string().regex(/^\/TENANTS\/[0-9A-F-]{36}\/PROVIDERS\/MICROSOFT\.AADIAM$/),
  operationName: z.literal('Microsoft Graph Activity'),
  operationVersion: z.enum(['v1.0', 'beta']),
  category: z.literal('MicrosoftGraphActivityLogs'),
  resultSignature: z.string().regex(/^\d{3}$/),
  durationMs: z.string().regex(/^\d+$/),
  callerIpAddress: ip,
  correlationId: guid,
  level: z.literal('Informational'),
  location: z.string().regex(/^[A-Z][A-Za-z0-9 ]+$/),
  properties: z.object({
    timeGenerated: ticksZ,
    requestId: guid,
    operationId: guid,
    clientRequestId: guid,
    apiVersion: z.enum(['v1.0', 'beta']),
    requestMethod: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
    responseStatusCode: z.number().int(),
    durationMs: z.number().int(),
    responseSizeBytes: z.number().int().min(0),
    signInActivityId: uti22,
    roles: z.string().nullable(),
    scopes: z.string().nullable(),
    wids: z.string().nullable(),
    appId: guid,
    clientAuthMethod: z.enum(['0', '1', '2']),
    C_Idtyp: z.enum(['user', 'app']),
    // delegated rows only: app-only rows carry no c_Sid, C_DeviceId or userId key
    c_Sid: guid.nullable().optional(),
    ipAddress: ip,
    userAgent: z.string(),
    requestUri: z.string().regex(/^https:\/\/graph\.microsoft\.com\/(v1\.0|beta)\//),
    userId: guid.nullable().optional(),
    servicePrincipalId: guid.nullable(),
    tokenIssuedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000Z$/),
  }),
  tenantId: guid,
});

const signInProps = z.object({
  id: guid,
  createdDateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/),
  appId: guid,
  ipAddress: ip,
  status: z.object({ errorCode: z.number().int() }),
  conditionalAccessStatus: z.enum(['success', 'failure', 'notApplied']),
  isInteractive: z.boolean(),
  uniqueTokenIdentifier: uti22,
  resourceId: guid,
  autonomousSystemNumber: z.number().int(),
});

export const SignInDiagSchema = z.object({
  time: ticksZ,
  operationName: z.literal('Sign-in activity'),
  category: z.enum(['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs']),
  tenantId: guid,
  resultType: z.string().regex(/^\d+$/),
  durationMs: z.literal(0),
  callerIpAddress: ip,
  correlationId: guid,
  Level: z.literal(4),
  location: z.string().regex(/^[A-Z]{2}$/),
  properties: signInProps,
});

export const AadGraphDiagSchema = z.object({
  time: ticksZ,
  operationName: z.literal('AAD Graph Activity'),
  category: z.literal('AzureADGraphActivityLogs'),
  location: z.string().regex(/^[A-Za-z0-9]+$/),
  properties: z.object({
    // an int64 of .NET ticks in the JSON; a JSON.parse reader holds the nearest double
    __UDI_RequiredFields_EventTime: z.number().refine((n) => Number.isInteger(n) && n > 6e17 && n < 7e17),
    actorType: z.enum(['User', 'Application']),
    clientAuthMethod: z.number().int(),
    httpStatusCode: z.number().int(),
    issuedAt: z.string().regex(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$/),
    requestUri: z.string().regex(/^\/v2\/[0-9a-f-]{36}\//),
    signInActivityId: z.string().regex(/^[A-Za-z0-9+/]{20}AA==$/),
  }),
});

export const ScriptBlockSchema = z.object({
  TimeCreated: ticksZ,
  EventID: z.literal(4104),
  EventRecordID: z.number().int().positive(),
  ProviderName: z.literal('Microsoft-Windows-PowerShell'),
  Channel: z.literal('Microsoft-Windows-PowerShell/Operational'),
  Computer: z.string().min(1),
  Level: z.union([z.literal(3), z.literal(5)]),
  UserID: z.string().regex(/^S-1-5-21-/),
  ScriptBlockText: z.string().min(1),
  ScriptBlockId: guid,
});

/** Problems with one record (empty when it is valid). */
export function validateRecord(source: SourceId, record: Record<string, unknown>): string[] {
  let schema: z.ZodType;
  switch (source) {
    case 'ual':
      schema =
        record.RecordType === 15
          ? UalLogonSchema
          : record.RecordType === 8
            ? UalDirectorySchema
            : UalExchangeAdminSchema;
      break;
    case 'graphActivity':
      schema = GraphActivityDiagSchema;
      break;
    case 'signIns':
      schema = SignInDiagSchema;
      break;
    case 'aadGraphActivity':
      schema = AadGraphDiagSchema;
      break;
    case 'endpointPowerShell':
      schema = ScriptBlockSchema;
      break;
  }
  const r = schema.safeParse(record);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
