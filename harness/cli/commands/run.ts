/**
 * `enumbench run <scenario.yaml|DIR...> --detector SPEC`: the whole bench — generate (each scenario
 * once per seed), replay in lockstep into an in-process detector, score, gate, report. Exit codes:
 * 0 passed, 1 a gate crossed, 2 the detector failed, 4 invalid input.
 *
 * The answer key is never where the detector could be pointed: generated keys are written to a
 * private folder in the system temp folder, read from there by scoring, and moved beside the output
 * folder (`<out>.truth/datasets/<scenario>/seed-<n>/`) only after every detector has stopped; the
 * output folder itself never holds one (docs/dataset.md "The answer key").
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { EnumbenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { TRUTH_FORMAT_VERSION } from '../../../src/core/truth.js';
import { commandLine, renderConsole, renderSummaryJson, reportOutcome } from '../../../src/report/index.js';
import { parseThresholdLine, type Threshold } from '../../../src/scenario/thresholds.js';
import { parseDuration } from '../../../src/scenario/units.js';
import { SCORECARD_SCHEMA_VERSION } from '../../../src/scoring/index.js';
import { checkBaseline, parseMaxRegression } from '../../../src/thresholds/index.js';
import { isWithin, moveAnswerKey, runKeyDir } from '../../dataset/answer-key.js';
import { writeFileAtomic } from '../../output-files.js';
import { parseSpeed, speedLabel } from '../../replay/clock.js';
import { checkCommand } from '../../run/child.js';
import { DEFAULT_DETECTOR, parseDetectorSpec, SPEC_FORMS } from '../../run/detector-spec.js';
import { startDetectorThread } from '../../run/detector-thread.js';
import { DEFAULT_DRAIN_MS } from '../../run/drain.js';
import {
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_GRACE_MS,
  DEFAULT_SUBSCRIBE_TIMEOUT_MS,
  type ExternalProgress,
  type ExternalRun,
} from '../../run/external-run.js';
import { type Baseline, manifestExpect, scenarioExpect } from '../../run/gate.js';
import { runDatasets } from '../../run/run-datasets.js';
import { type PreparedInput, prepareInputs, type SeedPurpose } from '../../run/run-scenarios.js';
import { parseReportFormats, removeStaleOutputs, writeReports } from '../../run/write-reports.js';
import { refuseUnmetNeeds } from '../../source-needs.js';
import { ALLOW_NO_GATES_HELP, type CommandModule, NO_EXPECT_HELP, outcomeExitCode } from '../command.js';
import { parseSeed, parseSeedCount, parseWallDuration } from '../counts.js';
import { JOBS_HELP, parseJobs } from '../jobs.js';
import { createProgress, PROGRESS_INTERVAL_HELP, parseProgressInterval } from '../progress.js';
import { parseFaults } from './serve.js';

function formatSpeed(x: number): string {
  if (!Number.isFinite(x)) return 'max';
  return x >= 100 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
}

/**
 * Move the answer keys generated into `truthRoot` beside the output folder
 * (`<out>.truth/datasets/<scenario>/seed-<n>/`, where findAnswerKey finds them). Only once no
 * detector runs; a key already moved is skipped.
 */
function settleKeys(prepared: readonly PreparedInput[], truthRoot: string, outDir: string): void {
  for (const p of prepared) {
    if (p.kind !== 'scenario') continue;
    p.datasets.forEach((dir, i) => {
      const key = p.keys[i];
      if (key !== undefined && isWithin(key, truthRoot) && existsSync(key)) moveAnswerKey(key, runKeyDir(outDir, dir));
    });
  }
}

export const runCommand: CommandModule = {
  name: 'run',
  register(program, ctx) {
    program
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
        'replay clock: lockstep (always, for builtin:, module: and stdio:); for process: and webhook: max (default), realtime, a factor such as 60, or lockstep',
      )
      .option(
        '--detector-timeout <duration>',
        'wall-clock limit for one detector call (start, ingest, tick, stop) and for loading it; past it the detector is stopped and the run exits 2',
        '30s',
      )
      .option('--tick <duration>', 'lockstep tick: how often simulated time advances for the detector', '1m')
      .addOption(
        new Option(
          '--drain <duration>',
          'process: and webhook: how long (wall time) the detector keeps running after the last publication',
        )
          .argParser(parseWallDuration('--drain'))
          .default(DEFAULT_DRAIN_MS, '6m'),
      )
      .addOption(
        new Option(
          '--grace <duration>',
          'process: and webhook: time between SIGTERM and SIGKILL when the detector is stopped',
        )
          .argParser(parseWallDuration('--grace'))
          .default(DEFAULT_GRACE_MS, '5s'),
      )
      .addOption(
        new Option(
          '--ack-timeout <duration>',
          'process: and webhook: in lockstep, and stdio:, how long (wall time) a tick may wait for its acknowledgement',
        )
          .argParser(parseWallDuration('--ack-timeout'))
          .default(DEFAULT_ACK_TIMEOUT_MS, '30s'),
      )
      .addOption(
        new Option(
          '--subscribe-timeout <duration>',
          'webhook: how long (wall time) the detector has to subscribe every content type with a validated webhook; nothing is published before',
        )
          .argParser(parseWallDuration('--subscribe-timeout'))
          .default(DEFAULT_SUBSCRIBE_TIMEOUT_MS, '30s'),
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
      .option('--report <formats>', 'reports to write into --out: json,junit,md,html', 'json,junit,md,html')
      .option('--out <dir>', 'output directory (datasets, alerts, reports)', 'out')
      .option('--json', 'print summary.json on stdout instead of the console summary')
      .option('--quiet', 'print nothing but the summary and errors')
      .option('--no-progress', 'no progress bar or line')
      .option('--progress-interval <duration>', PROGRESS_INTERVAL_HELP, parseProgressInterval)
      .action(async (inputs, opts, command) => {
        const { io } = ctx;
        const cwd = io.cwd;
        const outDir = resolve(cwd, opts.out);
        const say = (s: string) => {
          if (!opts.quiet && !opts.json) io.err(`${s}\n`);
        };

        // everything the run needs is checked before anything is generated
        const problems: string[] = [];
        const tick = parseDuration(opts.tick);
        if (!tick.ok || tick.value <= 0) {
          throw new EnumbenchError('E_OPTION', `--tick: ${tick.ok ? 'must be positive' : tick.message}`, {
            hint: 'e.g. --tick 1m',
          });
        }
        const callTimeout = parseDuration(opts.detectorTimeout);
        if (!callTimeout.ok || callTimeout.value <= 0) {
          throw new EnumbenchError(
            'E_OPTION',
            `--detector-timeout: ${callTimeout.ok ? 'must be positive' : callTimeout.message}`,
            { hint: 'e.g. --detector-timeout 30s' },
          );
        }
        const spec = parseDetectorSpec(opts.detector);
        const external = spec.kind === 'process' || spec.kind === 'webhook';
        const speedText = opts.speed ?? (external ? 'max' : 'lockstep');
        const speed = parseSpeed(speedText);
        if (!external && speed.kind !== 'lockstep' && speed.kind !== 'max') {
          throw new EnumbenchError(
            'E_OPTION',
            `--speed ${speedText}: only process: and webhook: detectors run at another speed than lockstep`,
            {
              hint: 'drop --speed, or run a process: or webhook: detector',
            },
          );
        }
        if (command.getOptionValueSource('subscribeTimeout') === 'cli' && spec.kind !== 'webhook') {
          throw new EnumbenchError('E_OPTION', '--subscribe-timeout applies to webhook: detectors only', {
            hint: 'drop --subscribe-timeout, or run a webhook: detector',
          });
        }
        const drainMs = opts.drain;
        const graceMs = opts.grace;
        const ackTimeoutMs = opts.ackTimeout;
        const faults = opts.faults !== undefined ? parseFaults(opts.faults) : undefined;
        if (!external) {
          for (const [flag, given] of [
            ['--faults', opts.faults !== undefined],
            ['--accept-scaled-latency', opts.acceptScaledLatency === true],
          ] as const) {
            if (given)
              throw new EnumbenchError('E_OPTION', `${flag} applies to process: and webhook: detectors only`, {
                hint: 'in-process and stdio: detectors are handed their records in lockstep, without the mock services',
              });
          }
        }
        if (spec.kind !== 'in-process') checkCommand(spec.command, cwd, io.env);
        let detectorOptions: Record<string, unknown> = {};
        if (opts.detectorOptions !== undefined) {
          try {
            const v = JSON.parse(opts.detectorOptions) as unknown;
            if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
            detectorOptions = v as Record<string, unknown>;
          } catch (e) {
            throw new EnumbenchError('E_OPTION', `--detector-options: not a JSON object (${(e as Error).message})`, {
              hint: `e.g. --detector-options '{"window":"1h"}'`,
            });
          }
        }
        if (opts.queryFrequency !== undefined || opts.queryPeriod !== undefined) {
          if (!opts.detector.startsWith('kql:')) {
            throw new EnumbenchError('E_OPTION', '--query-frequency and --query-period apply to kql: detectors', {
              hint: 'e.g. --detector kql:rule.kql --query-frequency 5m --query-period 1h',
            });
          }
          if (opts.queryFrequency !== undefined) detectorOptions.queryFrequency = opts.queryFrequency;
          if (opts.queryPeriod !== undefined) detectorOptions.queryPeriod = opts.queryPeriod;
        }
        // an in-process detector (builtin:, module:, kql:, sigma:) starts on its thread before anything
        // is generated: an unknown name, wrong options, a module that does not load or a rule that is
        // wrong is refused here, and the same thread then runs the first dataset (runDatasets); kql:
        // and sigma: keep it for every dataset, so the Kusto language service loads once
        const thread =
          spec.kind === 'in-process'
            ? await startDetectorThread({
                spec: opts.detector,
                options: detectorOptions,
                cwd,
                loadTimeoutMs: callTimeout.value,
              })
            : undefined;
        try {
          const thresholds: Threshold[] = [];
          for (const line of opts.threshold) {
            const r = parseThresholdLine(line, { catalog: ctx.catalog });
            if (r.ok) thresholds.push(r.value);
            else
              for (const p of r.problems)
                problems.push(`--threshold "${line}": ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`);
          }
          if (problems.length) {
            throw new EnumbenchError('E_OPTION', problems.join('\n'), { hint: 'see docs/scenarios.md "Thresholds"' });
          }
          const formats = parseReportFormats(opts.report);
          let baseline: Baseline | null = null;
          if (opts.baseline !== undefined) {
            let parsed: unknown;
            try {
              parsed = JSON.parse(readFileSync(resolve(cwd, opts.baseline), 'utf8'));
            } catch (e) {
              throw new EnumbenchError('E_BASELINE', `${opts.baseline}: ${(e as Error).message}`, {
                hint: 'give the summary.json of an earlier run (--report json)',
              });
            }
            const summary = checkBaseline(
              parsed,
              { schemaVersion: SCORECARD_SCHEMA_VERSION, datasetFormatVersion: TRUTH_FORMAT_VERSION },
              opts.baseline,
            );
            const allowances =
              opts.maxRegression !== undefined
                ? parseMaxRegression(opts.maxRegression)
                : { ok: true as const, value: [] };
            if (!allowances.ok)
              throw new EnumbenchError('E_OPTION', `--max-regression: ${allowances.problems.join('; ')}`);
            baseline = { summary, allowances: allowances.value, file: opts.baseline };
          } else if (opts.maxRegression !== undefined) {
            throw new EnumbenchError('E_OPTION', '--max-regression needs --baseline', {
              hint: 'e.g. --baseline previous/summary.json --max-regression recall=0.02',
            });
          }

          // the previous run's reports, alerts and logs go before anything else is written
          removeStaleOutputs(outDir, 'run');

          // generate
          const progress = createProgress({
            io,
            enabled: opts.progress && !opts.quiet && !opts.json,
            ...(opts.progressInterval !== undefined ? { intervalMs: opts.progressInterval } : {}),
          });
          // generated answer keys stay out of --out (and of the working directory) until every
          // detector has stopped; then, or at exit whatever happened, they go beside the output folder
          const truthRoot = mkdtempSync(join(tmpdir(), 'enumbench-key-'));
          let generated: PreparedInput[] = [];
          const settle = () => {
            try {
              settleKeys(generated, truthRoot, outDir);
            } finally {
              rmSync(truthRoot, { recursive: true, force: true });
            }
          };
          process.once('exit', settle);
          const prepared = await prepareInputs({
            inputs,
            catalog: ctx.catalog,
            cwd,
            out: outDir,
            truthRoot,
            ...(opts.truth ? { truths: opts.truth } : {}),
            version: ctx.version,
            ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
            ...(opts.seeds !== undefined ? { seeds: opts.seeds } : {}),
            seedPurpose: opts.seedPurpose as SeedPurpose,
            jobs: opts.jobs ?? 'auto',
            onGenerate: (e) => {
              if (e.records === undefined) {
                say(`${ctx.errStyle.dim(`[${e.index}/${e.of}]`)} generating ${e.scenario} · seed ${e.seed}`);
                progress.start(`generating ${e.scenario} · seed ${e.seed}`);
              } else {
                progress.stop();
                say(`      ${e.records} records in ${((e.ms ?? 0) / 1000).toFixed(1)} s`);
              }
            },
            onProgress: (done: number, records: number, simTime: number) => progress.update({ done, records, simTime }),
            // a rule that can see nothing an input collects is refused before anything is generated
            beforeGenerate: (inputs) => {
              for (const i of inputs)
                for (const w of i.kind === 'scenario'
                  ? refuseUnmetNeeds(thread?.needs ?? [], i.sources, `scenario "${i.name}" (${i.input})`)
                  : refuseUnmetNeeds(
                      thread?.needs ?? [],
                      i.sources,
                      `dataset ${i.input}`,
                      'generate it from a scenario that collects the source',
                    ))
                  io.err(`${ctx.errStyle.yellow('warning:')} ${w}\n`);
            },
          });
          const datasets = prepared.flatMap((p) => p.datasets);
          const byScenarioName = new Map(prepared.flatMap((p) => (p.scenario ? [[p.scenario.name, p] as const] : [])));
          const byName = new Map(prepared.map((p) => [p.name, p]));

          // replay, detect, score, gate
          say(
            `replaying ${datasets.length} dataset${datasets.length === 1 ? '' : 's'} ${external ? `through the mock services at speed ${speedLabel(speed)}` : 'in lockstep'} into ${opts.detector}`,
          );
          generated = prepared;
          const result = await runDatasets({
            datasets,
            keys: prepared.flatMap((p) => p.keys),
            detector: opts.detector,
            ...(thread ? { thread } : {}),
            detectorOptions,
            cwd,
            thresholds,
            expectFor: (name, dirs) => {
              const p = byScenarioName.get(name);
              return p?.scenario
                ? scenarioExpect(p.scenario.expect, p.input, !opts.expect)
                : manifestExpect(dirs, { catalog: ctx.catalog, cwd, ignore: !opts.expect });
            },
            allowNoGates: opts.allowNoGates === true,
            baseline,
            onReplay: (e) => {
              if (e.end) progress.stop();
              else if (e.done === undefined) progress.start(`replaying ${relative(cwd, e.dataset) || e.dataset}`);
              else progress.update({ done: e.done, records: e.records ?? 0, simTime: e.simTime ?? 0 });
            },
            tickMs: tick.value,
            callTimeoutMs: callTimeout.value,
            version: ctx.version,
            ...(external || spec.kind === 'stdio'
              ? {
                  external: {
                    outDir,
                    env: io.env,
                    speed,
                    drainMs,
                    graceMs,
                    ackTimeoutMs,
                    tickMs: tick.value,
                    subscribeTimeoutMs: opts.subscribeTimeout,
                    ...(faults ? { faults } : {}),
                    acceptScaledLatency: opts.acceptScaledLatency === true,
                    ...(opts.quiet || opts.json || !opts.progress
                      ? {}
                      : {
                          onProgress: (p: ExternalProgress) =>
                            say(
                              ctx.errStyle.dim(
                                `  ${p.phase} · ${p.published}/${p.planned} records published${spec.kind === 'webhook' ? ` · ${p.notifiedBlobs} blobs notified` : ''} · ${p.contentFetches} blobs and ${p.storageReads} feed reads fetched · ${p.alerts} alerts · simulated ${p.simNow} · speed ${p.requestedSpeed} asked, ${formatSpeed(p.achievedSpeed)} achieved`,
                              ),
                            ),
                          progressEveryMs: opts.progressInterval ?? (io.stderrIsTTY ? 2_000 : 10_000),
                        }),
                  },
                  onExternalRun: (dir: string, r: ExternalRun) => {
                    const l = r.ledger;
                    say(
                      `${relative(cwd, dir) || dir}: published ${l.published.records} records (${l.published.contentBlobs} content blobs, ${l.published.appends} feed appends)${spec.kind === 'webhook' ? `; ${l.notified.blobs} blobs notified in ${l.notified.batches} webhook batches (${l.notified.failedAttempts} failed attempts)` : ''}; the detector fetched ${l.fetched.records} (${l.fetched.contentFetches} blobs, ${l.fetched.storageReads} feed reads); never collected ${r.lockstep.failure?.phase === 'start' && l.published.records === 0 ? 'everything (nothing was published)' : l.neverCollected.count}; ${r.lockstep.alerts.length + r.droppedAlerts + r.malformedCount} alerts received (${r.malformedCount} malformed${r.droppedAlerts ? `, ${r.droppedAlerts} past the flood limit` : ''}); detector ${r.exit ? (r.exit.signal ? `stopped by ${r.exit.signal}` : `exited ${r.exit.code}`) : 'gone'}; stderr kept in ${relative(cwd, r.stderrFile)}`,
                    );
                    if (r.faults) say(`  faults injected: ${JSON.stringify(r.faults)}`);
                    for (const w of r.warnings) io.err(`${ctx.errStyle.yellow('warning:')} ${w}\n`);
                  },
                }
              : {}),
            replayFor: (name, dirs, truth) => {
              const p = byName.get(name);
              const args = [
                'enumbench',
                'run',
                ...(p?.kind === 'scenario' ? [p.input] : dirs.map((d) => relative(cwd, d) || '.')),
              ];
              if (p?.kind === 'scenario' && p.scenario) {
                args.push('--seed', String(opts.seed ?? p.scenario.seed));
                if (p.seeds.length > 1) args.push('--seeds', String(p.seeds.length));
                if (opts.seedPurpose === 'tune') args.push('--seed-purpose', 'tune');
              }
              if (p?.kind !== 'scenario' && opts.truth) for (const t of opts.truth) args.push('--truth', t);
              args.push('--detector', opts.detector);
              if (opts.speed !== undefined) args.push('--speed', opts.speed);
              if (opts.faults !== undefined) args.push('--faults', opts.faults);
              if (opts.acceptScaledLatency) args.push('--accept-scaled-latency');
              if (opts.detectorOptions !== undefined) args.push('--detector-options', opts.detectorOptions);
              if (opts.queryFrequency !== undefined) args.push('--query-frequency', opts.queryFrequency);
              if (opts.queryPeriod !== undefined) args.push('--query-period', opts.queryPeriod);
              for (const t of opts.threshold) args.push('--threshold', t);
              if (!opts.expect) args.push('--no-expect');
              if (opts.allowNoGates) args.push('--allow-no-gates');
              return `${commandLine(args)}  # seed ${truth.seed}`;
            },
          });

          // every detector has stopped: the generated keys go beside the output folder
          process.off('exit', settle);
          settle();

          // alerts files: `enumbench score` on them reproduces the scorecard
          for (const a of result.alerts) {
            const file = join(outDir, 'alerts', a.scenario, `seed-${a.seed}.jsonl`);
            mkdirSync(join(outDir, 'alerts', a.scenario), { recursive: true });
            writeFileAtomic(file, a.text);
          }
          const written = await writeReports(result.report, formats, outDir, io.env, (m) =>
            io.err(`${ctx.errStyle.yellow('warning:')} ${m}\n`),
          );
          if (opts.json) io.out(renderSummaryJson(result.report));
          else {
            io.out(renderConsole(result.report, ctx.outStyle));
            for (const w of written) say(ctx.errStyle.dim(`wrote ${relative(cwd, w) || w}`));
            const first = result.alerts[0];
            if (first) {
              const truth = relative(cwd, first.dataset) || '.';
              const alerts = relative(cwd, join(outDir, 'alerts', first.scenario, `seed-${first.seed}.jsonl`));
              say(ctx.errStyle.dim(`score these alerts again: enumbench score --truth ${truth} --alerts ${alerts}`));
            }
          }
          if (result.detectorFailures.length) {
            for (const f of result.detectorFailures) io.err(`${ctx.errStyle.red('detector failed:')} ${f}\n`);
            ctx.exit(ExitCode.DetectorFailed);
            return;
          }
          ctx.exit(outcomeExitCode(reportOutcome(result.report)));
        } finally {
          // runDatasets closes it; an error before the replay (a scenario, generation) must too
          await thread?.close();
        }
      });
  },
};
