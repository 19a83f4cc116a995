// @module-tag slow
/**
 * Resource errors are the environment's, not bugs (issue 14): a full disk used to print
 * "internal error … this is a bug" with a stack trace (exit 3) and leave a 0-byte summary.json; an
 * unwritable GITHUB_STEP_SUMMARY exited 3 too. Now: a message naming the path and what to free,
 * exit 4, no stack trace, no partial report; the job summary is a warning.
 * ENOSPC is real: /dev/full, and a small tmpfs filled up (mounting needs root: skipped, loudly, without).
 * `generate`, `run` and `serve` meet it on the filled tmpfs (each writes many files, so /dev/full,
 * which stands for one file, cannot stand for their output folder). A detector whose own code
 * meets a full disk (/dev/full) is the detector's failure: exit 2.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';
import { writeWorld } from '../scoring/world.js';

const tmp = tempDir('enumbench-resource-');
const mnt = join(tmp, 'small-disk');
/** a read-only file system: what root meets where others meet EACCES (root passes permission checks) */
const ro = join(tmp, 'read-only');
let mounted = false;
let why = '';

beforeAll(async () => {
  writeFileSync(join(tmp, 'small.yaml'), smallScenario('expect:\n  recall: ">= 0"\n'));
  const g = await runBin(['generate', 'small.yaml', '--out', 'ds', '--quiet'], { cwd: tmp });
  expect(g.code, g.stderr).toBe(0);
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
    mkdirSync(ro);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro], { stdio: 'pipe' });
  } catch (e) {
    why = (e as Error).message.split('\n')[0] ?? '';
  }
}, 120_000);

/** every regular file under `dir` (a failed command must leave none on the full disk) */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function needsTmpfs(t: { skip(): void }): void {
  if (!mounted) {
    process.stderr.write(
      `\n!!! SKIPPED a tmpfs ENOSPC test: cannot mount a tmpfs here (${why}); run as root to cover it\n`,
    );
    t.skip();
  }
}

/** what every resource error must look like: exit 4, the path, what to do, no stack trace */
function expectResourceError(r: { code: number | null; stderr: string }, path: RegExp, elsewhere: string): void {
  expect(r.code, r.stderr).toBe(4);
  expect(r.stderr).toMatch(path);
  expect(r.stderr).toContain(`hint: the disk is full: free space there, or write elsewhere (${elsewhere})`);
  expect(r.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
}

afterAll(() => {
  if (mounted) {
    execFileSync('umount', [mnt]);
    execFileSync('umount', [ro]);
  }
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

  it('score: a full disk for the reports: exit 4, the path and what to free, no stack trace, no partial file', async (t) => {
    needsTmpfs(t);
    const r = await score(['--report', 'json,junit,md', '--out', join(mnt, 'out')]);
    expectResourceError(r, /small-disk\/out\/.*\(ENOSPC\)/, '--out');
    expect(readdirSync(join(mnt, 'out'))).toEqual([]);
  });

  it('generate on a full disk: exit 4, no partial dataset', async (t) => {
    needsTmpfs(t);
    const r = await runBin(['generate', 'small.yaml', '--out', join(mnt, 'gen')], { cwd: tmp });
    expectResourceError(r, /small-disk\/gen: write failed \(ENOSPC\)/, '--out');
    expect(filesUnder(join(mnt, 'gen'))).toEqual([]);
    expect(readdirSync(mnt).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('run --keep-datasets on a full disk, generating: exit 4, nothing written', async (t) => {
    needsTmpfs(t);
    const r = await runBin(['run', 'small.yaml', '--out', join(mnt, 'run'), '--keep-datasets'], { cwd: tmp });
    expectResourceError(r, /small-disk\/run\/datasets\/small\/seed-7: write failed \(ENOSPC\)/, '--out');
    expect(filesUnder(join(mnt, 'run'))).toEqual([]);
  });

  it('run with a full temporary folder, generating: exit 4, how to write elsewhere, nothing left', async (t) => {
    needsTmpfs(t);
    const temp = join(mnt, 'tmp');
    mkdirSync(temp, { recursive: true });
    const r = await runBin(['run', 'small.yaml', '--out', join(tmp, 'run-full-tmp')], {
      cwd: tmp,
      env: { TMPDIR: temp },
    });
    expectResourceError(
      r,
      /small-disk\/tmp\/enumbench-data-.*\/small\/seed-7: write failed \(ENOSPC\)/,
      'set TMPDIR to a folder on a disk with room, or give --keep-datasets to write them under --out',
    );
    expect(filesUnder(temp)).toEqual([]);
  });

  it('run of a dataset on a full disk, writing its alerts and reports: exit 4, nothing written', async (t) => {
    needsTmpfs(t);
    const r = await runBin(['run', 'ds', '--out', join(mnt, 'run-ds')], { cwd: tmp });
    expectResourceError(r, /small-disk\/run-ds\/.*\(ENOSPC\)/, '--out');
    expect(filesUnder(join(mnt, 'run-ds'))).toEqual([]);
  });

  it('generate into a read-only file system: exit 4, EROFS and what to do', async (t) => {
    needsTmpfs(t);
    const r = await runBin(['generate', 'small.yaml', '--out', join(ro, 'gen')], { cwd: tmp });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/read-only\/gen: mkdir failed \(EROFS\)/);
    expect(r.stderr).toContain('hint: the file system is read-only: write elsewhere (--out)');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('serve with its spill directory on a full disk: the servers closed, the ledger line, exit 4', async (t) => {
    needsTmpfs(t);
    const r = await runBin(['serve', 'ds', '--speed', 'max', '--spill-dir', join(mnt, 'spill')], { cwd: tmp });
    expectResourceError(r, /small-disk\/spill\/enumbench-spill-\w+: write failed \(ENOSPC\)/, '--spill-dir');
    expect(r.stderr).toMatch(/^served \d+ records .*never collected \d+$/m);
    expect(filesUnder(join(mnt, 'spill'))).toEqual([]);
  });

  it("a detector whose own code meets a full disk failed: exit 2 (not the environment's 4)", async () => {
    const full =
      "import { writeFileSync } from 'node:fs'; const fill = () => writeFileSync('/dev/full', 'x'.repeat(65536));";
    writeFileSync(
      join(tmp, 'full-import.mjs'),
      `${full} fill(); export default () => ({ name: 'f', start() {}, ingest() {}, stop() {} });`,
    );
    writeFileSync(
      join(tmp, 'full-ingest.mjs'),
      `${full} export default () => ({ name: 'f', start() {}, ingest() { fill(); }, stop() {} });`,
    );
    for (const m of ['full-import.mjs', 'full-ingest.mjs']) {
      const r = await runBin(['run', 'ds', '--detector', `module:./${m}`, '--out', `o-${m}`], { cwd: tmp });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/ENOSPC/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });
});
