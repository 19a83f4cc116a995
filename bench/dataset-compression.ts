/**
 * What the block-compressed gzip of harness/replay/line-reader.ts does to a dataset (issue 17: a
 * kept, compressed dataset at most one eighth of the uncompressed size): the quickstart generated
 * uncompressed, each JSONL file written again with JsonlWriter's gzip (1 MiB members, the fastest
 * level) and read back with LineReader; the size ratio, and the CPU time of writing and reading
 * (process.cpuUsage, so a busy machine slows them less than wall time would say).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JsonlWriter } from '../harness/dataset/jsonl-writer.js';
import { LineReader } from '../harness/replay/line-reader.js';
import type { Benchmark } from './index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'harness', 'cli', 'main.js');

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

export const datasetCompressionBenchmark: Benchmark = {
  name: 'dataset-compression',
  description: 'the quickstart dataset in block-compressed gzip: size ratio, write and read CPU time',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'enumbench-bench-gzip-'));
    try {
      const ds = join(dir, 'q');
      execFileSync(process.execPath, [CLI, 'generate', 'scenarios/quickstart.yaml', '--out', ds, '--quiet'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      let raw = 0;
      let stored = 0;
      let writeCpu = 0;
      let readCpu = 0;
      let lines = 0;
      for (const f of readdirSync(ds).filter((n) => n.endsWith('.jsonl'))) {
        const gz = join(dir, `${f}.gz`);
        const r = new LineReader(join(ds, f));
        const w = new JsonlWriter(gz, 1 << 20, true);
        let t = process.cpuUsage();
        for (let l = r.next(); l; l = r.next()) w.line(l.bytes.toString('utf8'));
        const c = w.close();
        writeCpu += cpuSeconds(t);
        r.close();
        raw += c.bytes;
        stored += w.stored;
        t = process.cpuUsage();
        const back = new LineReader(gz);
        while (back.next()) lines++;
        back.close();
        readCpu += cpuSeconds(t);
      }
      const mb = raw / 1e6;
      return [
        { label: 'load average', value: (loadavg()[0] ?? 0).toFixed(1) },
        {
          label: `quickstart dataset (${lines} lines)`,
          value: `${mb.toFixed(0)} MB uncompressed, ${(stored / 1e6).toFixed(1)} MB compressed: ${(raw / stored).toFixed(2)}× smaller`,
        },
        {
          label: 'CPU time (re-encoding included)',
          value: `write ${writeCpu.toFixed(1)} s (${(mb / writeCpu).toFixed(0)} MB/s), read ${readCpu.toFixed(1)} s (${(mb / readCpu).toFixed(0)} MB/s)`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
