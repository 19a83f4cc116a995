// @module-tag slow
import { afterEach, describe, expect, it } from 'vitest';
import { PollingCollector } from '../../detectors/collect/activity-client.js';
import { DiagnosticsClient, diagnosticId } from '../../detectors/collect/diagnostics-client.js';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture } from '../helpers/dataset.js';

let svc: MockServices | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

describe('end to end: replay at max speed, a documented collector gets every record', () => {
  it('collects every UAL and diagnostic record exactly once after dedupe', async () => {
    const f = buildFixture({ seed: 7, ual: 3000, signIns: 400, graph: 300, duplicateRate: 0.05 });
    svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max'), pageSize: 7 });
    await svc.replay.done;
    const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
    await collector.startAll();
    await collector.poll();
    expect(new Set(collector.records.keys())).toEqual(new Set(f.ids.ual));
    expect(collector.duplicates).toBeGreaterThan(0);
    const diag = new DiagnosticsClient({ url: svc.env().ENUMBENCH_DIAGNOSTICS_URL });
    await diag.poll();
    const got = new Set([...diag.records.values()].map((r) => diagnosticId(r)));
    expect(got).toEqual(new Set([...f.ids.signIns, ...f.ids.graphActivity]));
    const ledger = svc.ledgerSummary();
    expect(ledger.neverCollected.count).toBe(0);
    expect(ledger.published.records).toBe(3000 + 400 + 300);
  });
});

describe('a collector polling on its own wall clock during a paced replay', () => {
  it('collects everything at 1800x while blobs keep appearing', async () => {
    // ~1.4 simulated hours of availability at 1800x: ~2.8 s of wall time
    const f = buildFixture({ seed: 17, ual: 400, signIns: 60, spacingMs: 5_000, delayMs: [60_000, 30 * 60_000] });
    svc = await startMockServices({ publication: f.publication, speed: parseSpeed('1800') });
    const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
    const diag = new DiagnosticsClient({ url: svc.env().ENUMBENCH_DIAGNOSTICS_URL });
    await collector.startAll();
    // the replay's `done` (not `clock.done`, set in the millisecond of the last publication): it
    // resolves once everything published is listable with endTime = now (window-edge.test.ts)
    let done = false;
    void svc.replay.done.then(() => {
      done = true;
    });
    let polls = 0;
    while (!done && polls < 200) {
      await collector.poll();
      await diag.poll();
      polls++;
      await new Promise((r) => setTimeout(r, 100));
    }
    await collector.poll();
    await diag.poll();
    // on a loaded machine the first poll may come late; what matters is that the end result is whole
    expect(polls).toBeGreaterThan(1);
    expect(new Set(collector.records.keys())).toEqual(new Set(f.ids.ual));
    expect(diag.records.size).toBe(f.ids.signIns.length);
    expect(svc.ledgerSummary().neverCollected.count).toBe(0);
  });
});
