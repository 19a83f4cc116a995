/**
 * The collector side of bench/mock-delivery.ts, in its own process as a real collector would be:
 * reads CONTRACTS.md §4 variables, collects every content type once, prints its timings as JSON.
 */
import { PollingCollector } from '../detectors/collect/activity-client.js';
import { activityClientFromEnv } from '../detectors/collect/run.js';
import { wallNow } from '../src/core/clock.js';
import { CONTENT_TYPES } from '../src/core/dataset.js';

const env = process.env;
const client = activityClientFromEnv(env);
const collector = new PollingCollector(client, CONTENT_TYPES, {
  concurrency: Number(env.BENCH_CONCURRENCY ?? 4),
  retain: false,
});
await collector.startAll();
const t0 = wallNow();
await collector.poll();
const t1 = wallNow();
process.stdout.write(
  `${JSON.stringify({ collectMs: t1 - t0, unique: collector.ids.size, duplicates: collector.duplicates, blobs: collector.seenContent.size })}\n`,
);
