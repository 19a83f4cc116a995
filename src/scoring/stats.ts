/** Small statistics used by the scorecard: Wilson score intervals and nearest-rank percentiles. */

/** z for a two-sided 95% interval */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for k successes out of n trials (95% by default). Better than the normal
 * approximation at the small n and extreme rates a bench sees (20 campaigns, recall 1).
 * Returns null bounds when n = 0.
 */
export function wilson(k: number, n: number, z = Z95): { lower: number | null; upper: number | null } {
  if (n <= 0) return { lower: null, upper: null };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    lower: clamp01((centre - margin) / denom),
    upper: clamp01((centre + margin) / denom),
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Nearest-rank percentile (p in (0, 100]) of a non-empty list; null for an empty one. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** k / n, or null when n = 0 (undefined, never NaN). */
export function ratio(k: number, n: number): number | null {
  return n > 0 ? k / n : null;
}
