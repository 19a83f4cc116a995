/**
 * Content stamped in the last millisecond of a collector's window (contentCreated = the wall
 * millisecond of publication, endTime exclusive). Two places could lose it: the collector (a blob
 * created at its window's end must come with its next poll), and the end of the replay (whoever
 * is told "done" and lists up to its own now, in that same millisecond, must see the last blob).
 * Time is frozen with a stub of Date.now, so the edge is forced, not hoped for.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PollingCollector } from '../../detectors/collect/activity-client.js';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture } from '../helpers/dataset.js';

let svc: MockServices | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await svc?.close();
  svc = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('content published in the last millisecond of a window', () => {
  it('the collector lists it with its next poll (blob created exactly at the previous endTime)', async () => {
    const f = buildFixture({ seed: 31, ual: 40, spacingMs: 5_000, delayMs: [60_000, 120_000] });
    svc = await startMockServices({ publication: f.publication, speed: parseSpeed('lockstep') });
    const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
    await collector.startAll();
    svc.replay.advanceTo(svc.replay.clock.simEnd);
    await svc.replay.done;
    const created = await newestContent(collector);
    // the window [cursor - 1 min, created) leaves out the newest blob: endTime is exclusive
    await collector.poll(created);
    const missing = f.ids.ual.filter((id) => !collector.ids.has(id));
    expect(missing.length).toBeGreaterThan(0);
    // the next poll overlaps the previous window, so it is fetched then
    await collector.poll(created + 1);
    expect(new Set(collector.ids)).toEqual(new Set(f.ids.ual));
  });

  it('"done" is not announced in the millisecond of the last publication', async () => {
    const f = buildFixture({ seed: 32, ual: 40, spacingMs: 5_000, delayMs: [60_000, 120_000] });
    svc = await startMockServices({ publication: f.publication, speed: parseSpeed('lockstep') });
    const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
    await collector.startAll();
    const frozen = Date.now() + 5;
    const now = vi.spyOn(Date, 'now').mockReturnValue(frozen);
    svc.replay.advanceTo(svc.replay.clock.simEnd);
    expect(svc.replay.clock.done).toBe(true);
    let done = false;
    void svc.replay.done.then(() => {
      done = true;
    });
    await sleep(30);
    // the wall clock has not moved: a collector told "done" now would list up to this very
    // millisecond and miss what was stamped in it
    expect(done).toBe(false);
    await collector.poll();
    expect(collector.ids.size).toBeLessThan(f.ids.ual.length);
    now.mockReturnValue(frozen + 1);
    await svc.replay.done;
    expect(done).toBe(true);
    await collector.poll();
    expect(new Set(collector.ids)).toEqual(new Set(f.ids.ual));
  });
});

/** the newest contentCreated of any content type, as the API lists it */
async function newestContent(c: PollingCollector): Promise<number> {
  const now = Date.now();
  let newest = 0;
  for (const ct of CONTENT_TYPES)
    for (const i of await c.client.listContent(ct, now - 3600_000, now + 1))
      newest = Math.max(newest, Date.parse(i.contentCreated));
  return newest;
}
