/**
 * Stateless per-record randomness: every draw of the availability schedule is a hash of
 * (seed, source, record id, salt), so a record gets the same latency whichever shard, order or
 * process computes it.
 */

/** FNV-1a over a string, continuing from `h` */
export function fnv1a(s: string, h = 0x811c9dc5): number {
  let x = h >>> 0;
  for (let i = 0; i < s.length; i++) {
    x ^= s.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x >>> 0;
}

function fmix32(h0: number): number {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in (0, 1) from a base hash and a salt. */
export function unit(base: number, salt: number): number {
  const h = fmix32(base ^ Math.imul(salt + 1, 0x9e3779b1));
  return (h + 0.5) / 4294967296;
}
