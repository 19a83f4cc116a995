/**
 * Benchmark: records per second the mock delivers to a local collector that lists content
 * (following NextPageUri), fetches blobs and parses them, deduping on Id. Not a timed test.
 *
 *   npm run bench -- mock-delivery
 *   npx tsx bench/mock-delivery.ts [records=200000] [blobSize=2000] [recordBytes=1000] [concurrency=2]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockServices } from '../harness/mock/services.js';
import { parseSpeed } from '../harness/replay/clock.js';
import { loadDataset } from '../harness/replay/dataset.js';
import { wallNow } from '../src/core/clock.js';
import { buildFixture, writeDataset } from '../test/helpers/dataset.js';
import type { Benchmark } from './index.js';

function runChild(
  env: Record<string, string | undefined>,
  concurrency: number,
): Promise<{ collectMs: number; unique: number; duplicates: number; blobs: number }> {
  // run from the sources (tsx) or from the build (dist/bench)
  const ts = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(ts ? './collector-child.ts' : './collector-child.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ts ? ['--import', 'tsx', script] : [script],
      { env: { ...process.env, ...env, BENCH_CONCURRENCY: String(concurrency) }, maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    );
  });
}

export async function benchMockDelivery(records = 200_000, blobSize = 2000, recordBytes = 1000, concurrency = 2) {
  const t0 = wallNow();
  // written as a dataset directory and served from it, as `enumbench serve DIR` does
  const dir = mkdtempSync(join(tmpdir(), 'enumbench-bench-'));
  writeDataset(
    dir,
    buildFixture({ seed: 1089, ual: records, spacingMs: 50, padBytes: recordBytes, duplicateRate: 0.002 }),
    1089,
  );
  const publication = loadDataset(dir);
  const tBuilt = wallNow();
  const svc = await startMockServices({
    publication,
    speed: parseSpeed('max'),
    blobLimits: { maxRecords: blobSize, maxSpanMs: 3_600_000 },
  });
  const tStart = wallNow();
  await svc.replay.done;
  const tPublished = wallNow();
  // the collector runs in its own process, as a detector's collector would
  const child = await runChild({ ...svc.env() }, concurrency);
  const ledger = svc.ledgerSummary();
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
  const mem = process.memoryUsage();
  const delivered = child.unique + child.duplicates;
  const tc0 = 0;
  const tc1 = child.collectMs;
  const collector = { ids: { size: child.unique }, seenContent: { size: child.blobs } };
  return {
    records,
    blobSize,
    recordBytes,
    concurrency,
    fixtureMs: tBuilt - t0,
    publishMs: tPublished - tStart,
    publishRecordsPerSec: Math.round((records / Math.max(1, tPublished - tStart)) * 1000),
    collectMs: tc1 - tc0,
    deliveredRecords: delivered,
    uniqueRecords: collector.ids.size,
    contentBlobs: collector.seenContent.size,
    deliveredRecordsPerSec: Math.round((delivered / Math.max(1, tc1 - tc0)) * 1000),
    neverCollected: ledger.neverCollected.count,
    rssMiB: Math.round(mem.rss / 2 ** 20),
  };
}

export const mockDeliveryBenchmark: Benchmark = {
  name: 'mock-delivery',
  description: 'UAL content blobs (2,000 records of ~1 KB) served at --speed max to a collector in another process',
  async run() {
    const r = await benchMockDelivery();
    const n = (x: number) => x.toLocaleString('en-US');
    return [
      { label: 'records (unique)', value: `${n(r.uniqueRecords)} in ${n(r.contentBlobs)} blobs` },
      { label: 'published (records/s)', value: n(r.publishRecordsPerSec) },
      { label: 'delivered to the collector (records/s)', value: n(r.deliveredRecordsPerSec) },
      { label: 'never collected', value: n(r.neverCollected) },
    ];
  },
};

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const [n, b, bytes, c] = process.argv.slice(2).map(Number);
  benchMockDelivery(n || undefined, b || undefined, bytes || undefined, c || undefined).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
