import { describe, expect, it } from 'vitest';
import { CONTENT_ID, ContentStore } from '../../harness/mock/content-store.js';
import { SpillDir } from '../../harness/mock/spill.js';
import { DAY } from '../../src/core/clock.js';

describe('content store', () => {
  it('makes well-formed content ids, lists by contentCreated (start inclusive, end exclusive) and prunes expired bodies', async () => {
    const spill = new SpillDir();
    const s = new ContentStore(spill);
    const t0 = Date.UTC(2026, 10, 20, 12);
    const rec = (id: string) => ({ id, source: 'ual' as const, json: `{"Id":"${id}"}`, duplicate: false });
    for (let i = 0; i < 5; i++) {
      s.add(
        {
          kind: 'content',
          contentType: 'Audit.General',
          key: `k${i}`,
          seq: i + 1,
          createdWall: t0 + i * DAY * 2,
          simAt: 0,
          records: [rec(`r${i}`)],
        },
        false,
      );
    }
    const all = s.byType.get('Audit.General') ?? [];
    expect(all.every((b) => CONTENT_ID.test(b.contentId))).toBe(true);
    expect(all[0]?.expiration).toBe(t0 + 7 * DAY);
    expect(s.list('Audit.General', t0, t0 + 2 * DAY).map((b) => b.index)).toEqual([0]);
    expect(s.list('Audit.General', t0, t0 + 2 * DAY + 1).map((b) => b.index)).toEqual([0, 1]);
    expect(s.list('Audit.General', t0, t0 + 10 * DAY, 2).map((b) => b.index)).toEqual([2, 3, 4]);
    expect(JSON.parse(String(await s.body(all[1] as (typeof all)[number])))).toEqual([{ Id: 'r1' }]);
    // at t0 + 9.5 days the first two blobs (created t0, t0+2d) have expired
    expect(s.prune(t0 + 9.5 * DAY)).toBe(2);
    expect(all[1]?.bytes).toBe(0);
    expect(await s.body(all[1] as (typeof all)[number])).toBeUndefined();
    expect(all[2]?.bytes).toBeGreaterThan(0);
    expect(s.get(all[0]?.contentId as string)).toBe(all[0]);
    expect(s.get(String(all[0]?.contentId).replace('$emea', '$emeb'))).toBeUndefined();
    expect(s.get('20261120120000000999999$x')).toBeUndefined();
    // the ledger still learns what an expired blob held
    expect(s.records(all[0] as (typeof all)[number])).toEqual([{ source: 'ual', id: 'r0', duplicate: false }]);
    spill.close();
  });
});
