/**
 * Content blobs of the Management Activity API as published by the replay: listed by
 * `contentCreated` (wall time), fetched by `contentId`, expiring 7 days after creation.
 */
import { DAY, type EpochMs } from '../../src/core/clock.js';
import type { ContentType } from '../../src/core/dataset.js';
import type { SourceId } from '../../src/core/sources.js';
import type { ContentBlobEvent, PublishedRecord } from '../replay/replay.js';

export interface StoredBlob {
  contentId: string;
  contentType: ContentType;
  key: string;
  created: EpochMs;
  expiration: EpochMs;
  /** index in its content type's list (stable: the list only grows) */
  index: number;
  /** the records it holds (ids only: the body is kept serialised, off the JS heap) */
  records: { source: SourceId; id: string }[];
  /** the JSON array as served */
  body: Buffer;
  /** expired by fault injection */
  expiredEarly: boolean;
}

function stamp(t: EpochMs): string {
  return new Date(t).toISOString().replace(/[-:TZ.]/g, '');
}

const EMPTY = Buffer.alloc(0);

export const CONTENT_ID = /^\d{17,40}\$\d{17,40}\$[a-z_]{3,40}\$[A-Za-z_]{3,40}\$[a-z0-9]{2,12}$/;

export class ContentStore {
  readonly byType = new Map<ContentType, StoredBlob[]>();
  readonly byId = new Map<string, StoredBlob>();

  add(ev: ContentBlobEvent, expiresEarly: boolean): StoredBlob {
    const seq = String(ev.seq).padStart(6, '0');
    const lower = ev.contentType.toLowerCase().replace('.', '_');
    const upper = ev.contentType.replace('.', '_');
    const s = `${stamp(ev.createdWall)}${seq}`;
    const contentId = `${s}$${s}$${lower}$${upper}$emea0026`;
    let list = this.byType.get(ev.contentType);
    if (!list) {
      list = [];
      this.byType.set(ev.contentType, list);
    }
    const blob: StoredBlob = {
      contentId,
      contentType: ev.contentType,
      key: ev.key,
      created: ev.createdWall,
      expiration: ev.createdWall + 7 * DAY,
      index: list.length,
      records: ev.records.map((r) => ({ source: r.source, id: r.id })),
      body: serialise(ev.records),
      expiredEarly: expiresEarly,
    };
    list.push(blob);
    this.byId.set(contentId, blob);
    return blob;
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

  body(b: StoredBlob): Buffer {
    return b.body;
  }

  /**
   * Drop the bodies of expired content (and of content expired by injection), keeping its id and
   * list position: fetching it still answers AF20051, paging indexes stay valid, and memory no
   * longer grows past seven days of content in a long real-time replay. Returns blobs pruned.
   */
  prune(now: EpochMs): number {
    let n = 0;
    for (const list of this.byType.values()) {
      for (const b of list) {
        if (b.created + 7 * DAY > now) break; // creation order: the rest is younger
        if (b.body.length > 0 || b.records.length > 0) {
          b.body = EMPTY;
          b.records = [];
          n++;
        }
      }
    }
    return n;
  }
}

function serialise(records: readonly PublishedRecord[]): Buffer {
  let s = '[';
  for (let i = 0; i < records.length; i++) s += (i ? ',' : '') + (records[i] as PublishedRecord).json;
  return Buffer.from(`${s}]`, 'utf8');
}
