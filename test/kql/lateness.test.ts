/**
 * The scheduled-query lateness effect: a rule whose period equals its frequency never sees a record
 * that arrives after the period moved past its TimeGenerated; the same rule with a wider period and
 * an ingestion-time filter (Microsoft's guidance) sees every record exactly once. Same records, same
 * deliveries.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKqlDetector } from '../../harness/kql/index.js';
import { MINUTE } from '../../src/core/clock.js';
import { batch, drive, graph, T0 } from '../detectors/published/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('enumbench-kql-lateness-');
const NAIVE = join(dir, 'naive.kql');
const AWARE = join(dir, 'aware.kql');
writeFileSync(NAIVE, 'MicrosoftGraphActivityLogs\n| summarize ids = make_set(RequestId) by UserId\n');
writeFileSync(
  AWARE,
  'MicrosoftGraphActivityLogs\n| where ingestion_time() > ago(30m)\n| summarize ids = make_set(RequestId) by UserId\n',
);

// six requests at 14:01–14:06: three delivered at 14:10, three 75 minutes late at 15:20
const records = [1, 2, 3, 4, 5, 6].map((m) =>
  graph({ time: T0 + m * MINUTE, uri: 'https://graph.microsoft.com/v1.0/users', requestId: `req-${m}` }),
);
const deliveries = [
  batch(T0 + 10 * MINUTE, 'graphActivity', records.slice(0, 3)),
  batch(T0 + 80 * MINUTE, 'graphActivity', records.slice(3)),
];

async function cited(file: string, period: string) {
  const alerts = await drive(createKqlDetector(file, { queryFrequency: '30m', queryPeriod: period }), deliveries, {
    start: T0,
    end: T0 + 4 * 60 * MINUTE,
    tickEvery: MINUTE,
  });
  return alerts.map((a) => ({ at: new Date(a.at).toISOString().slice(11, 16), evidence: a.alert.evidence }));
}

describe('kql: records that arrive late', () => {
  it('period = frequency: the late records are never seen', async () => {
    expect(await cited(NAIVE, '30m')).toEqual([{ at: '14:30', evidence: ['req-1', 'req-2', 'req-3'] }]);
  }, 120_000);

  it('a wider period with an ingestion-time filter sees every record, each exactly once', async () => {
    expect(await cited(AWARE, '2h')).toEqual([
      { at: '14:30', evidence: ['req-1', 'req-2', 'req-3'] },
      { at: '15:30', evidence: ['req-4', 'req-5', 'req-6'] },
    ]);
  }, 120_000);

  it('a wider period without the filter sees the late records but counts the early ones again', async () => {
    expect(await cited(NAIVE, '2h')).toEqual([
      { at: '14:30', evidence: ['req-1', 'req-2', 'req-3'] },
      { at: '15:00', evidence: ['req-1', 'req-2', 'req-3'] },
      { at: '15:30', evidence: ['req-1', 'req-2', 'req-3', 'req-4', 'req-5', 'req-6'] },
      { at: '16:00', evidence: ['req-1', 'req-2', 'req-3', 'req-4', 'req-5', 'req-6'] },
    ]);
  }, 120_000);
});
