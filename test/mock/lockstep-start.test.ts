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

const deferred = (f: ReturnType<typeof buildFixture>) =>
  startMockServices({
    publication: f.publication,
    speed: parseSpeed('lockstep'),
    lockstepTickMs: 60_000,
    deferStart: true,
  });

/** resolves once the request is answered, noting that in `order` */
const noted = (order: string[], what: string, req: Promise<Response>) =>
  req.then(async (r) => {
    order.push(what);
    return { status: r.status, state: (await r.json()) as { tick: number; published: number } };
  });

/** until the request is being handled by the server (or, without the wait, already answered) */
async function reachedServer(svc: Awaited<ReturnType<typeof deferred>>, order: string[]): Promise<void> {
  while (svc.traffic().inFlight === 0 && order.length === 0) await new Promise((r) => setTimeout(r, 5));
}

describe('lockstep before the replay starts', () => {
  const f = buildFixture({ seed: 62, ual: 200, signIns: 20, graph: 20 });

  it('a read of the state waits for start(), then announces tick 0 with its records published', async () => {
    const svc = await deferred(f);
    try {
      const order: string[] = [];
      const read = noted(order, 'read', fetch(svc.urls.lockstep));
      await reachedServer(svc, order);
      expect(order).toEqual([]);
      order.push('start');
      svc.start();
      const r = await read;
      expect(order).toEqual(['start', 'read']);
      expect(r.state.tick).toBe(0);
      // tick 0 is published by start() (the fixture has records at its start)
      expect(r.state.published).toBeGreaterThan(0);
    } finally {
      await svc.close();
    }
  });

  it('an acknowledgement of tick 0 waits for start(), so tick 0 is published before the replay moves on', async () => {
    const svc = await deferred(f);
    try {
      const order: string[] = [];
      const ack = noted(order, 'ack', fetch(svc.urls.lockstep, { method: 'POST', body: JSON.stringify({ tick: 0 }) }));
      await reachedServer(svc, order);
      expect(order).toEqual([]);
      order.push('start');
      svc.start();
      const a = await ack;
      expect(order).toEqual(['start', 'ack']);
      expect(a.status).toBe(200);
      expect(a.state.tick).toBe(1);
    } finally {
      await svc.close();
    }
  });
});
