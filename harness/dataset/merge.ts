/**
 * Merge the parts written by `generate --shard i/n` into the dataset an unsharded run writes, byte
 * for byte, its answer key too (the merged key goes beside the merged dataset, `<out>.truth/`, or to
 * `truthOut`). Each shard's labels.jsonl (in its answer key, found as findAnswerKey finds it) carries (time, source, id) per record in the shard's order;
 * a k-way merge on that key interleaves the shards' record lines, and the delivery schedule (whose
 * blob cuts depend on the global order) is recomputed over the merged stream. Streaming: every
 * file is read line by line, so memory does not grow with the dataset.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Heap } from 'heap-js';
import { DeliveryLines } from '../../generators/compose/index.js';
import { ANSWER_KEY_FILES, DATASET_FILES, type DatasetManifest } from '../../src/core/dataset.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { IP_NETWORKS_FILE } from '../../src/core/ip-networks.js';
import { SOURCES, type SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import { DeliverySchedule, ualContentType } from '../../src/delivery/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import { LineReader } from '../replay/line-reader.js';
import { findAnswerKey } from './answer-key.js';
import { answerKeyDirOf, sortKeys, writeManifest, writeTruth } from './generate.js';
import { writeIpNetworks } from './ip-networks.js';
import { JsonlWriter } from './jsonl-writer.js';
import { LA_GRAPH_FILE, writeGraphLaRows } from './log-analytics.js';

interface Lab {
  id: string;
  source: SourceId;
  time: number;
  line: string;
}

export function mergeShards(
  dirs: readonly string[],
  out: string,
  scenario: Scenario,
  tenantId: string,
  truthOut?: string,
): DatasetManifest {
  const keyOut = answerKeyDirOf({ out, ...(truthOut !== undefined ? { truthOut } : {}) });
  const keys = dirs.map((d) => findAnswerKey(d));
  const manifests = dirs.map(
    (d) => JSON.parse(readFileSync(join(d, DATASET_FILES.manifest), 'utf8')) as DatasetManifest,
  );
  const m0 = manifests[0];
  if (!m0) throw new EnumbenchError('E_MERGE', 'no shards to merge');
  const count = m0.shard?.count ?? 1;
  const seen = new Set(manifests.map((m) => m.shard?.index));
  if (
    manifests.length !== count ||
    seen.size !== count ||
    manifests.some((m) => m.seed !== m0.seed || m.scenario.hash !== m0.scenario.hash)
  ) {
    throw new EnumbenchError('E_MERGE', `expected ${count} distinct shards of one scenario and seed`, {
      hint: 'pass every directory written by generate --shard i/n with the same scenario and seed',
    });
  }
  const sources = m0.collection.sources;
  mkdirSync(out, { recursive: true });
  mkdirSync(keyOut, { recursive: true });
  const shardLabels = keys.map((k) => new LineReader(join(k.dir, ANSWER_KEY_FILES.labels)));
  const shardRecords = dirs.map((d) => {
    const map = new Map<SourceId, LineReader>();
    for (const s of sources) map.set(s, new LineReader(join(d, SOURCES[s].file)));
    return map;
  });
  const writers = new Map<SourceId, JsonlWriter>();
  for (const s of sources) writers.set(s, new JsonlWriter(join(out, SOURCES[s].file)));
  const delivery = new JsonlWriter(join(out, DATASET_FILES.delivery));
  const labels = new JsonlWriter(join(keyOut, ANSWER_KEY_FILES.labels));
  const schedule = new DeliverySchedule({ seed: m0.seed, tenantId, delivery: scenario.delivery });
  const cmp = (a: { lab: Lab }, b: { lab: Lab }) => {
    if (a.lab.time !== b.lab.time) return a.lab.time - b.lab.time;
    if (a.lab.source !== b.lab.source) return a.lab.source < b.lab.source ? -1 : 1;
    return a.lab.id < b.lab.id ? -1 : a.lab.id > b.lab.id ? 1 : 0;
  };
  const heap = new Heap<{ lab: Lab; shard: number }>(cmp);
  const parse = (line: string): Lab => {
    const o = JSON.parse(line) as { id: string; source: SourceId; time: number };
    return { id: o.id, source: o.source, time: o.time, line };
  };
  const readers = [...shardLabels, ...shardRecords.flatMap((m) => [...m.values()])];
  const deliveryLines = new DeliveryLines();
  let deliveries = 0;
  const counts: Partial<Record<SourceId, number>> = {};
  let lastPrune = 0;
  try {
    shardLabels.forEach((ls, i) => {
      const first = ls.nextText();
      if (first !== undefined) heap.push({ lab: parse(first), shard: i });
    });
    while (heap.length) {
      const top = heap.pop() as { lab: Lab; shard: number };
      const { lab } = top;
      const src = (shardRecords[top.shard] as Map<SourceId, LineReader>).get(lab.source);
      if (!src) throw new EnumbenchError('E_MERGE', `shard ${top.shard} has no ${lab.source} records file`);
      const line = src.nextText();
      if (line === undefined) {
        throw new EnumbenchError(
          'E_MERGE',
          `shard ${top.shard}: labels.jsonl has more ${lab.source} records than its file`,
        );
      }
      (writers.get(lab.source) as JsonlWriter).line(line);
      counts[lab.source] = (counts[lab.source] ?? 0) + 1;
      labels.line(lab.line);
      const rec = JSON.parse(line) as Record<string, unknown>;
      const channel =
        lab.source === 'ual'
          ? ualContentType(rec.RecordType as number)
          : lab.source === 'endpointPowerShell'
            ? String(rec.Computer)
            : String(rec.category);
      for (const e of schedule.schedule({ id: lab.id, source: lab.source, time: lab.time, channel })) {
        delivery.line(deliveryLines.line(e));
        deliveries++;
      }
      if (lab.time - lastPrune > 6 * 3_600_000) {
        schedule.prune(lab.time - 48 * 3_600_000);
        lastPrune = lab.time;
      }
      const next = (shardLabels[top.shard] as LineReader).nextText();
      if (next !== undefined) heap.push({ lab: parse(next), shard: top.shard });
    }
    for (const m of shardRecords) {
      for (const [s, r] of m) {
        if (r.nextText() !== undefined) {
          throw new EnumbenchError('E_MERGE', `a shard has more ${s} records than its labels.jsonl lists`);
        }
      }
    }
  } finally {
    for (const r of readers) r.close();
  }
  const files: DatasetManifest['files'] = {};
  for (const [s, w] of writers) files[SOURCES[s].file] = w.close();
  files[DATASET_FILES.delivery] = delivery.close();
  files[IP_NETWORKS_FILE] = writeIpNetworks(out);
  labels.close();
  // truth: campaigns and benign actors are disjoint across shards
  // Log Analytics rows (generate --log-analytics): converted again from the merged Graph file
  if (manifests.some((m) => m.files[LA_GRAPH_FILE]) && sources.includes('graphActivity')) {
    const { rows: _rows, ...file } = writeGraphLaRows(out, m0.seed);
    files[LA_GRAPH_FILE] = file;
  }
  writeTruth(keyOut, mergeTruths(keys.map((k) => JSON.parse(readFileSync(k.truth, 'utf8')) as Truth)));
  const mcounts: DatasetManifest['counts'] = {};
  for (const s of sources) mcounts[s] = counts[s] ?? 0;
  mcounts.deliveries = deliveries;
  const { shard: _shard, ...rest } = m0;
  const manifest: DatasetManifest = { ...rest, counts: mcounts, files: sortKeys(files) };
  writeManifest(out, manifest);
  return manifest;
}

/** The truth of the whole from its parts' truths: campaigns and benign actors are disjoint across parts. */
export function mergeTruths(truths: readonly Truth[]): Truth {
  const t0 = truths[0];
  if (!t0) throw new EnumbenchError('E_MERGE', 'no truth to merge');
  const byId =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    ...t0,
    campaigns: truths.flatMap((t) => t.campaigns).sort(byId((c) => c.id)),
    benign: truths.flatMap((t) => t.benign).sort(byId((b) => b.actor)),
  };
}
