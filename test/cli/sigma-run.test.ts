// @module-tag slow
/**
 * `enumbench run … --detector sigma:RULE` through the CLI (in process): the published rule scores
 * on a (shrunk) azurehound-helpdesk; a broken rule is refused before anything is generated; a rule
 * for a source the scenario does not collect is refused before any record, saying what it collects.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runInProcess as run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const RULE = join(ROOT, 'detectors', 'published', 'rules', 'azure_ad_azurehound_discovery.yml');
let dir = '';

beforeAll(() => {
  dir = tempDir('enumbench-sigma-run-');
  const text = readFileSync(join(ROOT, 'scenarios', 'azurehound-helpdesk.yaml'), 'utf8').replace(
    'users: 500',
    'users: 30',
  );
  writeFileSync(join(dir, 'hound.yaml'), text);
  writeFileSync(join(dir, 'hound-ual.yaml'), text.replace('collection: e5-diagnostics', 'collection: ual-only'));
  writeFileSync(join(dir, 'broken.yml'), readFileSync(RULE, 'utf8').replace('userAgent|contains', 'userAgnt|contains'));
});

describe('run --detector sigma:', () => {
  it('the published rule scores on the scenario: a weak match, since it sees the sign-in, not the collection', async () => {
    const r = await run(dir, ['run', 'hound.yaml', '--detector', `sigma:${RULE}`, '--no-progress', '--json']);
    // the rule fires on AzureHound's own sign-in: attacker context (docs/scoring.md "Labels"), so
    // the scenario's recall gate is crossed (exit 1) and nothing is a false positive
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout).scenarios[0];
    expect(s.metrics.recall.value).toBe(0);
    expect(s.metrics.weak_recall.value).toBe(1);
    expect(s.metrics.weak_incidents.value).toBe(1);
    expect(s.metrics.false_positives.value).toBe(0);
  });

  it('a broken rule is refused before anything is generated', async () => {
    const r = await run(dir, ['run', 'hound.yaml', '--detector', 'sigma:broken.yml', '--no-progress']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('broken.yml:23:9: field "userAgnt" is not in SigninLogs');
    expect(r.stderr).toContain('did you mean "UserAgent"?');
    expect(r.stderr).not.toContain('generating');
  });

  it('a rule for a source the scenario does not collect is refused before generation, saying what it collects', async () => {
    const r = await run(dir, [
      'run',
      'hound-ual.yaml',
      '--detector',
      `sigma:${RULE}`,
      '--out',
      'out-ual',
      '--no-progress',
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /azure_ad_azurehound_discovery\.yml:\d+: rule "Discovery Using AzureHound" reads Entra sign-in logs/,
    );
    expect(r.stderr).toContain('scenario "azurehound-helpdesk" (hound-ual.yaml) collects ual:');
    expect(r.stderr).not.toContain('generating');
    expect(existsSync(join(dir, 'out-ual', 'datasets'))).toBe(false);
  });

  it('a dataset directory is checked against the sources its manifest says it collected, before the replay', async () => {
    // generate reads its paths from the process's working directory: absolute here
    const g = await run(dir, ['generate', join(dir, 'hound-ual.yaml'), '--out', join(dir, 'ds-ual'), '--quiet']);
    expect(g.code, g.stderr).toBe(0);
    const r = await run(dir, ['run', 'ds-ual', '--detector', `sigma:${RULE}`, '--out', 'out-ds-ual', '--no-progress']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /rule "Discovery Using AzureHound" reads Entra sign-in logs[^\n]*\(signIns\), which dataset ds-ual does not collect/,
    );
    expect(r.stderr).toContain('dataset ds-ual collects ual: generate it from a scenario that collects the source');
    expect(r.stderr).not.toContain('replaying');
  });

  it.each([
    ['sigma:', `sigma:${RULE}`],
    ['kql:', `kql:${join(ROOT, 'detectors', 'kql', 'cloudbrothers-azurehound.yaml')}`],
  ])('%s over two seeds: one thread runs both datasets, each with a fresh detector', async (_, detector) => {
    const r = await run(dir, [
      'run',
      'hound.yaml',
      '--seeds',
      '2',
      '--detector',
      detector,
      '--out',
      `out-seeds-${_.slice(0, -1)}`,
      '--no-progress',
      '--json',
    ]);
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    const s = JSON.parse(r.stdout).scenarios[0];
    expect(s.seeds).toHaveLength(2);
    // each seed's campaign is caught (weakly): the second dataset's detector is not the first one's
    expect(s.metrics.weak_recall.value).toBe(1);
    expect(s.metrics.weak_incidents.value).toBe(2);
    // the rules were checked and run on the detector's thread only: the Kusto language service
    // (which installs a global `Kusto` where it loads) was never loaded on the run's own thread
    expect((globalThis as { Kusto?: unknown }).Kusto).toBeUndefined();
  });

  it('`list detectors` names the sigma: and kql: forms', async () => {
    const r = await run(dir, ['list', 'detectors']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sigma:rules\.yml +Sigma rules/m);
    expect(r.stdout).toMatch(/^kql:rule\.kql +a KQL rule/m);
    expect(r.stdout).toContain('builtin:sigma-azure-ad-azurehound-discovery');
  });
});
