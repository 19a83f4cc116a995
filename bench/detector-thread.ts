/**
 * What the detector's own thread costs (issue 14: in-process detectors run on a worker thread so a
 * blocked event loop is caught by the call watchdog): the lockstep replay of the quickstart dataset
 * into builtin:volume, once with the detector on the replay's thread (resolveDetector) and once on
 * its worker thread (startDetectorThread, what `enumbench run` does). CPU is the whole process's
 * (every thread), wall time on this machine.
 *
 *   npm run bench -- detector-thread
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnDataset } from '../harness/run/dataset-run.js';
import { resolveDetector } from '../harness/run/detector-spec.js';
import { startDetectorThread } from '../harness/run/detector-thread.js';
import { wallNow } from '../src/core/clock.js';
import type { Benchmark, Figure } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const ts = import.meta.url.endsWith('.ts');
const ROOT = join(here, '..', ...(ts ? [] : ['..']));

async function measure(
  dir: string,
  threaded: boolean,
): Promise<{ cpuMs: number; ms: number; alerts: number; batches: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = wallNow();
  const detector = threaded
    ? await startDetectorThread({ spec: 'builtin:volume', cwd: ROOT })
    : await resolveDetector('builtin:volume');
  try {
    const run = await runOnDataset({ dir, detector });
    const cpu = process.cpuUsage(cpu0);
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      ms: wallNow() - t0,
      alerts: run.lockstep.alerts.length,
      batches: run.lockstep.batches,
    };
  } finally {
    if ('close' in detector) await (detector as { close(): Promise<void> }).close();
  }
}

export const detectorThreadBenchmark: Benchmark = {
  name: 'detector-thread',
  description:
    'lockstep replay of the quickstart into builtin:volume: the detector on the replay thread vs on its own worker thread',
  async run() {
    const root = mkdtempSync(join(tmpdir(), 'enumbench-bench-thread-'));
    const figures: Figure[] = [];
    try {
      const dir = join(root, 'qs');
      const cli = join(ROOT, 'dist', 'harness', 'cli', 'main.js');
      execFileSync(process.execPath, [
        cli,
        'generate',
        join(ROOT, 'scenarios', 'quickstart.yaml'),
        '--out',
        dir,
        '--quiet',
      ]);
      for (const threaded of [false, true]) {
        const r = await measure(dir, threaded);
        figures.push({
          label: threaded ? 'detector on its own thread (run)' : 'detector on the replay thread',
          value: `CPU ${(r.cpuMs / 1000).toFixed(1)} s, wall ${(r.ms / 1000).toFixed(1)} s, ${r.batches} calls to ingest, ${r.alerts} alerts`,
        });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
