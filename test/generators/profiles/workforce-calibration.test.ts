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

describe('workforce calibration', () => {
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
