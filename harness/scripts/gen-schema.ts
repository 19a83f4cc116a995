/**
 * Writes scenarios/scenario.schema.json from the zod schema and the catalogue.
 *   npm run schema            (re)write it
 *   npm run schema -- --check exit 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { buildCatalog } from '../catalog.js';

export const SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'scenarios',
  'scenario.schema.json',
);

export function renderSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(buildCatalog()), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderSchema();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_PATH, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write('scenarios/scenario.schema.json is stale: run `npm run schema`\n');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(SCHEMA_PATH, text);
    process.stderr.write(`wrote ${SCHEMA_PATH}\n`);
  }
}
