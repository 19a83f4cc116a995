/**
 * Calibration of the `workforce` profile against the published facts (issue 5): 200–350 Microsoft
 * Graph requests per user and working day across all apps, with Microsoft's first-party apps the
 * majority (telemetry.md §6, derived from Microsoft's published log volumes: 1,000 users ≈ 15 GiB
 * of Graph activity logs a month at ~1.5–2.5 KB per record).
 */
import { describe, expect, it } from 'vitest';
import { compose, mergeActors } from '../../../generators/compose/index.js';
import { buildCatalog } from '../../../harness/catalog.js';
import { isFirstPartyAppId } from '../../../src/core/first-party-apps.js';
import { loadScenario } from '../../../src/scenario/index.js';

function workforceDay(users: number) {
  const r = loadScenario(
    `name: wf-calibration\ntenant: {users: ${users}}\ntime: {start: 2026-11-03T00:00:00Z, duration: 1d}\nactivity: [{profile: workforce}]\n`,
    'wf.yaml',
    buildCatalog(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return [...mergeActors(compose(r.scenario).actors)];
}

type Props = Record<string, unknown>;

describe('workforce calibration', () => {
  it('SharePoint intranet pages: SPFx web parts call Graph from the browser with a token SharePoint got from a Microsoft address', () => {
    const recs = workforceDay(40);
    const spfx = '08e18876-6177-487e-b8b5-cf950c1e598c';
    const signIns = new Map<string, Props>();
    for (const rec of recs) {
      if (rec.source !== 'signIns') continue;
      const p = (rec.record as { properties: Props }).properties;
      if (p.appId === spfx)
        signIns.set(String(p.uniqueTokenIdentifier), { ...p, category: (rec.record as Props).category });
    }
    const calls = recs
      .filter((rec) => rec.source === 'graphActivity')
      .map((rec) => (rec.record as { properties: Props }).properties)
      .filter((p) => p.appId === spfx);
    // ≈ 15 a user-day at the default intensity
    expect(calls.length / 40).toBeGreaterThan(5);
    expect(calls.length / 40).toBeLessThan(40);
    expect(signIns.size).toBeGreaterThan(10);
    for (const s of signIns.values()) {
      expect(s.category).toBe('NonInteractiveUserSignInLogs');
      expect(s.autonomousSystemNumber).toBe(8075);
    }
    let joined = 0;
    for (const c of calls) {
      const s = signIns.get(String(c.signInActivityId));
      if (!s) continue;
      joined++;
      // the browser, not SharePoint, makes the call
      expect(c.ipAddress).not.toBe(s.ipAddress);
      expect(String(c.userAgent)).toMatch(/^Mozilla\/5\.0/);
    }
    expect(joined).toBe(calls.length);
    expect(calls.some((c) => String(c.requestUri).includes('/me/people?$search='))).toBe(true);
  });

  it('200–350 Graph requests per user and working day, first-party apps the majority', () => {
    const users = 60;
    const r = loadScenario(
      `name: wf-calibration\ntenant: {users: ${users}}\ntime: {start: 2026-11-03T00:00:00Z, duration: 1d}\nactivity: [{profile: workforce}]\n`,
      'wf.yaml',
      buildCatalog(),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    let graph = 0;
    let firstParty = 0;
    for (const rec of mergeActors(compose(r.scenario).actors)) {
      if (rec.source !== 'graphActivity') continue;
      graph++;
      const appId = String((rec.record.properties as Record<string, unknown>).appId);
      if (isFirstPartyAppId(appId)) firstParty++;
    }
    const perUserDay = graph / users;
    expect(perUserDay).toBeGreaterThanOrEqual(200);
    expect(perUserDay).toBeLessThanOrEqual(350);
    expect(firstParty / graph).toBeGreaterThan(0.5);
  });
});
