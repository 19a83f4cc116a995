export { validateRecord } from '../../../generators/records/schemas.js';
