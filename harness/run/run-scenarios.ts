/**
 * From `run` inputs to dataset directories: a scenario file is generated (once per seed) into
 * `<out>/datasets/<scenario>/seed-<n>/`; a dataset directory is used as it is. The datasets then go
 * through runDatasets (lockstep replay, scoring, gates). Seeds: the scenario's seed (or `--seed`)
 * for one run; with `--seeds N` or `repeat: N`, N seeds derived from it — judging seeds by default,
 * tuning seeds with `seedPurpose: 'tune'` (src/scoring/seeds.ts), so the two never mix.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Catalog } from '../../src/core/catalog.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { Scenario } from '../../src/scenario/types.js';
import { judgingSeeds, tuningSeeds } from '../../src/scoring/seeds.js';
import { generateWithJobs, resolveJobs } from '../dataset/generate-parallel.js';
import { loadScenarioFile } from '../scenario-files.js';

export type SeedPurpose = 'judge' | 'tune';

export interface PreparedInput {
  /** as the user wrote it */
  input: string;
  kind: 'scenario' | 'dataset';
  name: string;
  scenario: Scenario | null;
  seeds: number[];
  datasets: string[];
}

export interface PrepareOptions {
  inputs: readonly string[];
  catalog: Catalog;
  cwd: string;
  out: string;
  version: string;
  /** overrides each scenario's seed */
  seed?: number;
  /** overrides each scenario's `repeat` */
  seeds?: number;
  seedPurpose?: SeedPurpose;
  /** generation threads (1: this thread; more: worker threads, the same bytes; auto: autoJobs for each scenario's tenant). Default 1. */
  jobs?: number | 'auto';
  onGenerate?: (e: {
    scenario: string;
    seed: number;
    index: number;
    of: number;
    records?: number;
    ms?: number;
  }) => void;
  onProgress?: (done: number, records: number, simTime: number) => void;
}

/** The seeds a scenario runs with. One seed: the base seed itself; N: N derived seeds. */
export function seedsFor(base: number, n: number, purpose: SeedPurpose = 'judge'): number[] {
  if (n <= 1) return [base];
  return purpose === 'tune' ? tuningSeeds(base, n) : judgingSeeds(base, n);
}

export async function prepareInputs(o: PrepareOptions): Promise<PreparedInput[]> {
  // validate every input before generating anything (a typo fails in milliseconds)
  const loaded: { input: string; path: string; scenario: Scenario | null; hash: string | null }[] = [];
  const diagnostics = [];
  for (const input of o.inputs) {
    const path = resolve(o.cwd, input);
    if (existsSync(path) && statSync(path).isDirectory()) {
      if (!existsSync(join(path, 'truth.json')) || !existsSync(join(path, 'delivery.jsonl'))) {
        throw new EnumbenchError(
          'E_INPUT',
          `${input} is a directory but not a dataset (no truth.json / delivery.jsonl)`,
          {
            hint: 'give a scenario YAML file, or a directory written by `enumbench generate --out DIR`',
          },
        );
      }
      loaded.push({ input, path, scenario: null, hash: null });
      continue;
    }
    const r = await loadScenarioFile(input.startsWith('/') ? input : join(o.cwd, input), o.catalog);
    if (!r.ok) {
      diagnostics.push(
        ...r.diagnostics.map((d) => (d.position ? { ...d, position: { ...d.position, file: input } } : d)),
      );
      continue;
    }
    loaded.push({ input, path, scenario: r.scenario, hash: r.hash });
  }
  if (diagnostics.length) {
    throw new EnumbenchError('E_SCENARIO', `${diagnostics.length} problem(s) in the scenarios`, { diagnostics });
  }
  const names = new Map<string, string>();
  for (const l of loaded) {
    if (!l.scenario) continue;
    const prev = names.get(l.scenario.name);
    if (prev && prev !== l.input) {
      throw new EnumbenchError('E_INPUT', `two scenarios are named "${l.scenario.name}" (${prev}, ${l.input})`, {
        hint: 'scenario names key the results: give each a distinct `name`',
      });
    }
    names.set(l.scenario.name, l.input);
  }

  const out: PreparedInput[] = [];
  const total = loaded.reduce(
    (n, l) =>
      n + (l.scenario ? seedsFor(o.seed ?? l.scenario.seed, o.seeds ?? l.scenario.repeat, o.seedPurpose).length : 0),
    0,
  );
  let index = 0;
  for (const l of loaded) {
    if (!l.scenario) {
      out.push({ input: l.input, kind: 'dataset', name: l.input, scenario: null, seeds: [], datasets: [l.path] });
      continue;
    }
    const s = l.scenario;
    const seeds = seedsFor(o.seed ?? s.seed, o.seeds ?? s.repeat, o.seedPurpose);
    const datasets: string[] = [];
    for (const seed of seeds) {
      // replaced when the new one is complete (generateWithJobs)
      const dir = join(o.out, 'datasets', s.name, `seed-${seed}`);
      index++;
      o.onGenerate?.({ scenario: s.name, seed, index, of: total });
      const genOpts = {
        out: dir,
        seed,
        scenarioHash: l.hash as string,
        scenarioFile: l.input,
        toolVersion: o.version,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      };
      const g = await generateWithJobs(s, genOpts, resolveJobs(o.jobs ?? 1, s.tenant.users));
      o.onGenerate?.({ scenario: s.name, seed, index, of: total, records: g.records, ms: g.ms });
      datasets.push(dir);
    }
    out.push({ input: l.input, kind: 'scenario', name: s.name, scenario: s, seeds, datasets });
  }
  return out;
}
