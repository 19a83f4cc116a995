/**
 * Running an in-process detector over a dataset directory in lockstep and scoring it: the seam for
 * `enumbench run DIR` (CONTRACTS.md §3: `run` accepts a dataset directory as well as a scenario).
 *
 * Streaming end to end (DESIGN.md "Scale"), so memory does not grow with the dataset's length:
 *   1. the answer key is found outside the dataset directory (harness/dataset/answer-key.ts; a
 *      directory holding its key is refused: the detector must not be able to read it); truth.json
 *      is read, labels.jsonl and delivery.jsonl are checked line by line before the replay starts
 *      (the first bad line stops the run with its file:line);
 *   2. the replay reads delivery.jsonl in availability order with a bounded reorder window and
 *      fetches each record from its source file by offset (harness/replay/dataset.ts), in the order
 *      `availabilityOrder` gives a whole schedule, into runLockstep;
 *   3. scoring streams labels.jsonl and delivery.jsonl once more into a ScoringSubset, keeping the
 *      labels and availability of the records the alerts cite and whether each campaign's records
 *      were delivered (in-process lockstep hands the detector every delivery: the schedule is the
 *      collection ledger).
 * Memory: the open availability window, the alerts, and the campaigns' record ids.
 */
import { readFileSync } from 'node:fs';
import type { ReceivedAlert } from '../../src/core/alerts.js';
import type { Detector } from '../../src/core/detector.js';
import { type Diagnostic, EnumbenchError } from '../../src/core/errors.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { recordIdOf, type SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import { type Activity, ActivityCounter } from '../../src/report/index.js';
import {
  type DatasetStamp,
  formatAlertsJsonl,
  parseDeliveryLine,
  parseLabelLine,
  parseTruthText,
  type Scorecard,
  type ScoringOptions,
  ScoringSubset,
  scoreWithLookups,
} from '../../src/scoring/index.js';
import { checkAnswerKeyMatches, findAnswerKey, refuseAnswerKeyInside } from '../dataset/answer-key.js';
import { datasetIpNetworks } from '../dataset/ip-networks.js';
import { type DatasetDeliveries, type DeliveryLineParser, scanDeliveries } from '../replay/dataset.js';
import type { DeliveryStream, PendingDelivery } from '../replay/publication.js';
import { type LockstepResult, type ReplayItem, runLockstep } from './in-process-lockstep.js';
import { feedScoringSubset, streamJsonl } from './scoring-files.js';

const HINT = 'pass a directory written by `enumbench generate --out DIR`';

function cannotRead(path: string, e: NodeJS.ErrnoException): EnumbenchError {
  return new EnumbenchError('E_DATASET', `cannot read ${path}: ${e.code ?? e.message ?? e}`, { hint: HINT });
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw cannotRead(path, e as NodeJS.ErrnoException);
  }
}

function lineError(p: Diagnostic): EnumbenchError {
  return new EnumbenchError('E_DATASET', `${p.position ? `${p.position.file}:${p.position.line}: ` : ''}${p.message}`);
}

/** delivery.jsonl lines as the scorer reads them: the first bad line stops the run with its file:line */
const checkedDelivery: DeliveryLineParser = (path, lineNo, bytes) => {
  const r = parseDeliveryLine(bytes.toString('utf8'), path, lineNo);
  if (r === null) return undefined;
  if (!r.ok) throw lineError(r.problem);
  return r.item;
};

/**
 * The stream's deliveries as the lockstep replays them, each with its parsed record: in
 * availability order, deliveries of the same instant by source, then id, then position in the
 * schedule — the order `availabilityOrder` gives a whole schedule. Only one instant is held.
 */
export function* replayItems(stream: DeliveryStream, sources: readonly SourceId[]): Generator<ReplayItem> {
  const collected = new Set<SourceId>(sources);
  const item = (d: PendingDelivery): ReplayItem => {
    const { entry } = d;
    if (!collected.has(entry.source)) {
      throw new EnumbenchError(
        'E_REPLAY_INVARIANT',
        `delivery.jsonl schedules record ${entry.id} (${entry.source}) that is not in the dataset`,
      );
    }
    let record: TelemetryRecord;
    try {
      record = JSON.parse(d.text()) as TelemetryRecord;
    } catch (e) {
      throw new EnumbenchError(
        'E_DATASET',
        `${d.origin?.() ?? entry.source}: not valid JSON (${(e as Error).message})`,
      );
    }
    if (recordIdOf(entry.source, record) !== entry.id) {
      throw new EnumbenchError(
        'E_REPLAY_INVARIANT',
        `${d.origin?.() ?? entry.source}: taken for ${entry.source} record ${entry.id}, but its id is ${String(recordIdOf(entry.source, record))}`,
      );
    }
    return { entry, record };
  };
  const bySourceThenId = (a: PendingDelivery, b: PendingDelivery) =>
    a.entry.source < b.entry.source
      ? -1
      : a.entry.source > b.entry.source
        ? 1
        : a.entry.id < b.entry.id
          ? -1
          : a.entry.id > b.entry.id
            ? 1
            : 0;
  let group: PendingDelivery[] = [];
  for (let d = stream.next(); d; d = stream.next()) {
    if (group.length > 0 && d.entry.at !== (group[0] as PendingDelivery).entry.at) {
      // a stable sort: equal (source, id) keep the schedule's order
      for (const g of group.sort(bySourceThenId)) yield item(g);
      group = [];
    }
    group.push(d);
  }
  for (const g of group.sort(bySourceThenId)) yield item(g);
}

export interface DatasetRunOptions {
  dir: string;
  /** the answer key's folder (default: found beside the dataset, see findAnswerKey) */
  truthDir?: string;
  detector: Detector;
  tickMs?: number;
  /** wall-clock limit for one detector call (default 30 s): a stdio: tick waits this long for its acknowledgement */
  callTimeoutMs?: number;
  /** simulated time the detector keeps running after the window ends (default 6h) */
  drainMs?: number;
  scoring?: Partial<ScoringOptions>;
  /** replay progress: the share of simulated time replayed, records delivered, the simulated now */
  onProgress?: (done: number, records: number, simTime: number) => void;
}

export interface DatasetRun {
  truth: Truth;
  lockstep: LockstepResult;
  card: Scorecard;
  /** the alerts file to write beside the reports (scoring it reproduces `card`) */
  alertsJsonl: string;
  stamp: DatasetStamp;
  /** the timeline's counts (see DatasetKey) */
  activity: Activity;
}

/** A dataset's answer key and schedule, checked before the replay: a bad line fails in seconds, not after the detector ran. */
export interface DatasetKey {
  dir: string;
  truth: Truth;
  /** labels.jsonl, when there is one */
  labels: string | null;
  deliveries: DatasetDeliveries;
  /** records per source and time bucket, by event time and by availability (the HTML report's timeline) */
  activity: Activity;
}

export function openDatasetKey(dir: string, truthDir?: string): DatasetKey {
  refuseAnswerKeyInside(dir);
  const key = findAnswerKey(dir, truthDir);
  const truth = parseTruthText(read(key.truth), key.truth);
  checkAnswerKeyMatches(dir, truth, key.truth);
  const labels = key.labels;
  // the checking passes below also count the timeline's buckets: no extra read of either file
  const counter = new ActivityCounter(truth.window.start, truth.window.end, truth.sources);
  if (labels !== null) {
    streamJsonl({
      path: labels,
      parse: parseLabelLine,
      onItem: (l) => counter.record(l.source, l.time, l.class !== 'benign'),
      onProblem: (p) => {
        throw lineError(p);
      },
      readError: (e) => cannotRead(labels, e),
    });
  }
  // the schedule keeps this parser for the replay's own reading: count during the scan only
  let scanning = true;
  const deliveries = scanDeliveries(dir, {
    parse: (path, lineNo, bytes) => {
      const e = checkedDelivery(path, lineNo, bytes);
      if (e && scanning) counter.available(e.source, e.at, e.duplicate === true);
      return e;
    },
    everySource: true,
  });
  scanning = false;
  return { dir, truth, labels, deliveries, activity: counter.result() };
}

export interface ScoredRun {
  card: Scorecard;
  /** the alerts file to write beside the reports (scoring it reproduces `card`) */
  alertsJsonl: string;
  stamp: DatasetStamp;
}

/**
 * Score what a detector emitted on a dataset. `collected` is the collection ledger: omitted, the
 * schedule is the ledger (the bench handed the detector every delivery: in-process and stdio);
 * given, whether the collector fetched a record (the mock's ledger, for detectors that poll).
 */
export function scoreOnDataset(
  key: DatasetKey,
  emitted: { alerts: readonly ReceivedAlert[]; malformed: number },
  o: {
    collected?: (id: string, source: SourceId) => boolean;
    scoring?: Partial<ScoringOptions>;
    latencyScaled?: string;
  } = {},
): ScoredRun {
  const subset = new ScoringSubset(emitted.alerts, {
    labels: key.labels !== null,
    delivery: true,
    scheduleIsLedger: true,
    ...(o.collected ? { collected: o.collected } : {}),
  });
  feedScoringSubset(subset, {
    labels: key.labels,
    delivery: key.deliveries.path,
    onlyIfNeeded: true,
    onProblem: (p) => {
      throw lineError(p);
    },
    readError: (e, path) => cannotRead(path, e),
  });
  const card = scoreWithLookups(
    {
      truth: key.truth,
      alerts: emitted.alerts,
      malformed: emitted.malformed,
      ...(o.latencyScaled ? { latencyScaled: o.latencyScaled } : {}),
      ...(o.scoring ? { options: o.scoring } : {}),
    },
    subset.lookups(),
  );
  const { truth } = key;
  const stamp = { scenario: truth.scenario.name, hash: truth.scenario.hash, seed: truth.seed };
  return { card, alertsJsonl: formatAlertsJsonl(emitted.alerts, stamp), stamp };
}

export async function runOnDataset(o: DatasetRunOptions): Promise<DatasetRun> {
  const key = openDatasetKey(o.dir, o.truthDir);
  const { truth, deliveries } = key;
  const stream = deliveries.open();
  let lockstep: LockstepResult;
  const start = Math.min(truth.window.historyStart, deliveries.first ?? truth.window.historyStart);
  const end = truth.window.end + (o.drainMs ?? 6 * 60 * 60_000);
  const onProgress = o.onProgress;
  try {
    lockstep = await runLockstep({
      detector: o.detector,
      items: replayItems(stream, truth.sources),
      sources: truth.sources,
      networks: datasetIpNetworks(o.dir),
      start,
      end,
      ...(onProgress
        ? {
            onProgress: (delivered: number, now: number) =>
              onProgress(Math.min(1, (now - start) / Math.max(1, end - start)), delivered, now),
          }
        : {}),
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.callTimeoutMs !== undefined ? { callTimeoutMs: o.callTimeoutMs } : {}),
    });
  } finally {
    stream.close();
  }
  const scored = scoreOnDataset(
    key,
    { alerts: lockstep.alerts, malformed: lockstep.malformed.length },
    o.scoring ? { scoring: o.scoring } : {},
  );
  return { truth, lockstep, ...scored, activity: key.activity };
}
