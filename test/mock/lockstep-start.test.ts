/**
 * Lockstep waits for the replay to start: a detector that reads or acknowledges tick 0 before the
 * bench starts publishing (a `webhook:` detector's barrier, `serve --wait-for-webhooks`) must not
 * see an empty tick 0 and move the replay on without it — tick 0's records would then reach it a
 * tick late, and the same run would not give the same result twice (CI saw exactly that).
 */
import { describe, expect, it } from 'vitest';
import { startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { buildFixture } from '../helpers/dataset.js';

describe('lockstep before the replay starts', () => {
  it('holds the state and the acknowledgement of tick 0 until start(), then answers with tick 0 published', async () => {
    const f = buildFixture({ seed: 62, ual: 200, signIns: 20, graph: 20 });
    const svc = await startMockServices({
      publication: f.publication,
      speed: parseSpeed('lockstep'),
      lockstepTickMs: 60_000,
      deferStart: true,
    });
    try {
      const url = svc.urls.lockstep;
      const order: string[] = [];
      const read = fetch(url).then(async (r) => {
        order.push('read');
        return (await r.json()) as { tick: number; published: number };
      });
      const ack = fetch(url, { method: 'POST', body: JSON.stringify({ tick: 0 }) }).then(async (r) => {
        order.push('ack');
        return { status: r.status, state: (await r.json()) as { tick: number } };
      });
      // both requests have reached the server (a later request on another connection is answered)
      await (await fetch(svc.urls.clock)).json();
      await new Promise((r) => setImmediate(r));
      expect(order).toEqual([]);
      order.push('start');
      svc.start();
      const state = await read;
      expect(order[0]).toBe('start');
      expect(state.tick).toBe(0);
      // tick 0 is published by start(), so the read announces it (the fixture has records at its start)
      expect(state.published).toBeGreaterThan(0);
      const a = await ack;
      expect(a.status).toBe(200);
      expect(a.state.tick).toBe(1);
    } finally {
      await svc.close();
    }
  });
});
