/**
 * From `run` inputs to dataset directories: a scenario file is generated (once per seed) into
 * `<out>/datasets/<scenario>/seed-<n>/` (or, with `datasetRoot`, `<datasetRoot>/<scenario>/seed-<n>/`:
 * what `run` does unless `--keep-datasets`), its answer key into `<out>.truth/datasets/<scenario>/seed-<n>/`
 * or, with `truthRoot`, into `<truthRoot>/<scenario>/seed-<n>/` (`run` keeps it there, in a private
 * temporary folder, until every detector has stopped); a dataset directory is used as it is, its
 * answer key found beside it or where `--truth` says, and refused when it holds its key inside or
 * its key lies in the output folder. The output folder must hold no answer key at all while a
 * detector runs (docs/dataset.md "The answer key"). The datasets then go
 * through runDatasets (lockstep replay, scoring, gates). Seeds: the scenario's seed (or `--seed`)
 * for one run; with `--seeds N` or `repeat: N`, N seeds derived from it — judging seeds by default,
 * tuning seeds with `seedPurpose: 'tune'` (src/scoring/seeds.ts), so the two never mix.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Catalog } from '../../src/core/catalog.js';
import { ANSWER_KEY_FILES } from '../../src/core/dataset.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { SOURCE_IDS, type SourceId } from '../../src/core/sources.js';
import type { Scenario } from '../../src/scenario/types.js';
import { judgingSeeds, tuningSeeds } from '../../src/scoring/seeds.js';
import { findAnswerKey, isWithin, refuseAnswerKeyInside, runKeyDir } from '../dataset/answer-key.js';
import { generateWithJobs, resolveJobs } from '../dataset/generate-parallel.js';
import { loadScenarioFile } from '../scenario-files.js';
import { readDatasetManifest } from './run-datasets.js';
import type { SeedPurpose } from './run-settings.js';

export interface PreparedInput {
  /** as the user wrote it */
  input: string;
  kind: 'scenario' | 'dataset';
  name: string;
  scenario: Scenario | null;
  seeds: number[];
  datasets: string[];
  /** the answer-key folder of each dataset, in the same order */
  keys: string[];
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
  /** write generated answer keys under this folder (`<truthRoot>/<scenario>/seed-<n>`), not in `<out>.truth/` */
  truthRoot?: string;
  /**
   * write generated datasets under this folder (`<datasetRoot>/<scenario>/seed-<n>`), not in
   * `<out>/datasets/` (`run` without `--keep-datasets`: a private temporary folder removed at exit)
   */
  datasetRoot?: string;
  /** `--truth`: the answer-key folder of each dataset-directory input, in order */
  truths?: readonly string[];
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
  /**
   * Called once every input is read and checked, before anything is generated, with what each input
   * collects (a scenario's telemetry sources, a dataset's manifest): a detector that can see none of
   * it is refused here (harness/source-needs.ts).
   */
  beforeGenerate?: (
    inputs: readonly { input: string; kind: 'scenario' | 'dataset'; name: string; sources: readonly SourceId[] }[],
  ) => void;
}

/**
 * The seeds a scenario runs with. Judging: one seed is the base seed itself, N are N derived seeds.
 * Tuning: always derived, so a tuning run never uses the base seed a one-seed run judges with.
 */
export function seedsFor(base: number, n: number, purpose: SeedPurpose = 'judge'): number[] {
  if (purpose === 'tune') return tuningSeeds(base, Math.max(1, n));
  if (n <= 1) return [base];
  return judgingSeeds(base, n);
}

export async function prepareInputs(o: PrepareOptions): Promise<PreparedInput[]> {
  // validate every input before generating anything (a typo fails in milliseconds)
  const loaded: { input: string; path: string; scenario: Scenario | null; hash: string | null; key: string | null }[] =
    [];
  const diagnostics = [];
  const truths = o.truths ?? [];
  const dirInputs = o.inputs.filter((i) => isDirectory(resolve(o.cwd, i)));
  if (truths.length > 0 && truths.length !== dirInputs.length) {
    throw new EnumbenchError(
      'E_OPTION',
      `--truth names the answer key of each dataset directory given: ${truths.length} --truth for ${dirInputs.length} dataset director${dirInputs.length === 1 ? 'y' : 'ies'}`,
      { hint: 'give one --truth per dataset directory, in the same order, or none to find each beside its dataset' },
    );
  }
  for (const input of o.inputs) {
    const path = resolve(o.cwd, input);
    if (isDirectory(path)) {
      if (!existsSync(join(path, 'delivery.jsonl'))) {
        throw new EnumbenchError('E_INPUT', `${input} is a directory but not a dataset (no delivery.jsonl)`, {
          hint: 'give a scenario YAML file, or a directory written by `enumbench generate --out DIR`',
        });
      }
      refuseAnswerKeyInside(path, input);
      const given = truths[dirInputs.indexOf(input)];
      const key = findAnswerKey(path, given !== undefined ? resolve(o.cwd, given) : undefined);
      if (isWithin(key.dir, o.out)) {
        throw new EnumbenchError(
          'E_OPTION',
          `the answer key of ${input} (${relative(o.cwd, key.dir) || key.dir}) is inside the output folder ${relative(o.cwd, o.out) || o.out}: a detector that looks there could read it`,
          { hint: 'give another --out, outside the folder that holds the key' },
        );
      }
      loaded.push({ input, path, scenario: null, hash: null, key: key.dir });
      continue;
    }
    const r = await loadScenarioFile(input.startsWith('/') ? input : join(o.cwd, input), o.catalog);
    if (!r.ok) {
      diagnostics.push(
        ...r.diagnostics.map((d) => (d.position ? { ...d, position: { ...d.position, file: input } } : d)),
      );
      continue;
    }
    loaded.push({ input, path, scenario: r.scenario, hash: r.hash, key: null });
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

  const datasetRoot = o.datasetRoot ?? join(o.out, 'datasets');
  // the output folder holds no answer key while a detector runs: the keys of the datasets about to
  // be regenerated go with them; any other (a dataset of an older version, a key put there) is refused
  const regenerated = loaded.flatMap((l) =>
    l.scenario
      ? seedsFor(o.seed ?? l.scenario.seed, o.seeds ?? l.scenario.repeat, o.seedPurpose).map((seed) =>
          join(datasetRoot, (l.scenario as Scenario).name, `seed-${seed}`),
        )
      : [],
  );
  const stale = keyFilesUnder(o.out, 4).filter((f) => !regenerated.some((d) => isWithin(f, d)));
  if (stale.length) {
    throw new EnumbenchError(
      'E_OUTPUT_HOLDS_KEY',
      `the output folder ${relative(o.cwd, o.out) || o.out} holds an answer key (${stale
        .slice(0, 3)
        .map((f) => relative(o.cwd, f) || f)
        .join(
          ', ',
        )}${stale.length > 3 ? `, … ${stale.length - 3} more` : ''}): a detector that looks there could read it`,
      {
        hint: `move it out (a dataset's key goes beside it: mkdir DIR.truth && mv DIR/truth.json DIR/labels.jsonl DIR.truth/), delete it, or give another --out`,
      },
    );
  }

  o.beforeGenerate?.(
    loaded.map((l) =>
      l.scenario
        ? { input: l.input, kind: 'scenario' as const, name: l.scenario.name, sources: l.scenario.telemetry.sources }
        : { input: l.input, kind: 'dataset' as const, name: l.input, sources: collectedBy(l.path) },
    ),
  );

  const out: PreparedInput[] = [];
  const total = loaded.reduce(
    (n, l) =>
      n + (l.scenario ? seedsFor(o.seed ?? l.scenario.seed, o.seeds ?? l.scenario.repeat, o.seedPurpose).length : 0),
    0,
  );
  let index = 0;
  for (const l of loaded) {
    if (!l.scenario) {
      out.push({
        input: l.input,
        kind: 'dataset',
        name: l.input,
        scenario: null,
        seeds: [],
        datasets: [l.path],
        keys: [l.key as string],
      });
      continue;
    }
    const s = l.scenario;
    const seeds = seedsFor(o.seed ?? s.seed, o.seeds ?? s.repeat, o.seedPurpose);
    const datasets: string[] = [];
    const keys: string[] = [];
    for (const seed of seeds) {
      // replaced when the new one is complete (generateWithJobs)
      const dir = join(datasetRoot, s.name, `seed-${seed}`);
      const key = o.truthRoot ? join(o.truthRoot, s.name, `seed-${seed}`) : runKeyDir(o.out, dir);
      index++;
      o.onGenerate?.({ scenario: s.name, seed, index, of: total });
      const genOpts = {
        out: dir,
        truthOut: key,
        seed,
        scenarioHash: l.hash as string,
        scenarioFile: l.input,
        toolVersion: o.version,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      };
      const g = await generateWithJobs(s, genOpts, resolveJobs(o.jobs ?? 1, s.tenant.users));
      o.onGenerate?.({ scenario: s.name, seed, index, of: total, records: g.records, ms: g.ms });
      datasets.push(dir);
      keys.push(key);
    }
    out.push({ input: l.input, kind: 'scenario', name: s.name, scenario: s, seeds, datasets, keys });
  }
  return out;
}

/** The sources a dataset collected, from its manifest (every source when an old manifest does not say). */
function collectedBy(dir: string): SourceId[] {
  const m = readDatasetManifest(dir);
  return Array.isArray(m.collection?.sources) ? m.collection.sources : [...SOURCE_IDS];
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Answer-key files (truth.json, labels.jsonl) in `dir` and its folders, `depth` levels down. */
export function keyFilesUnder(dir: string, depth: number): string[] {
  if (!isDirectory(dir)) return [];
  const names = new Set<string>(Object.values(ANSWER_KEY_FILES));
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0) out.push(...keyFilesUnder(p, depth - 1));
    } else if (names.has(e.name)) out.push(p);
  }
  return out;
}
