/**
 * graph-user-listing with `hours: business`: the low-and-slow, business-hours variant of the hard
 * cases. Every request lands inside the tenant's working hours (New York, 09–18, Monday–Friday),
 * the listing still reaches the end of the directory, and no clock hour holds more than its pace.
 */
import { describe, expect, it } from 'vitest';
import { tzOffsetMinutes } from '../../../generators/world/timezone.js';
import { bySource, H, ofActor, oneCampaign, props, T_START } from './campaign-helpers.js';

const entry = {
  at: T_START + 14 * H, // Tuesday 09:00 in New York
  options: { pageSize: 4, pace: '2/h', hours: 'business', appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' },
};

describe('graph-user-listing, hours: business', () => {
  const d = oneCampaign('graph-user-listing', entry, { durationMs: 96 * H, workforce: false, users: 80 });
  const graph = bySource(ofActor(d), 'graphActivity');

  it('keeps every request inside business hours, over several working days', () => {
    expect(graph.length).toBeGreaterThan(20);
    const days = new Set<string>();
    for (const r of graph) {
      const local = new Date(r.time + tzOffsetMinutes('America/New_York', r.time) * 60_000);
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(9);
      expect(local.getUTCHours()).toBeLessThan(18);
      expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
      days.add(local.toISOString().slice(0, 10));
    }
    expect(days.size).toBeGreaterThanOrEqual(2);
  });

  it('still reaches the end of the directory, a few requests an hour', () => {
    // as many pages as the same listing run straight through
    const straight = oneCampaign(
      'graph-user-listing',
      { at: entry.at, options: { ...entry.options, hours: 'all' } },
      { durationMs: 96 * H, workforce: false, users: 80 },
    );
    expect(graph.length).toBe(bySource(ofActor(straight), 'graphActivity').length);
    const perHour = new Map<number, number>();
    for (const r of graph) perHour.set(Math.floor(r.time / H), (perHour.get(Math.floor(r.time / H)) ?? 0) + 1);
    expect(Math.max(...perHour.values())).toBeLessThanOrEqual(4);
    expect(graph.every((r) => props(r).appId === '1fec8e78-bce4-4aaf-ab1b-5451cc387264')).toBe(true);
  });

  it("with the default hours: 'all' the plan is unchanged by the option", () => {
    const a = oneCampaign(
      'graph-user-listing',
      { at: entry.at, options: { pageSize: 4 } },
      { workforce: false, users: 80 },
    );
    const b = oneCampaign(
      'graph-user-listing',
      { at: entry.at, options: { pageSize: 4, hours: 'all' } },
      { workforce: false, users: 80 },
    );
    expect(b.lines).toEqual(a.lines);
  });
});
