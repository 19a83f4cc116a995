/**
 * Running an in-process detector over a dataset directory in lockstep and scoring it: the seam for
 * `enumbench run DIR` (CONTRACTS.md §3: `run` accepts a dataset directory as well as a scenario).
 * Reads the records of every collected source, joins them with delivery.jsonl in availability order,
 * replays them through runLockstep, and scores the alerts against truth.json and labels.jsonl.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_FILES, type DeliveryEntry } from '../../src/core/dataset.js';
import type { Detector } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { recordIdOf, SOURCES, type SourceId } from '../../src/core/sources.js';
import type { RecordLabel, Truth } from '../../src/core/truth.js';
import {
  type DatasetStamp,
  formatAlertsJsonl,
  parseDeliveryText,
  parseLabelsText,
  parseTruthText,
  type Scorecard,
  type ScoringOptions,
  scoreRun,
} from '../../src/scoring/index.js';
import { availabilityOrder, joinDelivery, type LockstepResult, runLockstep } from './lockstep.js';

export interface DatasetFiles {
  truth: Truth;
  labels: RecordLabel[] | null;
  delivery: DeliveryEntry[];
  /** `${source}\u0000${id}` → record */
  records: Map<string, TelemetryRecord>;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new EnumbenchError('E_DATASET', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      hint: 'pass a directory written by `enumbench generate --out DIR`',
    });
  }
}

function firstProblem(list: { message: string; position?: { file: string; line: number } }[]): never {
  const p = list[0];
  throw new EnumbenchError('E_DATASET', `${p?.position ? `${p.position.file}:${p.position.line}: ` : ''}${p?.message}`);
}

export function readDatasetDir(dir: string): DatasetFiles {
  const truth = parseTruthText(read(join(dir, DATASET_FILES.truth)), join(dir, DATASET_FILES.truth));
  const labelsPath = join(dir, DATASET_FILES.labels);
  let labels: RecordLabel[] | null = null;
  if (existsSync(labelsPath)) {
    const r = parseLabelsText(read(labelsPath), labelsPath);
    if (r.problems.length) firstProblem(r.problems);
    labels = r.items;
  }
  const d = parseDeliveryText(read(join(dir, DATASET_FILES.delivery)), join(dir, DATASET_FILES.delivery));
  if (d.problems.length) firstProblem(d.problems);
  const records = new Map<string, TelemetryRecord>();
  for (const source of truth.sources as SourceId[]) {
    const info = SOURCES[source];
    const file = join(dir, info.file);
    if (!existsSync(file)) continue;
    const lines = read(file).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      let rec: TelemetryRecord;
      try {
        rec = JSON.parse(line) as TelemetryRecord;
      } catch (e) {
        throw new EnumbenchError('E_DATASET', `${file}:${i + 1}: not valid JSON: ${(e as Error).message}`);
      }
      const id = recordIdOf(source, rec);
      if (id === undefined)
        throw new EnumbenchError('E_DATASET', `${file}:${i + 1}: the record has no ${info.idField}`);
      records.set(`${source}\u0000${id}`, rec);
    }
  }
  return { truth, labels, delivery: d.items, records };
}

export interface DatasetRunOptions {
  dir: string;
  detector: Detector;
  tickMs?: number;
  /** simulated time the detector keeps running after the window ends (default 6h) */
  drainMs?: number;
  scoring?: Partial<ScoringOptions>;
}

export interface DatasetRun {
  truth: Truth;
  lockstep: LockstepResult;
  card: Scorecard;
  /** the alerts file to write beside the reports (scoring it reproduces `card`) */
  alertsJsonl: string;
  stamp: DatasetStamp;
}

export async function runOnDataset(o: DatasetRunOptions): Promise<DatasetRun> {
  const ds = readDatasetDir(o.dir);
  const { truth } = ds;
  const entries = availabilityOrder(ds.delivery);
  const lockstep = await runLockstep({
    detector: o.detector,
    items: joinDelivery(entries, (id, source) => ds.records.get(`${source}\u0000${id}`)),
    sources: truth.sources,
    start: Math.min(truth.window.historyStart, entries[0]?.at ?? truth.window.historyStart),
    end: truth.window.end + (o.drainMs ?? 6 * 60 * 60_000),
    ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
  });
  const card = scoreRun({
    truth,
    alerts: lockstep.alerts,
    labels: ds.labels,
    delivery: ds.delivery,
    // in-process lockstep hands the detector every delivered record: the ledger is the schedule itself
    collected: new Set(ds.delivery.map((d) => d.id)),
    malformed: lockstep.malformed.length,
    ...(o.scoring ? { options: o.scoring } : {}),
  });
  const stamp = { scenario: truth.scenario.name, hash: truth.scenario.hash, seed: truth.seed };
  return { truth, lockstep, card, alertsJsonl: formatAlertsJsonl(lockstep.alerts, stamp), stamp };
}
