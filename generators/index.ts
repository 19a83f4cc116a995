export * from './compose/index.js';
export * from './registry.js';
export { buildWorld, checkScenarioAgainstTenant } from './world/plan.js';
export type { World } from './world/types.js';
