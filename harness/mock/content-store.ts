/**
 * Content blobs of the Management Activity API as published by the replay: listed by
 * `contentCreated` (wall time), fetched by `contentId`, expiring 7 days after creation.
 * Metadata stays in memory (about 100 bytes a blob); the body (compressed, chunked-file.ts) and
 * the list of the record ids it holds are written to the spill directory when the blob is
 * published, and the body is read back and decompressed for each fetch. Expiry deletes the body;
 * the id list stays for the ledger.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DAY, type EpochMs } from '../../src/core/clock.js';
import type { ContentType } from '../../src/core/dataset.js';
import type { SourceId } from '../../src/core/sources.js';
import { LineReader } from '../replay/line-reader.js';
import type { ContentBlobEvent, PublishedRecord } from '../replay/replay.js';
import { compress, decompress } from './chunked-file.js';
import type { SpillDir } from './spill.js';

/**
 * A published content blob, as compact as it can be (about 100 bytes): the store keeps one for
 * every blob of the replay, since the ledger must know what each held long after it expired. The
 * content id and the spill file names are derived from it, not stored.
 */
export class StoredBlob {
  constructor(
    /** publication order among content blobs (1, 2, …): its position in `ContentStore.all` + 1 */
    readonly seq: number,
    readonly contentType: ContentType,
    /** contentCreated (wall time) */
    readonly created: EpochMs,
    /** index in its content type's list (stable: the list only grows) */
    readonly index: number,
    /** records it holds (duplicates included) */
    readonly count: number,
    /** size of the body as served; 0 once expired content has been pruned */
    public bytes: number,
    /** expired by fault injection */
    readonly expiredEarly: boolean,
  ) {}

  get expiration(): EpochMs {
    return this.created + 7 * DAY;
  }

  get contentId(): string {
    const s = `${stamp(this.created)}${String(this.seq).padStart(6, '0')}`;
    return `${s}$${s}$${this.contentType.toLowerCase().replace('.', '_')}$${this.contentType.replace('.', '_')}$emea0026`;
  }
}

/** One delivery as the ledger sees it. */
export interface DeliveredRecord {
  source: SourceId;
  id: string;
  duplicate: boolean;
}

function stamp(t: EpochMs): string {
  return new Date(t).toISOString().replace(/[-:TZ.]/g, '');
}

export const CONTENT_ID = /^\d{17,40}\$\d{17,40}\$[a-z_]{3,40}\$[A-Za-z_]{3,40}\$[a-z0-9]{2,12}$/;

export class ContentStore {
  readonly byType = new Map<ContentType, StoredBlob[]>();
  /** every blob, in publication order */
  readonly all: StoredBlob[] = [];
  private readonly dir: string;
  private pruned = 0;

  constructor(spill: SpillDir) {
    this.dir = spill.dir('content');
  }

  add(ev: ContentBlobEvent, expiresEarly: boolean): StoredBlob {
    let list = this.byType.get(ev.contentType);
    if (!list) {
      list = [];
      this.byType.set(ev.contentType, list);
    }
    if (ev.seq !== this.all.length + 1) throw new Error(`content blob ${ev.seq} published out of order`);
    // content expired by injection is never served: its body is not even written
    const body = expiresEarly ? Buffer.alloc(0) : serialise(ev.records);
    const blob = new StoredBlob(
      ev.seq,
      ev.contentType,
      ev.createdWall,
      list.length,
      ev.records.length,
      body.length,
      expiresEarly,
    );
    if (!expiresEarly) writeFileSync(this.bodyFile(blob), compress(body));
    writeFileSync(this.idsFile(blob), idLines(ev.records));
    list.push(blob);
    this.all.push(blob);
    return blob;
  }

  /** the blob a content id names, if it was published */
  get(contentId: string): StoredBlob | undefined {
    // the first part of the id is the creation stamp (17 digits) and the publication order
    const first = contentId.slice(0, contentId.indexOf('$'));
    const b = this.all[Number(first.slice(17)) - 1];
    return b !== undefined && b.contentId === contentId ? b : undefined;
  }

  /** spill files: the JSON array as served (compressed), and one `source\tid\tduplicate` line per record */
  private bodyFile(b: StoredBlob): string {
    return join(this.dir, `${b.seq}.json.br`);
  }

  private idsFile(b: StoredBlob): string {
    return join(this.dir, `${b.seq}.ids`);
  }

  /** blobs of a type with start <= contentCreated < end, from list index `from` */
  list(ct: ContentType, start: EpochMs, end: EpochMs, from = 0): StoredBlob[] {
    const list = this.byType.get(ct) ?? [];
    // binary search the first blob created at or after start (the list is in creation order)
    let lo = from;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as StoredBlob).created < start) lo = mid + 1;
      else hi = mid;
    }
    const out: StoredBlob[] = [];
    for (let i = lo; i < list.length; i++) {
      const b = list[i] as StoredBlob;
      if (b.created >= end) break;
      out.push(b);
    }
    return out;
  }

  /** the body as served, or undefined once it has been pruned */
  async body(b: StoredBlob): Promise<Buffer | undefined> {
    if (b.bytes === 0) return undefined;
    try {
      return decompress(await readFile(this.bodyFile(b)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** the records a blob holds, read back from its id list */
  records(b: StoredBlob): DeliveredRecord[] {
    const out: DeliveredRecord[] = [];
    this.forEachRecord(b, (source, id, duplicate) => out.push({ source, id, duplicate }));
    return out;
  }

  forEachRecord(b: StoredBlob, fn: (source: SourceId, id: string, duplicate: boolean) => void): void {
    const r = new LineReader(this.idsFile(b));
    try {
      for (let line = r.next(); line; line = r.next()) {
        const [source, id, dup] = line.bytes.toString('latin1').split('\t');
        fn(source as SourceId, id as string, dup === '1');
      }
    } finally {
      r.close();
    }
  }

  /**
   * Delete the bodies of expired content, keeping its id, list position and id list: fetching it
   * still answers AF20051, paging indexes stay valid, the ledger still knows what it held, and the
   * spill directory no longer grows past seven days of content in a long real-time replay.
   * Returns blobs pruned.
   */
  prune(now: EpochMs): number {
    let n = 0;
    // creation order: everything before `pruned` has been looked at already
    for (; this.pruned < this.all.length; this.pruned++) {
      const b = this.all[this.pruned] as StoredBlob;
      if (b.created + 7 * DAY > now) break;
      if (b.bytes === 0) continue;
      b.bytes = 0;
      rmSync(this.bodyFile(b), { force: true });
      n++;
    }
    return n;
  }
}

function serialise(records: readonly PublishedRecord[]): Buffer {
  let s = '[';
  for (let i = 0; i < records.length; i++) s += (i ? ',' : '') + (records[i] as PublishedRecord).json;
  return Buffer.from(`${s}]`, 'utf8');
}

function idLines(records: readonly PublishedRecord[]): string {
  let s = '';
  for (const r of records) s += `${r.source}\t${r.id}\t${r.duplicate ? 1 : 0}\n`;
  return s;
}
