import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DeferredRecord } from '../../../generators/records/serialised.js';
import { type SignInInput, signInDiag, signInDiagLine } from '../../../generators/records/signins.js';

const text = fc.string({ unit: 'binary', maxLength: 30 });
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY));

const input: fc.Arbitrary<SignInInput> = fc.record({
  category: fc.constantFrom(
    'SignInLogs' as const,
    'NonInteractiveUserSignInLogs' as const,
    'ServicePrincipalSignInLogs' as const,
  ),
  time: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  ticks: fc.integer({ min: 0, max: 9999 }),
  id: fc.uuid(),
  correlationId: fc.uuid(),
  originalRequestId: fc.uuid(),
  userDisplayName: orNull(text),
  userPrincipalName: orNull(text),
  userId: orNull(fc.uuid()),
  userType: fc.constantFrom('Member' as const, 'Guest' as const, null),
  servicePrincipalId: orNull(fc.uuid()),
  servicePrincipalName: orNull(text),
  appId: fc.uuid(),
  appDisplayName: text,
  resourceId: fc.uuid(),
  resourceDisplayName: text,
  resourceTenantId: fc.uuid(),
  ip: text,
  asn: number,
  country: text,
  city: text,
  state: text,
  lat: number,
  lon: number,
  trustedNetwork: fc.boolean(),
  deviceId: text,
  deviceDisplayName: text,
  operatingSystem: text,
  browser: text,
  isCompliant: fc.boolean(),
  isManaged: fc.boolean(),
  trustType: text,
  userAgent: text,
  clientAppUsed: text,
  errorCode: fc.oneof(fc.constant(0), fc.constantFrom(50126, 50074, 53003), number),
  failureReason: text,
  conditionalAccessStatus: fc.constantFrom('success' as const, 'failure' as const, 'notApplied' as const),
  appliedPolicies: fc.array(
    fc.record({
      id: fc.uuid(),
      displayName: text,
      enforcedGrantControls: fc.array(text, { maxLength: 3 }),
      result: fc.constantFrom(
        'success' as const,
        'failure' as const,
        'notApplied' as const,
        'notEnabled' as const,
        'reportOnlySuccess' as const,
      ),
    }),
    { maxLength: 3 },
  ),
  authenticationRequirement: fc.constantFrom(
    'singleFactorAuthentication' as const,
    'multiFactorAuthentication' as const,
  ),
  authSteps: fc.array(
    fc.record({
      method: text,
      succeeded: fc.boolean(),
      detail: text,
      requirement: fc.constantFrom('Primary authentication' as const, 'MFA' as const),
    }),
    { maxLength: 3 },
  ),
  authenticationProtocol: fc.constantFrom('none' as const, 'oAuth2' as const, 'ropc' as const, 'deviceCode' as const),
  incomingTokenType: fc.constantFrom('none' as const, 'refreshToken' as const, 'primaryRefreshToken' as const),
  riskLevelDuringSignIn: fc.constantFrom('none' as const, 'low' as const, 'high' as const),
  riskLevelAggregated: fc.constantFrom('none' as const, 'medium' as const),
  riskState: fc.constantFrom('none' as const, 'atRisk' as const),
  riskDetail: text,
  riskEventTypes: fc.array(text, { maxLength: 3 }),
  processingTimeMs: number,
  uniqueTokenIdentifier: text,
  sessionId: orNull(fc.uuid()),
  clientCredentialType: fc.constantFrom('none' as const, 'clientSecret' as const, 'clientAssertion' as const),
  credentialKeyId: orNull(fc.uuid()),
  tenantId: fc.uuid(),
});

describe('signInDiagLine', () => {
  test.prop([input])('is JSON.stringify(signInDiag(…))', (s) => {
    expect(signInDiagLine(s)).toBe(JSON.stringify(signInDiag(s)));
  });

  test.prop([
    input,
    fc.constantFrom<(keyof SignInInput)[]>(
      'city',
      'failureReason',
      'userDisplayName',
      'appliedPolicies',
      'lat',
      'isCompliant',
      'riskEventTypes',
    ),
  ])('falls back to JSON.stringify when a field is missing (which JSON.stringify drops)', (s, key) => {
    const broken = { ...s, [key]: undefined } as unknown as SignInInput;
    let want: string | Error;
    try {
      want = JSON.stringify(signInDiag(broken));
    } catch (e) {
      want = e as Error;
    }
    if (want instanceof Error) expect(() => signInDiagLine(broken)).toThrow();
    else expect(signInDiagLine(broken)).toBe(want);
  });
});

describe('DeferredRecord', () => {
  it('writes the line directly, or the record as edited once someone read it', () => {
    const build = (n: number) => ({ n, category: 'SignInLogs' });
    const write = (n: number) => JSON.stringify(build(n));
    const label = { actor: 'a', kind: 'profile' as const, module: 'm', malicious: false };
    const r = new DeferredRecord('signIns', 1, 'id', 'SignInLogs', label, 7, build, write);
    expect(r.line).toBe('{"n":7,"category":"SignInLogs"}');
    expect(r.channel).toBe('SignInLogs');
    r.record.n = 8;
    expect(r.line).toBe('{"n":8,"category":"SignInLogs"}');
    expect(r.channel).toBeUndefined();
  });
});
