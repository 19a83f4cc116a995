export * from './evaluate.js';
export * from './regression.js';
export * from './types.js';
