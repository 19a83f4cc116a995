export * from './apps.js';
export * from './ip-networks.js';
export * from './networks.js';
export {
  assertTenantSatisfiable,
  buildWorld,
  checkScenarioAgainstTenant,
  resolveSelector,
  tenantIdFor,
} from './plan.js';
export * from './timezone.js';
export type * from './types.js';
