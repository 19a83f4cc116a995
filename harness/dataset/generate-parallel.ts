/**
 * Generate a dataset with several worker threads (`generate --jobs N`), byte for byte the dataset
 * one thread writes. Each worker generates every N-th actor of the scenario (or of the shard) and
 * serialises its records, labels and deliveries (generate-worker.ts); this thread interleaves the
 * workers' records by the dataset's total order (event time, source, id), copies their bytes to
 * the files, hashes them, and schedules the deliveries whose blobs depend on that order (the UAL's
 * blob counters). Memory stays bounded: each worker has at most a few batches in flight.
 */
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { DeliveryLines } from '../../generators/compose/index.js';
import { assertTenantSatisfiable, tenantIdFor } from '../../generators/world/index.js';
import { wallNow } from '../../src/core/clock.js';
import { EnumbenchError, internalError } from '../../src/core/errors.js';
import { SOURCE_IDS, type SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import { DeliverySchedule } from '../../src/delivery/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import { throwIfInterrupted } from '../interrupt.js';
import { replaceDirAtomic } from '../output-files.js';
import { builtWorkerFile } from '../worker-file.js';
import { checkKeyDirReplaceable, moveAnswerKey } from './answer-key.js';
import {
  answerKeyDirOf,
  finishDataset,
  type GenerateOptions,
  type GenerateResult,
  generateDatasetInterruptibly,
  heapLimitFor,
  openOutputs,
  PROGRESS_EVERY,
} from './generate.js';
import type { WorkerInput, WorkerResult } from './generate-worker.js';
import type { JsonlWriter } from './jsonl-writer.js';
import { mergeTruths } from './merge.js';
import {
  CONSUMED,
  M_DELIVERIES,
  M_DELIVERY,
  M_ID,
  M_LABEL,
  M_RECORD,
  M_SOURCE,
  M_TIME,
  META_FIELDS,
  PUBLISHED,
  ringBytes,
  SLOTS,
  type SlotView,
  STATE,
  slotViews,
} from './record-ring.js';

/** One worker's side of the merge: the batch being read and the position in it. */
class Part {
  readonly control: Int32Array;
  readonly slots: SlotView[];
  /** batches consumed so far */
  consumed = 0;
  slot: SlotView | null = null;
  /** records in the current batch, the next one, and its byte offset */
  count = 0;
  index = 0;
  offset = 0;
  /** head record: its time and source rank (the order key's first two parts) */
  time = 0;
  rank = 0;
  done = false;
  result: WorkerResult | null = null;
  exited: string | null = null;

  constructor(
    readonly worker: Worker,
    readonly port: MessagePort,
    ring: SharedArrayBuffer,
  ) {
    const v = slotViews(ring);
    this.control = v.control;
    this.slots = v.slots;
  }

  /** the head record's id (needed only to break ties in time and source) */
  id(): string {
    const slot = this.slot as SlotView;
    const m = this.index * META_FIELDS;
    return slot.data.toString('utf8', this.offset, this.offset + (slot.meta[m + M_ID] as number));
  }

  takeResult(): WorkerResult | null {
    if (!this.result) {
      const msg = receiveMessageOnPort(this.port);
      if (msg) this.result = msg.message as WorkerResult;
    }
    return this.result;
  }
}

/** Atomics.waitAsync (Node ≥ 16; not in this TypeScript lib) */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** Source order of the total order key: by source id, as compareRecords compares them. */
const RANK: readonly number[] = SOURCE_IDS.map((s) => [...SOURCE_IDS].sort().indexOf(s));

/** Young-generation size per worker (MiB): 8 keeps three threads under 300 MB on the bench tenant. */
const WORKER_YOUNG_MB = 8;

/**
 * Worker threads for `--jobs auto` (the default of generate, run and serve): one per core, at most
 * AUTO_JOBS_MAX, for tenants of up to AUTO_JOBS_MAX_USERS users; one thread beyond. Two workers make
 * the most of a two-core machine (the writing thread needs less than half a core), but each holds
 * its own world plan: peak RSS (`generate`, measured) 192 → 268 MiB at 4,000 users, 231 → 299 at
 * 6,000, 289 → 382 at 10,000. The cut keeps the default under 300 MB; `--jobs N` asks for more.
 */
export const AUTO_JOBS_MAX = 2;
export const AUTO_JOBS_MAX_USERS = 5000;
export function autoJobs(users: number, cores: number = availableParallelism()): number {
  if (users > AUTO_JOBS_MAX_USERS) return 1;
  return Math.max(1, Math.min(AUTO_JOBS_MAX, Math.floor(cores)));
}

/** The generation threads a `--jobs` value asks for, for a tenant of `users`. */
export function resolveJobs(jobs: number | 'auto', users: number): number {
  return jobs === 'auto' ? autoJobs(users) : jobs;
}

/**
 * Generate with `jobs` threads: this one for 1, worker threads (each with a heap sized to the
 * tenant) for more. The same bytes either way.
 */
export async function generateWithJobs(
  scenario: Scenario,
  opts: GenerateOptions,
  jobs: number,
): Promise<GenerateResult> {
  // written beside and renamed into place when complete: an interrupted or failed generation leaves
  // the previous dataset or none. So is its answer key, outside it (renamed just before the dataset).
  // (A write error is reported with the dataset's path: the key is written beside it, or, in `run`,
  // to the system temp folder.)
  const keyDir = answerKeyDirOf(opts);
  checkKeyDirReplaceable(keyDir);
  const keyTmp = join(dirname(keyDir), `.${basename(keyDir)}.${process.pid}.tmp`);
  const removeKeyTmp = () => rmSync(keyTmp, { recursive: true, force: true });
  process.once('exit', removeKeyTmp);
  try {
    const result = await replaceDirAtomic(opts.out, async (tmp) => {
      removeKeyTmp();
      const o = { ...opts, out: tmp, truthOut: keyTmp };
      const r =
        jobs > 1
          ? await generateDatasetParallel(scenario, { ...o, jobs, workerHeapMb: heapLimitFor(scenario.tenant.users) })
          : await generateDatasetInterruptibly(scenario, o);
      throwIfInterrupted();
      moveAnswerKey(keyTmp, keyDir);
      return r;
    });
    return { ...result, truthDir: keyDir };
  } finally {
    removeKeyTmp();
    process.off('exit', removeKeyTmp);
  }
}

export interface ParallelOptions extends GenerateOptions {
  /** worker threads (each generates every jobs-th actor) */
  jobs: number;
  /** old-space limit per worker (MiB); each worker holds its own copy of the world plan */
  workerHeapMb?: number;
  /** records per batch (tests: small batches turn the ring many times) */
  batchRecords?: number;
}

export async function generateDatasetParallel(scenario: Scenario, opts: ParallelOptions): Promise<GenerateResult> {
  const t0 = wallNow();
  const seed = opts.seed ?? scenario.seed;
  const jobs = Math.max(1, Math.floor(opts.jobs));
  // refuse what the tenant cannot satisfy, and a key inside the dataset, before starting any thread
  assertTenantSatisfiable(scenario);
  answerKeyDirOf(opts);
  const file = builtWorkerFile(import.meta.url, 'dataset', 'generate-worker.js');
  const parts: Part[] = [];
  for (let i = 0; i < jobs; i++) {
    const ring = new SharedArrayBuffer(ringBytes());
    const { port1, port2 } = new MessageChannel();
    const input: WorkerInput = {
      scenario,
      seed,
      shard: opts.shard ?? null,
      part: { index: i, count: jobs },
      scenarioHash: opts.scenarioHash,
      ring,
      port: port2,
      ...(opts.batchRecords ? { batchRecords: opts.batchRecords } : {}),
    };
    const worker = new Worker(file, {
      workerData: input,
      transferList: [port2],
      resourceLimits: {
        // a small young generation: records die young, and each worker's semi-spaces add to the process's memory
        maxYoungGenerationSizeMb: WORKER_YOUNG_MB,
        ...(opts.workerHeapMb ? { maxOldGenerationSizeMb: opts.workerHeapMb } : {}),
      },
    });
    const part = new Part(worker, port1, ring);
    worker.on('error', (e) => {
      part.exited = e.message;
      Atomics.notify(part.control, PUBLISHED);
    });
    worker.on('exit', (code) => {
      if (!part.result && !part.takeResult()) part.exited ??= `exit code ${code}`;
      Atomics.notify(part.control, PUBLISHED);
    });
    parts.push(part);
  }

  try {
    return await writeMerged(scenario, opts, seed, parts, t0);
  } finally {
    for (const p of parts) {
      p.port.close();
      await p.worker.terminate();
    }
  }
}

/** Wait (without blocking the event loop) until the part has a batch to read or has finished. */
async function nextBatch(p: Part): Promise<boolean> {
  if (p.slot) {
    p.consumed++;
    Atomics.store(p.control, CONSUMED, p.consumed);
    Atomics.notify(p.control, CONSUMED);
    p.slot = null;
  }
  for (;;) {
    const published = Atomics.load(p.control, PUBLISHED);
    if (published > p.consumed) {
      const slot = p.slots[p.consumed % SLOTS] as SlotView;
      p.slot = slot;
      p.count = slot.header[0] as number;
      p.index = 0;
      p.offset = 0;
      if (p.count === 0) continue;
      return true;
    }
    const state = Atomics.load(p.control, STATE);
    if (state !== 0) {
      // the worker posts its result before setting the state; it may take a moment to arrive
      for (let i = 0; i < 100 && !p.takeResult(); i++) await new Promise((r) => setTimeout(r, 10));
      const res = p.takeResult();
      if (!res) throw internalError('a generation worker finished without a result');
      if (!res.ok) throw workerError(res);
      if (Atomics.load(p.control, PUBLISHED) > p.consumed) continue;
      p.done = true;
      return false;
    }
    if (p.exited) throw internalError(`a generation worker stopped: ${p.exited}`);
    const w = waitAsync(p.control, PUBLISHED, published, 1000);
    if (w.async) await w.value;
  }
}

function workerError(res: Extract<WorkerResult, { ok: false }>): Error {
  if (res.enumbench) {
    return new EnumbenchError(res.enumbench.code, res.message, {
      diagnostics: res.enumbench.diagnostics,
      ...(res.enumbench.hint ? { hint: res.enumbench.hint } : {}),
    });
  }
  const e = internalError(`generation worker: ${res.message}`);
  if (res.stack) e.stack = res.stack;
  return e;
}

function loadHead(p: Part): void {
  const m = p.index * META_FIELDS;
  const meta = (p.slot as SlotView).meta;
  p.time = meta[m + M_TIME] as number;
  p.rank = RANK[meta[m + M_SOURCE] as number] as number;
}

async function writeMerged(
  scenario: Scenario,
  opts: GenerateOptions,
  seed: number,
  parts: Part[],
  t0: number,
): Promise<GenerateResult> {
  const outputs = openOutputs(scenario, opts);
  const schedule = new DeliverySchedule({ seed, tenantId: tenantIdFor(seed), delivery: scenario.delivery });
  const deliveryLines = new DeliveryLines();
  const counts: Partial<Record<SourceId, number>> = {};
  const writers: (JsonlWriter | undefined)[] = SOURCE_IDS.map((s) => outputs.records.get(s));
  const perSource = new Float64Array(SOURCE_IDS.length);
  let deliveries = 0;
  let lastPrune = 0;
  const from = scenario.time.historyStart;
  const span = Math.max(1, scenario.time.end - from);

  const live: Part[] = [];
  for (const p of parts) {
    if (await nextBatch(p)) {
      loadHead(p);
      live.push(p);
    }
  }
  let n = 0;
  while (live.length) {
    // the part whose head record comes first (few parts: a scan beats a heap)
    let best = live[0] as Part;
    let bi = 0;
    for (let i = 1; i < live.length; i++) {
      const p = live[i] as Part;
      if (
        p.time < best.time ||
        (p.time === best.time && (p.rank < best.rank || (p.rank === best.rank && p.id() < best.id())))
      ) {
        best = p;
        bi = i;
      }
    }
    const p = best;
    const slot = p.slot as SlotView;
    const meta = slot.meta;
    const data = slot.data;
    const m = p.index * META_FIELDS;
    const source = meta[m + M_SOURCE] as number;
    const time = p.time;
    const idLen = meta[m + M_ID] as number;
    const recLen = meta[m + M_RECORD] as number;
    const labelLen = meta[m + M_LABEL] as number;
    const delLen = meta[m + M_DELIVERY] as number;
    const delCount = meta[m + M_DELIVERIES] as number;
    let at = p.offset + idLen;
    const writer = writers[source];
    if (!writer) throw internalError(`a worker produced a record of an uncollected source (${SOURCE_IDS[source]})`);
    writer.copy(data, at, at + recLen, 1);
    at += recLen;
    outputs.labels.copy(data, at, at + labelLen, 1);
    at += labelLen;
    if (delCount >= 0) {
      outputs.delivery.copy(data, at, at + delLen, delCount);
      deliveries += delCount;
    } else {
      const id = data.toString('utf8', p.offset, p.offset + idLen);
      const channel = data.toString('utf8', at, at + delLen);
      const src = SOURCE_IDS[source] as SourceId;
      for (const e of schedule.schedule({ id, source: src, time, channel })) {
        outputs.delivery.line(deliveryLines.line(e));
        deliveries++;
      }
    }
    at += delLen;
    perSource[source] = (perSource[source] as number) + 1;
    // as Splitter.push does, on every record in the same order: the same counters are forgotten
    if (time - lastPrune > 6 * 3_600_000) {
      schedule.prune(time - 48 * 3_600_000);
      lastPrune = time;
    }
    if (++n % PROGRESS_EVERY === 0) opts.onProgress?.(Math.min(1, (time - from) / span), n, time);
    p.offset = at;
    if (++p.index < p.count) loadHead(p);
    else if (await nextBatch(p)) {
      throwIfInterrupted();
      loadHead(p);
    } else live.splice(bi, 1);
  }
  opts.onProgress?.(1, n, scenario.time.end);

  let workerRecords = 0;
  const truths: Truth[] = [];
  for (const p of parts) {
    const res = p.takeResult();
    if (!res?.ok) throw internalError('a generation worker finished without a result');
    workerRecords += res.records;
    truths.push(res.truth);
  }
  if (workerRecords !== n) throw internalError(`workers generated ${workerRecords} records, ${n} written`);
  SOURCE_IDS.forEach((s, i) => {
    if (perSource[i]) counts[s] = perSource[i] as number;
  });
  const truth = mergeTruths(truths);
  const manifest = finishDataset(scenario, opts, seed, outputs, counts, deliveries, truth);
  return { manifest, truth, truthDir: answerKeyDirOf(opts), records: n, ms: wallNow() - t0 };
}
