// @module-tag slow
/**
 * The outside path equals the in-process path: for random seeds and speeds (lockstep over HTTP,
 * max, and a scaled wall clock), a collector written only from Microsoft's documentation
 * (detectors/collect: subscriptions/content in startTime/endTime windows following NextPageUri,
 * each blob fetched; the diagnostic-settings append blobs read by range) that alerts on every
 * record it fetches alerts on exactly the records an in-process detector alerting on every record
 * it is given alerts on. A collector that skips the last page of a listing loses (the mutation).
 * Few, small runs: each is a whole replay through the mock services.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActivityClient, type ContentItem } from '../../detectors/collect/activity-client.js';
import { diagnosticId } from '../../detectors/collect/diagnostics-client.js';
import { activityClientFromEnv, collectUntilDone } from '../../detectors/collect/run.js';
import { startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { recordKey } from '../../harness/replay/publication.js';
import { type ReplayItem, runLockstep } from '../../harness/run/in-process-lockstep.js';
import { MINUTE } from '../../src/core/clock.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { buildFixture, type Fixture } from '../helpers/dataset.js';

const idOf = (r: Record<string, unknown>): string =>
  typeof r.Id === 'string' ? r.Id : (diagnosticId(r as Parameters<typeof diagnosticId>[0]) ?? '');

/** the in-process path: every delivery, in availability order, to a detector alerting on each */
async function inside(f: Fixture): Promise<Set<string>> {
  const items: ReplayItem[] = [...f.deliveries]
    .sort((a, b) => a.at - b.at)
    .map((entry) => ({
      entry,
      record: JSON.parse(f.records.get(recordKey(entry.source, entry.id)) as string) as TelemetryRecord,
    }));
  const start = Math.min(...items.map((i) => i.entry.at));
  const r = await runLockstep({
    detector: {
      name: 'every-record',
      start() {},
      ingest(batch, ctx) {
        for (const d of batch) ctx.emit({ rule: 'all', evidence: [idOf(d.record as Record<string, unknown>)] });
      },
      tick() {},
      stop() {},
    },
    items,
    sources: ['ual', 'signIns', 'graphActivity'],
    start,
    end: Math.max(...items.map((i) => i.entry.at)) + MINUTE,
  });
  expect(r.failure).toBeNull();
  return new Set(r.alerts.flatMap((a) => a.alert.evidence ?? []));
}

/** forgets the last page of any listing that has more than one (does not follow the last NextPageUri) */
class SkipsLastPage extends ActivityClient {
  constructor(
    c: ActivityClient,
    private readonly pageSize: number,
  ) {
    super(c.opts);
  }

  override async listContent(contentType: string, start: number, end: number): Promise<ContentItem[]> {
    const all = await super.listContent(contentType, start, end);
    if (all.length <= this.pageSize) return all;
    return all.slice(0, all.length - (all.length % this.pageSize || this.pageSize));
  }
}

/** the outside path: the mock services at `speed`, the documented collector alerting on every record */
async function outside(f: Fixture, speed: string, pageSize: number, mutant: boolean): Promise<Set<string>> {
  const svc = await startMockServices({ publication: f.publication, speed: parseSpeed(speed), pageSize });
  try {
    const env: Record<string, string | undefined> = { ...svc.env() };
    const alerted = new Set<string>();
    await collectUntilDone({
      env,
      pollMs: 50,
      emit: (_source, r) => alerted.add(idOf(r)),
      ...(mutant ? { client: new SkipsLastPage(activityClientFromEnv(env), pageSize) } : {}),
    });
    return alerted;
  } finally {
    await svc.close();
  }
}

const fixture = (seed: number, n: number) =>
  buildFixture({
    seed,
    ual: n,
    signIns: Math.ceil(n / 4),
    graph: Math.ceil(n / 5),
    spacingMs: 5_000,
    delayMs: [MINUTE, 8 * MINUTE],
    duplicateRate: 0.05,
  });

describe('a documentation-written collector alerting on everything equals the in-process path', () => {
  it('same alerted records, for random seeds and speeds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 8, max: 60 }),
        fc.constantFrom('lockstep', 'max', '3600'),
        fc.integer({ min: 2, max: 5 }),
        async (seed, n, speed, pageSize) => {
          const f = fixture(seed, n);
          const want = await inside(f);
          expect(want.size).toBe(f.ids.ual.length + f.ids.signIns.length + f.ids.graphActivity.length);
          expect(await outside(f, speed, pageSize, false)).toEqual(want);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('the mutation loses: a collector that skips the last page of a listing', async () => {
    // enough content in one listing for several pages
    const f = fixture(4242, 60);
    const want = await inside(f);
    const got = await outside(f, 'max', 2, true);
    expect(got.size).toBeLessThan(want.size);
    expect([...got].every((id) => want.has(id))).toBe(true);
  });
});
