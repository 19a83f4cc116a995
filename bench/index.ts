/** The benchmarks `npm run bench` runs, in order. One file each; one line here. */
import { datasetCompressionBenchmark } from './dataset-compression.js';
import { detectorThreadBenchmark } from './detector-thread.js';
import { generateBenchmark } from './generate.js';
import { htmlReportBenchmark } from './html-report.js';
import { kqlScheduleBenchmark } from './kql-schedule.js';
import { mockDeliveryBenchmark } from './mock-delivery.js';
import { processRunBenchmark } from './process-run.js';
import { runMemoryBenchmark } from './run-memory.js';
import { scenarioLoadBenchmark } from './scenario-load.js';
import { serveMemoryBenchmark } from './serve-memory.js';

export interface Figure {
  label: string;
  value: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Figure[]>;
}

export const BENCHMARKS: readonly Benchmark[] = [
  scenarioLoadBenchmark,
  generateBenchmark,
  mockDeliveryBenchmark,
  serveMemoryBenchmark,
  processRunBenchmark,
  runMemoryBenchmark,
  detectorThreadBenchmark,
  kqlScheduleBenchmark,
  htmlReportBenchmark,
  datasetCompressionBenchmark,
];
