/**
 * `npm run bench`: runs every benchmark and prints its figures with the machine they were taken on.
 * Benchmarks measure speed and memory; they never fail a build (timed tests flake on busy machines).
 *
 *   npm run bench                 all benchmarks
 *   npm run bench -- scenario     only those whose name contains "scenario"
 */
import { cpus, totalmem } from 'node:os';
import { BENCHMARKS } from './index.js';

const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  `enumbench benchmarks — Node ${process.version}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n\n`,
);

for (const b of BENCHMARKS) {
  if (filter.length && !filter.some((f) => b.name.includes(f))) continue;
  process.stdout.write(`▶ ${b.name}: ${b.description}\n`);
  const figures = await b.run();
  for (const f of figures) process.stdout.write(`  ${f.label.padEnd(44)} ${f.value}\n`);
  process.stdout.write('\n');
}
