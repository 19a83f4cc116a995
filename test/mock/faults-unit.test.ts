/** FaultInjector: decisions depend on (seed, key, attempt), and its memory is bounded over any replay length. */
import { describe, expect, it } from 'vitest';
import { FaultInjector, MAX_TRACKED_KEYS } from '../../harness/mock/faults.js';

const config = { seed: 7, errorRate: 0.2, throttleRate: 0.1, resetRate: 0.05, truncateRate: 0.05, slowRate: 0.1 };

describe('FaultInjector', () => {
  it('remembers at most MAX_TRACKED_KEYS request keys however many distinct requests pass', () => {
    const f = new FaultInjector(config);
    for (let i = 0; i < MAX_TRACKED_KEYS + 5_000; i++) f.decide(`GET /blob/${i}`, { body: true });
    expect(f.trackedKeys).toBe(MAX_TRACKED_KEYS);
  });

  it('a retry soon after a failure gets the same decision as with unbounded memory', () => {
    const a = new FaultInjector(config);
    const b = new FaultInjector(config);
    // b sees more other keys in between (60,000) than it can remember, a none: the keys in use are
    // the recently seen ones, never the forgotten ones
    const seqA: string[] = [];
    const seqB: string[] = [];
    for (let i = 0; i < 200; i++) {
      const key = `GET /content/${i % 20}`;
      seqA.push(JSON.stringify(a.decide(key, { body: true })));
      for (let j = 0; j < 300; j++) b.decide(`GET /other/${i}/${j}`, { body: false });
      seqB.push(JSON.stringify(b.decide(key, { body: true })));
    }
    expect(seqB).toEqual(seqA);
    expect(b.trackedKeys).toBe(MAX_TRACKED_KEYS);
    expect(seqA.some((d) => d !== '{}')).toBe(true);
  });
});
