/**
 * Writes a dataset (CONTRACTS.md §3, docs/dataset.md): records per collected source, delivery.jsonl,
 * labels.jsonl, truth.json and manifest.json with a sha256 per file. Streaming end to end: memory
 * does not grow with the scenario's length.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compose, mergeActors, type Shard, Splitter } from '../../generators/compose/index.js';
import { wallNow } from '../../src/core/clock.js';
import { DATASET_FILES, DATASET_FORMAT_VERSION, type DatasetManifest } from '../../src/core/dataset.js';
import { SOURCES, type SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import type { Scenario } from '../../src/scenario/types.js';
import { JsonlWriter } from './jsonl-writer.js';
import { LA_GRAPH_FILE, writeGraphLaRows } from './log-analytics.js';

export interface GenerateOptions {
  out: string;
  seed?: number;
  shard?: Shard | null;
  scenarioHash: string;
  scenarioFile?: string;
  toolVersion: string;
  /** also write the Graph activity logs as Log Analytics rows (graph-activity.la.jsonl) */
  logAnalytics?: boolean;
  /** called every ~50k records with the share of simulated time done (0..1) and the record count */
  onProgress?: (done: number, records: number) => void;
}

export interface GenerateResult {
  manifest: DatasetManifest;
  truth: Truth;
  records: number;
  ms: number;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

export function generateDataset(scenario: Scenario, opts: GenerateOptions): GenerateResult {
  const t0 = wallNow();
  const seed = opts.seed ?? scenario.seed;
  const c = compose(scenario, { seed, shard: opts.shard ?? null });
  mkdirSync(opts.out, { recursive: true });
  const sources = scenario.telemetry.sources;
  const writers = new Map<SourceId, JsonlWriter>();
  for (const s of sources) writers.set(s, new JsonlWriter(join(opts.out, SOURCES[s].file)));
  const delivery = new JsonlWriter(join(opts.out, DATASET_FILES.delivery));
  const labels = new JsonlWriter(join(opts.out, DATASET_FILES.labels));
  const split = new Splitter(scenario, seed, c.world.tenantId, c.campaigns, {
    record: (s, line) => (writers.get(s) as JsonlWriter).line(line),
    delivery: (line) => delivery.line(line),
    label: (line) => labels.line(line),
  });
  const from = scenario.time.historyStart;
  const span = Math.max(1, scenario.time.end - from);
  let n = 0;
  for (const r of mergeActors(c.actors)) {
    split.push(r);
    if (++n % 50_000 === 0 && opts.onProgress) opts.onProgress(Math.min(1, (r.time - from) / span), n);
  }
  opts.onProgress?.(1, n);
  const files: DatasetManifest['files'] = {};
  for (const [s, w] of writers) files[SOURCES[s].file] = w.close();
  files[DATASET_FILES.delivery] = delivery.close();
  files[DATASET_FILES.labels] = labels.close();
  if (opts.logAnalytics && sources.includes('graphActivity')) {
    const { rows: _rows, ...file } = writeGraphLaRows(opts.out, seed);
    files[LA_GRAPH_FILE] = file;
  }
  const truth = split.truth(opts.scenarioHash, c.actors);
  const tw = new JsonlWriter(join(opts.out, DATASET_FILES.truth));
  tw.text(`${JSON.stringify(truth, null, 2)}\n`);
  files[DATASET_FILES.truth] = tw.close();
  const counts: DatasetManifest['counts'] = {};
  for (const s of sources) counts[s] = split.counts[s] ?? 0;
  counts.deliveries = split.deliveries;
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
    collection: { preset: scenario.telemetry.collection, sources: [...sources] },
    hypotheses: [...scenario.telemetry.hypotheses],
    counts,
    files: sortKeys(files),
  };
  if (opts.shard) manifest.shard = { index: opts.shard.index, count: opts.shard.count };
  writeManifest(opts.out, manifest);
  return { manifest, truth, records: n, ms: wallNow() - t0 };
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
