export { allowedKeysAt, type LoadResult, loadScenario, scenarioHash, validate } from './load.js';
export { DEFAULT_DELIVERY, DEFAULTS, defaultRoles, parseOptionValue, parseSelector } from './normalise.js';
export { inBusinessHours, type LocalTime, localTime, MAX_RUNS, scheduleRuns } from './schedule.js';
export { ScenarioInput } from './schema.js';
export * from './thresholds.js';
export type * from './types.js';
export * from './units.js';
