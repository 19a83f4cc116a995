/**
 * What the HTML report costs (issue 21: under 10% of the quickstart's `run`): the quickstart run
 * with `--report json` and with `--report json,html`, alternately, each in its own process; CPU
 * time (user + system, from the shell's `times`, so a busy machine slows both alike) and wall time,
 * and the size of report.html.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Benchmark } from './index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'harness', 'cli', 'main.js');

/** one run: CPU seconds of the child (user + system) and wall seconds */
function once(out: string, reports: string): { cpu: number; wall: number } {
  const t0 = performance.now();
  const text = execFileSync(
    'bash',
    [
      '-c',
      `"$0" "$1" run scenarios/quickstart.yaml --out "$2" --report "$3" --quiet --no-progress >/dev/null; times`,
      process.execPath,
      CLI,
      out,
      reports,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  // `times`: the shell's own line, then its children's: "0m4.120s 0m0.512s"
  const lines = text.trim().split('\n');
  const child = lines[lines.length - 1] ?? '';
  const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { cpu: secs.reduce((a, b) => a + b, 0), wall };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export const htmlReportBenchmark: Benchmark = {
  name: 'html-report',
  description: 'the quickstart run with and without --report html (CPU and wall time, file size)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'enumbench-bench-html-'));
    try {
      const without: { cpu: number; wall: number }[] = [];
      const withHtml: { cpu: number; wall: number }[] = [];
      const load0 = loadavg()[0] ?? 0;
      for (let i = 0; i < 3; i++) {
        without.push(once(join(dir, `a${i}`), 'json'));
        withHtml.push(once(join(dir, `b${i}`), 'json,html'));
      }
      const size = statSync(join(dir, 'b0', 'report.html')).size;
      const cpuA = median(without.map((x) => x.cpu));
      const cpuB = median(withHtml.map((x) => x.cpu));
      const wallA = median(without.map((x) => x.wall));
      const wallB = median(withHtml.map((x) => x.wall));
      return [
        { label: 'run --report json (median of 3)', value: `${cpuA.toFixed(1)} s CPU, ${wallA.toFixed(1)} s wall` },
        {
          label: 'run --report json,html (median of 3)',
          value: `${cpuB.toFixed(1)} s CPU, ${wallB.toFixed(1)} s wall`,
        },
        {
          label: 'the HTML report adds',
          value: `${(((cpuB - cpuA) / cpuA) * 100).toFixed(1)}% CPU, ${(((wallB - wallA) / wallA) * 100).toFixed(1)}% wall`,
        },
        { label: 'report.html', value: `${(size / 1024).toFixed(0)} KiB` },
        { label: 'load average (1 min) at start', value: load0.toFixed(1) },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
