// @module-tag slow
/**
 * `serve` wired to an outside collector by hand, over real HTTP on loopback, the way docs/mock.md
 * tells a user to: `--ready-file` is the signal to start the collector (no `sleep`), the collector
 * writes each record with its source, and `--exit-when-done` waits until everything published has
 * been collected — the collector never meets a closed port — or, with nobody collecting, until the
 * drain has passed.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { buildFixture, writeDataset } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

const execFileP = promisify(execFile);
let serve: ChildProcess | undefined;
afterEach(() => {
  serve?.kill('SIGKILL');
  serve = undefined;
});

function startServe(args: string[]): { exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  serve = child;
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return { exited: new Promise((r) => child.once('close', (code) => r({ code, stderr }))) };
}

/** wait for the ready file as a shell script would (`until [ -e F ]`), failing if serve exits first */
async function ready(file: string, exited: Promise<unknown>): Promise<Record<string, unknown>> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!existsSync(file)) {
    if (gone) throw new Error('serve exited before it was ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('serve --ready-file --exit-when-done with an outside collector', () => {
  it('serves until the collector has everything, each record written with its source', async () => {
    const dir = tempDir('enumbench-serve-collect-');
    const f = buildFixture({ seed: 77, ual: 400, signIns: 60, graph: 40, duplicateRate: 0.02 });
    writeDataset(dir, f, 77);
    const file = join(dir, 'serve.json');
    const s = startServe([dir, '--speed', 'max', '--ready-file', file, '--exit-when-done', '--drain', '10m']);
    const env = await ready(file, s.exited);
    // the file holds exactly what --json prints: the detector's variables and the shift for `score`
    expect(typeof (env.clock as { shiftMs: unknown }).shiftMs).toBe('number');
    const detectorEnv: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const [k, v] of Object.entries(env)) if (k.startsWith('ENUMBENCH_')) detectorEnv[k] = String(v);
    // the collector polls at its own pace; serve publishes everything at once and must wait for it
    const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', 'detectors/collect/run.ts'], {
      cwd: ROOT,
      env: detectorEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    const bySource: Record<string, number> = {};
    for (const line of stdout.trim().split('\n')) {
      const m = JSON.parse(line) as { source: string; record: Record<string, unknown> };
      expect(typeof m.record).toBe('object');
      bySource[m.source] = (bySource[m.source] ?? 0) + 1;
    }
    expect(bySource).toEqual({ ual: 400, signIns: 60, graphActivity: 40 });
    const done = await s.exited;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('served 500 records');
    expect(done.stderr).toContain('never collected 0');
    expect(done.stderr).not.toContain('stopped after the drain');
    // the ready file lives exactly as long as the services
    expect(existsSync(file)).toBe(false);
  });

  it('with nobody collecting, stops when the drain has passed and says what was never collected', async () => {
    const dir = tempDir('enumbench-serve-drain-');
    writeDataset(dir, buildFixture({ seed: 78, ual: 50, signIns: 5 }), 78);
    const file = join(dir, 'serve.json');
    const s = startServe([dir, '--speed', 'max', '--ready-file', file, '--exit-when-done', '--drain', '1s']);
    await ready(file, s.exited);
    const done = await s.exited;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('never collected 55');
    expect(done.stderr).toContain(
      'stopped after the drain (1s after the last publication) with 55 records never collected',
    );
    expect(existsSync(file)).toBe(false);
  });

  it('a bad --drain is refused before anything is served (exit 4)', async () => {
    const dir = tempDir('enumbench-serve-bad-');
    writeDataset(dir, buildFixture({ seed: 79, ual: 5 }), 79);
    const s = startServe([dir, '--exit-when-done', '--drain', 'soon']);
    const done = await s.exited;
    expect(done.code).toBe(4);
    expect(done.stderr).toContain('--drain is a duration such as 30s, 6m or 0, not "soon"');
  });
});
