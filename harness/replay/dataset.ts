/**
 * Reads a dataset directory (CONTRACTS.md §3) as a Publication: manifest.json, the source files
 * and delivery.jsonl. It never opens truth.json or labels.jsonl: the truth does not travel toward
 * the detector, and the mock is on the detector's side.
 *
 * Streaming, in two passes over delivery.jsonl and one over each source file:
 *   1. `scanDeliveries` (through `loadDataset`, or directly for `run`, which replays any directory
 *      holding delivery.jsonl and the source files) reads delivery.jsonl once, checking every
 *      line, and keeps only figures: the window, counts, the last availability of each UAL blob,
 *      how many duplicate deliveries each duplicated record has, and the earliest availability in
 *      each block of lines.
 *   2. `open()` reads it again, together with the source files, and hands out deliveries in
 *      availability order. A delivery is held (as a file offset, not its record) only until no
 *      unread line can be available earlier, which the per-block minima tell: for a dataset written
 *      by `generate` (event-time order, latency bounded by the scenario's maximum) that is the
 *      deliveries of the last maximum latency. A record is read from its file again when it is
 *      published.
 * Records are joined to deliveries in order: the next line of the source file is the record of the
 * next first delivery, which is how `generate` writes them (a line holding `"Id":"<id>"`, with the
 * source's id field, is taken as the record; any other line is parsed to learn whose record it
 * is). Other orders work too, by reading
 * ahead (at the price of memory); a delivery whose record is missing stops the replay with an
 * E_DATASET error naming the line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochMs } from '../../src/core/clock.js';
import {
  type ContentType,
  DATASET_FILES,
  DATASET_FORMAT_VERSION,
  DATASET_FORMATS_READ,
  type DatasetManifest,
  type DeliveryEntry,
} from '../../src/core/dataset.js';
import { userError } from '../../src/core/errors.js';
import { IP_NETWORKS_FILE } from '../../src/core/ip-networks.js';
import { recordIdOf, SOURCE_IDS, SOURCES, type SourceId } from '../../src/core/sources.js';
import { LineReader, RangeReader } from './line-reader.js';
import {
  contentTypeSet,
  type DeliveryStream,
  type PendingDelivery,
  type Publication,
  recordKey,
} from './publication.js';

/** Files of a dataset the replay may read. truth.json and labels.jsonl are deliberately absent. */
export const SERVED_FILES: readonly string[] = [
  DATASET_FILES.manifest,
  DATASET_FILES.delivery,
  IP_NETWORKS_FILE,
  ...SOURCE_IDS.map((s) => SOURCES[s].file),
];

export interface LoadedDataset extends Publication {
  manifest: DatasetManifest;
  dir: string;
  /** records per source (first deliveries) */
  counts: Partial<Record<SourceId, number>>;
  /** lines of delivery.jsonl */
  deliveryCount: number;
}

/** delivery.jsonl lines per block: the granularity of the availability minima kept in memory */
const BLOCK = 1024;

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * Reads one line of delivery.jsonl: its entry, undefined to skip the line, or a user error that
 * names `path:line`.
 */
export type DeliveryLineParser = (path: string, lineNo: number, bytes: Buffer) => DeliveryEntry | undefined;

/** The replay's own check of a delivery line: the fields the replay needs, nothing more. */
function parseDelivery(path: string, lineNo: number, bytes: Buffer): DeliveryEntry {
  let e: DeliveryEntry;
  try {
    e = JSON.parse(bytes.toString('utf8')) as DeliveryEntry;
  } catch (err) {
    throw userError('E_DATASET', `${path}:${lineNo}: not valid JSON (${(err as Error).message})`);
  }
  if (
    e === null ||
    typeof e !== 'object' ||
    typeof e.id !== 'string' ||
    typeof e.at !== 'number' ||
    !Number.isFinite(e.at) ||
    !SOURCE_IDS.includes(e.source)
  ) {
    throw userError('E_DATASET', `${path}:${lineNo}: a delivery needs id, source and at`);
  }
  if (typeof e.blob !== 'string') e.blob = '';
  return e;
}

/**
 * The tenant, from the first record of the first source file that names one, and its domain: the
 * most frequent domain of the user principal names in the first lines of each source (the
 * dataset's manifest names neither; docs/mock.md "Login").
 */
function findTenant(dir: string): { tenantId?: string; domain?: string } {
  let tenantId: string | undefined;
  const domains = new Map<string, number>();
  for (const source of SOURCE_IDS) {
    const p = join(dir, SOURCES[source].file);
    if (!existsSync(p)) continue;
    const r = new LineReader(p);
    try {
      for (let i = 0; i < 200; i++) {
        const line = r.next();
        if (!line) break;
        let obj: unknown;
        try {
          obj = JSON.parse(line.bytes.toString('utf8'));
        } catch (e) {
          throw userError('E_DATASET', `${p}:${line.lineNo}: not valid JSON (${(e as Error).message})`);
        }
        const t = getPath(obj, 'OrganizationId') ?? getPath(obj, 'tenantId') ?? getPath(obj, 'properties.tenantId');
        if (tenantId === undefined && typeof t === 'string' && /^[0-9a-f-]{36}$/i.test(t)) tenantId = t.toLowerCase();
        const upn = getPath(obj, 'UserId') ?? getPath(obj, 'properties.userPrincipalName');
        const d = typeof upn === 'string' ? /@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(upn)?.[1] : undefined;
        if (d) domains.set(d.toLowerCase(), (domains.get(d.toLowerCase()) ?? 0) + 1);
      }
    } finally {
      r.close();
    }
  }
  let domain: string | undefined;
  let best = 0;
  for (const [d, n] of [...domains].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (n > best) {
      best = n;
      domain = d;
    }
  }
  return { ...(tenantId ? { tenantId } : {}), ...(domain ? { domain } : {}) };
}

interface Schedule {
  /** earliest availability of every delivery from block b on (suffix minima) */
  minFrom: Float64Array;
  blobEnds: Map<string, EpochMs>;
  /** records delivered more than once: key → number of later (duplicate) deliveries */
  duplicates: Map<string, number>;
  parse: DeliveryLineParser;
  everySource: boolean;
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
  if (!DATASET_FORMATS_READ.includes(manifest.formatVersion)) {
    throw userError(
      'E_DATASET',
      `${manifestPath}: dataset format version ${String(manifest.formatVersion)} is not supported (this enumbench reads versions ${DATASET_FORMATS_READ.join(', ')} and writes ${DATASET_FORMAT_VERSION})`,
      'regenerate the dataset with this version of enumbench',
    );
  }
  const deliveryPath = join(dir, DATASET_FILES.delivery);
  if (!existsSync(deliveryPath)) {
    throw userError('E_DATASET', `${dir}: ${DATASET_FILES.delivery} is missing`, 'regenerate the dataset');
  }
  const d = scanDeliveries(dir);
  for (const s of SOURCE_IDS) {
    if ((d.counts[s] ?? 0) > 0 && !existsSync(join(dir, SOURCES[s].file)))
      throw userError('E_DATASET', `${deliveryPath}: delivers ${s} records, but ${SOURCES[s].file} is missing`);
  }
  const first = d.first ?? Date.parse(manifest.window.start);
  const tenant = findTenant(dir);
  return {
    manifest,
    dir,
    counts: d.counts,
    deliveryCount: d.count,
    deliveryCounts: d.deliveryCounts,
    contentTypes: d.contentTypes,
    tenantId: tenant.tenantId ?? '00000000-0000-0000-0000-000000000000',
    seed: manifest.seed,
    domain: tenant.domain,
    simStart: first,
    simEnd: d.last ?? first,
    blobEnd: d.blobEnd,
    open: d.open,
  };
}

export interface DeliveryScanOptions {
  /** reads each line of delivery.jsonl, in both passes (default: the replay's own check) */
  parse?: DeliveryLineParser;
  /**
   * hand out endpointPowerShell deliveries too: no feed serves them, but an in-process detector
   * reads every source the tenant collects (default false)
   */
  everySource?: boolean;
}

/** delivery.jsonl of a dataset directory, scanned once; `open()` streams it in availability order. */
export interface DatasetDeliveries {
  path: string;
  /** deliveries (lines that are not blank) */
  count: number;
  /** the earliest and latest availability; undefined when nothing is delivered */
  first: EpochMs | undefined;
  last: EpochMs | undefined;
  /** records per source (first deliveries) */
  counts: Partial<Record<SourceId, number>>;
  /** deliveries per source, duplicates included */
  deliveryCounts: Partial<Record<SourceId, number>>;
  /** the content types of the UAL deliveries (Publication.contentTypes) */
  contentTypes: ContentType[] | undefined;
  blobEnd(blob: string): EpochMs | undefined;
  /** a new stream over every delivery in availability order (ties: the order of the lines) */
  open(): DeliveryStream;
}

/**
 * Pass 1 over delivery.jsonl (see the top of this file): checks every line and keeps figures only.
 * Needs no manifest, so `run` can replay any directory holding delivery.jsonl and the source files.
 */
export function scanDeliveries(dir: string, opts: DeliveryScanOptions = {}): DatasetDeliveries {
  const deliveryPath = join(dir, DATASET_FILES.delivery);
  const parse = opts.parse ?? parseDelivery;
  const blockMins: number[] = [];
  const blobEnds = new Map<string, EpochMs>();
  const duplicates = new Map<string, number>();
  const deliveryCounts: Partial<Record<SourceId, number>> = {};
  const counts: Partial<Record<SourceId, number>> = {};
  const types = contentTypeSet();
  let n = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let reader: LineReader;
  try {
    reader = new LineReader(deliveryPath);
  } catch (e) {
    throw userError(
      'E_DATASET',
      `cannot read ${deliveryPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'pass a directory written by `enumbench generate --out DIR`',
    );
  }
  try {
    for (let line = reader.next(); line; line = reader.next()) {
      const e = parse(deliveryPath, line.lineNo, line.bytes);
      if (e === undefined) continue;
      const b = Math.floor(n / BLOCK);
      if (b === blockMins.length) blockMins.push(e.at);
      else if (e.at < (blockMins[b] as number)) blockMins[b] = e.at;
      n++;
      if (e.at < first) first = e.at;
      if (e.at > last) last = e.at;
      deliveryCounts[e.source] = (deliveryCounts[e.source] ?? 0) + 1;
      types.add(e);
      if (e.duplicate === true) {
        const k = recordKey(e.source, e.id);
        duplicates.set(k, (duplicates.get(k) ?? 0) + 1);
      } else counts[e.source] = (counts[e.source] ?? 0) + 1;
      if (e.source === 'ual' && e.blob) blobEnds.set(e.blob, Math.max(blobEnds.get(e.blob) ?? e.at, e.at));
    }
  } finally {
    reader.close();
  }
  const minFrom = new Float64Array(blockMins.length + 1);
  minFrom[blockMins.length] = Number.POSITIVE_INFINITY;
  for (let b = blockMins.length - 1; b >= 0; b--)
    minFrom[b] = Math.min(blockMins[b] as number, minFrom[b + 1] as number);
  const schedule: Schedule = { minFrom, blobEnds, duplicates, parse, everySource: opts.everySource === true };
  return {
    path: deliveryPath,
    count: n,
    first: n === 0 ? undefined : first,
    last: n === 0 ? undefined : last,
    counts,
    deliveryCounts,
    contentTypes: types.result(),
    blobEnd: (blob) => blobEnds.get(blob),
    open: () => new DatasetStream(dir, deliveryPath, schedule),
  };
}

interface Held {
  entry: DeliveryEntry;
  /** position among the delivery lines: ties in availability keep the schedule's order */
  seq: number;
  source: SourceId;
  /** the record: where it is in its source file */
  offset: number;
  length: number;
  line: number;
}

/** where a record is in its source file */
interface Located {
  offset: number;
  length: number;
  line: number;
}

/** a record read ahead of its delivery, and how many more deliveries will ask for it */
interface Stashed extends Located {
  uses: number;
}

/**
 * What the line holding a record's id contains when written as `generate` writes it (no blanks):
 * `"Id":"<id>"`; endpoint events, identified by two fields, have none.
 */
function idNeedle(source: SourceId, id: string): string | undefined {
  if (source === 'endpointPowerShell') return undefined;
  const leaf = SOURCES[source].idField.split('.').pop() as string;
  return `${JSON.stringify(leaf)}:${JSON.stringify(id)}`;
}

class DatasetStream implements DeliveryStream {
  private readonly deliveries: LineReader;
  private readonly heap = new HeldHeap();
  private readonly sources = new Map<SourceId, { lines: LineReader; ranges: RangeReader }>();
  private readonly stash = new Map<string, Stashed>();
  private readonly duplicates: Map<string, number>;
  private read = 0;
  private block = 0;
  private exhausted = false;
  private closed = false;
  private current: PendingDelivery | undefined;

  constructor(
    private readonly dir: string,
    private readonly deliveryPath: string,
    private readonly schedule: Schedule,
  ) {
    this.deliveries = new LineReader(deliveryPath);
    this.duplicates = new Map(schedule.duplicates);
  }

  held(): number {
    return this.heap.length + this.stash.size;
  }

  peek(): PendingDelivery | undefined {
    if (this.current === undefined) this.current = this.take();
    return this.current;
  }

  next(): PendingDelivery | undefined {
    const d = this.peek();
    this.current = undefined;
    return d;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current = undefined;
    this.deliveries.close();
    for (const s of this.sources.values()) {
      s.lines.close();
      s.ranges.close();
    }
  }

  private take(): PendingDelivery | undefined {
    if (this.closed) return undefined;
    // read blocks until no unread line can be available before the earliest held delivery
    for (;;) {
      const top = this.heap.peek();
      if (top && (this.exhausted || top.entry.at <= (this.schedule.minFrom[this.block] as number))) break;
      if (this.exhausted) return undefined;
      this.readBlock();
    }
    const h = this.heap.pop() as Held;
    const ranges = this.source(h.source).ranges;
    // read once, when first asked for (content type, then publication), and kept as long as the
    // delivery is: until its blob or append is published
    let text: string | undefined;
    return {
      entry: h.entry,
      text: () => (text ??= ranges.text(h.offset, h.length)),
      origin: () => `${ranges.path}:${h.line}`,
    };
  }

  /** the next block of deliveries (the one the minima were taken over in the scan) */
  private readBlock(): void {
    for (let i = 0; i < BLOCK; ) {
      const line = this.deliveries.next();
      if (!line) {
        this.exhausted = true;
        return;
      }
      const entry = this.schedule.parse(this.deliveryPath, line.lineNo, line.bytes);
      if (entry === undefined) continue;
      i++;
      const seq = this.read++;
      if (entry.source === 'endpointPowerShell' && !this.schedule.everySource) continue; // no feed serves it
      const at = this.locate(entry, line.lineNo);
      this.heap.push({ entry, seq, source: entry.source, offset: at.offset, length: at.length, line: at.line });
    }
    this.block++;
  }

  private source(s: SourceId): { lines: LineReader; ranges: RangeReader } {
    let r = this.sources.get(s);
    if (!r) {
      const p = join(this.dir, SOURCES[s].file);
      if (!existsSync(p)) throw userError('E_DATASET', `${this.dir}: ${SOURCES[s].file} is missing`);
      r = { lines: new LineReader(p), ranges: new RangeReader(p) };
      this.sources.set(s, r);
    }
    return r;
  }

  /** the record of a delivery: stashed earlier, or the next line(s) of its source file */
  private locate(e: DeliveryEntry, lineNo: number): Located {
    const key = recordKey(e.source, e.id);
    const st = this.stash.get(key);
    if (st) {
      if (--st.uses <= 0) this.stash.delete(key);
      return st;
    }
    const lines = this.source(e.source).lines;
    const needle = idNeedle(e.source, e.id);
    for (let line = lines.next(); line; line = lines.next()) {
      const found: Located = { offset: line.offset, length: line.length, line: line.lineNo };
      if (needle !== undefined && line.bytes.indexOf(needle) >= 0) {
        this.keepFor(key, found, 0);
        return found;
      }
      // not the record we want: someone else's, read ahead of its delivery
      let obj: unknown;
      try {
        obj = JSON.parse(line.bytes.toString('utf8'));
      } catch (err) {
        throw userError('E_DATASET', `${lines.path}:${line.lineNo}: not valid JSON (${(err as Error).message})`);
      }
      const id = recordIdOf(e.source, obj);
      if (id === undefined)
        throw userError('E_DATASET', `${lines.path}:${line.lineNo}: the record has no ${SOURCES[e.source].idField}`);
      if (id === e.id) {
        this.keepFor(key, found, 0);
        return found;
      }
      this.keepFor(recordKey(e.source, id), found, 1);
    }
    throw userError(
      'E_DATASET',
      `${this.deliveryPath}:${lineNo}: no ${e.source} record with id ${e.id}`,
      'regenerate the dataset with `enumbench generate`',
    );
  }

  /** stash a record found in its file while more of its deliveries are to come */
  private keepFor(key: string, at: Located, pending: number): void {
    const uses = pending + (this.duplicates.get(key) ?? 0);
    this.duplicates.delete(key);
    if (uses > 0) this.stash.set(key, { ...at, uses });
  }
}

/** A binary min-heap of held deliveries by (availability, position): the stream's hot path. */
class HeldHeap {
  private readonly items: Held[] = [];

  get length(): number {
    return this.items.length;
  }

  peek(): Held | undefined {
    return this.items[0];
  }

  push(h: Held): void {
    const a = this.items;
    let i = a.length;
    a.push(h);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = a[p] as Held;
      if (q.entry.at < h.entry.at || (q.entry.at === h.entry.at && q.seq < h.seq)) break;
      a[i] = q;
      i = p;
    }
    a[i] = h;
  }

  pop(): Held | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    const n = a.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n) {
        const x = a[c] as Held;
        const y = a[r] as Held;
        if (y.entry.at < x.entry.at || (y.entry.at === x.entry.at && y.seq < x.seq)) c = r;
      }
      const m = a[c] as Held;
      if (last.entry.at < m.entry.at || (last.entry.at === m.entry.at && last.seq < m.seq)) break;
      a[i] = m;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
