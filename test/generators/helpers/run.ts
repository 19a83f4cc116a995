import { compose, mergeActors, type Shard, Splitter } from '../../../generators/compose/index.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import type { SourceId } from '../../../src/core/sources.js';
import type { Truth } from '../../../src/core/truth.js';
import type { Scenario } from '../../../src/scenario/types.js';

export interface InMemoryDataset {
  records: LabelledRecord[];
  lines: Record<string, string[]>;
  delivery: string[];
  labels: string[];
  truth: Truth;
  tenantId: string;
}

/** Generate a dataset in memory (what `generate` writes, minus the files). */
export function generateInMemory(s: Scenario, opts: { seed?: number; shard?: Shard | null } = {}): InMemoryDataset {
  const c = compose(s, { seed: opts.seed ?? s.seed, shard: opts.shard ?? null });
  const lines: Record<string, string[]> = {};
  const delivery: string[] = [];
  const labels: string[] = [];
  const split = new Splitter(s, opts.seed ?? s.seed, c.world.tenantId, c.campaigns, {
    record: (src: SourceId, l: string) => {
      const arr = lines[src];
      if (arr) arr.push(l);
      else lines[src] = [l];
    },
    delivery: (l) => delivery.push(l),
    label: (l) => labels.push(l),
  });
  const records: LabelledRecord[] = [];
  for (const r of mergeActors(c.actors)) {
    records.push(r);
    split.push(r);
  }
  return { records, lines, delivery, labels, truth: split.truth('test', c.actors), tenantId: c.world.tenantId };
}
