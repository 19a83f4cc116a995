import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DeliveryLines } from '../../../generators/compose/index.js';
import type { ContentType, DeliveryEntry } from '../../../src/core/dataset.js';
import type { SourceId } from '../../../src/core/sources.js';

const entry: fc.Arbitrary<DeliveryEntry> = fc
  .record({
    id: fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 20 })),
    source: fc.constantFrom<SourceId>('ual', 'graphActivity', 'signIns'),
    at: fc.integer({ min: 0, max: 2 ** 45 }),
    // few blobs, so the per-blob cache is exercised
    blob: fc.constantFrom(
      'Audit.AzureActiveDirectory/20261102T070000Z/0',
      'insights-logs-signinlogs/x/PT1H.json',
      'a"b\\c',
    ),
    contentType: fc.option(fc.constantFrom<ContentType>('Audit.AzureActiveDirectory', 'Audit.Exchange'), {
      nil: undefined,
    }),
    duplicate: fc.option(fc.constant(true), { nil: undefined }),
  })
  .map((e) => {
    // the schedule sets optional keys only when they apply
    const out: DeliveryEntry = { id: e.id, source: e.source, at: e.at, blob: e.blob };
    if (e.contentType) out.contentType = e.contentType;
    if (e.duplicate) out.duplicate = true;
    return out;
  });

describe('DeliveryLines', () => {
  test.prop([fc.array(entry, { maxLength: 50 })])('writes each entry as JSON.stringify does', (entries) => {
    const lines = new DeliveryLines();
    for (const e of entries) expect(lines.line(e)).toBe(JSON.stringify(e));
  });
});
