import { describe, expect, it } from 'vitest';
import { seedsFor } from '../../harness/run/run-scenarios.js';
import { judgingSeeds, seedOverlap, tuningSeeds } from '../../src/scoring/index.js';

describe('tuning seeds are kept apart from judging seeds', () => {
  it('derives stable, distinct, disjoint lists', () => {
    const judge = judgingSeeds(1089, 50);
    const tune = tuningSeeds(1089, 50);
    expect(judgingSeeds(1089, 50)).toEqual(judge);
    expect(new Set(judge).size).toBe(50);
    expect(seedOverlap(tune, judge)).toEqual([]);
    expect(seedOverlap([1, 2, 3], [3, 2])).toEqual([2, 3]);
  });

  it('a one-seed tuning run does not tune on the base seed a one-seed run judges with', () => {
    const judged = [...seedsFor(1089, 1), ...seedsFor(1089, 50)];
    expect(seedsFor(1089, 1)).toEqual([1089]);
    expect(seedsFor(1089, 1, 'tune')).toEqual(tuningSeeds(1089, 1));
    for (const n of [1, 5]) expect(seedOverlap(seedsFor(1089, n, 'tune'), judged)).toEqual([]);
  });
});
