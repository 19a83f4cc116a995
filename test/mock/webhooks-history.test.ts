import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_OPTIONS, type NotificationAttempt, Webhooks } from '../../harness/mock/subscriptions.js';
import { DAY, HOUR } from '../../src/core/clock.js';

const attempt = (createdAt: number, contentId: string): NotificationAttempt => ({
  contentType: 'Audit.General',
  contentId,
  contentUri: `https://example.test/${contentId}`,
  contentCreated: new Date(createdAt).toISOString(),
  contentExpiration: new Date(createdAt + 7 * DAY).toISOString(),
  notificationSent: new Date(createdAt + 1000).toISOString(),
  notificationStatus: 'success',
  sentAt: createdAt + 1000,
  createdAt,
});

describe('webhook notification history', () => {
  it('forgets attempts no listing can reach (older than 7 days and an hour); positions stay stable', () => {
    const w = new Webhooks(DEFAULT_WEBHOOK_OPTIONS, 1, () => new Map());
    const now = Date.UTC(2026, 10, 20, 12);
    const created = [now - 9 * DAY, now - 8 * DAY, now - 7 * DAY - HOUR - 1, now - 7 * DAY - HOUR, now - DAY];
    created.forEach((t, i) => {
      w.record(attempt(t, `c${i}`));
    });
    expect([...w.attempts(2)].map(([a, i]) => [a.contentId, i])).toEqual([
      ['c2', 2],
      ['c3', 3],
      ['c4', 4],
    ]);
    expect(w.prune(now)).toBe(3);
    expect(w.prune(now)).toBe(0);
    // the oldest start a listing accepts is now - 7 days - 1 hour: c3 is still listable
    expect([...w.attempts()].map(([a, i]) => [a.contentId, i])).toEqual([
      ['c3', 3],
      ['c4', 4],
    ]);
    expect([...w.attempts(4)].map(([a, i]) => [a.contentId, i])).toEqual([['c4', 4]]);
    w.record(attempt(now, 'c5'));
    expect([...w.attempts(5)].map(([a, i]) => [a.contentId, i])).toEqual([['c5', 5]]);
  });
});
