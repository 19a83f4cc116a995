/**
 * GraphRunner calibration (issue 5; telemetry.md §3 "GraphRunner details"; published-detections.md
 * §1b, §4): a device-code sign-in to Microsoft Office, sequential paging with no `$top`, and the
 * published GraphRunner path signature (≥ 9 of 12) and Chronicle's GraphRecon rule fire.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chronicleMsGraphGraphrunnerGraphreconEnumeration,
  chronicleMsGraphUserAndGroupEnumeration,
  cloudbrothersGraphrunner,
  GRAPHRUNNER_SUFFIXES,
  matchedSignature,
} from '../../../detectors/published/index.js';
import { GRAPHRUNNER_DEFAULT_UA } from '../../../generators/techniques/graphrunner.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { generate, graphRows, runDetector } from './helpers.js';

const START = '2026-11-03T00:00:00Z';
const AT = Date.parse(START) + 15 * 3_600_000;

describe('graphrunner', () => {
  let recs: LabelledRecord[];
  let rows: Record<string, unknown>[];
  beforeAll(() => {
    recs = generate(
      makeScenario({
        start: START,
        users: 400,
        activity: [],
        attacks: [
          attack({
            id: 'gr',
            technique: 'graphrunner',
            session: { network: 'residential-proxy', country: 'US', signIn: null, userAgent: null },
            at: AT,
          }),
        ],
      }),
    );
    rows = graphRows(recs);
  });

  it('signs in by device code to Microsoft Office with the forged browser UA', () => {
    const s = recs
      .filter((r) => r.source === 'signIns')
      .map((r) => (r.record as { properties: Record<string, unknown> }).properties);
    const first = s[0] as Record<string, unknown>;
    expect(first.authenticationProtocol).toBe('deviceCode');
    expect(first.appId).toBe('d3590ed6-52b3-4102-aeff-aad2292ab01c');
    expect(first.userAgent).toBe(GRAPHRUNNER_DEFAULT_UA);
  });

  it('runs Invoke-GraphRecon with estimateAccess, /me and the authorization policy', () => {
    const u = rows.map((p) => `${p.requestMethod} ${p.requestUri}`);
    expect(u).toContain('POST https://graph.microsoft.com/beta/roleManagement/directory/estimateAccess');
    expect(u).toContain('GET https://graph.microsoft.com/v1.0/me');
    expect(u).toContain('GET https://graph.microsoft.com/beta/policies/authorizationPolicy');
  });

  it('Get-AzureADUsers pages sequentially with no $top (100 per page)', () => {
    const users = rows.filter((p) =>
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/users(\?\$skiptoken=.*)?$/.test(String(p.requestUri)),
    );
    expect(users.length).toBe(4);
    const t = users.map((p) => Date.parse(String(p.timeGenerated)));
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1] as number);
  });

  it('Get-SecurityGroups asks each security group for its members', () => {
    expect(rows.some((p) => /\/v1\.0\/groups\/[0-9a-f-]{36}\/members$/.test(String(p.requestUri)))).toBe(true);
  });

  it('hits at least 9 of the 12 GraphRunner paths', () => {
    const m = matchedSignature(
      GRAPHRUNNER_SUFFIXES,
      rows.map((p) => String(p.requestUri)),
    );
    expect(m.length).toBeGreaterThanOrEqual(9);
  });

  it('fires Cloudbrothers GraphRunner and Chronicle GraphRecon and user-and-group rules', async () => {
    const cb = await runDetector(cloudbrothersGraphrunner.create, recs);
    expect(cb.length).toBeGreaterThan(0);
    expect(Number(cb[0]?.details?.matched)).toBeGreaterThanOrEqual(9);
    expect((await runDetector(chronicleMsGraphGraphrunnerGraphreconEnumeration.create, recs)).length).toBeGreaterThan(
      0,
    );
    expect((await runDetector(chronicleMsGraphUserAndGroupEnumeration.create, recs)).length).toBeGreaterThan(0);
  });

  it('Get-AzureADUsers on 10,000 users: 100 sequential GETs in 1–2 minutes (telemetry.md §6)', () => {
    const recs = generate(
      makeScenario({
        start: START,
        users: 10_000,
        groups: 50,
        devices: 100,
        servicePrincipals: 200,
        activity: [],
        attacks: [
          attack({
            id: 'gr',
            technique: 'graphrunner',
            session: { network: 'vps', country: 'US', signIn: 'refreshToken', userAgent: null },
            at: AT,
            options: { modules: ['users'] },
          }),
        ],
      }),
    ).filter((r) => r.source === 'graphActivity');
    expect(recs.length).toBe(100);
    const min = ((recs.at(-1)?.time ?? 0) - (recs[0]?.time ?? 0)) / 60_000;
    expect(min).toBeGreaterThanOrEqual(1);
    expect(min).toBeLessThanOrEqual(2);
  });
});
