/**
 * Calibration (issue 5): `graph-user-listing` with its defaults — a first-party client (Microsoft
 * Office), whole pages of 999 — evades the published hourly volume rule (Bert-JanP,
 * published-detections.md §2: ≥ 1,000 distinct successful GETs per principal, user agent and clock
 * hour, ≥ 4 of 7 recon resources, ≥ 1 MB): listing even a 10,000-user tenant takes a dozen requests
 * on one resource. AzureHound on the same tenant trips it (azurehound.test.ts), which is the contrast
 * a volume rule is built on.
 */
import { describe, expect, it } from 'vitest';
import { generateInMemory } from '../helpers/run.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { bertjanpAlerts, H } from '../profiles/helpers.js';

describe('graph-user-listing evades the published hourly volume rule', () => {
  it('with its defaults, on a 10,000-user tenant', async () => {
    const s = makeScenario({
      users: 10_000,
      groups: 100,
      devices: 100,
      servicePrincipals: 200,
      durationMs: 4 * H,
      attacks: [attack({ id: 'listing', at: Date.parse('2026-11-02T01:00:00Z') })],
    });
    const records = generateInMemory(s).records.filter((r) => r.label.campaign === 'listing');
    const graph = records.filter((r) => r.source === 'graphActivity');
    // the whole directory in pages of 999 (plus /me): a handful of requests, well under the rule's 1,000
    expect(graph.length).toBeGreaterThanOrEqual(10);
    expect(graph.length).toBeLessThan(30);
    expect(await bertjanpAlerts(records)).toEqual([]);
  });
});
