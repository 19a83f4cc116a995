/** `--jobs N|auto` for the commands that generate (generate, run, serve). */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { AUTO_JOBS_MAX, AUTO_JOBS_MAX_USERS } from '../dataset/generate-parallel.js';

export const JOBS_HELP = `worker threads generating in parallel: a number, or auto (one per core, at most ${AUTO_JOBS_MAX}, for tenants of up to ${AUTO_JOBS_MAX_USERS.toLocaleString('en-US')} users); the dataset is byte-identical for any number (default: auto)`;

export function parseJobs(v: string): number | 'auto' {
  if (v.trim() === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('jobs is auto or an integer 1..64');
  return n;
}
