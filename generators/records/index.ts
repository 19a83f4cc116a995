export * from './aad-graph-activity.js';
export * from './common.js';
export * from './endpoint-powershell.js';
export * from './graph-activity.js';
export * from './signins.js';
export * from './ual.js';
