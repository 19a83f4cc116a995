/**
 * gal-dump against the published facts: OWA FindPeople, EWS ResolveNames and the offline address
 * book reach no collectable log (telemetry.md §3, MailSniper row: "Visible only in sign-in logs").
 * The campaign is unobservable under every collection preset, and the bench scores it so.
 */
import { describe, expect, it } from 'vitest';
import { galDump } from '../../../generators/techniques/gal-dump.js';
import { COLLECTION_PRESETS } from '../../../src/core/sources.js';
import { scoreRun } from '../../../src/scoring/index.js';
import { bySource, ofActor, oneCampaign, props } from './campaign-helpers.js';

describe('gal-dump', () => {
  it('declares that no source shows the enumeration', () => {
    expect(galDump.info.observability).toEqual([]);
  });

  describe.each(COLLECTION_PRESETS.map((p) => p.id))('under the %s preset', (preset) => {
    it.each(['owa-findpeople', 'ews-resolvenames', 'offline-address-book'])('%s is unobservable', (method) => {
      const d = oneCampaign('gal-dump', { options: { method } }, { collection: preset, workforce: false });
      const c = d.truth.campaigns.find((x) => x.id === 'c1');
      expect(c?.firstAvailable).toBeNull();
      expect(c?.recordsBySource).toEqual({});
      const mine = ofActor(d);
      // the only trace: the session's sign-in, context rather than evidence
      for (const r of mine) {
        expect(r.source === 'signIns' || r.source === 'ual').toBe(true);
        expect(r.label).toMatchObject({ campaign: 'c1', context: true });
      }
      if (d.truth.sources.includes('signIns')) expect(bySource(mine, 'signIns').length).toBeGreaterThan(0);
      const score = scoreRun({ truth: d.truth, alerts: [], labels: d.labels.map((l) => JSON.parse(l)) });
      const outcome = score.campaigns.find((x) => x.id === 'c1');
      expect(outcome?.observable).toBe(false);
      expect(outcome?.miss).toBe('unobservable');
    });
  });

  it('signs in to Exchange Online: OWA in a browser, EWS with the Microsoft Office client', () => {
    const owa = bySource(ofActor(oneCampaign('gal-dump', {}, { workforce: false })), 'signIns').map(props);
    expect(owa[0]).toMatchObject({ appId: '00000002-0000-0ff1-ce00-000000000000', clientAppUsed: 'Browser' });
    const ews = bySource(
      ofActor(oneCampaign('gal-dump', { options: { method: 'ews-resolvenames' } }, { workforce: false })),
      'signIns',
    ).map(props);
    expect(ews[0]).toMatchObject({
      appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      resourceId: '00000002-0000-0ff1-ce00-000000000000',
    });
    expect(String(ews[0]?.userAgent)).toContain('Microsoft Outlook 16.0.4266');
  });
});
