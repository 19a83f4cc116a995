export * from './console.js';
export * from './format.js';
export * from './junit.js';
export * from './markdown.js';
export * from './model.js';
export * from './replay.js';
export * from './summary.js';
