// @module-tag slow
/**
 * SIGINT and SIGTERM (issue 14): a signal to `generate` used to exit the parent at once and orphan
 * its re-executed child, which kept writing; an interrupted regeneration left the old manifest and
 * truth beside new partial files; an interrupted `run` left the previous run's summary.json and
 * junit.xml for CI to publish; no command said it was interrupted.
 *
 * Each test starts the built binary in its own process group, waits for a line that says the
 * command is at the point to interrupt (a progress line, the serve banner, the detector's pid file)
 * — never a sleep — sends the signal to the command's pid as CI does, and checks the exit code, the
 * "interrupted" message, that the output is the previous complete one or absent, and that no
 * process of the group (nor of the detector's own group) is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processAlive, processGroupAlive } from '../../harness/run/child.js';
import { BIN, runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-interrupt-');
const SMALL = join(tmp, 'small.yaml');
/** long enough that the first progress line (2,048 records) comes well before the end (tens of thousands) */
const LONGER = join(tmp, 'longer.yaml');
const DATASET = join(tmp, 'ds');

interface Started {
  child: ChildProcess;
  stderr: () => string;
  /** resolves when stderr or stdout matches */
  waitFor(re: RegExp): Promise<void>;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: tmp,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: the test checks that nothing of it is left
    detached: true,
  });
  let err = '';
  let out = '';
  const waiters: { re: RegExp; done: () => void }[] = [];
  const check = () => {
    for (const w of waiters.splice(0)) {
      if (w.re.test(err) || w.re.test(out)) w.done();
      else waiters.push(w);
    }
  };
  child.stdout?.on('data', (d) => {
    out += d;
    check();
  });
  child.stderr?.on('data', (d) => {
    err += d;
    check();
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => r({ code, signal })),
  );
  return {
    child,
    stderr: () => err,
    waitFor: (re) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(err) || re.test(out)) return resolve();
        waiters.push({ re, done: resolve });
        void closed.then(() => {
          if (!re.test(err) && !re.test(out)) reject(new Error(`exited before ${re}; stderr:\n${err}`));
        });
      }),
    closed,
  };
}

/** alive and not a zombie (an exited orphan may wait long for this container's init to reap it) */
const alive = processAlive;

/** nothing of the command's process group is left (the group's id is the command's pid) */
async function groupGone(pid: number): Promise<boolean> {
  // a process group outlives its leader by the time its last member is reaped
  for (let i = 0; i < 100 && processGroupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !processGroupAlive(pid);
}

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Send `signal` to the started command once `ready` has been printed; then check what every
 * interruption must give: the exit code, "interrupted" as the last word, no process of its group left.
 */
async function interruptWhen(
  g: Started,
  ready: RegExp | (() => Promise<void>),
  signal: 'SIGINT' | 'SIGTERM',
): Promise<void> {
  await (ready instanceof RegExp ? g.waitFor(ready) : ready());
  process.kill(g.child.pid as number, signal);
  const r = await g.closed;
  expect(r.code, g.stderr()).toBe(CODES[signal]);
  expect(g.stderr()).toMatch(new RegExp(`\\nenumbench: interrupted \\(${signal}\\)\\n$`));
  expect(g.stderr()).not.toMatch(/internal error|\n\s+at /);
  expect(await groupGone(g.child.pid as number)).toBe(true);
}

const GENERATING = /generating longer · seed 7: \d+% · \d+ records/;

/** temporary siblings generate leaves while writing (.NAME.PID.tmp / .old) */
const leftovers = (dir: string) => readdirSync(dir).filter((f) => /\.\d+\.(tmp|old)$/.test(f));

beforeAll(async () => {
  writeFileSync(SMALL, smallScenario('expect:\n  recall: ">= 0"\n'));
  writeFileSync(
    LONGER,
    smallScenario('expect:\n  recall: ">= 0"\n')
      .replace('name: small', 'name: longer')
      .replace('tenant: {users: 60}', 'tenant: {users: 150}')
      .replace('duration: 2h', 'duration: 1d'),
  );
  const g = await runBin(['generate', SMALL, '--out', DATASET, '--quiet'], { cwd: tmp });
  expect(g.code, g.stderr).toBe(0);
}, 120_000);

describe('generate, interrupted', () => {
  it('SIGINT mid-generation over an earlier dataset: exit 130, "interrupted", the earlier dataset intact, no process left', async () => {
    const out = join(tmp, 'regen');
    const first = await runBin(['generate', SMALL, '--out', out, '--quiet'], { cwd: tmp });
    expect(first.code, first.stderr).toBe(0);
    const before = readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')] as const);

    const g = start(['generate', LONGER, '--out', out, '--progress-interval', '0']);
    await interruptWhen(g, GENERATING, 'SIGINT');
    // the earlier dataset, byte for byte; nothing of the new one beside it
    expect(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')] as const)).toEqual(before);
    expect(leftovers(tmp)).toEqual([]);
  }, 120_000);

  it('SIGTERM mid-generation into a new folder: exit 143, "interrupted", no folder at all', async () => {
    const out = join(tmp, 'fresh');
    const g = start(['generate', LONGER, '--out', out, '--progress-interval', '0']);
    await interruptWhen(g, GENERATING, 'SIGTERM');
    expect(existsSync(out)).toBe(false);
    expect(leftovers(tmp)).toEqual([]);
  }, 120_000);

  it('refuses to replace a folder that is not a dataset (its files would be lost)', async () => {
    const out = join(tmp, 'not-a-dataset');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = await runBin(['generate', SMALL, '--out', out], { cwd: tmp });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/does not hold a dataset \(no manifest\.json\)/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });
});

describe('run, interrupted', () => {
  it("SIGTERM while generating: exit 143, the previous run's reports and alerts removed, no process left", async () => {
    const out = join(tmp, 'run-gen');
    mkdirSync(join(out, 'alerts', 'longer'), { recursive: true });
    for (const f of ['summary.json', 'junit.xml', 'summary.md']) writeFileSync(join(out, f), 'stale');
    writeFileSync(join(out, 'alerts', 'longer', 'seed-7.jsonl'), 'stale');
    const temp = join(tmp, 'run-gen-tmp');
    mkdirSync(temp);
    const g = start(['run', LONGER, '--out', out, '--progress-interval', '0'], { TMPDIR: temp });
    await interruptWhen(g, GENERATING, 'SIGTERM');
    expect(readdirSync(out)).toEqual([]);
    // the dataset being generated (in a private temporary folder) and its answer key are gone
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);

  it('SIGTERM while generating with --keep-datasets: no partial dataset in the output folder', async () => {
    const out = join(tmp, 'run-gen-kept');
    const g = start(['run', LONGER, '--out', out, '--progress-interval', '0', '--keep-datasets']);
    await interruptWhen(g, GENERATING, 'SIGTERM');
    expect(readdirSync(out)).toEqual(['datasets']);
    expect(readdirSync(join(out, 'datasets', 'longer'))).toEqual([]);
  }, 120_000);

  it('SIGINT while replaying into an in-process detector: exit 130, no reports', async () => {
    const out = join(tmp, 'run-replay');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), 'stale');
    // a one-second tick: thousands of detector calls, so the replay is far from done when the signal comes
    const g = start(['run', DATASET, '--out', out, '--progress-interval', '0', '--tick', '1s']);
    await interruptWhen(g, /replaying ds: \d+% · \d+ records/, 'SIGINT');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  }, 120_000);

  it('SIGINT with a process: detector: the signal reaches its process group (and what it started); exit 130', async () => {
    const out = join(tmp, 'run-proc');
    const pids = join(tmp, 'pids');
    // a detector that starts a grandchild and records both pids, then waits to be stopped
    writeFileSync(
      join(tmp, 'det.mjs'),
      `import { spawn } from 'node:child_process';
       import { writeFileSync } from 'node:fs';
       const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       process.on('SIGINT', () => { console.error('detector: got SIGINT'); process.exit(0); });
       writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, g.pid]));
       setInterval(() => {}, 1000);`,
    );
    const g = start([
      'run',
      DATASET,
      '--out',
      out,
      '--detector',
      `process:${process.execPath} det.mjs`,
      '--grace',
      '2s',
    ]);
    // ready: the detector wrote its pids (polled: the file is the detector's "ready" line)
    const written = async () => {
      while (!existsSync(pids)) {
        if (g.child.exitCode !== null) throw new Error(g.stderr());
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await interruptWhen(g, written, 'SIGINT');
    const [det, grand] = JSON.parse(readFileSync(pids, 'utf8')) as [number, number];
    expect(alive(det)).toBe(false);
    expect(alive(grand)).toBe(false);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  }, 120_000);
});

describe('serve, interrupted', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while serving: the ledger line, "interrupted", exit ${CODES[signal]}, no process left`, async () => {
      const g = start(['serve', DATASET, '--speed', 'max']);
      // the banner (stdout) is printed once the servers listen
      await interruptWhen(g, /serving until Ctrl-C/, signal);
      expect(g.stderr()).toMatch(/^served \d+ records \(\d+ content blobs\); fetched 0; never collected \d+\n/m);
    }, 120_000);
  }

  it('SIGINT while serve generates its scenario: exit 130, no dataset', async () => {
    const out = join(tmp, 'serve-gen');
    const g = start(['serve', LONGER, '--out', out, '--progress-interval', '0']);
    await interruptWhen(g, GENERATING, 'SIGINT');
    expect(existsSync(join(out, 'datasets', 'longer', 'seed-7'))).toBe(false);
  }, 120_000);
});
