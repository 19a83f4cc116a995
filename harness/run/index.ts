export * from './gate.js';
export * from './lockstep.js';
export * from './write-reports.js';
