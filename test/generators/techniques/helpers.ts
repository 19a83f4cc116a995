/**
 * Generate a scenario in memory and replay its records through in-process published detectors:
 * what the technique calibration tests (issue 5) measure against.
 */
import { compose, mergeActors } from '../../../generators/compose/index.js';
import type { Alert } from '../../../src/core/alerts.js';
import { MINUTE } from '../../../src/core/clock.js';
import type { DetectorFactory } from '../../../src/core/detector.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { type Delivery, drive } from '../../detectors/published/fixtures.js';

export function generate(s: Scenario, seed?: number): LabelledRecord[] {
  const c = compose(s, { seed: seed ?? s.seed });
  return [...mergeActors(c.actors)];
}

/** Graph activity `properties` of each record of that source. */
export function graphRows(recs: readonly LabelledRecord[]): Record<string, unknown>[] {
  return recs
    .filter((r) => r.source === 'graphActivity')
    .map((r) => (r.record as { properties: Record<string, unknown> }).properties);
}

/**
 * Deliver every record `delayMs` after its event time (one batch per minute), run the detector in
 * lockstep and return its alerts.
 */
export async function runDetector(
  create: DetectorFactory,
  recs: readonly LabelledRecord[],
  delayMs = 10 * MINUTE,
): Promise<Alert[]> {
  const batches = new Map<number, Delivery>();
  for (const r of recs) {
    const at = Math.ceil((r.time + delayMs) / MINUTE) * MINUTE;
    let b = batches.get(at);
    if (!b) {
      b = { at, records: [] };
      batches.set(at, b);
    }
    b.records.push({ source: r.source, record: r.record });
  }
  const deliveries = [...batches.values()].sort((a, b) => a.at - b.at);
  const start = (deliveries[0]?.at ?? 0) - MINUTE;
  const end = (deliveries.at(-1)?.at ?? 0) + 2 * 60 * MINUTE;
  const emitted = await drive(await create({}), deliveries, {
    start,
    end,
    sources: ['ual', 'signIns', 'graphActivity', 'aadGraphActivity', 'endpointPowerShell'],
    tickEvery: MINUTE,
  });
  return emitted.map((e) => e.alert);
}
