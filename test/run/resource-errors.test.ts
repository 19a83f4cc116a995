/**
 * Resource errors are the environment's, not bugs (issue 14): a full disk used to print
 * "internal error … this is a bug" with a stack trace (exit 3) and leave a 0-byte summary.json; an
 * unwritable GITHUB_STEP_SUMMARY exited 3 too. Now: a message naming the path and what to free,
 * exit 4, no stack trace, no partial report; the job summary is a warning.
 * ENOSPC is real: /dev/full, and a small tmpfs filled up (mounting needs root: skipped, loudly, without).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeWorld } from '../scoring/world.js';

const tmp = tempDir('enumbench-resource-');
const mnt = join(tmp, 'small-disk');
let mounted = false;
let why = '';

beforeAll(() => {
  writeWorld(tmp);
  writeFileSync(join(tmp, 'empty.jsonl'), '');
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'pipe' });
    mounted = true;
    // fill it: the next write meets ENOSPC
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=64k', 'count=64'], { stdio: 'pipe' });
    } catch {
      // dd stops with "No space left on device": the disk is full, as wanted
    }
    mkdirSync(join(mnt, 'out'), { recursive: true });
  } catch (e) {
    why = (e as Error).message.split('\n')[0] ?? '';
  }
});

afterAll(() => {
  if (mounted) execFileSync('umount', [mnt]);
});

const score = (args: string[], env: Record<string, string> = {}) =>
  runBin(['score', '--truth', '.', '--alerts', 'empty.jsonl', '--threshold', 'recall>=0', ...args], { cwd: tmp, env });

describe('resource errors', () => {
  it('an unwritable job summary (/dev/full: ENOSPC) is a warning; the run keeps its verdict', async () => {
    const r = await score(['--report', 'json', '--out', 'o1'], { GITHUB_STEP_SUMMARY: '/dev/full' });
    expect(r.stderr).toMatch(
      /warning: cannot append the job summary to \$GITHUB_STEP_SUMMARY \(\/dev\/full: write failed \(ENOSPC\); the disk is full/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(existsSync(join(tmp, 'o1', 'summary.json'))).toBe(true);
  });

  it('a full disk for the reports: exit 4, the path and what to free, no stack trace, no partial file', async (t) => {
    if (!mounted) {
      process.stderr.write(
        `\n!!! SKIPPED the tmpfs ENOSPC test: cannot mount a tmpfs here (${why}); run as root to cover it\n`,
      );
      t.skip();
    }
    const r = await score(['--report', 'json,junit,md', '--out', join(mnt, 'out')]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/small-disk\/out\/.*\(ENOSPC\)/);
    expect(r.stderr).toMatch(/hint: the disk is full: free space there, or write elsewhere \(--out\)/);
    expect(r.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(readdirSync(join(mnt, 'out'))).toEqual([]);
  });
});
