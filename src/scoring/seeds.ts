/**
 * Keeping tuning seeds apart from judging seeds. A detector tuned on the seeds that then judge it
 * scores its own training data. Seeds are derived from a base seed and a purpose
 * (src/core/rng.ts `deriveSeeds`): the judging seeds of `--seeds N` use purpose "repeat", tuning
 * seeds use purpose "tune", so the two lists come from independent streams; `seedOverlap` proves
 * a given tuning list and judging list share nothing.
 */
import { deriveSeeds } from '../core/rng.js';

export const JUDGING_PURPOSE = 'repeat';
export const TUNING_PURPOSE = 'tune';

/** The N seeds `--seeds N` (or `repeat: N`) judges a scenario with. */
export function judgingSeeds(base: number, n: number): number[] {
  return deriveSeeds(base, n, JUDGING_PURPOSE);
}

/** N seeds to tune a detector on, drawn from a stream independent of the judging seeds. */
export function tuningSeeds(base: number, n: number): number[] {
  return deriveSeeds(base, n, TUNING_PURPOSE);
}

/** Seeds present in both lists (empty when tuning and judging are kept apart). */
export function seedOverlap(tuning: readonly number[], judging: readonly number[]): number[] {
  const j = new Set(judging);
  return [...new Set(tuning)].filter((s) => j.has(s)).sort((a, b) => a - b);
}
