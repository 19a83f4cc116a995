import { describe, expect, it } from 'vitest';
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
});
