import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareRecords, LEAD_MS, mergeActors } from '../../../generators/compose/index.js';
import type { Actor, StreamItem } from '../../../generators/registry-types.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import type { SourceId } from '../../../src/core/sources.js';

const SOURCES: readonly SourceId[] = ['graphActivity', 'signIns', 'ual'];

/** An event: its announced time and its records' offsets from it (negative = before, within the lead). */
interface Ev {
  gap: number;
  offsets: { at: number; source: number }[];
}

function actor(id: string, lead: number | undefined, events: readonly Ev[]): Actor {
  return {
    id,
    label: { actor: id, kind: 'profile', module: 'test', malicious: false },
    principals: [],
    lead,
    *stream(): Generator<StreamItem> {
      let t = 1_000_000;
      let n = 0;
      for (const e of events) {
        t += e.gap;
        yield t;
        for (const o of e.offsets) {
          const r: LabelledRecord = {
            source: SOURCES[o.source] as SourceId,
            time: t + o.at,
            id: `${id}-${n++}`,
            record: {},
            label: this.label,
          };
          yield r;
        }
      }
    },
  };
}

const evArb = (maxLead: number) =>
  fc.record({
    gap: fc.integer({ min: 0, max: 5 * 60_000 }),
    offsets: fc.array(
      fc.record({ at: fc.integer({ min: -maxLead, max: 3 * 60_000 }), source: fc.integer({ min: 0, max: 2 }) }),
      { maxLength: 4 },
    ),
  });

const actorsArb = fc.array(
  fc
    .integer({ min: 0, max: LEAD_MS })
    .chain((lead) => fc.record({ lead: fc.constant(lead), events: fc.array(evArb(lead), { maxLength: 12 }) })),
  { minLength: 1, maxLength: 6 },
);

describe('mergeActors', () => {
  test.prop([actorsArb])(
    'releases every record once, in the total order, whatever lead each actor promises',
    (specs) => {
      const withLeads = [...mergeActors(specs.map((s, i) => actor(`a${i}`, s.lead, s.events)))];
      const withDefault = [...mergeActors(specs.map((s, i) => actor(`a${i}`, undefined, s.events)))];
      const all = withDefault.slice().sort(compareRecords);
      expect(withDefault).toEqual(all);
      expect(withLeads).toEqual(all);
      expect(all.length).toBe(specs.reduce((n, s) => n + s.events.reduce((m, e) => m + e.offsets.length, 0), 0));
    },
  );

  it('refuses a record earlier than its actor promised', () => {
    const early = actor('a0', 1000, [{ gap: 0, offsets: [{ at: -2000, source: 0 }] }]);
    expect(() => [...mergeActors([early])]).toThrow(/before its announced time \(limit 1s\)/);
    const fine = actor('a0', undefined, [{ gap: 0, offsets: [{ at: -2000, source: 0 }] }]);
    expect([...mergeActors([fine])]).toHaveLength(1);
  });
});
