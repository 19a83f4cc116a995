/** The dataset's total order. */
import type { LabelledRecord } from '../../src/core/records.js';

/** Order key: event time, then source and id (total and stable across runs and shards). */
export function compareRecords(a: LabelledRecord, b: LabelledRecord): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
