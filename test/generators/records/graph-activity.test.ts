import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type GraphCall,
  graphActivityDiag,
  graphActivityDiagLine,
  graphTenant,
} from '../../../generators/records/graph-activity.js';

/** Values enumbench generates itself (ids, addresses, scope lists): printable, nothing to escape. */
const plain = fc.stringMatching(/^[A-Za-z0-9 .:_\-/]{0,40}$/);
/** Free text a scenario can set (user agents, URIs): anything. */
const text = fc.string({ unit: 'binary', maxLength: 60 });
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const time = fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 });

type TokenFields = Pick<
  GraphCall,
  | 'appId'
  | 'userId'
  | 'servicePrincipalId'
  | 'scopes'
  | 'roles'
  | 'wids'
  | 'tokenIssuedAt'
  | 'signInActivityId'
  | 'sessionId'
  | 'deviceId'
  | 'clientAuthMethod'
>;

const TOKEN_KEYS: readonly (keyof TokenFields)[] = [
  'appId',
  'userId',
  'servicePrincipalId',
  'scopes',
  'roles',
  'wids',
  'tokenIssuedAt',
  'signInActivityId',
  'sessionId',
  'deviceId',
  'clientAuthMethod',
];

const tokenFields: fc.Arbitrary<TokenFields> = fc.record({
  appId: fc.oneof(fc.uuid(), text),
  userId: orNull(fc.constantFrom('u1', 'u2')),
  servicePrincipalId: orNull(fc.constantFrom('sp1', 'sp2')),
  scopes: orNull(fc.constantFrom('User.Read', 'User.Read Mail.Read')),
  roles: orNull(fc.constantFrom('User.Read.All')),
  wids: orNull(plain),
  tokenIssuedAt: fc.oneof(time, fc.constantFrom(1_793_610_023_000, 1_793_613_623_000)),
  signInActivityId: fc.constantFrom('OPD3UZnmTkud24wRw6ATAA', 'r8LN1RTdA-c8vd969G8P0U', 'x'),
  sessionId: orNull(fc.uuid()),
  deviceId: orNull(fc.constantFrom('d1', 'd2')),
  clientAuthMethod: fc.constantFrom(0 as const, 1 as const, 2 as const),
});

const request = fc.record({
  time,
  apiVersion: fc.constantFrom('v1.0' as const, 'beta' as const),
  method: fc.constantFrom('GET', 'POST', 'PATCH'),
  uri: text,
  status: fc.constantFrom(200, 202, 204, 404, 429),
  durationMs: fc.nat({ max: 5_000_000 }),
  responseSizeBytes: fc.nat({ max: 100_000 }),
  ip: plain,
  userAgent: fc.oneof(text, fc.constantFrom('', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)')),
  ticks: fc.integer({ min: 0, max: 9999 }),
  requestId: fc.uuid(),
  clientRequestId: fc.uuid(),
  region: fc.constantFrom('East US', 'West Europe', 'East US 2'),
  /** which token of the pool, and which of its fields (if any) this request changes */
  token: fc.nat({ max: 2 }),
  change: fc.option(fc.tuple(fc.constantFrom(...TOKEN_KEYS), tokenFields)),
});

describe('graphActivityDiagLine', () => {
  test.prop([
    fc.array(tokenFields, { minLength: 3, maxLength: 3 }),
    fc.array(request, { minLength: 1, maxLength: 40 }),
    fc.constantFrom('4b8c1f2e-9c32-4a1b-8d3e-2f1a0b9c8d7e', '39face79-bff0-4e28-ba2a-879d34faa981'),
  ])(
    'is JSON.stringify(graphActivityDiag(…)), call after call (the per-token cache never shows)',
    (pool, reqs, tid) => {
      const t = graphTenant(tid);
      for (const r of reqs) {
        const tok: TokenFields = { ...(pool[r.token] as TokenFields) };
        if (r.change) Object.assign(tok, { [r.change[0]]: r.change[1][r.change[0]] });
        const q: GraphCall = { ...r, ...tok };
        const args = [t, q, r.ticks, r.requestId, r.clientRequestId, r.region] as const;
        expect(graphActivityDiagLine(...args)).toBe(JSON.stringify(graphActivityDiag(...args)));
      }
    },
  );
});
