/**
 * `npm run test:fast` runs every test file not tagged `// @module-tag slow` (vitest's file tags).
 * Its promise — unit and property tests only, no processes — holds only if every file that starts a
 * process carries the tag, so this checks it (issue #18 item 8).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SLOW_TAG = /^\/\/ @module-tag slow$/m;
/** Starting the CLI, a child process or a worker thread. */
const STARTS_A_PROCESS = /\b(runBin|startServe|smallDatasetRuns)\(|from 'node:child_process'|new Worker\(/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the slow tag', () => {
  const files = ['test', 'src', 'generators', 'harness', 'detectors'].flatMap((d) => testFiles(join(ROOT, d)));

  it('finds the test files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('is on every test file that starts a process', () => {
    const untagged = files
      .filter((f) => {
        if (f === import.meta.filename) return false; // this file names the patterns it looks for
        const text = readFileSync(f, 'utf8');
        return STARTS_A_PROCESS.test(text) && !SLOW_TAG.test(text);
      })
      .map((f) => relative(ROOT, f));
    expect(untagged, 'add `// @module-tag slow` as the first line of these files').toEqual([]);
  });

  it('recognises a file that spawns the CLI', () => {
    expect(STARTS_A_PROCESS.test("const r = await runBin(['run', 'x.yaml']);")).toBe(true);
    expect(STARTS_A_PROCESS.test("import { ROOT } from '../helpers/cli.js';")).toBe(false);
  });
});
