/**
 * A generation worker (worker_threads) for generateDatasetParallel: it composes the scenario,
 * keeps every `part.count`-th actor of the shard starting at `part.index`, merges their streams and
 * splits them exactly as a one-thread run does, and hands each record's bytes (record line, label
 * line, delivery lines) to the writing thread through a record ring (record-ring.ts). The writer
 * interleaves the parts by the dataset's total order and schedules the deliveries that depend on
 * it (UAL blob counters); everything else is done here, on this core.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { channelOf, compose, mergeActors, type Shard, Splitter } from '../../generators/compose/index.js';
import { type Diagnostic, EnumbenchError, type ErrorCode } from '../../src/core/errors.js';
import { SOURCE_IDS, type SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import type { Scenario } from '../../src/scenario/types.js';
import {
  CONSUMED,
  DATA_BYTES,
  M_DELIVERIES,
  M_DELIVERY,
  M_ID,
  M_LABEL,
  M_RECORD,
  M_SOURCE,
  M_TIME,
  MAX_RECORDS,
  META_FIELDS,
  PUBLISHED,
  SLOTS,
  STATE,
  slotViews,
} from './record-ring.js';

export interface WorkerInput {
  scenario: Scenario;
  seed: number;
  shard: Shard | null;
  part: Shard;
  scenarioHash: string;
  ring: SharedArrayBuffer;
  port: MessagePort;
  /** records per batch (at most MAX_RECORDS; smaller in tests, to turn the ring many times) */
  batchRecords?: number;
}

export type WorkerResult =
  | { ok: true; records: number; truth: Truth }
  | {
      ok: false;
      message: string;
      stack?: string | undefined;
      /** set when the worker threw an EnumbenchError: rebuilt as one by the writer */
      enumbench?: { code: ErrorCode; hint?: string | undefined; diagnostics: readonly Diagnostic[] };
    };

/** Sources whose delivery blobs depend on the global order (blob counters): the writer schedules them. */
export const DEFERRED_DELIVERY: ReadonlySet<SourceId> = new Set<SourceId>(['ual']);

function run(input: WorkerInput): WorkerResult {
  const { scenario, seed, part } = input;
  const { control, slots } = slotViews(input.ring);
  const c = compose(scenario, { seed, shard: input.shard });
  const actors = c.actors.filter((_, i) => i % part.count === part.index);
  const campaigns = actors.flatMap((a) => (a.campaign ? [a.campaign] : []));

  // the current record's strings, filled by the splitter's sinks
  let recordLine = '';
  let labelLine = '';
  const deliveryLines: string[] = [];
  const split = new Splitter(scenario, seed, c.world.tenantId, campaigns, {
    record: (_s, line) => {
      recordLine = line;
    },
    delivery: (line) => {
      deliveryLines.push(line);
    },
    label: (line) => {
      labelLine = line;
    },
  });

  let published = 0;
  let slot = slots[0] as (typeof slots)[number];
  let count = 0;
  let used = 0;
  const acquire = () => {
    // wait until the writer has freed the slot we are about to fill
    for (;;) {
      const consumed = Atomics.load(control, CONSUMED);
      if (published - consumed < SLOTS) break;
      Atomics.wait(control, CONSUMED, consumed);
    }
    slot = slots[published % SLOTS] as (typeof slots)[number];
    count = 0;
    used = 0;
  };
  const publish = () => {
    slot.header[0] = count;
    slot.header[1] = used;
    published++;
    Atomics.store(control, PUBLISHED, published);
    Atomics.notify(control, PUBLISHED);
  };
  const put = (s: string): number => {
    const n = slot.data.write(s, used);
    used += n;
    return n;
  };

  const perBatch = Math.max(1, Math.min(MAX_RECORDS, input.batchRecords ?? MAX_RECORDS));
  acquire();
  let n = 0;
  for (const r of mergeActors(actors)) {
    deliveryLines.length = 0;
    split.push(r);
    const deferred = DEFERRED_DELIVERY.has(r.source);
    const channel = deferred ? (r.channel ?? channelOf(r)) : '';
    let chars = r.id.length + recordLine.length + labelLine.length + channel.length + 3;
    if (!deferred) for (const d of deliveryLines) chars += d.length + 1;
    // a UTF-16 unit never takes more than 3 bytes in UTF-8
    if (3 * chars > DATA_BYTES) throw new Error(`record ${r.source}/${r.id} is too large for a batch`);
    if (count === perBatch || used + 3 * chars > DATA_BYTES) {
      publish();
      acquire();
    }
    const m = count * META_FIELDS;
    const meta = slot.meta;
    meta[m + M_TIME] = r.time;
    meta[m + M_SOURCE] = SOURCE_IDS.indexOf(r.source);
    meta[m + M_ID] = put(r.id);
    meta[m + M_RECORD] = put(recordLine) + 1;
    slot.data[used++] = 0x0a;
    meta[m + M_LABEL] = put(labelLine) + 1;
    slot.data[used++] = 0x0a;
    if (deferred) {
      meta[m + M_DELIVERY] = put(channel);
      meta[m + M_DELIVERIES] = -1;
    } else {
      let b = 0;
      for (const d of deliveryLines) {
        b += put(d) + 1;
        slot.data[used++] = 0x0a;
      }
      meta[m + M_DELIVERY] = b;
      meta[m + M_DELIVERIES] = deliveryLines.length;
    }
    count++;
    n++;
  }
  if (count) publish();
  return { ok: true, records: n, truth: split.truth(input.scenarioHash, actors) };
}

const input = workerData as WorkerInput | undefined;
if (input) {
  const { control } = slotViews(input.ring);
  let result: WorkerResult;
  try {
    result = run(input);
  } catch (e) {
    const err = e as Error;
    result = { ok: false, message: err.message, stack: err.stack };
    if (e instanceof EnumbenchError) {
      result.enumbench = { code: e.code, hint: e.hint, diagnostics: e.diagnostics };
    }
  }
  // the result first, then the state the writer waits on
  input.port.postMessage(result);
  Atomics.store(control, STATE, result.ok ? 1 : 2);
  Atomics.notify(control, PUBLISHED);
  Atomics.notify(control, STATE);
}
