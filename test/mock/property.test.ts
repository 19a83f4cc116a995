// @module-tag slow
/**
 * For random seeds, blob sizes, delays and duplicate rates, a collector that follows the documented
 * protocol (token, start, content windows with NextPageUri, blob fetch) and dedupes on Id ends with
 * exactly the generated records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PollingCollector } from '../../detectors/collect/activity-client.js';
import { startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { MINUTE } from '../../src/core/clock.js';
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture } from '../helpers/dataset.js';

describe('collector property', () => {
  it('collects exactly the generated records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 180 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        async (seed, n, dMin, dExtra, dup, blobSize, named) => {
          const f = buildFixture({
            seed,
            ual: n,
            delayMs: [dMin * MINUTE, (dMin + dExtra) * MINUTE],
            duplicateRate: dup,
            blobSize: named ? blobSize : 0,
          });
          const svc = await startMockServices({
            publication: f.publication,
            speed: parseSpeed('max'),
            pageSize: 1 + (seed % 7),
            blobLimits: { maxRecords: blobSize, maxSpanMs: (1 + (seed % 10)) * MINUTE },
          });
          try {
            await svc.replay.done;
            const c = new PollingCollector(clientFor(svc), CONTENT_TYPES);
            await c.startAll();
            await c.poll();
            expect(c.records.size).toBe(f.ids.ual.length);
            expect(new Set(c.records.keys())).toEqual(new Set(f.ids.ual));
            expect(c.records.size + c.duplicates).toBe(f.deliveries.length);
          } finally {
            await svc.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
