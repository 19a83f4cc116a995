/**
 * The ring of record batches a generation worker hands to the writing thread: a SharedArrayBuffer
 * with a few fixed slots, filled by the worker and emptied by the writer in turn, with Atomics for
 * "slot published" and "slot free". No copies through structured clone, no allocation per batch,
 * and at most SLOTS batches in flight, so memory stays bounded.
 *
 * A slot holds up to MAX_RECORDS records. Per record, META_FIELDS numbers (time, source index,
 * byte lengths) and, in the data area, contiguous UTF-8: the record id, the record line, the label
 * line, then either its delivery lines (sources whose delivery does not depend on global order) or
 * its delivery channel (the UAL, whose blob counters do: the writer schedules those).
 */

export const SLOTS = 3;
export const MAX_RECORDS = 4096;
export const META_FIELDS = 7;
export const DATA_BYTES = 2 * 1024 * 1024;
const HEADER_BYTES = 8;
const META_BYTES = MAX_RECORDS * META_FIELDS * 8;
const SLOT_BYTES = HEADER_BYTES + META_BYTES + DATA_BYTES;
const CONTROL_BYTES = 64;

/** control words (Int32 indexes) */
export const PUBLISHED = 0;
export const CONSUMED = 1;
/** 0 running, 1 done (every slot published), 2 failed */
export const STATE = 2;

/** meta fields per record */
export const M_TIME = 0;
export const M_SOURCE = 1;
export const M_ID = 2;
export const M_RECORD = 3;
export const M_LABEL = 4;
/** delivery lines (bytes), or the channel's bytes when M_DEFERRED is 1 */
export const M_DELIVERY = 5;
/** number of delivery lines written by the worker, or -1: the writer schedules this record's deliveries */
export const M_DELIVERIES = 6;

export function ringBytes(): number {
  return CONTROL_BYTES + SLOTS * SLOT_BYTES;
}

export interface SlotView {
  /** [count, data bytes used] */
  header: Int32Array;
  meta: Float64Array;
  data: Buffer;
}

export function slotViews(sab: SharedArrayBuffer): { control: Int32Array; slots: SlotView[] } {
  const control = new Int32Array(sab, 0, CONTROL_BYTES / 4);
  const slots: SlotView[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const base = CONTROL_BYTES + i * SLOT_BYTES;
    slots.push({
      header: new Int32Array(sab, base, 2),
      meta: new Float64Array(sab, base + HEADER_BYTES, MAX_RECORDS * META_FIELDS),
      data: Buffer.from(sab, base + HEADER_BYTES + META_BYTES, DATA_BYTES),
    });
  }
  return { control, slots };
}
