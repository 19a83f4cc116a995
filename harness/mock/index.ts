export * from './af-errors.js';
export * from './faults.js';
export * from './identity.js';
export * from './ledger.js';
export * from './services.js';
export * from './subscriptions.js';
export * from './time-window.js';
