// @module-tag slow
/**
 * A kql: or sigma: detector's thread is started before generation and kept from one dataset to the
 * next (harness/run/detector-thread.ts): its rules are read and compiled there once, it reports what
 * they read (for the check against what a scenario collects), a rule error crosses the thread with
 * its positions, and `renew` gives the next dataset a detector with none of the last one's state.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDetectorThread } from '../../harness/run/detector-thread.js';
import { refuseUnmetNeeds } from '../../harness/source-needs.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { batch, drive, signIn, T0 } from '../detectors/published/fixtures.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const RULE = join(ROOT, 'detectors', 'published', 'rules', 'azure_ad_azurehound_discovery.yml');
const tmp = tempDir('enumbench-renew-');

describe('the detector thread of a rule-based detector', () => {
  it('renew: the next dataset gets a detector without the last one’s state', async () => {
    const thread = await startDetectorThread({ spec: `sigma:${RULE}`, cwd: ROOT, loadTimeoutMs: 600_000 });
    try {
      const deliveries = [batch(T0 + 60_000, 'signIns', [signIn({ time: T0 + 30_000, id: 'sign-in-1' })])];
      const first = await drive(thread, deliveries);
      expect(first.map((e) => e.alert.evidence)).toEqual([['sign-in-1']]);
      // the same detector remembers the sign-in it alerted on: it would stay silent on the next dataset
      expect(await drive(thread, deliveries)).toEqual([]);
      await thread.renew();
      const again = await drive(thread, deliveries);
      expect(again.map((e) => e.alert.evidence)).toEqual([['sign-in-1']]);
    } finally {
      await thread.close();
    }
  });

  it('reports what its rules read, and that is checked against what a scenario collects', async () => {
    const rule = join(tmp, 'union.kql');
    writeFileSync(rule, 'union MicrosoftGraphActivityLogs, OfficeActivity\n| summarize count() by UserId\n');
    const thread = await startDetectorThread({
      spec: `kql:${rule}`,
      options: { queryFrequency: '5m', queryPeriod: '1h' },
      cwd: tmp,
      // loading the Kusto language service takes seconds, more on a busy machine: no clock here
      loadTimeoutMs: 600_000,
    });
    try {
      expect(thread.needs).toEqual([
        {
          code: 'E_KQL_SOURCE',
          where: rule,
          rule: 'rule "union"',
          reads: 'MicrosoftGraphActivityLogs, OfficeActivity',
          tables: [
            { table: 'MicrosoftGraphActivityLogs', source: 'graphActivity' },
            { table: 'OfficeActivity', source: 'ual' },
          ],
        },
      ]);
      // one of the two tables fed: a warning naming the empty one
      expect(refuseUnmetNeeds(thread.needs, ['ual'], 'scenario "s"')).toEqual([
        `${rule}: rule "union" reads MicrosoftGraphActivityLogs (graphActivity), which scenario "s" does not collect: those tables stay empty`,
      ]);
      expect(refuseUnmetNeeds(thread.needs, ['ual', 'graphActivity'])).toEqual([]);
      // neither: refused, saying what the scenario collects
      let err: unknown;
      try {
        refuseUnmetNeeds(thread.needs, ['signIns'], 'scenario "s"');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EnumbenchError);
      expect((err as EnumbenchError).code).toBe('E_KQL_SOURCE');
      expect((err as EnumbenchError).kind).toBe('user');
      expect((err as EnumbenchError).hint).toMatch(/^scenario "s" collects signIns:/);
    } finally {
      await thread.close();
    }
  });

  it('a rule error crosses the thread with its code, kind and positions', async () => {
    const rule = join(tmp, 'broken.kql');
    writeFileSync(rule, 'MicrosoftGraphActivityLogs\n| where UserAgnet has "x"\n');
    const err = await startDetectorThread({
      spec: `kql:${rule}`,
      options: { queryFrequency: '5m', queryPeriod: '1h' },
      cwd: tmp,
      // loading the Kusto language service takes seconds, more on a busy machine: no clock here
      loadTimeoutMs: 600_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnumbenchError);
    const e = err as EnumbenchError;
    expect(e.kind).toBe('user');
    expect(e.code).toBe('E_KQL_NAME');
    expect(e.diagnostics[0]?.position).toEqual({ file: rule, line: 2, col: 9 });
    expect(e.diagnostics[0]?.hint).toBe('did you mean UserAgent?');
  });
});
