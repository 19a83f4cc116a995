/**
 * The whole bench from scenarios: each scenario generated once per seed (its seed, `--seed`, or N
 * judging seeds for `--seeds N` / `repeat: N`) into a dataset directory, then `runDatasets`:
 * lockstep replay through a fresh in-process detector, scoring, seeds combined, the scenario's
 * `expect:` and the command line's thresholds evaluated. `enumbench run` is argument parsing around
 * this, plus writing the report files and the alerts files, plus the exit code.
 */
import { join } from 'node:path';
import { runReplay } from '../../src/report/replay.js';
import type { Scenario } from '../../src/scenario/types.js';
import { judgingSeeds } from '../../src/scoring/seeds.js';
import { generateDataset } from '../dataset/generate.js';
import { type RunDatasetsOptions, type RunDatasetsResult, runDatasets } from './run-datasets.js';

export interface ScenarioInput {
  /** the file, as the user named it (for the replay command) */
  file: string;
  scenario: Scenario;
  /** the scenario's hash (loadScenarioFile returns it) */
  hash: string;
}

export interface RunScenariosOptions extends Omit<RunDatasetsOptions, 'datasets' | 'expectFor' | 'replayFor'> {
  scenarios: readonly ScenarioInput[];
  /** overrides every scenario's seed */
  seed?: number;
  /** judge each scenario over N derived seeds (overrides `repeat:`) */
  seeds?: number;
  /** where the datasets are written: `<workDir>/<scenario>-<seed>/` */
  workDir: string;
}

/** The seeds a scenario is judged with: one (its own or `--seed`), or N derived from it. */
export function seedsFor(scenario: Scenario, seed: number | undefined, seeds: number | undefined): number[] {
  const base = seed ?? scenario.seed;
  const n = seeds ?? scenario.repeat ?? 1;
  return n <= 1 ? [base] : judgingSeeds(base, n);
}

export async function runScenarios(o: RunScenariosOptions): Promise<RunDatasetsResult & { datasets: string[] }> {
  const datasets: string[] = [];
  const byName = new Map<string, ScenarioInput>();
  for (const input of o.scenarios) {
    byName.set(input.scenario.name, input);
    for (const seed of seedsFor(input.scenario, o.seed, o.seeds)) {
      const out = join(o.workDir, `${input.scenario.name}-${seed}`);
      generateDataset(input.scenario, {
        out,
        seed,
        scenarioHash: input.hash,
        scenarioFile: input.file,
        toolVersion: o.version,
      });
      datasets.push(out);
    }
  }
  const result = await runDatasets({
    ...o,
    datasets,
    expectFor: (truth) => byName.get(truth.scenario.name)?.scenario.expect ?? [],
    replayFor: (name, seeds) => {
      const input = byName.get(name);
      const base = o.seed ?? input?.scenario.seed ?? seeds[0] ?? 0;
      const n = seeds.length;
      return runReplay({
        scenarios: [input?.file ?? name],
        seed: base,
        ...(n > 1 ? { seeds: n } : {}),
        detector: o.detector,
        thresholds: (o.thresholds ?? []).flatMap((t) =>
          t.conditions.map((c) => `${t.key}${c.text.replace(/\s+/g, '')}`),
        ),
      });
    },
  });
  return { ...result, datasets };
}
