/**
 * A new subscription's start-up, behind options that are off by default (`serve --start-wait`,
 * `--first-content-delay`; docs/mock.md "Start-up"): Microsoft requires 15 minutes between start
 * requests, and a new subscription's first content blobs can take up to 12 hours
 * (office-365-management-activity-api-reference, "Start a subscription"). A collector's start-up
 * logic (retrying a throttled start, not giving up on empty lists) can be rehearsed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type MockServices, type MockServicesOptions, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { buildFixture, TENANT } from '../helpers/dataset.js';

const f = buildFixture({ seed: 63, ual: 300 });

async function withMock(
  opts: Partial<MockServicesOptions>,
  body: (call: (path: string, init?: RequestInit) => Promise<Response>, svc: MockServices) => Promise<void>,
): Promise<void> {
  const svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max'), ...opts });
  try {
    const env = svc.env();
    const tok = (await (
      await fetch(`${env.ENUMBENCH_LOGIN_URL}/${TENANT}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: env.ENUMBENCH_CLIENT_ID,
          client_secret: env.ENUMBENCH_CLIENT_SECRET,
          scope: 'https://manage.office.com/.default',
        }),
      })
    ).json()) as { access_token: string };
    const api = `${svc.urls.management}/api/v1.0/${TENANT}/activity/feed`;
    await body(
      (path, init = {}) =>
        fetch(`${api}${path}`, {
          ...init,
          headers: { Authorization: `Bearer ${tok.access_token}`, ...(init.headers as Record<string, string>) },
        }),
      svc,
    );
  } finally {
    await svc.close();
  }
}

const listed = async (r: Response) => ((await r.json()) as unknown[]).length;

describe('subscription start-up', () => {
  it('off by default: a start right after a stop is accepted, content is listed at once', async () => {
    await withMock({}, async (call, svc) => {
      await svc.replay.done;
      expect((await call('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
      expect(await listed(await call('/subscriptions/content?contentType=Audit.Exchange'))).toBeGreaterThan(0);
      expect((await call('/subscriptions/stop?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
      expect((await call('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
    });
  });

  it('--start-wait: another start of the same content type within it is throttled (403 AF429, Retry-After)', async () => {
    await withMock({ startWaitMs: 15 * 60_000 }, async (call) => {
      expect((await call('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
      expect((await call('/subscriptions/stop?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
      const again = await call('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' });
      expect(again.status).toBe(403);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('AF429');
      const retry = Number(again.headers.get('Retry-After'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      // each content type waits on its own start
      expect((await call('/subscriptions/start?contentType=Audit.General', { method: 'POST' })).status).toBe(200);
    });
  });

  it('--first-content-delay: nothing is listed until it has passed since the first start', async () => {
    await withMock({ firstContentDelayMs: 12 * 3_600_000 }, async (call, svc) => {
      await svc.replay.done;
      expect((await call('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
      const r = await call('/subscriptions/content?contentType=Audit.Exchange');
      expect(r.status).toBe(200);
      expect(await listed(r)).toBe(0);
    });
    const delay = 300;
    await withMock({ firstContentDelayMs: delay }, async (call, svc) => {
      await svc.replay.done;
      const before = Date.now();
      expect((await call('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' })).status).toBe(200);
      while (Date.now() <= before + delay) await new Promise((r) => setTimeout(r, 50));
      // everything published meanwhile, and before, is listed once the delay has passed
      expect(await listed(await call('/subscriptions/content?contentType=Audit.Exchange'))).toBeGreaterThan(0);
    });
  });

  it('--first-content-delay: webhook notifications of the first content come once it has passed', async () => {
    const delay = 400;
    const arrivals: number[] = [];
    const receiver = createServer((req, res) => {
      if (req.headers['webhook-validationcode'] === undefined) arrivals.push(Date.now());
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    try {
      await withMock(
        { firstContentDelayMs: delay, deferStart: true, webhooks: { allowHttp: true } },
        async (call, svc) => {
          const t0 = Date.now();
          const s = await call('/subscriptions/start?contentType=Audit.Exchange', {
            method: 'POST',
            body: JSON.stringify({ webhook: { address, authId: 'a' } }),
          });
          expect(s.status).toBe(200);
          svc.start();
          await svc.replay.done;
          while (arrivals.length === 0) await new Promise((r) => setTimeout(r, 50));
          expect(arrivals[0] as number).toBeGreaterThanOrEqual(t0 + delay);
        },
      );
    } finally {
      receiver.close();
    }
  });
});
