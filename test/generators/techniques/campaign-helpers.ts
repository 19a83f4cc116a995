/**
 * Shared by the technique calibration tests: a small tenant with one campaign, the campaign's own
 * records, and the dataset turned into the delivery batches a detector ingests.
 */
import type { LabelledRecord, TelemetryRecord } from '../../../src/core/records.js';
import type { SourceId } from '../../../src/core/sources.js';
import type { AttackEntry } from '../../../src/scenario/types.js';
import type { Delivery } from '../../detectors/published/fixtures.js';
import { generateInMemory, type InMemoryDataset } from '../helpers/run.js';
import { attack, makeScenario, type ScenarioOverrides } from '../helpers/scenario.js';

export const H = 3_600_000;
export const START = '2026-11-03T00:00:00Z';
export const T_START = Date.parse(START);

export type Props = Record<string, unknown>;

/** One campaign of `technique` at 15:00 UTC on a 160-user tenant, with or without the workforce. */
export function oneCampaign(
  technique: string,
  entry: Partial<AttackEntry> = {},
  o: ScenarioOverrides & { workforce?: boolean } = {},
): InMemoryDataset {
  const { workforce, ...rest } = o;
  return generateInMemory(
    makeScenario({
      users: 160,
      durationMs: 24 * H,
      start: START,
      roles: { 'Global Administrator': 2, 'Exchange Administrator': 2, 'User Administrator': 2 },
      ...(workforce === false ? { activity: [] } : {}),
      ...rest,
      attacks: [attack({ id: 'c1', technique, at: T_START + 15 * H, ...entry })],
    }),
  );
}

/** The records an actor produced (the campaign's, and its context records without a campaign). */
export function ofActor(d: InMemoryDataset, actor = 'attack:c1'): LabelledRecord[] {
  return d.records.filter((r) => r.label.actor === actor);
}

export function bySource(rs: readonly LabelledRecord[], s: SourceId): LabelledRecord[] {
  return rs.filter((r) => r.source === s);
}

/** `properties` of a diagnostic-settings record (sign-ins, Graph). */
export function props(r: LabelledRecord): Props {
  return (r.record as { properties: Props }).properties;
}

/** The dataset as a SIEM ingests it: records grouped by their (first) delivery time. */
export function deliveries(d: InMemoryDataset, sources?: readonly SourceId[]): Delivery[] {
  const byKey = new Map<string, LabelledRecord>();
  for (const r of d.records) byKey.set(`${r.source}/${r.id}`, r);
  const batches = new Map<number, { source: SourceId; record: TelemetryRecord }[]>();
  for (const line of d.delivery) {
    const e = JSON.parse(line) as { id: string; source: SourceId; at: number; duplicate?: boolean };
    if (e.duplicate || (sources && !sources.includes(e.source))) continue;
    const r = byKey.get(`${e.source}/${e.id}`);
    if (!r) continue;
    const list = batches.get(e.at) ?? [];
    list.push({ source: r.source, record: r.record });
    batches.set(e.at, list);
  }
  return [...batches.entries()].sort((a, b) => a[0] - b[0]).map(([at, records]) => ({ at, records }));
}
