// @module-tag slow
/**
 * The false-positive scenarios have teeth: generated whole (workforce included), the trap tenant
 * trips the published hourly volume rule on its benign look-alikes, and the sync storm shows its burst.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../harness/catalog.js';
import type { LabelledRecord } from '../../../src/core/records.js';
import { loadScenario } from '../../../src/scenario/index.js';
import { ROOT } from '../../helpers/cli.js';
import { generateInMemory } from '../helpers/run.js';
import { bertjanpAlerts, H } from './helpers.js';

const catalog = buildCatalog();
/** each test generates a whole library scenario, CPU-bound work: the limit only catches a hang */
const HANG_LIMIT_MS = 10 * 60_000;

function generate(name: string): { records: LabelledRecord[]; start: number } {
  const f = join(ROOT, 'scenarios', `${name}.yaml`);
  const r = loadScenario(readFileSync(f, 'utf8'), f, catalog);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { records: generateInMemory(r.scenario).records, start: r.scenario.time.start };
}

describe('false-positive scenarios', () => {
  it(
    'fp-trap-no-attack: no malicious record, and Bert-JanP fires on the backup app and the admin report',
    async () => {
      const { records } = generate('fp-trap-no-attack');
      expect(records.some((r) => r.label.malicious)).toBe(false);
      const alerts = await bertjanpAlerts(records);
      const byPrincipal = new Map<string, string>();
      for (const r of records) {
        if (r.source !== 'graphActivity') continue;
        const p = (r.record as { properties: Record<string, unknown> }).properties;
        byPrincipal.set(`${p.userId ?? p.servicePrincipalId}|${p.userAgent}`, r.label.module);
      }
      const modules = alerts
        .map((a) => byPrincipal.get(`${a.principal}|${(a.details as { userAgent: string }).userAgent}`))
        .sort();
      expect(modules).toEqual(['admin-report', 'backup-app']);
    },
    HANG_LIMIT_MS,
  );

  it(
    'fp-sync-storm: dozens of Sync_ sign-ins and hundreds of directory writes in the hour after the outage, none during it',
    () => {
      const { records, start } = generate('fp-sync-storm');
      const sync = records
        .filter((r) => r.source === 'signIns' && r.label.module === 'directory-sync')
        .map((r) => r.time - start);
      expect(sync.filter((t) => t >= 3 * H + 5 * 60_000 && t < 13 * H).length).toBe(0);
      expect(sync.filter((t) => t >= 13 * H && t < 14 * H + 30 * 60_000).length).toBeGreaterThanOrEqual(25);
      const writes = records.filter(
        (r) =>
          r.source === 'ual' &&
          r.label.module === 'directory-sync' &&
          (r.record as { RecordType: number }).RecordType === 8,
      );
      // the scenario documents "hundreds of 'Update user.' and group changes" in the recovery hour
      expect(writes.filter((r) => r.time - start >= 13 * H && r.time - start < 14 * H).length).toBeGreaterThanOrEqual(
        200,
      );
    },
    HANG_LIMIT_MS,
  );
});
