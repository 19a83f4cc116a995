/**
 * Run one benign profile alone and look at what it produced: its records, and the alerts a
 * published detection raises over them (records fed in event order, as a lockstep replay would).
 */
import { bertjanpAzurehoundVolume } from '../../../detectors/published/index.js';
import type { Alert } from '../../../src/core/alerts.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import type { ProfileEntry, Schedule } from '../../../src/scenario/types.js';
import { generateInMemory } from '../helpers/run.js';
import { makeScenario, type ScenarioOverrides } from '../helpers/scenario.js';

export const H = 3_600_000;
export const M = 60_000;

export function entry(
  profile: string,
  o: { id?: string; schedule?: Schedule | null; app?: string | null; options?: ProfileEntry['options'] } = {},
): ProfileEntry {
  return {
    id: o.id ?? profile,
    profile,
    actors: null,
    schedule: o.schedule ?? null,
    app: o.app ?? null,
    options: o.options ?? {},
  };
}

/** Generate a scenario with only the given activity (no attack). */
export function runProfiles(activity: ProfileEntry[], o: ScenarioOverrides = {}): LabelledRecord[] {
  const s = makeScenario({ attacks: [], ...o, activity });
  return generateInMemory(s).records;
}

/** Bert-JanP's hourly volume rule over the records (published-detections.md §2). */
export async function bertjanpAlerts(records: readonly LabelledRecord[]): Promise<Alert[]> {
  const out: Alert[] = [];
  const det = await bertjanpAzurehoundVolume.create({});
  const first = records[0]?.time ?? 0;
  const last = records[records.length - 1]?.time ?? 0;
  let now = first;
  const ctx = { now: () => now, emit: (a: Alert) => out.push(a), sources: ['graphActivity' as const] };
  await det.start(ctx);
  let batch: { source: LabelledRecord['source']; record: LabelledRecord['record'] }[] = [];
  for (const r of records) {
    if (r.time - now > 5 * M) {
      await det.ingest(batch, ctx);
      batch = [];
      now = r.time;
      await det.tick?.(now, ctx);
    }
    batch.push({ source: r.source, record: r.record });
  }
  await det.ingest(batch, ctx);
  now = last + 4 * H;
  await det.stop(ctx);
  return out;
}
