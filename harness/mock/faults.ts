/**
 * Seeded fault injection for collector testing (DESIGN.md "Delivery"): 5xx/AF50000 at a rate,
 * throttling (403 AF429), slow responses, truncated blob bodies, connection resets, late blobs
 * and expired content. A decision depends only on (seed, fault, request key, attempt), so a
 * collector that makes the same requests meets the same faults. At most `maxConsecutive` faults
 * hit the same request in a row, so a collector that retries enough always gets through
 * (except expired content, which is lost by definition and reported as such).
 */
import { rngStream } from '../../src/core/rng.js';

export interface FaultConfig {
  seed: number;
  /** share of requests answered 500 AF50000 (storage: 500 InternalError) */
  errorRate: number;
  /** share of requests answered 403 AF429 (storage: 503 ServerBusy) */
  throttleRate: number;
  /** share of requests delayed by slowMs */
  slowRate: number;
  slowMs: number;
  /** share of blob downloads cut short (the connection closes mid-body) */
  truncateRate: number;
  /** share of requests whose connection is reset before any response */
  resetRate: number;
  /** share of content blobs published late, by lateMs of simulated time */
  lateBlobRate: number;
  lateMs: number;
  /** share of content blobs that expire as soon as they are listed (AF20051 on fetch) */
  expiredRate: number;
  maxConsecutive: number;
}

export const NO_FAULTS: FaultConfig = {
  seed: 0,
  errorRate: 0,
  throttleRate: 0,
  slowRate: 0,
  slowMs: 0,
  truncateRate: 0,
  resetRate: 0,
  lateBlobRate: 0,
  lateMs: 0,
  expiredRate: 0,
  maxConsecutive: 3,
};

export type FaultKind = 'reset' | 'error' | 'throttle' | 'truncate' | 'slow' | 'late' | 'expired';

export interface FaultDecision {
  reset?: boolean;
  error?: boolean;
  throttle?: boolean;
  truncate?: boolean;
  slowMs?: number;
}

export interface FaultReport {
  config: FaultConfig;
  injected: Record<FaultKind, number>;
  /** content blobs that expired by injection: their records can never be collected */
  expiredBlobs: string[];
  lateBlobs: string[];
}

/**
 * Request keys whose attempt count is remembered. A collector retries a failed request within
 * seconds, long before this many other distinct requests pass, so forgetting the least recently
 * seen key never changes a decision in practice, and the injector's memory stays bounded over a
 * replay of any length.
 */
export const MAX_TRACKED_KEYS = 50_000;

export class FaultInjector {
  readonly config: FaultConfig;
  private readonly attempts = new Map<string, number>();
  private readonly consecutive = new Map<string, number>();
  readonly injected: Record<FaultKind, number> = {
    reset: 0,
    error: 0,
    throttle: 0,
    truncate: 0,
    slow: 0,
    late: 0,
    expired: 0,
  };
  readonly expiredBlobs: string[] = [];
  readonly lateBlobs: string[] = [];

  constructor(config: Partial<FaultConfig> = {}) {
    this.config = { ...NO_FAULTS, ...config };
  }

  get active(): boolean {
    const c = this.config;
    return c.errorRate + c.throttleRate + c.slowRate + c.truncateRate + c.resetRate > 0;
  }

  /** Decide the faults for one request identified by `key` (method + path + query). */
  decide(key: string, opts: { body: boolean }): FaultDecision {
    if (!this.active) return {};
    const n = (this.attempts.get(key) ?? 0) + 1;
    // re-insert: a Map iterates in insertion order, so the first key is the least recently seen
    this.attempts.delete(key);
    this.attempts.set(key, n);
    if (this.attempts.size > MAX_TRACKED_KEYS) {
      const oldest = this.attempts.keys().next().value as string;
      this.attempts.delete(oldest);
      this.consecutive.delete(oldest);
    }
    const r = rngStream(this.config.seed, 'faults', key, n);
    const out: FaultDecision = {};
    const c = this.config;
    if (r.float() < c.slowRate) {
      out.slowMs = c.slowMs;
      this.injected.slow++;
    }
    const streak = this.consecutive.get(key) ?? 0;
    if (streak >= c.maxConsecutive) {
      r.float();
      this.consecutive.set(key, 0);
      return out;
    }
    const u = r.float();
    let failed = true;
    const t1 = c.resetRate;
    const t2 = t1 + c.errorRate;
    const t3 = t2 + c.throttleRate;
    const t4 = t3 + (opts.body ? c.truncateRate : 0);
    if (u < t1) {
      out.reset = true;
      this.injected.reset++;
    } else if (u < t2) {
      out.error = true;
      this.injected.error++;
    } else if (u < t3) {
      out.throttle = true;
      this.injected.throttle++;
    } else if (u < t4) {
      out.truncate = true;
      this.injected.truncate++;
    } else failed = false;
    this.consecutive.set(key, failed ? streak + 1 : 0);
    return out;
  }

  /** how many request keys the injector remembers (bounded by MAX_TRACKED_KEYS) */
  get trackedKeys(): number {
    return this.attempts.size;
  }

  /** extra simulated delay of a content blob (late blobs) */
  lateBy = (blobKey: string): number => {
    if (this.config.lateBlobRate <= 0) return 0;
    if (rngStream(this.config.seed, 'faults', 'late', blobKey).float() >= this.config.lateBlobRate) return 0;
    this.injected.late++;
    this.lateBlobs.push(blobKey);
    return this.config.lateMs;
  };

  /** does this content blob expire at once? */
  expires(blobKey: string): boolean {
    if (this.config.expiredRate <= 0) return false;
    if (rngStream(this.config.seed, 'faults', 'expired', blobKey).float() >= this.config.expiredRate) return false;
    this.injected.expired++;
    this.expiredBlobs.push(blobKey);
    return true;
  }

  report(): FaultReport {
    return {
      config: this.config,
      injected: { ...this.injected },
      expiredBlobs: this.expiredBlobs.slice(),
      lateBlobs: this.lateBlobs.slice(),
    };
  }
}
