import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** End-to-end tests run the built CLI; build it once if `npm test` has not already. */
export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  if (!existsSync(join(root, 'dist', 'harness', 'cli', 'main.js'))) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
      { stdio: 'inherit' },
    );
  }
}
