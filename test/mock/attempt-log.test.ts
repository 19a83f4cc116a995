import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { AttemptLog, type NotificationAttempt } from '../../harness/mock/subscriptions.js';
import { DAY, HOUR } from '../../src/core/clock.js';
import type { ContentType } from '../../src/core/dataset.js';

const TYPES: ContentType[] = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'DLP.All'];
const T0 = Date.UTC(2026, 10, 2);

function attempt(ct: ContentType, createdAt: number, sentAt = createdAt): NotificationAttempt {
  return {
    contentType: ct,
    contentId: `id-${createdAt}`,
    contentUri: `https://x/${createdAt}`,
    contentCreated: new Date(createdAt).toISOString(),
    contentExpiration: new Date(createdAt + 7 * DAY).toISOString(),
    notificationSent: new Date(sentAt).toISOString(),
    notificationStatus: 'success',
    sentAt,
    createdAt,
  };
}

describe('AttemptLog (webhook notification history)', () => {
  it('keeps a week (and the hour of grace) of attempts however long the replay', () => {
    const log = new AttemptLog();
    // one attempt a minute for 30 days
    for (let m = 0; m < 30 * 24 * 60; m++) log.push(attempt('Audit.Exchange', T0 + m * 60_000));
    const last = T0 + (30 * 24 * 60 - 1) * 60_000;
    const kept = [...log.since('Audit.Exchange', 0)];
    expect(kept.length).toBe(7 * 24 * 60 + 60 + 1);
    expect(kept[0]?.[0].createdAt).toBe(last - 7 * DAY - HOUR);
    expect(log.size).toBe(kept.length);
  });

  test.prop([
    fc.array(fc.tuple(fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 60 * 60_000 })), { maxLength: 200 }),
    fc.constantFrom(...TYPES),
    fc.nat({ max: 220 }),
  ])('lists a content type from a paging position exactly as a full scan of what it kept would', (steps, ct, from) => {
    const log = new AttemptLog();
    const all: { seq: number; a: NotificationAttempt }[] = [];
    let t = T0;
    steps.forEach(([type, gap], seq) => {
      t += gap * 60; // up to 60 hours apart: old ones are dropped along the way
      const a = attempt(type, t);
      log.push(a);
      all.push({ seq, a });
    });
    const now = t;
    const want = all
      .filter((e) => e.a.contentType === ct && e.seq >= from && e.a.createdAt >= now - 7 * DAY - HOUR)
      .map((e) => [e.a, e.seq]);
    expect([...log.since(ct, from)]).toEqual(want);
  });
});
