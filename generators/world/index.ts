export * from './apps.js';
export * from './networks.js';
export { buildWorld, checkScenarioAgainstTenant, resolveSelector } from './plan.js';
export * from './timezone.js';
export type * from './types.js';
