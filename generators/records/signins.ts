/**
 * Entra sign-in logs in the diagnostic-settings shape.
 *
 * Interactive (`SignInLogs`): samples/signin-interactive-diag.jsonl (MicrosoftDocs entra-docs,
 * reference-azure-monitor-sign-ins-log-schema.md), with the newer fields listed in
 * samples/SOURCES.md ("signin-noninteractive-diag": sessionId, uniqueTokenIdentifier,
 * authenticationProtocol, incomingTokenType, autonomousSystemNumber…). `resultType` is a string,
 * `status.errorCode` an int, `Level` an int, `location` the 2-letter country, `createdDateTime`
 * with 7 fractional digits and "+00:00".
 * Non-interactive (`NonInteractiveUserSignInLogs`): same properties, `isInteractive:false`,
 * `incomingTokenType:"refreshToken"|"primaryRefreshToken"`, envelope `durationMs:0` (SOURCES.md).
 * Service principal (`ServicePrincipalSignInLogs`): no `identity`, no `resultDescription`,
 * `userId:null`, `servicePrincipalId`, `servicePrincipalCredentialKeyId`, `clientCredentialType`
 * (SOURCES.md "signin-sp-diag").
 */
import { jsonStr, offsetTime, ticksTime } from './common.js';

export type SignInCategory = 'SignInLogs' | 'NonInteractiveUserSignInLogs' | 'ServicePrincipalSignInLogs';

export interface AppliedPolicy {
  id: string;
  displayName: string;
  enforcedGrantControls: readonly string[];
  result: 'success' | 'failure' | 'notApplied' | 'notEnabled' | 'reportOnlySuccess';
}

export interface AuthStep {
  method: string;
  succeeded: boolean;
  detail: string;
  requirement: 'Primary authentication' | 'MFA';
  /**
   * ms after createdDateTime that the step completed (`authenticationStepDateTime`): 0 for the
   * primary factor and for claims already in the token, seconds later for an MFA prompt answered
   * on a phone.
   */
  afterMs?: number;
}

/** `authenticationStepDateTime` of a step: the sign-in's own time plus the step's delay. */
function stepTime(s: { time: number; ticks: number }, a: AuthStep): string {
  return offsetTime(s.time + (a.afterMs ?? 0), s.ticks);
}

export interface SignInInput {
  category: SignInCategory;
  time: number;
  ticks: number;
  id: string;
  correlationId: string;
  originalRequestId: string;
  // who
  userDisplayName: string | null;
  userPrincipalName: string | null;
  userId: string | null;
  userType: 'Member' | 'Guest' | null;
  servicePrincipalId: string | null;
  servicePrincipalName: string | null;
  // what
  appId: string;
  appDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  resourceTenantId: string;
  // where
  ip: string;
  asn: number;
  country: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
  trustedNetwork: boolean;
  // client
  deviceId: string;
  deviceDisplayName: string;
  operatingSystem: string;
  browser: string;
  isCompliant: boolean;
  isManaged: boolean;
  trustType: string;
  userAgent: string;
  clientAppUsed: string;
  // outcome
  errorCode: number;
  failureReason: string;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  appliedPolicies: readonly AppliedPolicy[];
  authenticationRequirement: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  authSteps: readonly AuthStep[];
  authenticationProtocol: 'none' | 'oAuth2' | 'ropc' | 'deviceCode' | 'saml20' | 'wsFederation';
  incomingTokenType: 'none' | 'refreshToken' | 'primaryRefreshToken';
  riskLevelDuringSignIn: 'none' | 'low' | 'medium' | 'high' | 'hidden';
  riskLevelAggregated: 'none' | 'low' | 'medium' | 'high' | 'hidden';
  riskState: 'none' | 'atRisk' | 'confirmedSafe' | 'remediated' | 'dismissed';
  riskDetail: string;
  riskEventTypes: readonly string[];
  processingTimeMs: number;
  // tokens
  uniqueTokenIdentifier: string;
  sessionId: string | null;
  clientCredentialType: 'none' | 'clientSecret' | 'certificate' | 'clientAssertion';
  credentialKeyId: string | null;
  tenantId: string;
}

const FAILURE: Readonly<Record<number, string>> = {
  0: 'Other.',
  50126: 'Error validating credentials due to invalid username or password.',
  50074: 'Strong Authentication is required.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
  53003: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  500121: 'Authentication failed during strong authentication request.',
  70044: 'The session has expired or is invalid due to sign-in frequency checks by conditional access.',
  50076:
    'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
  50173: 'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
  70043: 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.',
  700082: 'The refresh token has expired due to inactivity.',
};

export function failureReasonFor(code: number): string {
  return FAILURE[code] ?? 'Other.';
}

/**
 * The UAL RecordType 15 `LogonError` of a failed sign-in: the AADSTS error's name (Microsoft Entra
 * authentication and authorization error codes, learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
const LOGON_ERROR: Readonly<Record<number, string>> = {
  50126: 'InvalidUserNameOrPassword',
  50074: 'UserStrongAuthClientAuthNRequiredInterrupt',
  50076: 'UserStrongAuthClientAuthNRequired',
  50140: 'KmsiInterrupt',
  53003: 'BlockedByConditionalAccess',
  500121: 'AuthenticationFailedSasError',
  50173: 'FreshTokenNeeded',
  70043: 'BadTokenDueToSignInFrequency',
  70044: 'SessionExpiredDueToSignInFrequency',
  700082: 'ExpiredOrRevokedGrantInactiveToken',
};

export function ualLogonErrorFor(code: number): string {
  return LOGON_ERROR[code] ?? 'Other';
}

export function signInDiag(s: SignInInput): Record<string, unknown> {
  const sp = s.category === 'ServicePrincipalSignInLogs';
  const interactive = s.category === 'SignInLogs';
  const created = offsetTime(s.time, s.ticks);
  const status = s.errorCode === 0 ? { errorCode: 0 } : { errorCode: s.errorCode, failureReason: s.failureReason };
  const location = {
    city: s.city,
    state: s.state,
    countryOrRegion: s.country,
    geoCoordinates: { latitude: s.lat, longitude: s.lon },
  };
  const policies = s.appliedPolicies.map((p) => ({
    id: p.id,
    displayName: p.displayName,
    enforcedGrantControls: p.enforcedGrantControls,
    enforcedSessionControls: [],
    result: p.result,
    conditionsSatisfied: p.result === 'notApplied' || p.result === 'notEnabled' ? 0 : 3,
    conditionsNotSatisfied: p.result === 'notApplied' ? 1 : 0,
  }));
  const risk = s.riskEventTypes;
  if (sp) {
    return {
      time: ticksTime(s.time, s.ticks),
      resourceId: `/tenants/${s.tenantId}/providers/Microsoft.aadiam`,
      operationName: 'Sign-in activity',
      operationVersion: '1.0',
      category: s.category,
      tenantId: s.tenantId,
      resultType: String(s.errorCode),
      resultSignature: 'None',
      durationMs: 0,
      callerIpAddress: s.ip,
      correlationId: s.correlationId,
      Level: 4,
      location: s.country,
      properties: {
        id: s.id,
        createdDateTime: created,
        userId: null,
        appId: s.appId,
        ipAddress: s.ip,
        status,
        location,
        correlationId: s.correlationId,
        conditionalAccessStatus: s.conditionalAccessStatus,
        appliedConditionalAccessPolicies: policies,
        originalRequestId: s.originalRequestId,
        isInteractive: false,
        tokenIssuerName: '',
        tokenIssuerType: 'AzureAD',
        authenticationProcessingDetails: [{ key: 'Azure AD App Authentication Library', value: '' }],
        processingTimeInMilliseconds: 0,
        riskDetail: 'none',
        riskLevelAggregated: 'none',
        riskLevelDuringSignIn: 'none',
        riskState: 'none',
        riskEventTypes: [],
        riskEventTypes_v2: [],
        resourceDisplayName: s.resourceDisplayName,
        resourceId: s.resourceId,
        resourceServicePrincipalId: s.resourceId,
        servicePrincipalName: s.servicePrincipalName,
        servicePrincipalId: s.servicePrincipalId,
        flaggedForReview: false,
        isTenantRestricted: false,
        autonomousSystemNumber: s.asn,
        crossTenantAccessType: 'none',
        servicePrincipalCredentialKeyId: s.credentialKeyId,
        clientCredentialType: s.clientCredentialType,
        uniqueTokenIdentifier: s.uniqueTokenIdentifier,
        sessionId: s.sessionId,
        incomingTokenType: 'none',
        authenticationProtocol: 'none',
      },
    };
  }
  const reason = s.errorCode === 0 ? null : s.failureReason;
  return {
    time: ticksTime(s.time, s.ticks),
    resourceId: `/tenants/${s.tenantId}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: s.category,
    tenantId: s.tenantId,
    resultType: String(s.errorCode),
    resultSignature: 'None',
    resultDescription: reason ?? '',
    durationMs: 0,
    callerIpAddress: s.ip,
    correlationId: s.correlationId,
    identity: s.userDisplayName,
    Level: 4,
    location: s.country,
    properties: {
      id: s.id,
      createdDateTime: created,
      userDisplayName: s.userDisplayName,
      userPrincipalName: s.userPrincipalName,
      userId: s.userId,
      appId: s.appId,
      appDisplayName: s.appDisplayName,
      ipAddress: s.ip,
      status,
      clientAppUsed: s.clientAppUsed,
      userAgent: s.userAgent,
      deviceDetail: {
        deviceId: s.deviceId,
        displayName: s.deviceDisplayName,
        operatingSystem: s.operatingSystem,
        browser: s.browser,
        isCompliant: s.isCompliant,
        isManaged: s.isManaged,
        trustType: s.trustType,
      },
      location,
      correlationId: s.correlationId,
      conditionalAccessStatus: s.conditionalAccessStatus,
      appliedConditionalAccessPolicies: policies,
      originalRequestId: s.originalRequestId,
      isInteractive: interactive,
      tokenIssuerName: '',
      tokenIssuerType: 'AzureAD',
      authenticationProcessingDetails: interactive
        ? [{ key: 'Login Hint Present', value: 'True' }]
        : [{ key: 'Oauth Scope Info', value: '["openid","profile","offline_access"]' }],
      networkLocationDetails: s.trustedNetwork
        ? [
            { networkType: 'namedNetwork', networkNames: ['Corporate networks'] },
            { networkType: 'trustedNamedLocation', networkNames: ['Corporate networks'] },
          ]
        : [],
      processingTimeInMilliseconds: s.processingTimeMs,
      riskDetail: s.riskDetail,
      riskLevelAggregated: s.riskLevelAggregated,
      riskLevelDuringSignIn: s.riskLevelDuringSignIn,
      riskState: s.riskState,
      riskEventTypes: risk,
      riskEventTypes_v2: risk,
      resourceDisplayName: s.resourceDisplayName,
      resourceId: s.resourceId,
      resourceTenantId: s.resourceTenantId,
      homeTenantId: s.tenantId,
      authenticationDetails: s.authSteps.map((a) => ({
        authenticationStepDateTime: stepTime(s, a),
        authenticationMethod: a.method,
        succeeded: a.succeeded,
        authenticationStepResultDetail: a.detail,
        authenticationStepRequirement: a.requirement,
      })),
      authenticationRequirementPolicies:
        s.authenticationRequirement === 'multiFactorAuthentication'
          ? [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }]
          : [],
      authenticationRequirement: s.authenticationRequirement,
      servicePrincipalId: '',
      userType: s.userType,
      flaggedForReview: false,
      isTenantRestricted: false,
      autonomousSystemNumber: s.asn,
      crossTenantAccessType: 'none',
      privateLinkDetails: {},
      ssoExtensionVersion: '',
      uniqueTokenIdentifier: s.uniqueTokenIdentifier,
      sessionId: s.sessionId,
      incomingTokenType: s.incomingTokenType,
      authenticationProtocol: s.authenticationProtocol,
      clientCredentialType: 'none',
      isThroughGlobalSecureAccess: false,
    },
  };
}

/** Thrown by the direct serialiser when a value is not of its declared type (JSON.stringify then decides). */
class NotDeclared extends Error {}

function notDeclared(): never {
  throw new NotDeclared('a sign-in field is not of its declared type');
}

const str = (s: string): string => {
  if (typeof s !== 'string') notDeclared();
  return jsonStr(s);
};
const strOrNull = (s: string | null): string => (s === null ? 'null' : str(s));
const num = (n: number): string => {
  if (typeof n !== 'number') notDeclared();
  return Number.isFinite(n) ? String(n) : 'null';
};
const bool = (b: boolean): string => {
  if (typeof b !== 'boolean') notDeclared();
  return b ? 'true' : 'false';
};
const strings = (xs: readonly string[]): string => {
  if (!Array.isArray(xs)) notDeclared();
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += (i ? ',' : '') + str(xs[i] as string);
  return `${out}]`;
};

function policiesJson(ps: readonly AppliedPolicy[]): string {
  if (!Array.isArray(ps)) notDeclared();
  let out = '[';
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as AppliedPolicy;
    const satisfied = p.result === 'notApplied' || p.result === 'notEnabled' ? 0 : 3;
    out += `${i ? ',' : ''}{"id":${str(p.id)},"displayName":${str(p.displayName)},"enforcedGrantControls":${strings(p.enforcedGrantControls)},"enforcedSessionControls":[],"result":${str(p.result)},"conditionsSatisfied":${satisfied},"conditionsNotSatisfied":${p.result === 'notApplied' ? 1 : 0}}`;
  }
  return `${out}]`;
}

/**
 * The same record as signInDiag, serialised directly: byte-identical to
 * JSON.stringify(signInDiag(s)) (a property test checks), without building the object. A value
 * that is not of its declared type (which JSON.stringify might drop or print differently) makes it
 * fall back to JSON.stringify.
 */
export function signInDiagLine(s: SignInInput): string {
  try {
    return signInDiagText(s);
  } catch (e) {
    if (e instanceof NotDeclared) return JSON.stringify(signInDiag(s));
    throw e;
  }
}

function signInDiagText(s: SignInInput): string {
  const sp = s.category === 'ServicePrincipalSignInLogs';
  const interactive = s.category === 'SignInLogs';
  const created = str(offsetTime(s.time, s.ticks));
  const status =
    s.errorCode === 0 ? '{"errorCode":0}' : `{"errorCode":${num(s.errorCode)},"failureReason":${str(s.failureReason)}}`;
  const location = `{"city":${str(s.city)},"state":${str(s.state)},"countryOrRegion":${str(s.country)},"geoCoordinates":{"latitude":${num(s.lat)},"longitude":${num(s.lon)}}}`;
  const policies = policiesJson(s.appliedPolicies);
  const tenantId = str(s.tenantId);
  const envelope = `{"time":${str(ticksTime(s.time, s.ticks))},"resourceId":${str(`/tenants/${s.tenantId}/providers/Microsoft.aadiam`)},"operationName":"Sign-in activity","operationVersion":"1.0","category":${str(s.category)},"tenantId":${tenantId},"resultType":${str(String(s.errorCode))},"resultSignature":"None",`;
  const ip = str(s.ip);
  const correlationId = str(s.correlationId);
  if (sp) {
    return (
      `${envelope}"durationMs":0,"callerIpAddress":${ip},"correlationId":${correlationId},"Level":4,"location":${str(s.country)},` +
      `"properties":{"id":${str(s.id)},"createdDateTime":${created},"userId":null,"appId":${str(s.appId)},"ipAddress":${ip},"status":${status},"location":${location},"correlationId":${correlationId},"conditionalAccessStatus":${str(s.conditionalAccessStatus)},"appliedConditionalAccessPolicies":${policies},"originalRequestId":${str(s.originalRequestId)},"isInteractive":false,"tokenIssuerName":"","tokenIssuerType":"AzureAD","authenticationProcessingDetails":[{"key":"Azure AD App Authentication Library","value":""}],"processingTimeInMilliseconds":0,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes":[],"riskEventTypes_v2":[],"resourceDisplayName":${str(s.resourceDisplayName)},"resourceId":${str(s.resourceId)},"resourceServicePrincipalId":${str(s.resourceId)},"servicePrincipalName":${strOrNull(s.servicePrincipalName)},"servicePrincipalId":${strOrNull(s.servicePrincipalId)},"flaggedForReview":false,"isTenantRestricted":false,"autonomousSystemNumber":${num(s.asn)},"crossTenantAccessType":"none","servicePrincipalCredentialKeyId":${strOrNull(s.credentialKeyId)},"clientCredentialType":${str(s.clientCredentialType)},"uniqueTokenIdentifier":${str(s.uniqueTokenIdentifier)},"sessionId":${strOrNull(s.sessionId)},"incomingTokenType":"none","authenticationProtocol":"none"}}`
    );
  }
  const risk = strings(s.riskEventTypes);
  if (!Array.isArray(s.authSteps)) notDeclared();
  let steps = '[';
  for (let i = 0; i < s.authSteps.length; i++) {
    const a = s.authSteps[i] as AuthStep;
    steps += `${i ? ',' : ''}{"authenticationStepDateTime":${str(stepTime(s, a))},"authenticationMethod":${str(a.method)},"succeeded":${bool(a.succeeded)},"authenticationStepResultDetail":${str(a.detail)},"authenticationStepRequirement":${str(a.requirement)}}`;
  }
  steps += ']';
  return (
    `${envelope}"resultDescription":${s.errorCode === 0 ? '""' : str(s.failureReason)},"durationMs":0,"callerIpAddress":${ip},"correlationId":${correlationId},"identity":${strOrNull(s.userDisplayName)},"Level":4,"location":${str(s.country)},` +
    `"properties":{"id":${str(s.id)},"createdDateTime":${created},"userDisplayName":${strOrNull(s.userDisplayName)},"userPrincipalName":${strOrNull(s.userPrincipalName)},"userId":${strOrNull(s.userId)},"appId":${str(s.appId)},"appDisplayName":${str(s.appDisplayName)},"ipAddress":${ip},"status":${status},"clientAppUsed":${str(s.clientAppUsed)},"userAgent":${str(s.userAgent)},` +
    `"deviceDetail":{"deviceId":${str(s.deviceId)},"displayName":${str(s.deviceDisplayName)},"operatingSystem":${str(s.operatingSystem)},"browser":${str(s.browser)},"isCompliant":${bool(s.isCompliant)},"isManaged":${bool(s.isManaged)},"trustType":${str(s.trustType)}},` +
    `"location":${location},"correlationId":${correlationId},"conditionalAccessStatus":${str(s.conditionalAccessStatus)},"appliedConditionalAccessPolicies":${policies},"originalRequestId":${str(s.originalRequestId)},"isInteractive":${interactive},"tokenIssuerName":"","tokenIssuerType":"AzureAD",` +
    `"authenticationProcessingDetails":${interactive ? '[{"key":"Login Hint Present","value":"True"}]' : '[{"key":"Oauth Scope Info","value":"[\\"openid\\",\\"profile\\",\\"offline_access\\"]"}]'},` +
    `"networkLocationDetails":${bool(s.trustedNetwork) === 'true' ? '[{"networkType":"namedNetwork","networkNames":["Corporate networks"]},{"networkType":"trustedNamedLocation","networkNames":["Corporate networks"]}]' : '[]'},` +
    `"processingTimeInMilliseconds":${num(s.processingTimeMs)},"riskDetail":${str(s.riskDetail)},"riskLevelAggregated":${str(s.riskLevelAggregated)},"riskLevelDuringSignIn":${str(s.riskLevelDuringSignIn)},"riskState":${str(s.riskState)},"riskEventTypes":${risk},"riskEventTypes_v2":${risk},"resourceDisplayName":${str(s.resourceDisplayName)},"resourceId":${str(s.resourceId)},"resourceTenantId":${str(s.resourceTenantId)},"homeTenantId":${tenantId},` +
    `"authenticationDetails":${steps},"authenticationRequirementPolicies":${s.authenticationRequirement === 'multiFactorAuthentication' ? '[{"requirementProvider":"multiConditionalAccess","detail":"Conditional Access"}]' : '[]'},"authenticationRequirement":${str(s.authenticationRequirement)},"servicePrincipalId":"","userType":${strOrNull(s.userType)},"flaggedForReview":false,"isTenantRestricted":false,"autonomousSystemNumber":${num(s.asn)},"crossTenantAccessType":"none","privateLinkDetails":{},"ssoExtensionVersion":"","uniqueTokenIdentifier":${str(s.uniqueTokenIdentifier)},"sessionId":${strOrNull(s.sessionId)},"incomingTokenType":${str(s.incomingTokenType)},"authenticationProtocol":${str(s.authenticationProtocol)},"clientCredentialType":"none","isThroughGlobalSecureAccess":false}}`
  );
}
