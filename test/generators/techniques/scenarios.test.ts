/**
 * Every scenario of the library (except those marked `# enumbench-test: slow`) generates in a few
 * seconds, and each of its attacks leaves records of its campaign, deterministically.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose, mergeActors } from '../../../generators/compose/index.js';
import { buildCatalog } from '../../../harness/catalog.js';
import { loadScenario } from '../../../src/scenario/index.js';
import { ROOT } from '../../helpers/cli.js';
import { isSlowScenario } from '../../helpers/slow-scenarios.js';

const catalog = buildCatalog();
const files = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(ROOT, 'scenarios', f));

describe('the scenario library generates', () => {
  it('marks the large tenant slow, with its reason', () => {
    const large = files.find((f) => f.endsWith('large-tenant.yaml'));
    expect(large && isSlowScenario(large)).toBe(true);
    expect(readFileSync(large as string, 'utf8')).toMatch(/# enumbench-test: slow — 10,000 users/);
  });

  it.each(files.filter((f) => !isSlowScenario(f)).map((f) => [f.slice(ROOT.length + 1), f]))(
    '%s: every attack leaves records, in a few seconds',
    (_name, f) => {
      const r = loadScenario(readFileSync(f, 'utf8'), f, catalog);
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      const t0 = performance.now();
      const c = compose(r.scenario);
      const perCampaign = new Map<string, number>();
      let n = 0;
      for (const rec of mergeActors(c.actors)) {
        n++;
        const k = rec.label.campaign;
        if (k) perCampaign.set(k, (perCampaign.get(k) ?? 0) + 1);
      }
      const ms = performance.now() - t0;
      expect(n).toBeGreaterThan(0);
      for (const a of r.scenario.attacks) expect(perCampaign.get(a.id) ?? 0, a.id).toBeGreaterThan(0);
      expect(ms).toBeLessThan(20_000);
    },
    60_000,
  );
});
