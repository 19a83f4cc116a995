/**
 * Where a worker thread's compiled module is: beside the running file when enumbench runs from
 * dist/, else under dist/ (tests run the TypeScript sources, whose workers are the built ones).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { internalError } from '../src/core/errors.js';

/** `fromUrl`: the caller's import.meta.url; `dir`: the folder under harness/, e.g. `dataset`. */
export function builtWorkerFile(fromUrl: string, dir: string, file: string): string {
  const here = dirname(fileURLToPath(fromUrl));
  const beside = join(here, file);
  if (existsSync(beside)) return beside;
  const built = join(here, '..', '..', 'dist', 'harness', dir, file);
  if (existsSync(built)) return built;
  throw internalError(`the worker ${file} is not built (looked for ${beside} and ${built}): run npm run build`);
}
