import { describe, expect, it } from 'vitest';
import { bertjanpAzurehoundVolume, reconResourceOf } from '../../../detectors/published/bertjanp-azurehound-volume.js';
import { HOUR, MINUTE } from '../../../src/core/clock.js';
import { ALICE, batch, drive, GRAPH, graph, guid, T0 } from './fixtures.js';

const RESOURCES = [
  'users',
  'groups',
  'devices',
  'servicePrincipals',
  'applications',
  'organization',
  'roleManagement/directory/roleDefinitions',
];

/** `n` distinct successful GETs within the 14:00 hour, spread over `resources`, `bytes` in total. */
function listing(n: number, opts: { resources?: number; bytes?: number; start?: number } = {}) {
  const resources = RESOURCES.slice(0, opts.resources ?? 4);
  const total = opts.bytes ?? 1_000_000;
  const each = Math.floor(total / n);
  const start = opts.start ?? T0;
  return Array.from({ length: n }, (_, i) =>
    graph({
      time: start + i * 1000,
      uri: `${GRAPH}/v1.0/${resources[i % resources.length]}?$top=999&$skiptoken=${i}`,
      bytes: i === n - 1 ? total - each * (n - 1) : each,
    }),
  );
}

const run = async (records: ReturnType<typeof listing>, end = T0 + 3 * HOUR) =>
  drive(await bertjanpAzurehoundVolume.create({}), [batch(T0 + 50 * MINUTE, 'graphActivity', records)], { end });

describe('bertjanp-azurehound-volume', () => {
  it('resource = lower(path segment 2), after one pass of // → /', () => {
    expect(reconResourceOf(`${GRAPH}/v1.0/users/x?$top=1`)).toBe('users');
    expect(reconResourceOf(`${GRAPH}/beta/servicePrincipals/abc/owners`)).toBe('serviceprincipals');
    expect(reconResourceOf(`${GRAPH}/v1.0/roleManagement/directory/roleDefinitions`)).toBe('rolemanagement');
    expect(reconResourceOf(`${GRAPH}/beta//users/x`)).toBe('users');
    expect(reconResourceOf(`${GRAPH}/v1.0/me`)).toBe('me');
  });

  it('fires at exactly 1000 distinct GETs, 1,000,000 bytes and 4 resources, at the end of the hour', async () => {
    const alerts = await run(listing(1000));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({
      rule: 'bertjanp-azurehound-volume',
      principal: ALICE,
      time: new Date(T0 + HOUR).toISOString(),
      details: { uniqueRequests: 1000, totalResponseSize: 1_000_000, uniqueResourceCount: 4 },
    });
    expect(alerts[0]!.alert.evidence).toHaveLength(200);
  });

  it('does not fire at 999 distinct requests', async () => {
    expect(await run(listing(999))).toHaveLength(0);
  });

  it('does not fire at 999,999 bytes', async () => {
    expect(await run(listing(1000, { bytes: 999_999 }))).toHaveLength(0);
  });

  it('does not fire at 3 resources', async () => {
    expect(await run(listing(1000, { resources: 3 }))).toHaveLength(0);
  });

  it('counts a requestId delivered twice once (requests and bytes)', async () => {
    const records = listing(999);
    const dup = records[0]!;
    expect(await run([...records, dup])).toHaveLength(0);
  });

  it('ignores non-GET and non-200 rows and resources outside the 7', async () => {
    const records = listing(1000);
    records[0] = graph({ time: T0, uri: `${GRAPH}/v1.0/users`, method: 'POST', bytes: 1000 });
    expect(await run(records)).toHaveLength(0);
    const other = listing(1000);
    other[1] = graph({ time: T0, uri: `${GRAPH}/v1.0/me/messages`, bytes: 1000 });
    expect(await run(other)).toHaveLength(0);
  });

  it('bins by clock hour of TimeGenerated: 1000 requests across 14:xx and 15:xx do not fire', async () => {
    const records = listing(1000, { start: T0 + HOUR - 500 * 1000 });
    expect(await run(records)).toHaveLength(0);
  });

  it('re-evaluates a bin when late rows arrive, and alerts once', async () => {
    const records = listing(1000);
    const alerts = await drive(
      await bertjanpAzurehoundVolume.create({}),
      [
        batch(T0 + 50 * MINUTE, 'graphActivity', records.slice(0, 900)),
        batch(T0 + HOUR + 90 * MINUTE, 'graphActivity', records.slice(900)),
      ],
      { end: T0 + 5 * HOUR },
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert.time).toBe(new Date(T0 + 3 * HOUR).toISOString());
  });

  it('splits by user agent', async () => {
    const records = listing(1000).map((r, i) =>
      i % 2 === 0
        ? graph({
            time: T0 + i,
            uri: `${GRAPH}/v1.0/users?i=${i}`,
            userAgent: 'other/1',
            bytes: 1000,
            requestId: guid('ff'),
          })
        : r,
    );
    expect(await run(records)).toHaveLength(0);
  });
});
