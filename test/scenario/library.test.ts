// @module-tag slow
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import { renderSchema, SCHEMA_PATH } from '../../harness/scripts/gen-schema.js';
import { loadScenario } from '../../src/scenario/index.js';
import { ROOT, runBin } from '../helpers/cli.js';

/**
 * The scenario library: every file validates against the real catalogue, carries the
 * yaml-language-server modeline, and its normalised form matches the committed golden file.
 * Update goldens on purpose with UPDATE_GOLDEN=1 and review the diff.
 */
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const catalog = buildCatalog();
const files = ['scenarios', 'scenarios/examples'].flatMap((d) =>
  existsSync(join(ROOT, d))
    ? readdirSync(join(ROOT, d))
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => `${d}/${f}`)
    : [],
);

describe('the scenario library', () => {
  it('has the quickstart and one example per feature', () => {
    expect(files).toContain('scenarios/quickstart.yaml');
    expect(files.filter((f) => f.startsWith('scenarios/examples/')).length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s carries the schema modeline', (f) => {
    const first = readFileSync(join(ROOT, f), 'utf8').split('\n')[0];
    const rel = f.startsWith('scenarios/examples/') ? '../scenario.schema.json' : './scenario.schema.json';
    expect(first).toBe(`# yaml-language-server: $schema=${rel}`);
  });

  it.each(files)('%s validates and matches its golden normalised form', (f) => {
    const r = loadScenario(readFileSync(join(ROOT, f), 'utf8'), f, catalog);
    expect(r.ok ? [] : r.diagnostics).toEqual([]);
    if (!r.ok) return;
    expect(
      r.scenario.description.length,
      'every scenario has a description a purple team can brief from',
    ).toBeGreaterThan(40);
    const golden = join(ROOT, 'test', 'golden', f.replace(/\.yaml$/, '.json'));
    const text = `${JSON.stringify(r.scenario, null, 2)}\n`;
    if (UPDATE || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('scenarios/scenario.schema.json is current (run `npm run schema` when this fails)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderSchema());
  });

  it('`enumbench validate` accepts the whole library (exit 0)', async () => {
    // acceptance only: the estimates generate a sample of every scenario (their own tests cover them)
    const r = await runBin(['validate', '--no-estimate', ...files]);
    expect(r.stderr).not.toMatch(/error|invalid/);
    expect(r.code).toBe(0);
  });
});
