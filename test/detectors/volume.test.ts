import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../detectors/registry.js';
import { directoryRead, normalisePath, requestFacts } from '../../detectors/volume/fields.js';
import { createVolumeDetector, RULE, VolumeDetector, volumeOptions } from '../../detectors/volume/index.js';
import type { Alert } from '../../src/core/alerts.js';
import type { DeliveredRecord, DetectorContext } from '../../src/core/detector.js';

const T0 = Date.parse('2026-11-02T00:00:00Z');

function ctxAt(now: { t: number }, out: Alert[]): DetectorContext {
  return { now: () => now.t, emit: (a) => out.push(a), sources: ['graphActivity'] };
}

/** Log Analytics row shape (PascalCase columns) */
function laRow(i: number, principal: string, path: string, session = 'sid-1', ip = '198.51.100.1'): DeliveredRecord {
  return {
    source: 'graphActivity',
    record: {
      TimeGenerated: new Date(T0 + i * 1000).toISOString(),
      RequestId: `req-${principal}-${session}-${i}`,
      RequestMethod: 'GET',
      RequestUri: `https://graph.microsoft.com/beta/${path}`,
      UserId: principal,
      IPAddress: ip,
      SessionId: session,
    },
  };
}

describe('builtin:volume', () => {
  it('is registered with a unique id', () => {
    expect(DETECTORS.map((d) => d.info.id)).toContain('volume');
    expect(new Set(DETECTORS.map((d) => d.info.id)).size).toBe(DETECTORS.length);
  });

  it('imports only src/core (it is written as an outside detector would be)', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '../../detectors/volume');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) {
        const spec = m[1] as string;
        if (spec.startsWith('.'))
          expect(spec.startsWith('./') || spec.startsWith('../../src/core/'), `${f}: ${spec}`).toBe(true);
      }
    }
  });

  it('validates its options', () => {
    expect(volumeOptions({ window: '5m', minRequests: 10 })).toMatchObject({ windowMs: 300_000, minRequests: 10 });
    expect(() => volumeOptions({ windw: '5m' })).toThrow(/unknown option "windw"/);
    expect(() => volumeOptions({ minObjects: -1 })).toThrow(/positive integer/);
  });

  it('normalises request URIs', () => {
    expect(normalisePath('https://graph.microsoft.com/v1.0//users?$top=999')).toBe('/users');
    expect(
      normalisePath(
        'https://graph.windows.net/contoso.onmicrosoft.com/groups/abc/$links/members?api-version=1.61-internal',
      ),
    ).toBe('/groups/abc/$links/members');
    expect(requestFacts({ nothing: true })).toBeNull();
  });

  it('classifies directory reads: listings by page size, single objects, not personal resources', () => {
    const read = (uri: string) => {
      const f = requestFacts({
        time: '2026-11-02T00:00:00Z',
        properties: { requestId: 'r', userId: 'u', requestUri: uri },
      });
      return f ? directoryRead(f) : 'no facts';
    };
    expect(read('https://graph.microsoft.com/v1.0/users?$top=999')).toEqual({ kind: 'list', items: 999 });
    expect(read('https://graph.microsoft.com/v1.0/users')).toEqual({ kind: 'list', items: 100 });
    expect(read('https://graph.microsoft.com/v1.0/groups/abc/members?$top=100&$select=id')).toEqual({
      kind: 'list',
      items: 100,
    });
    expect(read('/v2/0000aaaa-0000-4000-8000-000000000001/groups/abc/$links/members')).toEqual({
      kind: 'list',
      items: 100,
    });
    expect(read('/0000aaaa-0000-4000-8000-000000000001/users?api-version=1.61-internal')).toEqual({
      kind: 'list',
      items: 100,
    });
    expect(read('https://graph.microsoft.com/v1.0/users/bob@contoso.com')).toEqual({ kind: 'object' });
    expect(read('https://graph.microsoft.com/v1.0/users/bob@contoso.com/presence')).toBeNull();
    expect(read('https://graph.microsoft.com/v1.0/users/bob/photos/48x48/$value')).toBeNull();
    expect(read('https://graph.microsoft.com/v1.0/me/people?$search=a&$top=10')).toBeNull();
  });

  it('names the session that read the most objects and cites only its reads (the owner keeps working)', () => {
    const alerts: Alert[] = [];
    const now = { t: T0 + 10 * 60_000 };
    const det = new VolumeDetector();
    const ctx = ctxAt(now, alerts);
    const owner = Array.from({ length: 30 }, (_, i) => laRow(i, 'oid-v', `users/u${i}`, 'sid-owner', '192.0.2.10'));
    const attacker = [laRow(40, 'oid-v', 'users?$top=999', 'sid-attacker', '203.0.113.7')];
    det.ingest([...owner, ...attacker], ctx);
    det.stop(ctx);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      sessionId: 'sid-attacker',
      ip: '203.0.113.7',
      evidence: ['req-oid-v-sid-attacker-40'],
    });
    expect(alerts[0]?.details).toMatchObject({ requests: 31, objects: 1029 });
  });

  it('fires once per principal per cooldown on distinct objects, reads the Log Analytics shape too', () => {
    const alerts: Alert[] = [];
    const now = { t: T0 };
    const det = new VolumeDetector(volumeOptions({ minObjects: 50, minRequests: 1000 }));
    const ctx = ctxAt(now, alerts);
    const burst = Array.from({ length: 120 }, (_, i) => laRow(i, 'oid-a', `groups/g${i}`));
    const quiet = Array.from({ length: 40 }, (_, i) => laRow(i, 'oid-b', `users/u${i}`));
    const noise = Array.from({ length: 80 }, (_, i) => laRow(i, 'oid-c', `users/u${i}/photo/$value`));
    now.t = T0 + 10 * 60_000;
    det.ingest([...burst, ...quiet, ...noise], ctx);
    det.stop(ctx);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: RULE, principal: 'oid-a', sessionId: 'sid-1', ip: '198.51.100.1' });
    expect(alerts[0]?.evidence).toHaveLength(50);
  });

  it('the factory builds a detector', async () => {
    const d = await createVolumeDetector({});
    expect(d.name).toBe('builtin:volume');
  });
});

describe('builtin:volume evaluates only the windows that changed', () => {
  // reads of two principals over an hour, delivered in batches out of event order (late records)
  const read = fc.record({
    principal: fc.constantFrom('u-1', 'u-2'),
    at: fc.integer({ min: 0, max: 3_600 }),
    late: fc.integer({ min: 0, max: 1_800 }),
    path: fc.constantFrom('users', 'groups', 'users/a', 'users/b', 'users?$top=5', 'me'),
    session: fc.constantFrom('s1', 's2'),
  });
  test.prop([fc.array(read, { maxLength: 300 }), fc.integer({ min: 10, max: 600 })])(
    'raises exactly the alerts a full rescan raises',
    (reads, stepSeconds) => {
      const opts = volumeOptions({ window: '2m', minRequests: 6, minObjects: 12, cooldown: '5m', evaluateEvery: '1m' });
      const run = (full: boolean): Alert[] => {
        const det = new VolumeDetector(opts, full);
        const out: Alert[] = [];
        const now = { t: T0 };
        const ctx = ctxAt(now, out);
        const byArrival = reads
          .map((r, i) => ({ ...r, i, arrives: r.at + r.late }))
          .sort((a, b) => a.arrives - b.arrives || a.i - b.i);
        let k = 0;
        for (let t = 0; t <= 5_400 + stepSeconds; t += stepSeconds) {
          const batch: DeliveredRecord[] = [];
          while (k < byArrival.length && (byArrival[k] as { arrives: number }).arrives <= t) {
            const r = byArrival[k++] as (typeof byArrival)[number];
            const rec = laRow(r.at, r.principal, r.path, r.session);
            (rec.record as Record<string, unknown>).RequestId = `req-${r.i}`;
            batch.push(rec);
          }
          now.t = T0 + t * 1000;
          if (batch.length) det.ingest(batch, ctx);
          else det.tick(now.t, ctx);
        }
        det.stop(ctx);
        return out;
      };
      expect(run(false)).toEqual(run(true));
    },
  );
});
