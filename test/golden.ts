/**
 * Golden files: committed expected output. `UPDATE_GOLDEN=1 npx vitest run` rewrites them; the
 * diff is then reviewed like code (STYLE.md 10).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'golden');

export function expectGolden(name: string, actual: string): void {
  const file = join(ROOT, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI)
      throw new Error(`golden file ${name} was missing (written now)`);
    return;
  }
  expect(actual, `golden ${name} differs; rerun with UPDATE_GOLDEN=1 to accept`).toBe(readFileSync(file, 'utf8'));
}
