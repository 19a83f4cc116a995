// @module-tag slow
/**
 * The published rules' KQL (detectors/kql/) run through `kql:` and raise the same alerts as their
 * TypeScript ports (`builtin:`) on the same generated datasets: the ports are the check on the
 * evaluator. Compared: when each alert is raised and whom it names (the ports also cite evidence the
 * published queries do not keep; the KQL alerts cite what the query keeps).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AZUREHOUND_SUFFIXES, GRAPHRUNNER_SUFFIXES, PURPLE_KNIGHT_SUFFIXES } from '../../detectors/published/index.js';
import { buildCatalog } from '../../harness/catalog.js';
import { generateDataset } from '../../harness/dataset/generate.js';
import { readKqlRule } from '../../harness/kql/index.js';
import { resolveDetector, runOnDataset } from '../../harness/run/index.js';
import { loadScenarioFile } from '../../harness/scenario-files.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES = join(ROOT, 'detectors', 'kql');
const datasets = new Map<string, string>();

async function dataset(name: string): Promise<string> {
  const r = await loadScenarioFile(join(ROOT, 'scenarios', `${name}.yaml`), buildCatalog());
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const dir = tempDir(`enumbench-kql-${name}-`);
  generateDataset(r.scenario, { out: dir, scenarioHash: r.hash, toolVersion: 'test' });
  return dir;
}

beforeAll(async () => {
  for (const name of ['azurehound-helpdesk', 'graphrunner-devicecode']) datasets.set(name, await dataset(name));
}, 600_000);

async function alertsOf(spec: string, dir: string, options: Record<string, unknown> = {}) {
  const run = await runOnDataset({ dir, detector: await resolveDetector(spec, options, ROOT) });
  return {
    keys: run.lockstep.alerts.map((a) => `${a.alert.time} ${a.alert.principal}`).sort(),
    run,
  };
}

const CASES = [
  { port: 'cloudbrothers-azurehound', suffixes: AZUREHOUND_SUFFIXES, fires: 'azurehound-helpdesk' },
  { port: 'cloudbrothers-purpleknight', suffixes: PURPLE_KNIGHT_SUFFIXES, fires: undefined },
  { port: 'cloudbrothers-graphrunner', suffixes: GRAPHRUNNER_SUFFIXES, fires: 'graphrunner-devicecode' },
] as const;

describe('published rules: kql: gives the same alerts as the port', () => {
  for (const c of CASES) {
    it(`${c.port}: the KQL's path list is the port's`, () => {
      const text = readFileSync(join(RULES, `${c.port}.kql`), 'utf8');
      const listed = [...text.matchAll(/"https:\/graph\.microsoft\.com\/version([^"]*)"/g)].map((m) => m[1]);
      expect(listed).toEqual([...c.suffixes]);
    });
    for (const name of ['azurehound-helpdesk', 'graphrunner-devicecode']) {
      it(`${c.port} on ${name}`, async () => {
        const dir = datasets.get(name)!;
        const port = await alertsOf(`builtin:${c.port}`, dir);
        const kql = await alertsOf(`kql:detectors/kql/${c.port}.kql`, dir, {
          queryFrequency: '30m',
          queryPeriod: '40m',
        });
        expect(kql.keys).toEqual(port.keys);
        if (c.fires === name) {
          expect(kql.keys.length).toBeGreaterThan(0);
          expect(kql.run.card.metrics.weak_recall?.value).toBe(1);
        }
      }, 300_000);
    }
  }

  it('the Sentinel YAML carries the same query, the published schedule and the entity mapping', async () => {
    const kqlText = readFileSync(join(RULES, 'cloudbrothers-azurehound.kql'), 'utf8');
    const rule = readKqlRule(join(RULES, 'cloudbrothers-azurehound.yaml'));
    const strip = (t: string) =>
      t
        .split('\n')
        .filter((l) => !l.startsWith('//'))
        .join('\n')
        .trim();
    expect(strip(rule.query.text)).toBe(strip(kqlText));
    expect(rule).toMatchObject({ frequencyMs: 30 * 60_000, periodMs: 40 * 60_000, aggregation: 'AlertPerResult' });
    expect(rule.entities?.principal).toEqual(['ObjectId']);
    const dir = datasets.get('azurehound-helpdesk')!;
    const fromYaml = await alertsOf('kql:detectors/kql/cloudbrothers-azurehound.yaml', dir);
    const port = await alertsOf('builtin:cloudbrothers-azurehound', dir);
    expect(fromYaml.keys).toEqual(port.keys);
  }, 300_000);
});
