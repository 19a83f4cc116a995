/**
 * The published Sigma rule, as its authors wrote it (detectors/published/rules/), run through
 * `sigma:` gives the same alerts as its hand port (builtin:sigma-azure-ad-azurehound-discovery) on
 * the same datasets: every record of two seeds of azurehound-helpdesk (shrunk to 60 users so that the test stays
 * light on a busy machine) delivered to both, in
 * availability order, at its availability time. The port is the check on the evaluator (the whole
 * pipeline with `sigma:` is tested end to end in test/cli/sigma-run.test.ts). The alerts differ only where the two are written differently on purpose:
 * the rule's name and the principal's form (the port names the object id, `sigma:` the UPN column
 * first, as `kql:` does); both are the same account in the truth.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import { resolveDetector } from '../../harness/run/detector-spec.js';
import { loadScenarioFile } from '../../harness/scenario-files.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import type { SourceId } from '../../src/core/sources.js';
import { type Delivery, drive } from '../detectors/published/fixtures.js';
import { generateInMemory } from '../generators/helpers/run.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RULE = join(ROOT, 'detectors', 'published', 'rules', 'azure_ad_azurehound_discovery.yml');
const SEEDS = [1089, 7];
const datasets: { deliveries: Delivery[]; sources: SourceId[] }[] = [];

beforeAll(async () => {
  const text = readFileSync(join(ROOT, 'scenarios', 'azurehound-helpdesk.yaml'), 'utf8').replace(
    'users: 500',
    'users: 60',
  );
  const file = join(tempDir('enumbench-sigma-eq-'), 'azurehound-helpdesk.yaml');
  writeFileSync(file, text);
  const r = await loadScenarioFile(file, buildCatalog());
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  for (const seed of SEEDS) {
    const d = generateInMemory(r.scenario, { seed });
    const byId = new Map<string, TelemetryRecord>();
    for (const rec of d.records) byId.set(`${rec.source}:${rec.id}`, rec.record);
    const batches = new Map<number, Delivery>();
    for (const line of d.delivery) {
      const e = JSON.parse(line) as DeliveryEntry;
      const record = byId.get(`${e.source}:${e.id}`);
      if (!record) continue;
      const b = batches.get(e.at) ?? { at: e.at, records: [] };
      b.records.push({ source: e.source, record });
      batches.set(e.at, b);
    }
    datasets.push({ deliveries: [...batches.values()], sources: d.truth.sources });
  }
});

const comparable = (alerts: Awaited<ReturnType<typeof drive>>) =>
  alerts.map((a) => {
    const { sessionId, ip, evidence, time, severity } = a.alert;
    return { at: a.at, sessionId, ip, evidence, time, severity };
  });

describe('published Sigma rule ≡ its port', () => {
  it('Discovery Using AzureHound: the same alerts on every seed', async () => {
    let total = 0;
    for (const d of datasets) {
      const port = await drive(await resolveDetector('builtin:sigma-azure-ad-azurehound-discovery'), d.deliveries, {
        sources: d.sources,
      });
      const sigma = await drive(await resolveDetector(`sigma:${RULE}`), d.deliveries, { sources: d.sources });
      expect(comparable(sigma)).toEqual(comparable(port));
      total += port.length;
    }
    // a test that cannot fail is a defect: the port alerts on these datasets
    expect(total).toBeGreaterThanOrEqual(SEEDS.length);
  });
});
