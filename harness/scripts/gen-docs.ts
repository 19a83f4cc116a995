/**
 * Writes docs/modules.md, docs/techniques/*.md and docs/profiles/*.md from the registries.
 *   npm run docs              (re)write them
 *   npm run docs -- --check   exit 1 if any is stale
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../catalog.js';
import { renderModuleDocs } from '../docs/module-docs.js';

export const DOCS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

export function expectedModuleDocs(): Map<string, string> {
  const c = buildCatalog();
  return renderModuleDocs(c.techniques, c.profiles);
}

/** Generated files on disk (the index and every page under techniques/ and profiles/). */
export function currentModuleDocs(): Map<string, string> {
  const files = new Map<string, string>();
  const read = (rel: string) => {
    try {
      files.set(rel, readFileSync(join(DOCS_DIR, rel), 'utf8'));
    } catch {
      // missing
    }
  };
  read('modules.md');
  for (const sub of ['techniques', 'profiles']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(DOCS_DIR, sub));
    } catch {
      // none yet
    }
    for (const n of names) if (n.endsWith('.md')) read(`${sub}/${n}`);
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const expected = expectedModuleDocs();
  if (process.argv.includes('--check')) {
    const current = currentModuleDocs();
    const stale = [...new Set([...expected.keys(), ...current.keys()])].filter(
      (k) => expected.get(k) !== current.get(k),
    );
    if (stale.length) {
      process.stderr.write(`stale generated docs: ${stale.join(', ')}; run \`npm run docs\`\n`);
      process.exitCode = 1;
    }
  } else {
    for (const sub of ['techniques', 'profiles']) rmSync(join(DOCS_DIR, sub), { recursive: true, force: true });
    for (const [rel, text] of expected) {
      mkdirSync(dirname(join(DOCS_DIR, rel)), { recursive: true });
      writeFileSync(join(DOCS_DIR, rel), text);
    }
    process.stderr.write(`wrote ${expected.size} files under docs/\n`);
  }
}
