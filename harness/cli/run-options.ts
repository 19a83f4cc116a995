/**
 * `enumbench run`'s options: declared once, parsed once into `RunSettings` (every option that
 * changes a result, checked before anything is generated), and written back as the replay line
 * (harness/run/run-settings.ts `runReplayArgs`): the command a report prints so anyone can
 * reproduce a scenario's result. Parsing the printed line gives the same settings
 * (test/cli/run-options.test.ts).
 *
 * Options that change only where or how things are shown (`--out`, `--keep-datasets`, `--report`, `--json`, `--quiet`,
 * `--no-progress`, `--progress-interval`) and `--jobs` (generation is byte-identical for any number)
 * are not replayed: PRESENTATION_OPTIONS lists them, and the test fails on an option in neither list.
 */
import { type Command, Option } from '@commander-js/extra-typings';
import { EnumbenchError } from '../../src/core/errors.js';
import { formatDuration } from '../../src/scenario/units.js';
import { parseMaxRegression, type RegressionAllowance } from '../../src/thresholds/index.js';
import { parseFaults } from '../mock/fault-spec.js';
import { parseSpeed } from '../replay/clock.js';
import { DEFAULT_DETECTOR, type DetectorSpec, parseDetectorSpec, SPEC_FORMS } from '../run/detector-spec.js';
import { DEFAULT_DRAIN_MS } from '../run/drain.js';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_GRACE_MS, DEFAULT_SUBSCRIBE_TIMEOUT_MS } from '../run/external-run.js';
import { DEFAULT_DETECTOR_TIMEOUT_MS, DEFAULT_TICK_MS, type RunSettings } from '../run/run-settings.js';
import { ALLOW_NO_GATES_HELP, NO_EXPECT_HELP } from './command.js';
import { parseSeed, parseSeedCount, parseWallDuration, positiveDuration } from './counts.js';
import { JOBS_HELP, parseJobs } from './jobs.js';
import { PROGRESS_INTERVAL_HELP, parseProgressInterval } from './progress.js';

/** Options that do not change a result: never in the replay line. */
export const PRESENTATION_OPTIONS = [
  '--jobs',
  '--report',
  '--out',
  '--keep-datasets',
  '--json',
  '--quiet',
  '--no-progress',
  '--progress-interval',
] as const;

/** Declare `run` and its options on `program`; the caller adds the action. */
export function declareRunCommand(program: Command) {
  return program
    .command('run')
    .description('the whole bench: generate, replay, detect, score, gate and report')
    .argument('<inputs...>', 'scenario YAML files or dataset directories (from `enumbench generate`)')
    .option(
      '--detector <spec>',
      `${SPEC_FORMS} (see \`enumbench list detectors\`, docs/kql.md, docs/sigma.md, docs/detectors.md)`,
      DEFAULT_DETECTOR,
    )
    .option('--detector-options <json>', 'options passed to the detector factory, as a JSON object')
    .addOption(
      new Option(
        '--truth <dir>',
        'the answer-key folder of each dataset directory given, in order (default: found beside each, DIR.truth/)',
      ).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .option('--query-frequency <duration>', 'kql: detectors: how often the rule runs, e.g. 5m (docs/kql.md)')
    .option('--query-period <duration>', 'kql: detectors: how far back each run looks, e.g. 1h (docs/kql.md)')
    .option('--seed <n>', 'base seed (overrides the scenario)', parseSeed)
    .option('--seeds <n>', 'replay each scenario with N derived seeds, 1..1000 (overrides `repeat:`)', parseSeedCount)
    .option('--jobs <n>', JOBS_HELP, parseJobs)
    .addOption(
      new Option('--seed-purpose <purpose>', 'derive judging seeds (default) or an independent set to tune on')
        .choices(['judge', 'tune'] as const)
        .default('judge' as const),
    )
    .option(
      '--speed <mode>',
      'process: and webhook: detectors: the replay clock, max (default), realtime, a factor such as 60, or lockstep (in-process and stdio: detectors always run in lockstep)',
    )
    .option(
      '--detector-timeout <duration>',
      'wall-clock limit for one detector call (start, ingest, tick, stop) and for loading it; past it the detector is stopped and the run exits 2',
      formatDuration(DEFAULT_DETECTOR_TIMEOUT_MS),
    )
    .option(
      '--tick <duration>',
      'lockstep tick: how often simulated time advances for the detector',
      formatDuration(DEFAULT_TICK_MS),
    )
    .addOption(
      new Option(
        '--drain <duration>',
        'process: and webhook: how long (wall time) the detector keeps running after the last publication',
      )
        .argParser(parseWallDuration('--drain'))
        .default(DEFAULT_DRAIN_MS, formatDuration(DEFAULT_DRAIN_MS)),
    )
    .addOption(
      new Option(
        '--grace <duration>',
        'process: and webhook: time between SIGTERM and SIGKILL when the detector is stopped',
      )
        .argParser(parseWallDuration('--grace'))
        .default(DEFAULT_GRACE_MS, formatDuration(DEFAULT_GRACE_MS)),
    )
    .addOption(
      new Option(
        '--ack-timeout <duration>',
        'process: and webhook: in lockstep, and stdio:, how long (wall time) a tick may wait for its acknowledgement',
      )
        .argParser(parseWallDuration('--ack-timeout'))
        .default(DEFAULT_ACK_TIMEOUT_MS, formatDuration(DEFAULT_ACK_TIMEOUT_MS)),
    )
    .addOption(
      new Option(
        '--subscribe-timeout <duration>',
        'webhook: how long (wall time) the detector has to subscribe every content type with a validated webhook; nothing is published before',
      )
        .argParser(parseWallDuration('--subscribe-timeout'))
        .default(DEFAULT_SUBSCRIBE_TIMEOUT_MS, formatDuration(DEFAULT_SUBSCRIBE_TIMEOUT_MS)),
    )
    .option(
      '--faults <spec>',
      'process: and webhook: fault injection in the mock, e.g. error=0.05,throttle=0.02,slow=0.1:500ms',
    )
    .option(
      '--accept-scaled-latency',
      'process: and webhook: gate on latency measured above 1× (a detector on its own wall clock at --speed max or a factor)',
    )
    .addOption(
      new Option('--threshold <expr>', 'an extra gate, e.g. "recall>=0.9" or "latency.p95<=2h" (repeatable)')
        .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v])
        .default([] as string[]),
    )
    .option('--no-expect', NO_EXPECT_HELP)
    .option('--allow-no-gates', ALLOW_NO_GATES_HELP)
    .option('--baseline <summary.json>', 'a previous summary.json: turn it into regression gates')
    .option('--max-regression <list>', 'allowed regressions, e.g. recall=0.02,latency.p95=10m')
    .option('--report <formats>', 'reports to write into --out: json,junit,md,html,navigator', 'json,junit,md,html')
    .option('--out <dir>', 'output directory (reports, alerts; datasets with --keep-datasets)', 'out')
    .option(
      '--keep-datasets',
      'keep the generated datasets in <out>/datasets/ (their answer keys in <out>.truth/); by default they live in a private temporary folder removed at exit',
    )
    .option('--json', 'print summary.json on stdout instead of the console summary')
    .option('--quiet', 'print nothing but the summary and errors')
    .option('--no-progress', 'no progress bar or line')
    .option('--progress-interval <duration>', PROGRESS_INTERVAL_HELP, parseProgressInterval);
}

export type RunCommand = ReturnType<typeof declareRunCommand>;
export type RunOpts = ReturnType<RunCommand['opts']>;

function optionError(message: string, hint?: string): EnumbenchError {
  return new EnumbenchError('E_OPTION', message, hint !== undefined ? { hint } : {});
}

function detectorOptionsOf(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw optionError(
      `--detector-options: not a JSON object (${(e as Error).message})`,
      `e.g. --detector-options '{"window":"1h"}'`,
    );
  }
}

/**
 * The settings of a `run` command line, every option checked (E_OPTION, exit 4) before anything
 * is generated. `givenOnCli` tells an option typed on the command line from its default.
 */
export function parseRunSettings(
  inputs: readonly string[],
  opts: RunOpts,
  givenOnCli: (key: keyof RunOpts) => boolean,
): { settings: RunSettings; spec: DetectorSpec } {
  const tickMs = positiveDuration('--tick', opts.tick);
  const detectorTimeoutMs = positiveDuration('--detector-timeout', opts.detectorTimeout);
  const spec = parseDetectorSpec(opts.detector);
  const external = spec.kind === 'process' || spec.kind === 'webhook';
  if (!external) {
    for (const [flag, given] of [
      ['--speed', opts.speed !== undefined],
      ['--faults', opts.faults !== undefined],
      ['--accept-scaled-latency', opts.acceptScaledLatency === true],
    ] as const) {
      if (given)
        throw optionError(
          `${flag} applies to process: and webhook: detectors only`,
          'in-process and stdio: detectors are handed their records in lockstep, without the mock services',
        );
    }
  }
  if (givenOnCli('subscribeTimeout') && spec.kind !== 'webhook') {
    throw optionError(
      '--subscribe-timeout applies to webhook: detectors only',
      'drop --subscribe-timeout, or run a webhook: detector',
    );
  }
  if ((opts.queryFrequency !== undefined || opts.queryPeriod !== undefined) && !opts.detector.startsWith('kql:')) {
    throw optionError(
      '--query-frequency and --query-period apply to kql: detectors',
      'e.g. --detector kql:rule.kql --query-frequency 5m --query-period 1h',
    );
  }
  let maxRegression: RegressionAllowance[] | undefined;
  if (opts.maxRegression !== undefined) {
    if (opts.baseline === undefined)
      throw optionError(
        '--max-regression needs --baseline',
        'e.g. --baseline previous/summary.json --max-regression recall=0.02',
      );
    const allowances = parseMaxRegression(opts.maxRegression);
    if (!allowances.ok) throw optionError(`--max-regression: ${allowances.problems.join('; ')}`);
    maxRegression = allowances.value;
  }
  const detectorOptions = detectorOptionsOf(opts.detectorOptions);
  const settings: RunSettings = {
    inputs: [...inputs],
    detector: opts.detector,
    ...(detectorOptions !== undefined ? { detectorOptions } : {}),
    ...(opts.queryFrequency !== undefined ? { queryFrequency: opts.queryFrequency } : {}),
    ...(opts.queryPeriod !== undefined ? { queryPeriod: opts.queryPeriod } : {}),
    ...(opts.truth !== undefined ? { truth: opts.truth } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.seeds !== undefined ? { seeds: opts.seeds } : {}),
    seedPurpose: opts.seedPurpose,
    ...(external ? { speed: parseSpeed(opts.speed ?? 'max') } : {}),
    tickMs,
    detectorTimeoutMs,
    drainMs: opts.drain,
    graceMs: opts.grace,
    ackTimeoutMs: opts.ackTimeout,
    subscribeTimeoutMs: opts.subscribeTimeout,
    ...(opts.faults !== undefined ? { faults: parseFaults(opts.faults) } : {}),
    acceptScaledLatency: opts.acceptScaledLatency === true,
    thresholds: [...opts.threshold],
    expect: opts.expect,
    allowNoGates: opts.allowNoGates === true,
    ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
    ...(maxRegression !== undefined ? { maxRegression } : {}),
  };
  return { settings, spec };
}
