// @module-tag slow
/**
 * Every scenario of the library (except those marked `# enumbench-test: slow`, whose modules the
 * contract suite covers) generates the same bytes twice, and each of its attacks leaves evidence of
 * its campaign exactly when its technique says a source this tenant collects can show the technique
 * (observability, context aside), and none when nothing can.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose, mergeActors } from '../../../generators/compose/index.js';
import { buildCatalog } from '../../../harness/catalog.js';
import { loadScenario } from '../../../src/scenario/index.js';
import { ROOT } from '../../helpers/cli.js';
import { isSlowScenario } from '../../helpers/slow-scenarios.js';

const catalog = buildCatalog();
const HANG_LIMIT_MS = 10 * 60_000;
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
    '%s: generates deterministically; every observable attack leaves records, an unobservable one none',
    (_name, f) => {
      const r = loadScenario(readFileSync(f, 'utf8'), f, catalog);
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      const pass = () => {
        const hash = createHash('sha256');
        const perCampaign = new Map<string, number>();
        let n = 0;
        for (const rec of mergeActors(compose(r.scenario).actors)) {
          n++;
          hash
            .update(rec.source)
            .update(rec.line ?? JSON.stringify(rec.record))
            .update('\n');
          // evidence of the technique only: the attacker's sign-ins are context
          const k = rec.label.context ? undefined : rec.label.campaign;
          if (k) perCampaign.set(k, (perCampaign.get(k) ?? 0) + 1);
        }
        return { n, perCampaign, digest: hash.digest('hex') };
      };
      const first = pass();
      expect(pass().digest, 'same scenario and seed, same bytes').toBe(first.digest);
      const { n: total, perCampaign } = first;
      expect(total).toBeGreaterThan(0);
      for (const a of r.scenario.attacks) {
        const info = catalog.techniques.find((t) => t.id === a.technique);
        const seenBy = (info?.observability ?? [])
          .filter(
            (o) =>
              !o.context &&
              r.scenario.telemetry.sources.includes(o.source) &&
              (o.hypothesis === undefined || r.scenario.telemetry.hypotheses.includes(o.hypothesis)),
          )
          .map((o) => o.source);
        const n = perCampaign.get(a.id) ?? 0;
        // the UAL carries only a share of sign-ins (RecordType 15): a campaign seen by the UAL alone
        // may leave nothing there in one run; every other source shows every event
        if (seenBy.some((src) => src !== 'ual')) expect(n, `${a.id} is observable here`).toBeGreaterThan(0);
        else if (seenBy.length === 0) expect(n, `${a.id} is not observable here`).toBe(0);
      }
    },
    // generating a whole library scenario twice is CPU-bound work: the limit only catches a hang, so
    // it leaves room for a machine shared with other jobs (an 800-user day took 72 s under load 12)
    HANG_LIMIT_MS,
  );
});
