/**
 * AzureHound calibration against the published facts (issue 5; telemetry.md §3 "AzureHound
 * details" and §6; published-detections.md §1, §3d, §5, §6): a 10,000-user tenant costs
 * 15,000–19,000 GETs over 2–5 simulated minutes, hits ≥ 11 of the 14 normalised Cloudbrothers
 * paths, is nearly all 200s with the 403 retry on signInActivity, and its default user agent fires
 * the published user-agent rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AZUREHOUND_SUFFIXES,
  cloudbrothersAzurehound,
  cloudbrothersAzurehoundUa,
  elasticBloodhoundUa,
  matchedSignature,
  minimumMatches,
  sigmaAzureAdAzurehoundDiscovery,
} from '../../../detectors/published/index.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { generate, graphRows, runDetector } from './helpers.js';

const H = 3_600_000;
const START = '2026-11-03T00:00:00Z';
const AT = Date.parse(START) + 14 * H + 7 * 60_000;

/** The tenant of telemetry.md §6: 10k users, 2.5k groups, 1.5k SPs, 8k devices. */
function tenant10k(signIn: 'refreshToken' | 'password' = 'refreshToken', options = {}) {
  return makeScenario({
    start: START,
    users: 10_000,
    groups: 2500,
    devices: 8000,
    servicePrincipals: 1500,
    activity: [],
    attacks: [
      attack({
        id: 'ah',
        technique: 'azurehound',
        actor: { kind: 'account', selector: { kind: 'role', role: 'Helpdesk Administrator' } },
        session: { network: 'vps', country: 'NL', signIn, userAgent: null },
        at: AT,
        options,
      }),
    ],
  });
}

describe('azurehound on a 10,000-user tenant', () => {
  let recs: LabelledRecord[];
  let rows: Record<string, unknown>[];
  beforeAll(() => {
    recs = generate(tenant10k());
    rows = graphRows(recs);
  });

  it('costs 15,000–19,000 GETs over 2–5 simulated minutes', () => {
    expect(rows.every((p) => p.requestMethod === 'GET')).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(15_000);
    expect(rows.length).toBeLessThanOrEqual(19_000);
    // the documented unit: ≈1.7 GETs per user on this mix (telemetry.md §6: 17 K on 10,000 users with
    // 2.5 K groups, 1.5 K SPs, 8 K devices) — about 0.75 per directory object, not 1.7
    expect(rows.length / 10_000).toBeGreaterThan(1.5);
    expect(rows.length / 10_000).toBeLessThan(1.9);
    const times = recs.filter((r) => r.source === 'graphActivity').map((r) => r.time);
    const span = (Math.max(...times) - Math.min(...times)) / 60_000;
    expect(span).toBeGreaterThanOrEqual(2);
    expect(span).toBeLessThanOrEqual(5);
  });

  it('hits at least 11 of the 14 normalised Cloudbrothers paths', () => {
    const m = matchedSignature(
      AZUREHOUND_SUFFIXES,
      rows.map((p) => String(p.requestUri)),
    );
    expect(minimumMatches(AZUREHOUND_SUFFIXES.length)).toBe(11);
    expect(m.length).toBeGreaterThanOrEqual(11);
  });

  it('is nearly all 200s, with the 403 on signInActivity first and the retry without it', () => {
    const ok = rows.filter((p) => p.responseStatusCode === 200).length;
    expect(ok / rows.length).toBeGreaterThan(0.995);
    const users = rows.filter((p) => String(p.requestUri).startsWith('https://graph.microsoft.com/v1.0/users?'));
    expect(users[0]?.responseStatusCode).toBe(403);
    expect(String(users[0]?.requestUri)).toContain('signInActivity');
    expect(
      users.slice(1).every((p) => p.responseStatusCode === 200 && !String(p.requestUri).includes('signInActivity')),
    ).toBe(true);
    expect(users.length).toBe(1 + 11);
  });

  it("sends Go's sorted, %24-encoded query parameters and pages with $skiptoken", () => {
    const u = rows.map((p) => String(p.requestUri));
    expect(u).toContain('https://graph.microsoft.com/v1.0/groups?%24top=99');
    // a nextLink is re-encoded with AzureHound's own parameters: %24skiptoken sorts between them
    expect(u.some((x) => /\/v1\.0\/users\?%24select=[^&]*&%24skiptoken=RFNwdAIAAQAAA[^&]*&%24top=999$/.test(x))).toBe(
      true,
    );
    expect(u.some((x) => /roleAssignments\?%24expand=directoryScope&%24filter=roleDefinitionId\+eq\+%27/.test(x))).toBe(
      true,
    );
    expect(u.every((x) => !x.includes('$'))).toBe(true);
  });

  it('one token, one session, one IP, the Azure PowerShell client and the azurehound UA', () => {
    expect(new Set(rows.map((p) => p.signInActivityId)).size).toBe(1);
    expect(new Set(rows.map((p) => p.c_Sid)).size).toBe(1);
    expect(new Set(rows.map((p) => p.ipAddress)).size).toBe(1);
    expect(new Set(rows.map((p) => p.appId))).toEqual(new Set(['1950a258-227b-4e31-a9cf-717495945fc2']));
    expect(new Set(rows.map((p) => p.userAgent))).toEqual(new Set(['azurehound/v2.9.2']));
  });

  it('fires the published Cloudbrothers path rule', async () => {
    const alerts = await runDetector(cloudbrothersAzurehound.create, recs);
    expect(alerts.length).toBeGreaterThan(0);
    expect(Number(alerts[0]?.details?.matched)).toBeGreaterThanOrEqual(11);
  });
});

describe('azurehound user-agent rules (small tenant)', () => {
  const small = (signIn: 'refreshToken' | 'password') =>
    generate(
      makeScenario({
        start: START,
        users: 300,
        activity: [],
        attacks: [
          attack({
            id: 'ah',
            technique: 'azurehound',
            session: { network: 'vps', country: 'NL', signIn, userAgent: null },
            at: AT,
          }),
        ],
      }),
    );

  it('the default UA fires Cloudbrothers, Elastic and Sigma UA rules', async () => {
    const recs = small('refreshToken');
    expect((await runDetector(cloudbrothersAzurehoundUa.create, recs)).length).toBeGreaterThan(0);
    expect((await runDetector(elasticBloodhoundUa.create, recs)).length).toBeGreaterThan(0);
    expect((await runDetector(sigmaAzureAdAzurehoundDiscovery.create, recs)).length).toBeGreaterThan(0);
  });

  it('ROPC signs in non-interactively to Azure PowerShell with the azurehound UA', () => {
    const recs = small('password');
    const signIns = recs
      .filter((r) => r.source === 'signIns')
      .map((r) => (r.record as { properties: Record<string, unknown> }).properties);
    expect(signIns.length).toBeGreaterThan(0);
    const first = signIns[0] as Record<string, unknown>;
    expect(first.appId).toBe('1950a258-227b-4e31-a9cf-717495945fc2');
    expect(first.userAgent).toBe('azurehound/v2.9.2');
    expect(signIns.some((p) => p.authenticationProtocol === 'ropc')).toBe(true);
  });

  it('a changed user agent evades the UA rules but not the path signature', async () => {
    const recs = generate(
      makeScenario({
        start: START,
        users: 300,
        activity: [],
        attacks: [
          attack({
            id: 'ah',
            technique: 'azurehound',
            session: { network: 'vps', country: 'NL', signIn: 'refreshToken', userAgent: null },
            at: AT,
            options: { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' },
          }),
        ],
      }),
    );
    expect(await runDetector(cloudbrothersAzurehoundUa.create, recs)).toEqual([]);
    expect((await runDetector(cloudbrothersAzurehound.create, recs)).length).toBeGreaterThan(0);
  });

  it('a reader role gets signInActivity: no 403, at most 500 users per page', () => {
    const recs = generate(
      makeScenario({
        start: START,
        users: 1200,
        roles: { 'Global Administrator': 2, 'Global Reader': 1 },
        activity: [],
        attacks: [
          attack({
            id: 'ah',
            technique: 'azurehound',
            actor: { kind: 'account', selector: { kind: 'role', role: 'Global Reader' } },
            session: { network: 'vps', country: 'NL', signIn: 'refreshToken', userAgent: null },
            at: AT,
            options: { collect: ['users'] },
          }),
        ],
      }),
    );
    const rows = graphRows(recs);
    expect(rows.every((p) => p.responseStatusCode === 200 && String(p.requestUri).includes('signInActivity'))).toBe(
      true,
    );
    expect(rows.length).toBe(3);
  });

  it('fewer streams make the same collection slower', () => {
    const span = (streams: number) => {
      const recs = generate(
        makeScenario({
          start: START,
          users: 300,
          activity: [],
          attacks: [
            attack({
              id: 'ah',
              technique: 'azurehound',
              session: { network: 'vps', country: 'NL', signIn: 'refreshToken', userAgent: null },
              at: AT,
              options: { streams },
            }),
          ],
        }),
      ).filter((r) => r.source === 'graphActivity');
      return { n: recs.length, ms: (recs.at(-1)?.time ?? 0) - (recs[0]?.time ?? 0) };
    };
    const fast = span(25);
    const slow = span(1);
    expect(slow.n).toBe(fast.n);
    expect(slow.ms).toBeGreaterThan(10 * fast.ms);
  });
});
