/**
 * The library scenarios the adversarial suites run: every scenarios/*.yaml with benign activity, at
 * its own size, except those in SIZE_OVERRIDES, which run smaller so the suite fits in CI. An
 * override changes the tenant's size only: every profile and every attack of the scenario stays.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../../src/scenario/types.js';
import { ROOT } from '../helpers/cli.js';
import { loadLibraryScenario } from './run-baselines.js';

/** scenario name → the tenant size it runs at here, and why */
export const SIZE_OVERRIDES: Readonly<Record<string, { users: number; why: string }>> = {
  'large-tenant': {
    users: 1000,
    why: '10,000 users take minutes to generate (the library marks it `# enumbench-test: slow`); 1,000 keep every profile and the attack',
  },
};

export interface LibraryScenario {
  name: string;
  file: string;
  scenario: Scenario;
}

function withSize(s: Scenario, users: number): Scenario {
  const ratio = users / s.tenant.users;
  const scale = (n: number) => Math.max(1, Math.round(n * ratio));
  return {
    ...s,
    tenant: {
      ...s.tenant,
      users,
      groups: scale(s.tenant.groups),
      devices: scale(s.tenant.devices),
      servicePrincipals: scale(s.tenant.servicePrincipals),
    },
  };
}

/** Library scenarios with benign activity, sorted by file name, with their overrides applied. */
export function adversarialScenarios(): LibraryScenario[] {
  const dir = join(ROOT, 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const s = loadLibraryScenario(file);
      const o = SIZE_OVERRIDES[s.name];
      return { name: s.name, file, scenario: o ? withSize(s, o.users) : s };
    })
    .filter((x) => x.scenario.activity.length > 0);
}
