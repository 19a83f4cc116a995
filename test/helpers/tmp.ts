/**
 * Temporary directories for a test file, removed when the file's tests finish. Importing this
 * module registers the clean-up on the importing file's root suite, so a test never leaves a
 * dataset behind in the OS temp directory (a full `npm test` otherwise leaves several GiB there).
 * Set ENUMBENCH_KEEP_TMP=1 to keep them for a post-mortem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

/** a fresh directory under the OS temp directory, named `<prefix>XXXXXX` */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterAll(() => {
  if (process.env.ENUMBENCH_KEEP_TMP === '1') return;
  // a dataset generated into the directory itself has its answer key beside it (DIR.truth/)
  for (const dir of made.splice(0)) for (const d of [dir, `${dir}.truth`]) rmSync(d, { recursive: true, force: true });
});
