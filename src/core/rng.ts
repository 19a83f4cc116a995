/**
 * Seeded random streams. The only module (with clock.ts) allowed to be a source of randomness.
 *
 * Every generator and every actor draws from its own stream derived from
 * (seed, module id, actor id), so adding a profile or an actor never changes the numbers any
 * other stream draws (DESIGN.md "Reproducibility"). Streams are built on seedrandom's Alea
 * generator: fast, 32 bits per step, identical on every platform.
 */
import seedrandom from 'seedrandom';

const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface Rng {
  /** the derivation key of this stream, e.g. "1089/workforce/u-0042" */
  readonly key: string;
  /** uniform in [0, 1) */
  float(): number;
  /** uniform integer in [min, max] (both inclusive) */
  int(min: number, max: number): number;
  /** true with probability p */
  bool(p?: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** pick with weights (need not sum to 1) */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** a sample of k distinct items (k clamped to the length), in a seeded order */
  sample<T>(items: readonly T[], k: number): T[];
  /** standard normal via Box–Muller */
  normal(mean?: number, sd?: number): number;
  /** log-normal with the given median and 95th percentile (both > 0) */
  logNormal(median: number, p95: number): number;
  /** exponential with the given mean */
  exponential(mean: number): number;
  /** a version-4-shaped GUID drawn from this stream */
  uuid(): string;
  /** n lowercase hex characters */
  hex(n: number): string;
  /** n base64url characters (e.g. 22 for a token `uti`) */
  base64url(n: number): string;
  /** a child stream: key + "/" + name. Independent of this stream's position. */
  fork(name: string | number): Rng;
}

/** Derive the stream for (seed, module id, actor id…). */
export function rngStream(seed: number | string, ...path: (string | number)[]): Rng {
  return new AleaRng([String(seed), ...path.map(String)].join('/'));
}

class AleaRng implements Rng {
  readonly key: string;
  private readonly prng: seedrandom.PRNG;
  private spare: number | undefined;

  constructor(key: string) {
    this.key = key;
    this.prng = seedrandom.alea(key);
  }

  float(): number {
    return this.prng.double();
  }

  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`rng.int: max ${max} < min ${min}`);
    return min + Math.floor(this.prng.double() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.prng.double() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('rng.pick: empty list');
    return items[Math.floor(this.prng.double() * items.length)] as T;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    if (items.length === 0 || total <= 0) throw new RangeError('rng.weighted: no positive weight');
    let r = this.prng.double() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }

  sample<T>(items: readonly T[], k: number): T[] {
    const n = Math.min(Math.max(0, Math.floor(k)), items.length);
    // partial Fisher–Yates over a copy: O(n) copy, O(k) draws
    const pool = items.slice();
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.prng.double() * (pool.length - i));
      const t = pool[i] as T;
      pool[i] = pool[j] as T;
      pool[j] = t;
    }
    return pool.slice(0, n);
  }

  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return mean + sd * s;
    }
    let u = 0;
    while (u === 0) u = this.prng.double();
    const v = this.prng.double();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  logNormal(median: number, p95: number): number {
    const mu = Math.log(median);
    const sigma = p95 > median ? (Math.log(p95) - mu) / 1.6448536269514722 : 0;
    return Math.exp(mu + sigma * this.normal());
  }

  exponential(mean: number): number {
    let u = 0;
    while (u === 0) u = this.prng.double();
    return -Math.log(u) * mean;
  }

  uuid(): string {
    const a = this.prng.int32() >>> 0;
    const b = this.prng.int32() >>> 0;
    const c = this.prng.int32() >>> 0;
    const d = this.prng.int32() >>> 0;
    // the 32 hex digits of a, b, c, d with digit 12 set to the version (4) and digit 16 to the
    // variant (10xx), as one flat string (hot path: every record id)
    const H = HEX_CODES;
    return String.fromCharCode(
      H[a >>> 28] as number,
      H[(a >>> 24) & 15] as number,
      H[(a >>> 20) & 15] as number,
      H[(a >>> 16) & 15] as number,
      H[(a >>> 12) & 15] as number,
      H[(a >>> 8) & 15] as number,
      H[(a >>> 4) & 15] as number,
      H[a & 15] as number,
      0x2d,
      H[b >>> 28] as number,
      H[(b >>> 24) & 15] as number,
      H[(b >>> 20) & 15] as number,
      H[(b >>> 16) & 15] as number,
      0x2d,
      0x34,
      H[(b >>> 8) & 15] as number,
      H[(b >>> 4) & 15] as number,
      H[b & 15] as number,
      0x2d,
      H[8 + (c >>> 30)] as number,
      H[(c >>> 24) & 15] as number,
      H[(c >>> 20) & 15] as number,
      H[(c >>> 16) & 15] as number,
      0x2d,
      H[(c >>> 12) & 15] as number,
      H[(c >>> 8) & 15] as number,
      H[(c >>> 4) & 15] as number,
      H[c & 15] as number,
      H[d >>> 28] as number,
      H[(d >>> 24) & 15] as number,
      H[(d >>> 20) & 15] as number,
      H[(d >>> 16) & 15] as number,
      H[(d >>> 12) & 15] as number,
      H[(d >>> 8) & 15] as number,
      H[(d >>> 4) & 15] as number,
      H[d & 15] as number,
    );
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += hex8(this.prng.int32() >>> 0);
    return s.slice(0, n);
  }

  base64url(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += B64URL[Math.floor(this.prng.double() * 64)];
    return s;
  }

  fork(name: string | number): Rng {
    return new AleaRng(`${this.key}/${name}`);
  }
}

const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 8 lowercase hex digits of an unsigned 32-bit integer (table lookup: hot path of every id). */
function hex8(x: number): string {
  return (
    (BYTE_HEX[x >>> 24] as string) +
    (BYTE_HEX[(x >>> 16) & 255] as string) +
    (BYTE_HEX[(x >>> 8) & 255] as string) +
    (BYTE_HEX[x & 255] as string)
  );
}

/** Derive N judging seeds from a base seed (for `--seeds N` / `repeat:`), stable and distinct. */
export function deriveSeeds(base: number, n: number, purpose = 'repeat'): number[] {
  const r = rngStream(base, 'seeds', purpose);
  const out: number[] = [];
  const seen = new Set<number>();
  while (out.length < n) {
    const s = r.int(1, 2_147_483_646);
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}
