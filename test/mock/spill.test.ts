import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PollingCollector } from '../../detectors/collect/activity-client.js';
import { DiagnosticsClient } from '../../detectors/collect/diagnostics-client.js';
import { startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture } from '../helpers/dataset.js';

describe('spill directory', () => {
  it('published blobs live on disk, are served from there, and are gone when the mock closes', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'enumbench-spill-test-'));
    const f = buildFixture({ seed: 61, ual: 300, signIns: 40, graph: 30 });
    const svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max'), spillDir: parent });
    try {
      await svc.replay.done;
      const [spill] = readdirSync(parent);
      expect(spill).toMatch(/^enumbench-spill-/);
      const root = join(parent, spill as string);
      expect(readdirSync(join(root, 'content')).some((n) => n.endsWith('.json.br'))).toBe(true);
      expect(readdirSync(join(root, 'storage')).some((n) => n.endsWith('.log.tail'))).toBe(true);
      // before anything is fetched, the ledger reads every record back from the id lists
      expect(svc.ledgerSummary().neverCollected.count).toBe(300 + 40 + 30);
      const collector = new PollingCollector(clientFor(svc), CONTENT_TYPES);
      await collector.startAll();
      await collector.poll();
      expect(collector.records.size).toBe(300);
      const diag = new DiagnosticsClient({ url: svc.env().ENUMBENCH_DIAGNOSTICS_URL });
      await diag.poll();
      expect(diag.records.size).toBe(70);
      expect(svc.ledgerSummary().neverCollected.count).toBe(0);
    } finally {
      await svc.close();
    }
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(parent)).toBe(true);
    rmSync(parent, { recursive: true });
  });
});
