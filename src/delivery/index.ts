export { fnv1a, unit } from './hash.js';
export { DeliverySchedule, type DeliveryScheduleOptions, type ScheduleInput, ualContentType } from './schedule.js';
