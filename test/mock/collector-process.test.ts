// @module-tag slow
/**
 * The "done" criterion in small: `enumbench serve DIR --speed max` in one process, and a
 * collector written from Microsoft's documentation in another, configured only by the
 * environment a `process:` detector receives, retrieves every record.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFixture, writeDataset } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
let serve: ChildProcess | undefined;
afterEach(() => {
  serve?.kill('SIGINT');
  serve = undefined;
});

describe('serve + an outside collector', () => {
  it('retrieves every UAL and diagnostic record, using only the CONTRACTS.md §4 environment', async () => {
    const dir = tempDir('enumbench-proc-');
    const f = buildFixture({ seed: 51, ual: 1500, signIns: 200, graph: 150, duplicateRate: 0.02 });
    writeDataset(dir, f, 51);
    serve = spawn(
      process.execPath,
      ['--import', 'tsx', 'harness/cli/main.ts', 'serve', dir, '--speed', 'max', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: serve?.stdout as NodeJS.ReadableStream });
      rl.once('line', resolve);
      serve?.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
    });
    const env = JSON.parse(line) as Record<string, string>;
    const detectorEnv: Record<string, string> = {};
    for (const k of Object.keys(env)) if (k.startsWith('ENUMBENCH_')) detectorEnv[k] = env[k] as string;
    expect(JSON.stringify(detectorEnv)).not.toContain((env.bench as unknown as { token: string }).token);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'detectors/collect/run.ts', '--count'], {
      env: { PATH: process.env.PATH ?? '', ...detectorEnv },
    });
    expect(JSON.parse(stdout)).toMatchObject({ ual: 1500, diagnostics: 350 });
  });
});
