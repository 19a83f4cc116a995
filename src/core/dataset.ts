/**
 * The dataset on disk (CONTRACTS.md §3, docs/dataset.md): a complete, versioned input for `serve`,
 * `run` and `score`, in two folders.
 *
 * The dataset directory — what a detector may be pointed at:
 *   manifest.json          what it is (scenario, seed, versions, collection, hypotheses, counts, sha256s)
 *   <source>.jsonl         records exactly as served, one per line, event-time order (see SOURCES[].file)
 *   delivery.jsonl         the seeded availability schedule, one DeliveryEntry per line
 *
 * The answer key — a folder outside it (`DIR.truth/` by default; harness/dataset/answer-key.ts),
 * read by scoring only:
 *   truth.json, labels.jsonl   ground truth
 *
 * Format 2 (this one) keeps the key outside; format 1 wrote it into the dataset directory, and is
 * still read once the key is moved out (`run` and `serve` refuse it before, saying how).
 */
import type { EpochMs } from './clock.js';
import type { SourceId } from './sources.js';

export const DATASET_FORMAT_VERSION = 2;
/** dataset formats this version reads (format 1 once its answer key is moved out) */
export const DATASET_FORMATS_READ: readonly number[] = [1, 2];

export const DATASET_FILES = {
  manifest: 'manifest.json',
  delivery: 'delivery.jsonl',
} as const;

/** The answer key's files: never in the dataset directory, never served. */
export const ANSWER_KEY_FILES = {
  truth: 'truth.json',
  labels: 'labels.jsonl',
} as const;

/** Management Activity API content types (management-activity-api.md §3). */
export const CONTENT_TYPES = [
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** One line of delivery.jsonl: when a record becomes available to a collector, and in which blob. */
export interface DeliveryEntry {
  /** the record id */
  id: string;
  source: SourceId;
  /** simulated availability time (epoch ms) */
  at: EpochMs;
  /** the blob (Management Activity API content) or hourly append blob this delivery lands in */
  blob: string;
  /** UAL only: the Management Activity API content type */
  contentType?: ContentType;
  /** true for a second delivery of the same record (duplicates are by design upstream) */
  duplicate?: boolean;
}

export interface DatasetManifest {
  formatVersion: number;
  tool: { name: 'enumbench'; version: string };
  scenario: { name: string; hash: string; file?: string };
  seed: number;
  window: { start: string; end: string; historyStart: string };
  collection: { preset: string | null; sources: SourceId[] };
  hypotheses: string[];
  counts: Partial<Record<SourceId, number>> & { deliveries?: number };
  files: Record<string, { sha256: string; bytes: number }>;
  /**
   * the scenario's `expect:` block (canonical key → conditions as written) and its sha256
   * (src/scenario/thresholds.ts expectHash): the gates travel with the data, so `run DIR` and
   * `score` apply them. Absent in datasets written before gates travelled; `{}` when the scenario
   * has none.
   */
  expect?: Record<string, string[]>;
  expectSha256?: string;
  shard?: { index: number; count: number };
}
