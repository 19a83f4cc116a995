import { describe, expect, it } from 'vitest';
import { PollingCollector } from '../../detectors/collect/activity-client.js';
import { startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { HOUR } from '../../src/core/clock.js';
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture } from '../helpers/dataset.js';

describe('lockstep over HTTP', () => {
  it('publishes one tick per acknowledgement; a collector that acks after each poll gets each tick in that tick, never early', async () => {
    const f = buildFixture({ seed: 41, ual: 600, spacingMs: 20_000 });
    const svc = await startMockServices({
      publication: f.publication,
      speed: parseSpeed('lockstep'),
      lockstepTickMs: HOUR,
    });
    try {
      const url = svc.env().ENUMBENCH_LOCKSTEP_URL as string;
      expect(url).toBe(`${svc.urls.management}/enumbench/lockstep`);
      const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
      await collector.startAll();
      let state = (await (await fetch(url)).json()) as { tick: number; now: string; published: number; done: boolean };
      let ticks = 0;
      while (!state.done && ticks < 100) {
        // what the tick published is listable at once with endTime = the collector's now (no
        // duplicates in this fixture: every record published is a new one)
        expect(await collector.poll()).toBe(state.published);
        for (const r of collector.records.values()) {
          // nothing dated after the simulated now
          expect(Date.parse(`${String(r.CreationTime)}Z`)).toBeLessThanOrEqual(Date.parse(state.now));
        }
        const res = await fetch(url, {
          method: 'POST',
          body: JSON.stringify({ tick: state.tick }),
          headers: { 'Content-Type': 'application/json' },
        });
        expect(res.status).toBe(200);
        state = (await res.json()) as typeof state;
        ticks++;
      }
      expect(await collector.poll()).toBe(state.published);
      expect(state.done).toBe(true);
      expect(ticks).toBeGreaterThan(2);
      expect(new Set(collector.records.keys())).toEqual(new Set(f.ids.ual));
      const stale = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ tick: 0 }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(stale.status).toBe(409);
    } finally {
      await svc.close();
    }
  });
});
