/**
 * Scenarios too slow for the tests that generate every scenario in the library carry, near the top
 * of the file, a comment line starting `# enumbench-test: slow` followed by the reason (e.g.
 * scenarios/large-tenant.yaml: 10,000 users). Those tests skip them; the library test still
 * validates them and golden-tests their normalised form.
 */
import { readFileSync } from 'node:fs';

export const SLOW_MARKER = /^# enumbench-test: slow\b/m;

export function isSlowScenario(path: string): boolean {
  return SLOW_MARKER.test(readFileSync(path, 'utf8'));
}
