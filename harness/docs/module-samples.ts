/**
 * Sample records for the generated module pages: each module alone in a small tenant for one
 * simulated day — a week for profiles — (seed 1, default options), the first record it emits in each source. Produced by
 * the real generators, so the pages show exactly what the bench emits.
 */
import { compose, mergeActors } from '../../generators/compose/index.js';
import type { Catalog, ModuleInfo } from '../../src/core/catalog.js';
import type { SourceId } from '../../src/core/sources.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { SampleRecord } from './module-docs.js';

/** At most this many records are looked at per module (the first of each source comes early). */
const MAX_SCAN = 200_000;

export function sampleRecords(info: ModuleInfo, catalog: Catalog): SampleRecord[] {
  const block =
    info.kind === 'technique'
      ? `activity: []\nattacks: [{id: sample, technique: ${info.id}, at: "+14h"}]`
      : `activity: [{profile: ${info.id}}]`;
  // a week for profiles (weekly reports run once), a day for techniques
  const duration = info.kind === 'technique' ? '1d' : '7d';
  const text = `name: sample-${info.id}\nseed: 1\ntenant: {users: 40, roles: {Exchange Administrator: 1, Helpdesk Administrator: 2}}\ntime: {start: 2026-11-02T00:00:00Z, duration: ${duration}}\ntelemetry: {collection: e5-endpoint}\n${block}\n`;
  const r = loadScenario(text, `<sample ${info.id}>`, catalog);
  if (!r.ok) return [];
  const first = new Map<SourceId, unknown>();
  let n = 0;
  for (const rec of mergeActors(compose(r.scenario).actors)) {
    if (++n > MAX_SCAN) break;
    if (rec.label.module !== info.id) continue;
    if (!first.has(rec.source)) first.set(rec.source, rec.record);
  }
  return [...first.entries()].map(([source, record]) => ({ source, record }));
}
