export * from './activity-client.js';
export * from './detect.js';
export * from './diagnostics-client.js';
export * from './http.js';
export * from './run.js';
