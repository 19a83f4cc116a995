/**
 * The real records in ../shared/reference/samples/ (SOURCES.md there says where each comes from),
 * one parsed record per line. `SAMPLES` is undefined when the reference folder is absent, so tests
 * that need the samples skip rather than fail on a checkout without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLES = [
  join(process.cwd(), '..', '..', 'shared', 'reference', 'samples'),
  '/work/shared/reference/samples',
].find((d) => existsSync(d));

export function samples(file: string): Record<string, unknown>[] {
  if (!SAMPLES) return [];
  return readFileSync(join(SAMPLES, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
