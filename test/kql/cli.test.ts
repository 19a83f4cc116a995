// @module-tag slow
/**
 * `enumbench run --detector kql:` through the built binary: bad rules are refused before anything is
 * generated, with file:line:col and a hint, exit 4, never a stack trace.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-kql-cli-');
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const SCENARIO = 'scenarios/azurehound-helpdesk.yaml';
const run = (...args: string[]) =>
  runBin(['run', SCENARIO, '--out', join(tmp, 'out'), '--no-progress', ...args], { timeoutMs: 120_000 });

describe('enumbench run --detector kql: (bad input)', () => {
  it('a syntax error: file:line:col, exit 4, nothing generated', async () => {
    const rule = file('broken.kql', 'MicrosoftGraphActivityLogs\n| where UserId ==\n| take 5\n');
    const r = await run('--detector', `kql:${rule}`, '--query-frequency', '5m', '--query-period', '1h');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${rule}:2:`);
    expect(r.stderr).toMatch(/Missing expression/);
    expect(r.stderr).toMatch(/hint: the query is read by Microsoft's own KQL parser/);
    expect(r.stderr).not.toMatch(/generating/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  }, 150_000);

  it("an unknown column: did-you-mean over the table's columns", async () => {
    const rule = file('typo.kql', 'MicrosoftGraphActivityLogs\n| where UserAgnet has "azurehound"\n');
    const r = await run('--detector', `kql:${rule}`, '--query-frequency', '5m', '--query-period', '1h');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${rule}:2:9:`);
    expect(r.stderr).toContain('did you mean UserAgent?');
  }, 150_000);

  it('no schedule: a rule without a period would scan without bound', async () => {
    const rule = file('plain.kql', 'MicrosoftGraphActivityLogs | take 1\n');
    const r = await run('--detector', `kql:${rule}`);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no query frequency/);
    expect(r.stderr).toMatch(/--query-frequency 5m --query-period 1h/);
    const long = await run('--detector', `kql:${rule}`, '--query-frequency', '5m', '--query-period', '30d');
    expect(long.code).toBe(4);
    expect(long.stderr).toMatch(/outside Sentinel's limits/);
  }, 150_000);

  it('an NRT rule is refused, with what to do instead', async () => {
    const rule = file('nrt.yaml', 'name: nrt\nkind: NRT\nquery: MicrosoftGraphActivityLogs | take 1\n');
    const r = await run('--detector', `kql:${rule}`);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/kind NRT is outside what kql: runs/);
  }, 150_000);

  it('a rule whose tables the scenario does not collect is refused before generation, saying what it collects', async () => {
    const scenario = file(
      'ual-only.yaml',
      readFileSync(SCENARIO, 'utf8').replace('collection: e5-diagnostics', 'collection: ual-only'),
    );
    const rule = file('graph.kql', 'MicrosoftGraphActivityLogs\n| summarize count() by UserId\n');
    const out = join(tmp, 'out-ual');
    const r = await runBin(
      [
        'run',
        scenario,
        '--out',
        out,
        '--no-progress',
        '--detector',
        `kql:${rule}`,
        '--query-frequency',
        '5m',
        '--query-period',
        '1h',
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${rule}: rule "graph" reads MicrosoftGraphActivityLogs (graphActivity)`);
    expect(r.stderr).toContain(`scenario "azurehound-helpdesk" (${scenario}) collects ual:`);
    expect(r.stderr).not.toMatch(/generating/);
    expect(existsSync(join(out, 'datasets'))).toBe(false);
  }, 150_000);

  it('--query-frequency belongs to kql: detectors', async () => {
    const r = await run('--detector', 'builtin:volume', '--query-frequency', '5m');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/apply to kql: detectors/);
  }, 150_000);

  it('a Sentinel YAML rule: positions are in the YAML file', async () => {
    const rule = file(
      'rule.yaml',
      'name: test\nqueryFrequency: 5m\nqueryPeriod: 1h\nquery: |-\n  MicrosoftGraphActivityLogs\n  | where RequestUir has "x"\n',
    );
    const r = await run('--detector', `kql:${rule}`);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${rule}:6:11:`);
    expect(r.stderr).toContain('did you mean RequestUri?');
  }, 150_000);
});
