export * from './dataset-run.js';
export * from './detector-spec.js';
export * from './gate.js';
export * from './in-process-lockstep.js';
export * from './run-datasets.js';
export * from './scoring-files.js';
export * from './write-reports.js';
