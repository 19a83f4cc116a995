/**
 * ROADrecon calibration (issue 5; telemetry.md §3 "ROADrecon gather"; published-detections.md §3c):
 * Azure AD Graph only (no MicrosoftGraphActivityLogs record at all), api-version 1.61-internal, the
 * aiohttp user agent, 100 objects per page; it fires Elastic's aiohttp enumeration rule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { elasticRoadreconAiohttp, roadreconBucket } from '../../../detectors/published/index.js';
import { AAD_GRAPH_VALIDITY, roadrecon } from '../../../generators/techniques/roadrecon.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { generate, runDetector } from './helpers.js';

const START = '2026-11-03T00:00:00Z';
const AT = Date.parse(START) + 14 * 3_600_000;

function scenario(signIn: 'password' | 'refreshToken' | 'deviceCode' = 'refreshToken', users = 300) {
  return makeScenario({
    start: START,
    users,
    durationMs: 16 * 3_600_000,
    activity: [{ id: 'workforce', profile: 'workforce', actors: null, schedule: null, app: null, options: {} }],
    attacks: [
      attack({
        id: 'rr',
        technique: 'roadrecon',
        session: { network: 'vps', country: 'DE', signIn, userAgent: null },
        at: AT,
      }),
    ],
  });
}

describe('roadrecon', () => {
  let recs: LabelledRecord[];
  let mine: LabelledRecord[];
  beforeAll(() => {
    recs = generate(scenario());
    mine = recs.filter((r) => r.label.campaign === 'rr');
  });

  it('emits no MicrosoftGraphActivityLogs record at all', () => {
    expect(mine.some((r) => r.source === 'graphActivity')).toBe(false);
    expect(mine.filter((r) => r.source === 'aadGraphActivity').length).toBeGreaterThan(500);
  });

  it('speaks Azure AD Graph 1.61-internal with aiohttp as the Azure AD PowerShell client', () => {
    const p = mine
      .filter((r) => r.source === 'aadGraphActivity')
      .map((r) => (r.record as { properties: Record<string, unknown> }).properties);
    expect(new Set(p.map((x) => x.apiVersion))).toEqual(new Set(['1.61-internal']));
    expect(p.every((x) => /^Python\/3\.\d+ aiohttp\/3\.\d+/.test(String(x.userAgent)))).toBe(true);
    expect(new Set(p.map((x) => x.appId))).toEqual(new Set(['1b730954-1685-4b74-9bfd-dac224a7b894']));
    const buckets = new Set(p.map((x) => roadreconBucket(String(x.requestUri))));
    expect(buckets.size).toBeGreaterThanOrEqual(12);
    // 300 users at AAD Graph's default page of 100: three pages of /users
    const tid = String(p[0]?.tenantId);
    expect(p.filter((x) => x.requestUri === `/v2/${tid}/users`).length).toBe(3);
    expect(p.some((x) => /\/groups\/[0-9a-f-]{36}\/\$links\/members$/.test(String(x.requestUri)))).toBe(true);
  });

  it('signs in to Azure AD Graph with python-requests, not aiohttp', () => {
    const s = mine
      .filter((r) => r.source === 'signIns')
      .map((r) => (r.record as { properties: Record<string, unknown> }).properties);
    expect(s.length).toBeGreaterThan(0);
    expect(s[0]?.resourceId).toBe('00000002-0000-0000-c000-000000000000');
    expect(String(s[0]?.userAgent)).toMatch(/^python-requests\//);
  });

  it('fires Elastic "Azure AD Graph Potential Enumeration (ROADrecon)"', async () => {
    const alerts = await runDetector(elasticRoadreconAiohttp.create, recs);
    expect(alerts.length).toBeGreaterThan(0);
  });

  it('states the period it is valid for', () => {
    expect(AAD_GRAPH_VALIDITY.until).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(roadrecon.info.description).toContain(AAD_GRAPH_VALIDITY.until);
  });
});
