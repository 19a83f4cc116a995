/**
 * A detector that reads everything and says nothing: `ENUMBENCH_BENCH_DETECTOR=none` in the
 * run-memory benchmark, to measure what the bench itself holds (replay, scoring) apart from a
 * detector's own state.
 */
import type { Detector } from '../src/core/detector.js';

export default (): Detector => ({ name: 'none', start() {}, ingest() {}, stop() {} });
