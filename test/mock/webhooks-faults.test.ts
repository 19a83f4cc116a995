// @module-tag slow
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PollingCollector } from '../../detectors/collect/activity-client.js';
import { DiagnosticsClient, diagnosticId } from '../../detectors/collect/diagnostics-client.js';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture } from '../helpers/dataset.js';

let svc: MockServices | undefined;
let receiver: http.Server | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  receiver = undefined;
});

interface Hit {
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

async function startReceiver(status: (hit: Hit, n: number) => number): Promise<{ url: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  receiver = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      const hit = { headers: req.headers, body: JSON.parse(data || 'null') };
      hits.push(hit);
      res.statusCode = status(hit, hits.length);
      res.end();
    });
  });
  await new Promise<void>((r) => receiver?.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/o365`, hits };
}

describe('webhooks', () => {
  it('validation handshake, then notifications for new blobs that a collector can fetch', async () => {
    const { url, hits } = await startReceiver(() => 200);
    const f = buildFixture({ seed: 21, ual: 400 });
    svc = await startMockServices({
      publication: f.publication,
      speed: parseSpeed('lockstep'),
      webhooks: { allowHttp: true, coalesceMs: 5 },
    });
    const client = clientFor(svc);
    const started = (await client.start('Audit.AzureActiveDirectory', {
      address: url,
      authId: 'o365activityapinotification',
    })) as {
      webhook: { status: string };
    };
    expect(started.webhook.status).toBe('enabled');
    const v = hits[0] as Hit;
    expect(v.headers['webhook-validationcode']).toMatch(/^[0-9a-f]{32}$/);
    expect(v.headers['webhook-authid']).toBe('o365activityapinotification');
    expect(v.body).toEqual({ validationCode: v.headers['webhook-validationcode'] });
    svc.replay.advanceTo(svc.replay.clock.simEnd);
    await new Promise((r) => setTimeout(r, 300));
    const notes = hits.slice(1).flatMap((h) => h.body as { contentUri: string; tenantId: string; clientId: string }[]);
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0]).toMatchObject({
      tenantId: svc.identity.tenantId,
      clientId: svc.identity.clientId,
      contentType: 'Audit.AzureActiveDirectory',
    });
    const recs = await client.fetchContent(notes[0]?.contentUri as string);
    expect(recs.length).toBeGreaterThan(0);
    const hist = (await (
      await fetch(
        `${svc.urls.management}/api/v1.0/${svc.identity.tenantId}/activity/feed/subscriptions/notifications?contentType=Audit.AzureActiveDirectory`,
        {
          headers: { Authorization: `Bearer ${await client.accessToken()}` },
        },
      )
    ).json()) as { notificationStatus: string }[];
    expect(hist.length).toBe(notes.length);
    expect(hist.every((h) => h.notificationStatus === 'success')).toBe(true);
  });

  it('a webhook that fails validation is not added (AF20021); one that keeps failing is retried then disabled', async () => {
    let failing = false;
    const { url, hits } = await startReceiver((_h, n) => (n === 1 ? 200 : failing ? 500 : 200));
    const f = buildFixture({ seed: 22, ual: 200 });
    svc = await startMockServices({
      publication: f.publication,
      speed: parseSpeed('lockstep'),
      webhooks: { allowHttp: true, coalesceMs: 1, retryBaseMs: 5, maxAttempts: 3, disableAfter: 1 },
    });
    const client = clientFor(svc);
    await client.start('Audit.AzureActiveDirectory', { address: url });
    failing = true;
    svc.replay.advanceTo(svc.replay.clock.simEnd);
    await new Promise((r) => setTimeout(r, 400));
    expect(hits.length).toBeGreaterThanOrEqual(4); // validation + 3 attempts
    const list = (await client.list()) as { webhook: { status: string } }[];
    expect(list[0]?.webhook.status).toBe('disabled');
    // a failed validation: the subscription stays unchanged
    await expect(client.start('Audit.AzureActiveDirectory', { address: url })).rejects.toMatchObject({
      code: 'AF20021',
    });
    // start re-enables once the endpoint answers again
    failing = false;
    const again = (await client.start('Audit.AzureActiveDirectory', { address: url })) as {
      webhook: { status: string };
    };
    expect(again.webhook.status).toBe('enabled');
  });
});

describe('fault injection', () => {
  it('a well-behaved collector still collects everything through 5xx, throttling, resets, truncation, slow and late blobs', async () => {
    const f = buildFixture({ seed: 31, ual: 2500, signIns: 200, graph: 100, duplicateRate: 0.03 });
    svc = await startMockServices({
      publication: f.publication,
      speed: parseSpeed('max'),
      pageSize: 10,
      faults: {
        errorRate: 0.1,
        throttleRate: 0.1,
        resetRate: 0.05,
        truncateRate: 0.1,
        slowRate: 0.05,
        slowMs: 20,
        lateBlobRate: 0.2,
        lateMs: 3600_000,
      },
    });
    await svc.replay.done;
    const client = clientFor(svc);
    const collector = new PollingCollector(client, CONTENT_TYPES);
    await collector.startAll();
    await collector.poll();
    expect(collector.failedContent).toEqual([]);
    expect(new Set(collector.records.keys())).toEqual(new Set(f.ids.ual));
    const diag = new DiagnosticsClient({
      url: svc.env().ENUMBENCH_DIAGNOSTICS_URL,
      retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 50 },
    });
    await diag.poll();
    expect(new Set([...diag.records.values()].map(diagnosticId))).toEqual(
      new Set([...f.ids.signIns, ...f.ids.graphActivity]),
    );
    const report = svc.faultReport();
    for (const k of ['error', 'throttle', 'reset', 'truncate', 'slow', 'late'] as const)
      expect(report.injected[k]).toBeGreaterThan(0);
    expect(client.retries.length).toBeGreaterThan(0);
    expect(svc.ledgerSummary().neverCollected.count).toBe(0);
  });

  it('expired content is reported and shows up as never collected', async () => {
    const f = buildFixture({ seed: 32, ual: 1500 });
    svc = await startMockServices({
      publication: f.publication,
      speed: parseSpeed('max'),
      faults: { expiredRate: 0.3 },
    });
    await svc.replay.done;
    const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
    await collector.startAll();
    await collector.poll();
    expect(collector.failedContent.length).toBeGreaterThan(0);
    expect(collector.failedContent[0]?.error).toContain('AF20051');
    const report = svc.faultReport();
    expect(report.expiredBlobs.length).toBe(collector.failedContent.length);
    expect(svc.ledgerSummary().neverCollected.count).toBe(1500 - collector.records.size);
  });
});
