import { fc, test } from '@fast-check/vitest';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { deriveSeeds, rngStream } from '../../src/core/rng.js';

/** uuid() as first written (hex of four int32s, then version and variant digits patched in). */
function referenceUuid(p: seedrandom.PRNG): string {
  const hex8 = (x: number) => x.toString(16).padStart(8, '0');
  const a = p.int32() >>> 0;
  const b = p.int32() >>> 0;
  const c = p.int32() >>> 0;
  const d = p.int32() >>> 0;
  const h = hex8(a) + hex8(b) + hex8(c) + hex8(d);
  const variant = '0123456789abcdef'[8 + (c >>> 30)] as string;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const draw = (seed: number, ...path: string[]) => {
  const r = rngStream(seed, ...path);
  return Array.from({ length: 20 }, () => r.float());
};

describe('seeded RNG streams', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })])(
    'are reproducible: same (seed, module, actor), same numbers',
    (seed, mod, actor) => {
      expect(draw(seed, mod, actor)).toEqual(draw(seed, mod, actor));
    },
  );

  test.prop([
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fc.array(fc.constantFrom('workforce', 'helpdesk', 'azurehound', 'backup-app', 'sync'), {
      minLength: 1,
      maxLength: 5,
    }),
  ])('are independent: drawing from other streams leaves a stream unchanged', (seed, others) => {
    const alone = draw(seed, 'graph-user-listing', 'attack:slow');
    // interleave draws from other streams, created before and after
    const a = rngStream(seed, 'graph-user-listing', 'attack:slow');
    const streams = others.map((o, i) => rngStream(seed, o, `actor-${i}`));
    const mixed: number[] = [];
    for (let i = 0; i < 20; i++) {
      for (const s of streams) s.float();
      mixed.push(a.float());
    }
    expect(mixed).toEqual(alone);
  });

  it('different seeds, modules and actors give different sequences', () => {
    expect(draw(1, 'm', 'a')).not.toEqual(draw(2, 'm', 'a'));
    expect(draw(1, 'm', 'a')).not.toEqual(draw(1, 'n', 'a'));
    expect(draw(1, 'm', 'a')).not.toEqual(draw(1, 'm', 'b'));
  });

  it('fork is independent of the parent position', () => {
    const p1 = rngStream(7, 'x');
    const p2 = rngStream(7, 'x');
    p2.float();
    p2.float();
    expect(p1.fork('child').float()).toBe(p2.fork('child').float());
  });

  test.prop([fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 })])(
    'int stays in [min, max]',
    (seed, min, span) => {
      const r = rngStream(seed, 'int');
      for (let i = 0; i < 50; i++) {
        const v = r.int(min, min + span);
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(min + span);
        expect(Number.isInteger(v)).toBe(true);
      }
    },
  );

  it('ids have the shapes Microsoft uses', () => {
    const r = rngStream(1, 'ids');
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.base64url(22)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.hex(16)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('logNormal respects median and p95 roughly', () => {
    const r = rngStream(3, 'ln');
    const xs = Array.from({ length: 20_000 }, () => r.logNormal(60, 90)).sort((a, b) => a - b);
    expect(xs[10_000]).toBeGreaterThan(57);
    expect(xs[10_000]).toBeLessThan(63);
    expect(xs[19_000]).toBeGreaterThan(85);
    expect(xs[19_000]).toBeLessThan(95);
  });

  it('weighted, sample and shuffle are seeded and complete', () => {
    const r = rngStream(9, 'w');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        r.weighted([
          ['a', 3],
          ['b', 1],
        ] as const)
      ]++;
    expect(counts.a / 10_000).toBeGreaterThan(0.72);
    expect(counts.a / 10_000).toBeLessThan(0.78);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    const s = r.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(s).size).toBe(3);
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.string({ maxLength: 8 })])(
    'uuid() draws the same GUIDs as the reference construction',
    (seed, name) => {
      const r = rngStream(seed, name);
      const p = seedrandom.alea(r.key);
      for (let i = 0; i < 50; i++) {
        const u = r.uuid();
        expect(u).toBe(referenceUuid(p));
        expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
    },
  );

  it('derived seeds are stable and distinct', () => {
    const a = deriveSeeds(1089, 50);
    expect(a).toEqual(deriveSeeds(1089, 50));
    expect(new Set(a).size).toBe(50);
    expect(deriveSeeds(1089, 50, 'tuning')).not.toEqual(a);
  });
});
