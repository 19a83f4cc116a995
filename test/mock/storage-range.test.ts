/**
 * Get Blob with a range on the diagnostic feeds, whose bodies the spill directory keeps compressed
 * in chunks (here 1,000 bytes, so every blob has many): any range, inside a chunk, across chunk
 * boundaries, into the uncompressed tail, open-ended, past the end, gives exactly the bytes of the
 * whole blob, with the headers the storage service sends
 * (https://learn.microsoft.com/rest/api/storageservices/specifying-the-range-header-for-blob-service-operations).
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { buildFixture } from '../helpers/dataset.js';

const CHUNK = 1000;
let svc: MockServices;
let blobs: { url: string; whole: Buffer }[] = [];

function blobUrl(container: string, name: string): string {
  return `${svc.urls.diagnostics}/${container}/${name.split('/').map(encodeURIComponent).join('/')}?${svc.urls.diagnosticsSas}`;
}

beforeAll(async () => {
  const f = buildFixture({ seed: 23, ual: 5, signIns: 300, graph: 200 });
  svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max'), spillChunkBytes: CHUNK });
  await svc.replay.done;
  const service = new BlobServiceClient(`${svc.urls.diagnostics}?${svc.urls.diagnosticsSas}`);
  for await (const c of service.listContainers()) {
    for await (const b of service.getContainerClient(c.name).listBlobsFlat()) {
      const url = blobUrl(c.name, b.name);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      blobs.push({ url, whole: Buffer.from(await res.arrayBuffer()) });
    }
  }
  blobs = blobs.sort((a, b) => b.whole.length - a.whole.length);
});
afterAll(async () => {
  await svc.close();
});

describe('storage Range reads over chunked, compressed spill files', () => {
  it('the fixture spans many chunks', () => {
    expect(blobs[0]?.whole.length).toBeGreaterThan(10 * CHUNK);
  });

  it('any range gives the bytes of the whole blob, 206 and Content-Range', async () => {
    const { url, whole } = blobs[0] as { url: string; whole: Buffer };
    const len = whole.length;
    const last = Math.floor((len - 1) / CHUNK) * CHUNK; // where the last chunk (or the tail) starts
    const ranges: [number, number][] = [
      [0, 0],
      [10, 20], // inside the first chunk
      [CHUNK - 1, CHUNK], // the two bytes either side of a boundary
      [CHUNK - 10, 3 * CHUNK + 9], // over two whole chunks
      [2 * CHUNK, 3 * CHUNK - 1], // exactly one chunk
      [last - 5, len - 1], // the last sealed bytes and the tail
      [len - 1, len - 1],
      [123, len - 1],
    ];
    for (const [a, b] of ranges) {
      for (const header of ['Range', 'x-ms-range']) {
        const res = await fetch(url, { headers: { [header]: `bytes=${a}-${b}` } });
        expect(res.status, `${header} ${a}-${b}`).toBe(206);
        expect(res.headers.get('content-range')).toBe(`bytes ${a}-${b}/${len}`);
        expect(res.headers.get('content-length')).toBe(String(b - a + 1));
        expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(a, b + 1)), `${header} ${a}-${b}`).toBe(true);
      }
    }
    // open-ended and past the end (clamped to the blob)
    const open = await fetch(url, { headers: { 'x-ms-range': `bytes=${CHUNK + 1}-` } });
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(whole.subarray(CHUNK + 1))).toBe(true);
    const over = await fetch(url, { headers: { 'x-ms-range': `bytes=${len - 3}-${len + 500}` } });
    expect(over.headers.get('content-range')).toBe(`bytes ${len - 3}-${len - 1}/${len}`);
    expect(Buffer.from(await over.arrayBuffer()).equals(whole.subarray(len - 3))).toBe(true);
    // starting past the end: 416 InvalidRange
    const bad = await fetch(url, { headers: { 'x-ms-range': `bytes=${len}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('x-ms-error-code')).toBe('InvalidRange');
    expect(bad.headers.get('content-range')).toBe(`bytes */${len}`);
    await bad.arrayBuffer();
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(len));
  });

  it('@azure/storage-blob downloads across chunk boundaries', async () => {
    const service = new BlobServiceClient(`${svc.urls.diagnostics}?${svc.urls.diagnosticsSas}`);
    const { url, whole } = blobs[0] as { url: string; whole: Buffer };
    const path = new URL(url).pathname.split('/').slice(2).map(decodeURIComponent);
    const bc = service.getContainerClient(path[0] as string).getBlobClient(path.slice(1).join('/'));
    expect(
      (await bc.downloadToBuffer(CHUNK - 7, 2 * CHUNK + 14)).equals(whole.subarray(CHUNK - 7, 3 * CHUNK + 7)),
    ).toBe(true);
    expect((await bc.downloadToBuffer()).equals(whole)).toBe(true);
  });

  it('a line read in pieces that straddle chunk boundaries counts as collected', async () => {
    // before: the whole reads in beforeAll collected every diagnostic record; a fresh mock for this
    const f = buildFixture({ seed: 29, ual: 0, signIns: 120 });
    const s = await startMockServices({ publication: f.publication, speed: parseSpeed('max'), spillChunkBytes: 300 });
    try {
      await s.replay.done;
      expect(s.ledgerSummary().neverCollected.count).toBe(120);
      const service = new BlobServiceClient(`${s.urls.diagnostics}?${s.urls.diagnosticsSas}`);
      let lines = 0;
      for await (const c of service.listContainers()) {
        for await (const b of service.getContainerClient(c.name).listBlobsFlat()) {
          const url = `${s.urls.diagnostics}/${c.name}/${b.name.split('/').map(encodeURIComponent).join('/')}?${s.urls.diagnosticsSas}`;
          const len = b.properties.contentLength ?? 0;
          const parts: Buffer[] = [];
          for (let at = 0; at < len; at += 777) {
            const res = await fetch(url, { headers: { 'x-ms-range': `bytes=${at}-${Math.min(len, at + 777) - 1}` } });
            parts.push(Buffer.from(await res.arrayBuffer()));
          }
          lines += Buffer.concat(parts).toString('utf8').split('\n').filter(Boolean).length;
        }
      }
      expect(lines).toBe(120);
      expect(s.ledgerSummary().neverCollected.count).toBe(0);
    } finally {
      await s.close();
    }
  });
});
