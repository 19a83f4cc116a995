/**
 * The whole bench over dataset directories, minus the command line: for each dataset, a fresh
 * in-process detector replayed in lockstep, scored; datasets of the same scenario (several seeds)
 * combined; gates evaluated; one Report. `enumbench run` wires its arguments to this (a scenario
 * becomes a dataset through the generators first) and maps the outcome to an exit code:
 * `detectorFailed` → 2, else the report's outcome (passed 0, failed 1, invalid 4).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_FILES, type DatasetManifest } from '../../src/core/dataset.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { Truth } from '../../src/core/truth.js';
import type { Report, SeedDetail } from '../../src/report/model.js';
import type { Threshold } from '../../src/scenario/thresholds.js';
import type { Scorecard, ScoringOptions } from '../../src/scoring/types.js';
import { assertBaselineFits, type BaselineSubject } from '../../src/thresholds/index.js';
import { ipNetworksFileFor } from '../dataset/ip-networks.js';
import { throwIfInterrupted } from '../interrupt.js';
import { type DatasetRun, runOnDataset } from './dataset-run.js';
import { parseDetectorSpec, resolveDetector } from './detector-spec.js';
import { startDetectorThread, type ThreadedDetector } from './detector-thread.js';
import { type ExternalRun, type ExternalRunOptions, runExternalOnDataset, stderrFileFor } from './external-run.js';
import { type Baseline, type ExpectGates, gateScenario } from './gate.js';
import { defaultRunSettings, runReplayLine } from './run-settings.js';

/** How detectors that are separate programs are run (process:, webhook:): everything but the dataset and command. */
export type ExternalSettings = Omit<
  ExternalRunOptions,
  'dir' | 'truthDir' | 'command' | 'kind' | 'cwd' | 'stderrFile' | 'scoring'
> & {
  /** the run's output folder: the detector's stderr is kept under detector/ */
  outDir: string;
};

export interface RunDatasetsOptions {
  /** dataset directories (as `generate --out DIR` writes them) */
  datasets: readonly string[];
  /** the answer-key folder of each dataset, same order (default: each found beside its dataset) */
  keys?: readonly string[];
  /** e.g. builtin:volume, module:./my-detector.js */
  detector: string;
  /**
   * The detector's thread, already started (`run` starts an in-process detector before generating,
   * so its name, options, module or rules are checked once, on the thread that runs them). Used for
   * the first dataset (kql: and sigma: for every dataset); closed by runDatasets.
   */
  thread?: ThreadedDetector;
  detectorOptions?: Record<string, unknown>;
  cwd: string;
  /** `--threshold` flags */
  thresholds?: readonly Threshold[];
  /** the scenario's `expect:` gates for a scenario's datasets (default: none) */
  expectFor?: (scenario: string, datasets: readonly string[]) => ExpectGates | null;
  baseline?: Baseline | null;
  /** let a scenario gated by nothing but the built-in checks pass */
  allowNoGates?: boolean;
  tickMs?: number;
  drainMs?: number;
  /** wall-clock limit for one detector call, and for building the detector (default 30 s) */
  callTimeoutMs?: number;
  scoring?: Partial<ScoringOptions>;
  version: string;
  /** for process: detectors (and stdio:, which use its outDir, env and graceMs) */
  external?: ExternalSettings;
  /** called after each dataset's run of a process: detector (ledger, warnings, exit) */
  onExternalRun?: (dir: string, run: ExternalRun) => void;
  /** lockstep replays (in-process and stdio: detectors): called as a dataset's replay starts and advances */
  onReplay?: (e: { dataset: string; done?: number; records?: number; simTime?: number; end?: true }) => void;
  /** how a dataset is named in problems (default: its directory; `run` names a dataset it does not keep `<scenario>/seed-<n>`) */
  datasetLabel?: (dir: string) => string;
  /** the command that reproduces one scenario's runs (default: `enumbench run <dataset dirs>`) */
  replayFor?: (scenario: string, datasets: readonly string[], truth: Truth) => string;
}

export interface DatasetAlerts {
  dataset: string;
  scenario: string;
  seed: number;
  /** the alerts file (header + bench envelopes): `score` on it reproduces the scorecard */
  text: string;
}

export interface RunDatasetsResult {
  report: Report;
  alerts: DatasetAlerts[];
  /** one line per detector that crashed (the run's exit code is then 2) */
  detectorFailures: string[];
}

/** A dataset's manifest.json, or a clear error saying which dataset could not be read. */
export function readDatasetManifest(dir: string): DatasetManifest {
  const path = join(dir, DATASET_FILES.manifest);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DatasetManifest;
  } catch (e) {
    throw new EnumbenchError(
      'E_DATASET',
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { hint: 'pass a directory written by `enumbench generate --out DIR`' },
    );
  }
}

/** name, hash and seed of each dataset, from its manifest (before any replay) */
export function datasetSubjects(dirs: readonly string[]): BaselineSubject[] {
  const byName = new Map<string, { hash: string; seeds: number[] }>();
  for (const dir of dirs) {
    const m = readDatasetManifest(dir);
    const g = byName.get(m.scenario.name) ?? { hash: m.scenario.hash, seeds: [] };
    g.seeds.push(m.seed);
    byName.set(m.scenario.name, g);
  }
  return [...byName.entries()].map(([name, g]) => ({ name, ...g }));
}

/** What the HTML report draws of one seed's run (its own figures, timeline counts, who each campaign was). */
function seedDetail(run: DatasetRun): SeedDetail {
  return {
    seed: run.truth.seed,
    metrics: run.card.metrics,
    activity: run.activity,
    campaigns: run.truth.campaigns.map((c) => ({
      id: c.id,
      principals: c.principals,
      sessions: c.sessions,
      ips: c.ips,
    })),
    collected: run.truth.sources,
  };
}

/** Detectors whose thread is kept from one dataset to the next (their state lives in the detector object). */
const RENEWABLE = ['kql', 'sigma'];

export async function runDatasets(o: RunDatasetsOptions): Promise<RunDatasetsResult> {
  // a baseline of another scenario or seed set is refused before the detector runs
  if (o.baseline) assertBaselineFits(o.baseline.summary, datasetSubjects(o.datasets), o.baseline.file);
  const byScenario = new Map<string, { cards: Scorecard[]; truths: Truth[]; dirs: string[]; seeds: SeedDetail[] }>();
  const alerts: DatasetAlerts[] = [];
  const detectorFailures: string[] = [];
  const label = o.datasetLabel ?? ((dir: string) => dir);
  const problems: string[] = [];
  const spec = parseDetectorSpec(o.detector);
  // kql: and sigma: keep their thread from one dataset to the next, with a fresh detector
  // (ThreadedDetector.renew): loading the Kusto language service and compiling the rules is paid once
  const renewable = spec.kind === 'in-process' && RENEWABLE.includes(spec.prefix);
  let spare: { thread: ThreadedDetector; used: boolean } | undefined = o.thread
    ? { thread: o.thread, used: false }
    : undefined;
  const threadFor = async (): Promise<ThreadedDetector> => {
    const s = spare;
    spare = undefined;
    if (s?.thread.alive) {
      if (s.used) await s.thread.renew();
      return s.thread;
    }
    await s?.thread.close();
    return startDetectorThread({
      spec: o.detector,
      options: o.detectorOptions ?? {},
      cwd: o.cwd,
      ...(o.callTimeoutMs !== undefined ? { loadTimeoutMs: o.callTimeoutMs } : {}),
    });
  };
  try {
    for (const [i, dir] of o.datasets.entries()) {
      throwIfInterrupted();
      const truthDir = o.keys?.[i];
      let run: DatasetRun;
      let name: string;
      let stderrTail: string[] = [];
      let malformedCount: number;
      if (spec.kind === 'process' || spec.kind === 'webhook') {
        if (!o.external) throw new Error(`runDatasets: ${spec.kind}: detectors need \`external\` settings`);
        const { outDir, ...settings } = o.external;
        const ext = await runExternalOnDataset({
          ...settings,
          dir,
          ...(truthDir !== undefined ? { truthDir } : {}),
          command: spec.command,
          kind: spec.kind,
          cwd: o.cwd,
          stderrFile: stderrFileFor(outDir, dir),
          ...(o.scoring ? { scoring: o.scoring } : {}),
        });
        o.onExternalRun?.(dir, ext);
        run = ext;
        name = `${spec.kind}:${spec.command}`;
        stderrTail = ext.stderrTail;
        malformedCount = ext.malformedCount;
      } else {
        const program =
          spec.kind === 'stdio'
            ? {
                env: o.external?.env ?? process.env,
                stderrFile: stderrFileFor(o.external?.outDir ?? '.', dir),
                ipNetworksFile: ipNetworksFileFor(dir),
                ...(o.external?.graceMs !== undefined ? { graceMs: o.external.graceMs } : {}),
              }
            : undefined;
        // builtin:, module:, kql: on their own thread: one that blocks its event loop is stopped by the call watchdog
        const detector =
          spec.kind === 'in-process'
            ? await threadFor()
            : await resolveDetector(o.detector, o.detectorOptions ?? {}, o.cwd, program);
        let keep = false;
        try {
          o.onReplay?.({ dataset: dir });
          run = await runOnDataset({
            dir,
            ...(truthDir !== undefined ? { truthDir } : {}),
            detector,
            ...(o.onReplay
              ? {
                  onProgress: (done: number, records: number, simTime: number) =>
                    o.onReplay?.({ dataset: dir, done, records, simTime }),
                }
              : {}),
            ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
            ...(o.drainMs !== undefined ? { drainMs: o.drainMs } : {}),
            ...(spec.kind === 'stdio' && o.external?.ackTimeoutMs !== undefined
              ? { callTimeoutMs: o.external.ackTimeoutMs }
              : o.callTimeoutMs !== undefined
                ? { callTimeoutMs: o.callTimeoutMs }
                : {}),
            ...(o.scoring ? { scoring: o.scoring } : {}),
          });
          keep = renewable && !run.lockstep.failure;
        } finally {
          o.onReplay?.({ dataset: dir, end: true });
          await (detector as { kill?: () => Promise<void> }).kill?.();
          if (keep) spare = { thread: detector as ThreadedDetector, used: true };
          else await (detector as { close?: () => Promise<void> }).close?.();
        }
        name = detector.name;
        malformedCount = run.lockstep.malformed.length;
      }
      const f = run.lockstep.failure;
      if (f) {
        const tail = stderrTail.filter((l) => l.trim() !== '').slice(-10);
        detectorFailures.push(
          `${label(dir)}: detector ${name} failed (${f.kind}) during ${f.phase} at ${new Date(f.at).toISOString()}: ${f.message} (${run.lockstep.alerts.length} alert(s) emitted before)${tail.length ? `; the last lines of its stderr:\n    ${tail.join('\n    ')}` : ''}`,
        );
      }
      for (const m of run.lockstep.malformed.slice(0, 20)) {
        problems.push(
          `${label(dir)}: detector emitted a malformed alert #${m.ordinal}${m.where ? ` (${m.where})` : ''} at ${new Date(m.at).toISOString()}: ${m.problems.join('; ')}`,
        );
      }
      if (malformedCount > 20) problems.push(`${label(dir)}: … ${malformedCount - 20} more malformed alert(s)`);
      const scenarioName = run.truth.scenario.name;
      alerts.push({ dataset: dir, scenario: scenarioName, seed: run.truth.seed, text: run.alertsJsonl });
      const group = byScenario.get(scenarioName) ?? { cards: [], truths: [], dirs: [], seeds: [] };
      group.seeds.push(seedDetail(run));
      group.cards.push(run.card);
      group.truths.push(run.truth);
      group.dirs.push(dir);
      byScenario.set(scenarioName, group);
    }
  } finally {
    await spare?.thread.close();
    await o.thread?.close();
  }
  const scenarios = [...byScenario.entries()].map(([name, g]) => {
    const truth = g.truths[0] as Truth;
    const gated = gateScenario({
      name,
      cards: g.cards,
      expect: o.expectFor ? o.expectFor(name, g.dirs) : null,
      cli: o.thresholds ?? [],
      baseline: o.baseline ?? null,
      replay: o.replayFor
        ? o.replayFor(name, g.dirs, truth)
        : `${runReplayLine(defaultRunSettings(g.dirs, o.detector))}  # seed ${truth.seed}`,
    });
    return { ...gated, details: { detector: o.detector, seeds: g.seeds } };
  });
  return {
    report: {
      tool: { name: 'enumbench', version: o.version },
      command: 'run',
      scenarios,
      problems: [...problems, ...detectorFailures],
      ...(o.allowNoGates ? { allowNoGates: true } : {}),
    },
    alerts,
    detectorFailures,
  };
}
