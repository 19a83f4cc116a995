// @module-tag slow
/**
 * Issue 6's "done" criterion: `enumbench serve scenarios/quickstart.yaml --speed max` generates and
 * serves the quickstart dataset, and a collector written only from Microsoft's documentation
 * (detectors/collect), configured only by the CONTRACTS.md §4 environment, retrieves every record.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
let serve: ChildProcess | undefined;
afterEach(() => {
  serve?.kill('SIGINT');
  serve = undefined;
});

describe('serve a scenario to an outside collector', () => {
  it('the quickstart: every generated record is collected', async () => {
    const out = tempDir('enumbench-serve-');
    serve = spawn(
      process.execPath,
      [BIN, 'serve', 'scenarios/quickstart.yaml', '--speed', 'max', '--json', '--out', out],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: serve?.stdout as NodeJS.ReadableStream });
      rl.once('line', resolve);
      serve?.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
    });
    const env = JSON.parse(line) as Record<string, unknown>;
    const detectorEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (k.startsWith('ENUMBENCH_')) detectorEnv[k] = String(v);
    const manifest = JSON.parse(
      readFileSync(join(out, 'datasets', 'quickstart', 'seed-1089', 'manifest.json'), 'utf8'),
    ) as {
      counts: Record<string, number>;
    };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'detectors/collect/run.ts', '--count'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...detectorEnv },
      maxBuffer: 64 * 1024 * 1024,
    });
    const c = manifest.counts;
    expect(JSON.parse(stdout)).toMatchObject({
      ual: c.ual,
      diagnostics: (c.graphActivity ?? 0) + (c.signIns ?? 0) + (c.aadGraphActivity ?? 0),
    });
    // the whole quickstart (about a million records) generated, served and collected: generous for a
    // loaded 2-core machine, where it has taken over a minute
  }, 900_000);
});
