// @module-tag slow
/**
 * Unmodified third-party clients against the mock: @azure/msal-node for tokens (over HTTPS with
 * the mock's local CA, since MSAL demands https authorities) and @azure/storage-blob for the
 * diagnostic-settings feeds.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { makeLocalCa } from '../../harness/mock/tls.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { buildFixture, TENANT } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
let svc: MockServices | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

describe('@azure/msal-node', () => {
  it('an unmodified ConfidentialClientApplication gets tokens from the mock authority over HTTPS', async () => {
    const ca = makeLocalCa(undefined, new Date());
    const dir = tempDir('enumbench-ca-');
    writeFileSync(join(dir, 'ca.pem'), ca.caCert);
    svc = await startMockServices({
      publication: buildFixture({ seed: 2, ual: 10 }).publication,
      speed: parseSpeed('max'),
      tls: { cert: ca.cert, key: ca.key, ca: ca.caCert },
    });
    const host = new URL(svc.urls.login).host;
    const script = fileURLToPath(new URL('./fixtures/msal-client.mjs', import.meta.url));
    const { stdout } = await run(
      process.execPath,
      [script, `${svc.urls.login}/${TENANT}`, svc.identity.clientId, svc.identity.clientSecret, host],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }, cwd: process.cwd() },
    );
    const out = JSON.parse(stdout) as { manage: string; graph: string };
    const claims = JSON.parse(Buffer.from(out.manage.split('.')[1] as string, 'base64url').toString());
    expect(claims.aud).toBe('https://manage.office.com');
    expect(claims.tid).toBe(TENANT);
    const g = JSON.parse(Buffer.from(out.graph.split('.')[1] as string, 'base64url').toString());
    expect(g.aud).toBe('https://graph.microsoft.com');
    // the token works against the API over HTTPS
    const list = await run(
      process.execPath,
      [
        '-e',
        `fetch(process.argv[1],{headers:{Authorization:'Bearer '+process.argv[2]}}).then(async r=>process.stdout.write(r.status+' '+await r.text()))`,
        `${svc.urls.management}/api/v1.0/${TENANT}/activity/feed/subscriptions/list`,
        out.manage,
      ],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') } },
    );
    expect(list.stdout).toBe('200 []');
  });
});

describe('@azure/storage-blob', () => {
  it('lists containers and hourly PT1H.json blobs, reads them whole and by range, gets properties', async () => {
    const f = buildFixture({ seed: 5, ual: 10, signIns: 300, graph: 200 });
    svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max') });
    await svc.replay.done;
    const service = new BlobServiceClient(`${svc.urls.diagnostics}?${svc.urls.diagnosticsSas}`);
    const containers: string[] = [];
    for await (const c of service.listContainers()) containers.push(c.name);
    expect(containers.sort()).toEqual([
      'insights-logs-microsoftgraphactivitylogs',
      'insights-logs-noninteractiveusersigninlogs',
      'insights-logs-signinlogs',
    ]);
    const ids = new Set<string>();
    for (const name of containers) {
      const cc: ContainerClient = service.getContainerClient(name);
      const names: string[] = [];
      for await (const page of cc.listBlobsFlat({ prefix: `tenantId=${TENANT}/` }).byPage({ maxPageSize: 2 })) {
        for (const b of page.segment.blobItems) {
          expect(b.properties.blobType).toBe('AppendBlob');
          names.push(b.name);
        }
      }
      expect(
        names.every((n) => /^tenantId=[0-9a-f-]+\/y=\d{4}\/m=\d{2}\/d=\d{2}\/h=\d{2}\/m=00\/PT1H\.json$/.test(n)),
      ).toBe(true);
      for (const n of names) {
        const bc = cc.getBlobClient(n);
        const props = await bc.getProperties();
        expect(props.blobType).toBe('AppendBlob');
        const whole = (await bc.downloadToBuffer()).toString('utf8');
        expect(whole.length).toBe(props.contentLength);
        const half = Math.floor((props.contentLength ?? 0) / 2);
        const tail = (await bc.downloadToBuffer(half)).toString('utf8');
        expect(whole.endsWith(tail)).toBe(true);
        for (const line of whole.split('\n').filter(Boolean)) {
          const r = JSON.parse(line) as { properties: { id?: string; requestId?: string } };
          ids.add((r.properties.id ?? r.properties.requestId) as string);
        }
      }
    }
    expect(ids).toEqual(new Set([...f.ids.signIns, ...f.ids.graphActivity]));
    expect(svc.ledgerSummary().neverCollected.count).toBe(10); // the UAL records were never fetched
    const bad = new BlobServiceClient(`${svc.urls.diagnostics}?sv=2022-11-02&sig=bad`);
    await expect(
      bad
        .getContainerClient(containers[0] as string)
        .getBlobClient('x')
        .getProperties(),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('@azure/storage-blob with an account key', () => {
  it('a connection string (Shared Key) reads the feeds; a wrong key is refused', async () => {
    const f = buildFixture({ seed: 6, ual: 5, signIns: 40 });
    svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max') });
    await svc.replay.done;
    const service = BlobServiceClient.fromConnectionString(svc.urls.diagnosticsConnectionString);
    const cc = service.getContainerClient('insights-logs-signinlogs');
    const names: string[] = [];
    for await (const b of cc.listBlobsFlat({ prefix: 'tenantId=' })) names.push(b.name);
    expect(names.length).toBeGreaterThan(0);
    const text = (await cc.getBlobClient(names[0] as string).downloadToBuffer(0, 100)).toString('utf8');
    expect(text.length).toBe(100);
    const wrong = BlobServiceClient.fromConnectionString(
      svc.urls.diagnosticsConnectionString.replace(
        /AccountKey=[^;]+/,
        `AccountKey=${Buffer.alloc(64, 1).toString('base64')}`,
      ),
    );
    await expect(wrong.getContainerClient('insights-logs-signinlogs').getProperties()).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});
