export * from './blobs.js';
export * from './clock.js';
export * from './dataset.js';
export * from './lockstep.js';
export * from './publication.js';
export * from './rebase.js';
export * from './replay.js';
