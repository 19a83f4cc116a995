/**
 * Sign-in outcomes consistent with the tenant's Conditional Access / MFA policy and with the
 * network: AuthenticationRequirement, ConditionalAccessStatus, applied policies, authentication
 * steps and risk (telemetry.md §2 and §5). Risk detections fire on anonymising networks far more
 * often than on home ISPs, with false detections on benign networks and missed ones on hostile ones.
 */
import type { Rng } from '../../src/core/rng.js';
import type { NetworkKind, SignInMethod } from '../../src/scenario/types.js';
import type { AppliedPolicy, AuthStep } from '../records/signins.js';
import type { TenantPolicy, User } from '../world/types.js';

/** P(risk detection) per network kind, and the detection types it fires as. */
const RISK: Readonly<Record<NetworkKind, { p: number; types: readonly (readonly [string, number])[] }>> = {
  corporate: { p: 0.0005, types: [['unfamiliarFeatures', 1]] },
  home: {
    p: 0.003,
    types: [
      ['unfamiliarFeatures', 3],
      ['unlikelyTravel', 1],
    ],
  },
  mobile: {
    p: 0.006,
    types: [
      ['unfamiliarFeatures', 2],
      ['unlikelyTravel', 2],
    ],
  },
  vps: {
    p: 0.35,
    types: [
      ['unfamiliarFeatures', 4],
      ['maliciousIPAddress', 1],
      ['suspiciousIPAddress', 1],
    ],
  },
  'residential-proxy': {
    p: 0.12,
    types: [
      ['unfamiliarFeatures', 3],
      ['anonymizedIPAddress', 1],
    ],
  },
  tor: {
    p: 0.88,
    types: [
      ['anonymizedIPAddress', 6],
      ['unfamiliarFeatures', 1],
    ],
  },
  'vendor-cloud': { p: 0.01, types: [['unfamiliarFeatures', 1]] },
  microsoft: { p: 0, types: [['unfamiliarFeatures', 1]] },
};

export interface SignInContext {
  user: User;
  network: NetworkKind;
  ip: string;
  method: SignInMethod;
  interactive: boolean;
  /** the device presents a PRT / compliant device claim */
  managedDevice: boolean;
  /** MFA already satisfied by a claim in the session (benign refreshes) */
  mfaInSession: boolean;
  /**
   * A failure the caller knows happens (a wrong password, an MFA prompt abandoned, an expired
   * refresh token, a blocked legacy client): the AADSTS error code the row carries. Causes and
   * rates: generators/sessions/failures.ts.
   */
  failWith?: number | undefined;
  /** a legacy-protocol client (IMAP, POP, SMTP AUTH, ActiveSync basic auth): "Block legacy authentication" applies */
  legacy?: boolean | undefined;
  /**
   * the user is excluded from the tenant's MFA policy ("Require MFA for all users" or "outside
   * corporate networks": the policy shows notApplied); the administrators' and the risk policy
   * still apply
   */
  mfaExempt?: boolean | undefined;
}

export interface SignInOutcome {
  errorCode: number;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  authenticationRequirement: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  appliedPolicies: AppliedPolicy[];
  authSteps: AuthStep[];
  riskLevelDuringSignIn: 'none' | 'low' | 'medium' | 'high';
  riskState: 'none' | 'atRisk';
  riskDetail: string;
  riskEventTypes: string[];
  trustedNetwork: boolean;
  authenticationProtocol: 'none' | 'oAuth2' | 'ropc' | 'deviceCode';
  incomingTokenType: 'none' | 'refreshToken' | 'primaryRefreshToken';
  /** UAL UserAuthenticationMethod */
  ualAuthMethod: string;
}

export function evaluateSignIn(policy: TenantPolicy, c: SignInContext, rng: Rng): SignInOutcome {
  const trusted = policy.trustedNetworks.has(c.ip);
  const admin = c.user.roles.length > 0;
  const risk = RISK[c.network];
  const detected = rng.bool(risk.p);
  const riskEventTypes = detected ? [rng.weighted(risk.types)] : [];
  const riskLevel: SignInOutcome['riskLevelDuringSignIn'] = detected
    ? rng.weighted([
        ['low', 2],
        ['medium', 5],
        ['high', 2],
      ] as const)
    : 'none';

  // Directory synchronization accounts sign in with a password (ROPC) and are excluded from
  // Conditional Access, as Microsoft tells tenants to do (Entra Connect prerequisites) [U: per tenant]
  const sync = c.user.kind === 'sync';
  const exempt = c.mfaExempt === true;
  const inScope = !sync && (policy.mfaScope === 'all' || !trusted);
  const mfaByScope = inScope && !exempt;
  const mfaByAdmin = !sync && policy.mfaForAdmins && admin;
  const mfaByRisk = !sync && policy.riskPolicy && (riskLevel === 'medium' || riskLevel === 'high');
  const needMfa = mfaByScope || mfaByAdmin || mfaByRisk;

  const applied: AppliedPolicy[] = policy.caPolicies.map((p) => {
    let applies = false;
    if (sync) applies = false;
    else if (p.target === 'allUsers') applies = !exempt;
    else if (p.target === 'outsideTrusted') applies = !exempt && !trusted;
    else if (p.target === 'admins') applies = admin;
    else if (p.target === 'risk') applies = mfaByRisk;
    else if (p.target === 'legacyAuth') applies = c.legacy === true;
    return {
      id: p.id,
      displayName: p.displayName,
      enforcedGrantControls: p.grant,
      result: applies ? 'success' : 'notApplied',
    };
  });

  let errorCode = 0;
  const steps: AuthStep[] = [];
  let protocol: SignInOutcome['authenticationProtocol'] = 'none';
  let incoming: SignInOutcome['incomingTokenType'] = 'none';
  let ualAuthMethod = '1';
  switch (c.method) {
    case 'refreshToken':
    case 'stolenToken':
      incoming = c.managedDevice ? 'primaryRefreshToken' : 'refreshToken';
      steps.push({
        method: 'Previously satisfied',
        succeeded: true,
        detail: 'First factor requirement satisfied by claim in the token',
        requirement: 'Primary authentication',
      });
      break;
    case 'deviceCode':
      protocol = 'deviceCode';
      steps.push({
        method: 'Password',
        succeeded: true,
        detail: 'Correct password',
        requirement: 'Primary authentication',
      });
      break;
    default:
      protocol = c.interactive && !sync ? 'none' : c.method === 'password' ? 'ropc' : 'oAuth2';
      steps.push({
        method: c.managedDevice && c.interactive ? 'Previously satisfied' : 'Password',
        succeeded: true,
        detail:
          c.managedDevice && c.interactive
            ? 'First factor requirement satisfied by claim in the token'
            : 'Correct password',
        requirement: 'Primary authentication',
      });
  }
  let requirement: SignInOutcome['authenticationRequirement'] = 'singleFactorAuthentication';
  const prompts =
    !(c.mfaInSession || c.method === 'refreshToken' || c.method === 'stolenToken') &&
    !(c.method === 'password' && !c.interactive) &&
    (c.method === 'mfa' || c.interactive || c.method === 'deviceCode');
  // an exclusion takes the prompt away, not the draw: the person's random stream stays as it was,
  // so setting singleFactorShare changes authentication and nothing else of the day
  if (!needMfa && exempt && inScope && prompts) rng.logNormal(9_000, 40_000);
  if (needMfa) {
    requirement = 'multiFactorAuthentication';
    if (c.mfaInSession || c.method === 'refreshToken' || c.method === 'stolenToken') {
      steps.push({
        method: 'Previously satisfied',
        succeeded: true,
        detail: 'MFA requirement satisfied by claim in the token',
        requirement: 'MFA',
      });
    } else if (c.method === 'password' && !c.interactive) {
      // ROPC cannot do MFA: Conditional Access blocks it (AADSTS50076 / 53003)
      errorCode = 50076;
    } else if (c.method === 'mfa' || c.interactive || c.method === 'deviceCode') {
      steps.push({
        method: 'Mobile app notification',
        succeeded: true,
        detail: 'MFA successfully completed',
        requirement: 'MFA',
        // the person reaches for the phone and approves: seconds, sometimes a minute or more [U]
        afterMs: Math.round(rng.logNormal(9_000, 40_000)),
      });
      ualAuthMethod = '3';
    }
  }
  if (c.failWith !== undefined && c.failWith !== 0) applyFailure(c.failWith, steps, applied);
  if (c.failWith) errorCode = c.failWith;
  const caStatus: SignInOutcome['conditionalAccessStatus'] = applied.some((p) => p.result === 'success')
    ? errorCode === 0
      ? 'success'
      : 'failure'
    : 'notApplied';
  if (errorCode !== 0 && (c.failWith === undefined || FAILS_AT_CA.has(errorCode))) {
    for (const p of applied) if (p.result === 'success') p.result = 'failure';
  }
  return {
    errorCode,
    conditionalAccessStatus: caStatus,
    authenticationRequirement: requirement,
    appliedPolicies: applied,
    authSteps: steps,
    riskLevelDuringSignIn: riskLevel,
    riskState:
      detected && riskLevel !== 'low' && errorCode === 0 && requirement === 'singleFactorAuthentication'
        ? 'atRisk'
        : 'none',
    riskDetail:
      detected && requirement === 'multiFactorAuthentication' && errorCode === 0
        ? 'userPassedMFADrivenByRiskBasedPolicy'
        : 'none',
    riskEventTypes,
    trustedNetwork: trusted,
    authenticationProtocol: protocol,
    incomingTokenType: incoming,
    ualAuthMethod,
  };
}

/** Error codes Conditional Access itself raises (the applied policies' result is "failure"). */
const FAILS_AT_CA: ReadonlySet<number> = new Set([53003, 50076]);

/**
 * How a known failure shows in the authentication steps (what the sign-in row's
 * authenticationDetails say): the failing step marked failed with its detail, later steps dropped.
 */
function applyFailure(code: number, steps: AuthStep[], applied: AppliedPolicy[]): void {
  const primary = steps[0];
  switch (code) {
    case 50126: // wrong password: the first factor fails, nothing after it is evaluated
      steps.length = 0;
      steps.push({
        method: 'Password',
        succeeded: false,
        detail: 'Invalid username or password or Invalid on-premise username or password.',
        requirement: 'Primary authentication',
      });
      for (const p of applied) p.result = 'notApplied';
      return;
    case 50074: // the MFA prompt interrupts the first leg; the user completes it in the next row
    case 50076:
      steps.length = primary ? 1 : 0;
      steps.push({
        method: 'Mobile app notification',
        succeeded: false,
        detail: 'MFA required in Azure AD',
        requirement: 'MFA',
      });
      return;
    case 500121: // MFA denied or timed out
      steps.length = primary ? 1 : 0;
      steps.push({
        method: 'Mobile app notification',
        succeeded: false,
        detail: 'MFA denied; user did not respond to mobile app notification',
        requirement: 'MFA',
      });
      return;
    case 70043: // refresh token expired by sign-in frequency
    case 700082: // refresh token expired by inactivity
    case 50173: // grant revoked (password change, session revoked)
      steps.length = 0;
      steps.push({
        method: 'Previously satisfied',
        succeeded: false,
        detail: 'The refresh token has expired or is invalid',
        requirement: 'Primary authentication',
      });
      return;
    default:
      return;
  }
}
