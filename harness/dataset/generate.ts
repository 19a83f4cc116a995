/**
 * Writes a dataset (CONTRACTS.md §3, docs/dataset.md): records per collected source, delivery.jsonl
 * and manifest.json with a sha256 per file into the dataset directory, and its answer key —
 * labels.jsonl and truth.json — into a folder outside it (by default the sibling `DIR.truth/`, see
 * answer-key.ts). Streaming end to end: memory does not grow with the scenario's length.
 */

import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type Composition,
  compose,
  mergeActors,
  type Shard,
  type SplitSinks,
  Splitter,
} from '../../generators/compose/index.js';
import { wallNow } from '../../src/core/clock.js';
import {
  ANSWER_KEY_FILES,
  DATASET_FILES,
  DATASET_FORMAT_VERSION,
  type DatasetManifest,
} from '../../src/core/dataset.js';
import { IP_NETWORKS_FILE } from '../../src/core/ip-networks.js';
import { SOURCES, type SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import { expectBlock, expectHash } from '../../src/scenario/thresholds.js';
import type { Scenario } from '../../src/scenario/types.js';
import { throwIfInterrupted } from '../interrupt.js';
import { checkAnswerKeyOutside, keyFolderBeside } from './answer-key.js';
import { writeIpNetworks } from './ip-networks.js';
import { JsonlWriter } from './jsonl-writer.js';
import { LA_GRAPH_FILE, writeGraphLaRows } from './log-analytics.js';

export interface GenerateOptions {
  /** the dataset directory: what a detector may be given */
  out: string;
  /** the answer key's folder (truth.json, labels.jsonl), outside `out`; default the sibling `<out>.truth` */
  truthOut?: string;
  seed?: number;
  shard?: Shard | null;
  scenarioHash: string;
  scenarioFile?: string;
  toolVersion: string;
  /** also write the Graph activity logs as Log Analytics rows (graph-activity.la.jsonl) */
  logAnalytics?: boolean;
  /**
   * called every PROGRESS_EVERY records (and once at the end) with the share of simulated time
   * done (0..1), the record count and the simulated time reached
   */
  onProgress?: (done: number, records: number, simTime: number) => void;
}

export interface GenerateResult {
  manifest: DatasetManifest;
  /** where the answer key was written */
  truthDir: string;
  truth: Truth;
  records: number;
  ms: number;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** The dataset's JSONL outputs, open for writing. */
export interface DatasetOutputs {
  records: Map<SourceId, JsonlWriter>;
  delivery: JsonlWriter;
  labels: JsonlWriter;
}

/** The answer key's folder of a generation, checked to lie outside the dataset directory. */
export function answerKeyDirOf(opts: Pick<GenerateOptions, 'out' | 'truthOut'>): string {
  const dir = resolve(opts.truthOut ?? keyFolderBeside(opts.out));
  checkAnswerKeyOutside(opts.out, dir);
  return dir;
}

export function openOutputs(scenario: Scenario, opts: Pick<GenerateOptions, 'out' | 'truthOut'>): DatasetOutputs {
  const key = answerKeyDirOf(opts);
  mkdirSync(opts.out, { recursive: true });
  // a dataset of format 1 being written over kept its key inside: it goes with the old records
  for (const f of Object.values(ANSWER_KEY_FILES)) rmSync(join(opts.out, f), { force: true });
  mkdirSync(key, { recursive: true });
  const records = new Map<SourceId, JsonlWriter>();
  for (const s of scenario.telemetry.sources) records.set(s, new JsonlWriter(join(opts.out, SOURCES[s].file)));
  return {
    records,
    delivery: new JsonlWriter(join(opts.out, DATASET_FILES.delivery)),
    labels: new JsonlWriter(join(key, ANSWER_KEY_FILES.labels)),
  };
}

/**
 * Close the outputs, write truth.json (into the answer key) and manifest.json; returns the
 * manifest. The manifest lists the dataset directory's files only: nothing in it points at the key.
 */
export function finishDataset(
  scenario: Scenario,
  opts: GenerateOptions,
  seed: number,
  outputs: DatasetOutputs,
  recordCounts: Partial<Record<SourceId, number>>,
  deliveries: number,
  truth: Truth,
): DatasetManifest {
  const files: DatasetManifest['files'] = {};
  for (const [s, w] of outputs.records) files[SOURCES[s].file] = w.close();
  files[DATASET_FILES.delivery] = outputs.delivery.close();
  files[IP_NETWORKS_FILE] = writeIpNetworks(opts.out);
  outputs.labels.close();
  if (opts.logAnalytics && scenario.telemetry.sources.includes('graphActivity')) {
    const { rows: _rows, ...file } = writeGraphLaRows(opts.out, seed);
    files[LA_GRAPH_FILE] = file;
  }
  writeTruth(answerKeyDirOf(opts), truth);
  const counts: DatasetManifest['counts'] = {};
  for (const s of scenario.telemetry.sources) counts[s] = recordCounts[s] ?? 0;
  counts.deliveries = deliveries;
  const manifest: DatasetManifest = {
    formatVersion: DATASET_FORMAT_VERSION,
    tool: { name: 'enumbench', version: opts.toolVersion },
    scenario: { name: scenario.name, hash: opts.scenarioHash },
    seed,
    window: {
      start: iso(scenario.time.start),
      end: iso(scenario.time.end),
      historyStart: iso(scenario.time.historyStart),
    },
    collection: { preset: scenario.telemetry.collection, sources: [...scenario.telemetry.sources] },
    hypotheses: [...scenario.telemetry.hypotheses],
    counts,
    files: sortKeys(files),
  };
  const expect = expectBlock(scenario.expect);
  manifest.expect = expect;
  manifest.expectSha256 = expectHash(expect);
  if (opts.shard) manifest.shard = { index: opts.shard.index, count: opts.shard.count };
  writeManifest(opts.out, manifest);
  return manifest;
}

/** Old-space limit (MiB) for a generation: a base plus the world plan's share per user. */
export function heapLimitFor(users: number): number {
  return Math.round(192 + users * 0.02);
}

/** records between two progress calls (a progress reporter throttles what it prints by wall time) */
export const PROGRESS_EVERY = 2048;

/** Generate a dataset on this thread (see generateDatasetParallel for several). */
export function generateDataset(scenario: Scenario, opts: GenerateOptions): GenerateResult {
  const steps = generationSteps(scenario, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * generateDataset, giving the event loop a turn every PROGRESS_EVERY records: a signal is handled
 * (harness/interrupt.ts) and the generation stops there.
 */
export async function generateDatasetInterruptibly(scenario: Scenario, opts: GenerateOptions): Promise<GenerateResult> {
  const steps = generationSteps(scenario, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise((resolve) => setImmediate(resolve));
    throwIfInterrupted();
  }
}

/** The generation, pausing (yield) every PROGRESS_EVERY records. */
function* generationSteps(scenario: Scenario, opts: GenerateOptions): Generator<void, GenerateResult> {
  const t0 = wallNow();
  const seed = opts.seed ?? scenario.seed;
  const outputs = openOutputs(scenario, opts);
  const { split, records, actors } = yield* splitSteps(
    scenario,
    seed,
    opts.shard ?? null,
    {
      record: (s, line) => (outputs.records.get(s) as JsonlWriter).line(line),
      delivery: (line) => outputs.delivery.line(line),
      label: (line) => outputs.labels.line(line),
    },
    opts.onProgress,
  );
  const truth = split.truth(opts.scenarioHash, actors);
  const manifest = finishDataset(scenario, opts, seed, outputs, split.counts, split.deliveries, truth);
  return { manifest, truth, truthDir: answerKeyDirOf(opts), records, ms: wallNow() - t0 };
}

/**
 * Compose the scenario (or a shard of it) and split its records, labels and deliveries into
 * `sinks` as lines, pausing every PROGRESS_EVERY records: the generation's one loop, used by
 * `generate` (the sinks write files) and by the estimate (they count bytes).
 */
export function* splitSteps(
  scenario: Scenario,
  seed: number,
  shard: Shard | null,
  sinks: SplitSinks,
  onProgress?: GenerateOptions['onProgress'],
): Generator<void, { split: Splitter; records: number; actors: Composition['actors'] }> {
  const c = compose(scenario, { seed, shard });
  const split = new Splitter(scenario, seed, c.world.tenantId, c.campaigns, sinks);
  const from = scenario.time.historyStart;
  const span = Math.max(1, scenario.time.end - from);
  let n = 0;
  for (const r of mergeActors(c.actors)) {
    split.push(r);
    if (++n % PROGRESS_EVERY === 0) {
      onProgress?.(Math.min(1, (r.time - from) / span), n, r.time);
      yield;
    }
  }
  onProgress?.(1, n, scenario.time.end);
  return { split, records: n, actors: c.actors };
}

/** truth.json into an answer-key folder. */
export function writeTruth(keyDir: string, truth: Truth): void {
  const tw = new JsonlWriter(join(keyDir, ANSWER_KEY_FILES.truth));
  tw.text(`${JSON.stringify(truth, null, 2)}\n`);
  tw.close();
}

export function writeManifest(dir: string, m: DatasetManifest): void {
  const w = new JsonlWriter(join(dir, DATASET_FILES.manifest));
  w.text(`${JSON.stringify(m, null, 2)}\n`);
  w.close();
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k] as T;
  return out;
}
