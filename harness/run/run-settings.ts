/**
 * A `run`'s settings: every option of `enumbench run` that changes a result, parsed
 * (harness/cli/run-options.ts declares and parses them), and the replay line written back from them,
 * the one command a report prints to reproduce a scenario's result. Options at their default are
 * left out of the line.
 */
import { commandLine } from '../../src/report/index.js';
import { formatDuration } from '../../src/scenario/units.js';
import type { RegressionAllowance } from '../../src/thresholds/index.js';
import { type FaultSettings, formatFaults } from '../mock/fault-spec.js';
import { type SpeedMode, speedLabel } from '../replay/clock.js';
import { DEFAULT_DETECTOR } from './detector-spec.js';
import { DEFAULT_DRAIN_MS } from './drain.js';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_GRACE_MS, DEFAULT_SUBSCRIBE_TIMEOUT_MS } from './external-run.js';

/** `--seed-purpose`: judge with the derived seeds, or tune on an independent set (run-scenarios.ts seedsFor) */
export type SeedPurpose = 'judge' | 'tune';

export const DEFAULT_TICK_MS = 60_000;
export const DEFAULT_DETECTOR_TIMEOUT_MS = 30_000;

/** Every option of `run` that changes a result, parsed and checked. */
export interface RunSettings {
  /** scenario files or dataset directories, as given */
  inputs: string[];
  detector: string;
  /** `--detector-options`, parsed (a JSON object) */
  detectorOptions?: Record<string, unknown>;
  queryFrequency?: string;
  queryPeriod?: string;
  /** answer-key folders of the dataset directories given */
  truth?: string[];
  seed?: number;
  seeds?: number;
  seedPurpose: SeedPurpose;
  /** process: and webhook: detectors only (others always run in lockstep) */
  speed?: SpeedMode;
  tickMs: number;
  detectorTimeoutMs: number;
  drainMs: number;
  graceMs: number;
  ackTimeoutMs: number;
  subscribeTimeoutMs: number;
  faults?: FaultSettings;
  acceptScaledLatency: boolean;
  /** `--threshold` lines as given (parsed against the catalogue by the run) */
  thresholds: string[];
  expect: boolean;
  allowNoGates: boolean;
  baseline?: string;
  maxRegression?: RegressionAllowance[];
}

/** Settings with every option at its default. */
export function defaultRunSettings(inputs: readonly string[], detector = DEFAULT_DETECTOR): RunSettings {
  return {
    inputs: [...inputs],
    detector,
    seedPurpose: 'judge',
    tickMs: DEFAULT_TICK_MS,
    detectorTimeoutMs: DEFAULT_DETECTOR_TIMEOUT_MS,
    drainMs: DEFAULT_DRAIN_MS,
    graceMs: DEFAULT_GRACE_MS,
    ackTimeoutMs: DEFAULT_ACK_TIMEOUT_MS,
    subscribeTimeoutMs: DEFAULT_SUBSCRIBE_TIMEOUT_MS,
    acceptScaledLatency: false,
    thresholds: [],
    expect: true,
    allowNoGates: false,
  };
}

/** The detector's options as the detector receives them: `--detector-options` with kql:'s two flags. */
export function detectorOptionsFor(s: RunSettings): Record<string, unknown> {
  return {
    ...(s.detectorOptions ?? {}),
    ...(s.queryFrequency !== undefined ? { queryFrequency: s.queryFrequency } : {}),
    ...(s.queryPeriod !== undefined ? { queryPeriod: s.queryPeriod } : {}),
  };
}

/** `run`'s arguments (after `enumbench run`) that reproduce `s`; options at their default are left out. */
export function runReplayArgs(s: RunSettings): string[] {
  const args = [...s.inputs];
  const add = (flag: string, value?: string) => args.push(flag, ...(value !== undefined ? [value] : []));
  const duration = (flag: string, ms: number, byDefault: number) => {
    if (ms !== byDefault) add(flag, formatDuration(ms));
  };
  if (s.seed !== undefined) add('--seed', String(s.seed));
  if (s.seeds !== undefined) add('--seeds', String(s.seeds));
  if (s.seedPurpose !== 'judge') add('--seed-purpose', s.seedPurpose);
  add('--detector', s.detector);
  if (s.detectorOptions !== undefined) add('--detector-options', JSON.stringify(s.detectorOptions));
  if (s.queryFrequency !== undefined) add('--query-frequency', s.queryFrequency);
  if (s.queryPeriod !== undefined) add('--query-period', s.queryPeriod);
  for (const t of s.truth ?? []) add('--truth', t);
  if (s.speed !== undefined && s.speed.kind !== 'max') add('--speed', speedLabel(s.speed));
  duration('--tick', s.tickMs, DEFAULT_TICK_MS);
  duration('--detector-timeout', s.detectorTimeoutMs, DEFAULT_DETECTOR_TIMEOUT_MS);
  duration('--drain', s.drainMs, DEFAULT_DRAIN_MS);
  duration('--grace', s.graceMs, DEFAULT_GRACE_MS);
  duration('--ack-timeout', s.ackTimeoutMs, DEFAULT_ACK_TIMEOUT_MS);
  duration('--subscribe-timeout', s.subscribeTimeoutMs, DEFAULT_SUBSCRIBE_TIMEOUT_MS);
  if (s.faults !== undefined) add('--faults', formatFaults(s.faults));
  if (s.acceptScaledLatency) add('--accept-scaled-latency');
  for (const t of s.thresholds) add('--threshold', t);
  if (!s.expect) add('--no-expect');
  if (s.allowNoGates) add('--allow-no-gates');
  if (s.baseline !== undefined) add('--baseline', s.baseline);
  if (s.maxRegression !== undefined)
    add('--max-regression', s.maxRegression.map((a) => `${a.key}=${a.text}`).join(','));
  return args;
}

/** The replay line: `enumbench run scenarios/quickstart.yaml --detector builtin:volume --seed 1089 …` */
export function runReplayLine(s: RunSettings): string {
  return commandLine(['enumbench', 'run', ...runReplayArgs(s)]);
}
