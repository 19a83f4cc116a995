/**
 * What a scenario will cost before it is generated (`validate`): records, bytes on disk and time.
 * Records and bytes come from generating a sample in memory — one shard of the tenant's actors (about
 * SAMPLE_USERS users) over at most the first SAMPLE_DAYS of the window — through the generation's
 * own loop, counting the bytes of every line instead of writing it, then scaled up by the shards and
 * the days left out. Time is the sample's own time on this machine, scaled the same way, with the
 * ratios `npm run bench` measured (measured-rates.ts: two threads against one, replay against
 * generation).
 *
 * An estimate, not a promise: attack records fall in one shard (counted once per shard in the scale
 * up, or not at all), weekdays and weekends differ, a busy machine makes every time longer,
 * and the sample's share of building the tenant's world is scaled up with it, so a tenant of
 * thousands of users (a sample of 1/200 of its actors) is estimated several times too slow.
 */
import { DAY, wallNow } from '../../src/core/clock.js';
import type { Scenario } from '../../src/scenario/types.js';
import { splitSteps } from './generate.js';
import { autoJobs } from './generate-parallel.js';
import { MEASURED_RATES } from './measured-rates.js';

/** users per sample shard, and days sampled at most */
export const SAMPLE_USERS = 50;
export const SAMPLE_DAYS = 1;
/** `validate` warns above this much disk (bytes) */
export const LARGE_DATASET_BYTES = 10 * 2 ** 30;

export interface DatasetEstimate {
  records: number;
  /** the dataset's bytes: records, delivery and label lines (truth and manifest are small) */
  bytes: number;
  /** wall seconds to generate with `--jobs auto`, and to replay into builtin:volume and score */
  generateSeconds: number;
  replaySeconds: number;
  /** how the sample was scaled up */
  sample: { shards: number; days: number; records: number };
}

export function estimateDataset(scenario: Scenario, seed: number = scenario.seed): DatasetEstimate {
  const shards = Math.max(1, Math.ceil(scenario.tenant.users / SAMPLE_USERS));
  const fullSpan = scenario.time.end - scenario.time.historyStart;
  const sampleEnd = Math.min(scenario.time.end, scenario.time.start + SAMPLE_DAYS * DAY);
  const sampled: Scenario = {
    ...scenario,
    time: { ...scenario.time, end: sampleEnd, duration: sampleEnd - scenario.time.start },
    // an attack placed after the sampled days is left out of the sample (attacks are few records)
    attacks: scenario.attacks.filter((a) => a.at === null || a.at < sampleEnd),
  };
  const timeScale = fullSpan / Math.max(1, sampleEnd - scenario.time.historyStart);
  let bytes = 0;
  const count = (line: string) => {
    bytes += Buffer.byteLength(line) + 1;
  };
  const steps = splitSteps(
    sampled,
    seed,
    { index: 0, count: shards },
    { record: (_s, l) => count(l), delivery: count, label: count },
  );
  const began = wallNow();
  let r = steps.next();
  while (!r.done) r = steps.next();
  // this machine's speed: the sample's own time, scaled like its records
  const sampleSeconds = Math.max(0.001, (wallNow() - began) / 1000);
  const scale = shards * timeScale;
  const records = Math.round(r.value.records * scale);
  const jobs = autoJobs(scenario.tenant.users);
  const { generateOneThread, generateTwoThreads, replayVolume } = MEASURED_RATES;
  const oneThreadSeconds = sampleSeconds * scale;
  return {
    records,
    bytes: Math.round(bytes * scale),
    // the bench's ratios (two threads against one, replay against generation) applied to this machine's time
    generateSeconds:
      jobs > 1 ? (oneThreadSeconds * generateOneThread.perSecond) / generateTwoThreads.perSecond : oneThreadSeconds,
    replaySeconds: (oneThreadSeconds * generateOneThread.perSecond) / replayVolume.perSecond,
    sample: { shards, days: (sampleEnd - scenario.time.start) / DAY, records: r.value.records },
  };
}
