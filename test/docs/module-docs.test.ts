import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderModuleDocs, renderModulePage } from '../../harness/docs/module-docs.js';
import { currentModuleDocs, expectedModuleDocs, expectedReadme, README_PATH } from '../../harness/scripts/gen-docs.js';
import { TEST_CATALOG } from '../fixtures/catalog.js';

describe('module docs', () => {
  it('a page carries the id, ATT&CK ids, options with defaults, and a scenario snippet', () => {
    const t = TEST_CATALOG.techniques[0];
    if (!t) throw new Error('fixture');
    const page = renderModulePage({ ...t, observability: [{ source: 'graphActivity', shows: 'every GET' }] });
    expect(page).toMatch(/# AzureHound \(`azurehound`\)/);
    expect(page).toMatch(/T1087\.004/);
    expect(page).toMatch(/\| `streams` \| integer \(≥ 1, ≤ 50\), range allowed \| `25` \|/);
    expect(page).toMatch(/Not visible in: `ual`/);
    expect(page).toMatch(/- technique: azurehound/);
  });

  it('a module no source shows is called unobservable', () => {
    const t = TEST_CATALOG.techniques[1];
    if (!t) throw new Error('fixture');
    expect(renderModulePage({ ...t, observability: [] })).toMatch(/unobservable/);
  });

  it('renders an index and one page per module', () => {
    const files = renderModuleDocs(TEST_CATALOG.techniques, TEST_CATALOG.profiles);
    expect([...files.keys()]).toContain('techniques/azurehound.md');
    expect([...files.keys()]).toContain('profiles/helpdesk.md');
    expect(files.get('modules.md')).toMatch(/\[`graph-user-listing`\]\(techniques\/graph-user-listing\.md\)/);
  });

  it('the committed docs/ pages are current (run `npm run docs` when this fails)', () => {
    const expected = expectedModuleDocs();
    const current = currentModuleDocs();
    expect([...current.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, v] of expected) expect(current.get(k), k).toBe(v);
  });

  it('the README ATT&CK table is current (run `npm run docs` when this fails)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toContain('<!-- attack-table:start');
    expect(expectedReadme(readme)).toBe(readme);
  });
});
