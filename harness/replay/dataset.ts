/**
 * Reads a dataset directory (CONTRACTS.md §3) as a Publication: manifest.json, the source files
 * and delivery.jsonl. It never opens truth.json or labels.jsonl: the truth does not travel toward
 * the detector, and the mock is on the detector's side.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATASET_FILES,
  DATASET_FORMAT_VERSION,
  type DatasetManifest,
  type DeliveryEntry,
} from '../../src/core/dataset.js';
import { userError } from '../../src/core/errors.js';
import { recordIdOf, SOURCE_IDS, SOURCES, type SourceId } from '../../src/core/sources.js';
import { type Publication, sortDeliveries } from './publication.js';

/** Files of a dataset the replay may read. truth.json and labels.jsonl are deliberately absent. */
export const SERVED_FILES: readonly string[] = [
  DATASET_FILES.manifest,
  DATASET_FILES.delivery,
  ...SOURCE_IDS.map((s) => SOURCES[s].file),
];

export interface LoadedDataset extends Publication {
  manifest: DatasetManifest;
  dir: string;
  counts: Partial<Record<SourceId, number>>;
}

function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') out.push(line);
    start = end + 1;
  }
  return out;
}

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function loadDataset(dir: string): LoadedDataset {
  const manifestPath = join(dir, DATASET_FILES.manifest);
  if (!existsSync(manifestPath)) {
    throw userError(
      'E_DATASET',
      `${dir} is not a dataset directory: ${DATASET_FILES.manifest} is missing`,
      'pass a directory written by `enumbench generate --out DIR`',
    );
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DatasetManifest;
  } catch (e) {
    throw userError('E_DATASET', `${manifestPath}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest.formatVersion !== DATASET_FORMAT_VERSION) {
    throw userError(
      'E_DATASET',
      `${manifestPath}: dataset format version ${String(manifest.formatVersion)} is not supported (this enumbench reads version ${DATASET_FORMAT_VERSION})`,
      'regenerate the dataset with this version of enumbench',
    );
  }
  // records stay in their file's bytes (off the JS heap); the index maps id -> line number
  const records = new Map<string, number>();
  const bufs: Buffer[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const bufOf: number[] = [];
  const counts: Partial<Record<SourceId, number>> = {};
  let tenantId: string | undefined;
  for (const source of SOURCE_IDS) {
    const info = SOURCES[source];
    const p = join(dir, info.file);
    if (!existsSync(p)) continue;
    let n = 0;
    const buf = readFileSync(p);
    const bi = bufs.push(buf) - 1;
    let start = 0;
    let lineNo = 0;
    while (start < buf.length) {
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      lineNo++;
      let stop = end;
      if (stop > start && buf[stop - 1] === 13) stop--;
      const line = buf.toString('utf8', start, stop);
      const lineStart = start;
      start = end + 1;
      if (line.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (e) {
        throw userError('E_DATASET', `${p}:${lineNo}: not valid JSON (${(e as Error).message})`);
      }
      const id = recordIdOf(source, obj);
      if (id === undefined) {
        throw userError('E_DATASET', `${p}:${lineNo}: the record has no ${info.idField}`);
      }
      if (tenantId === undefined) {
        const t = getPath(obj, 'OrganizationId') ?? getPath(obj, 'tenantId') ?? getPath(obj, 'properties.tenantId');
        if (typeof t === 'string' && /^[0-9a-f-]{36}$/i.test(t)) tenantId = t.toLowerCase();
      }
      records.set(`${source}\u0000${id}`, starts.length);
      starts.push(lineStart);
      ends.push(stop);
      bufOf.push(bi);
      n++;
    }
    counts[source] = n;
  }
  const deliveryPath = join(dir, DATASET_FILES.delivery);
  if (!existsSync(deliveryPath)) {
    throw userError('E_DATASET', `${dir}: ${DATASET_FILES.delivery} is missing`, 'regenerate the dataset');
  }
  const deliveries: DeliveryEntry[] = [];
  const dl = readLines(deliveryPath);
  for (let i = 0; i < dl.length; i++) {
    let e: DeliveryEntry;
    try {
      e = JSON.parse(dl[i] as string) as DeliveryEntry;
    } catch (err) {
      throw userError('E_DATASET', `${deliveryPath}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    if (typeof e.id !== 'string' || typeof e.at !== 'number' || !SOURCE_IDS.includes(e.source)) {
      throw userError('E_DATASET', `${deliveryPath}:${i + 1}: a delivery needs id, source and at`);
    }
    if (!records.has(`${e.source}\u0000${e.id}`)) {
      throw userError('E_DATASET', `${deliveryPath}:${i + 1}: no ${e.source} record with id ${e.id}`);
    }
    deliveries.push(e);
  }
  const sorted = sortDeliveries(deliveries);
  const first = sorted[0]?.at ?? Date.parse(manifest.window.start);
  const last = sorted[sorted.length - 1]?.at ?? first;
  return {
    manifest,
    dir,
    counts,
    tenantId: tenantId ?? '00000000-0000-0000-0000-000000000000',
    seed: manifest.seed,
    domain: undefined,
    deliveries: sorted,
    simStart: first,
    simEnd: last,
    record: (source, id) => {
      const i = records.get(`${source}\u0000${id}`);
      if (i === undefined) return undefined;
      return (bufs[bufOf[i] as number] as Buffer).toString('utf8', starts[i], ends[i]);
    },
  };
}
