export * from './engine.js';
export * from './env.js';
export * from './options.js';
export * from './ordered.js';
export * from './split.js';
