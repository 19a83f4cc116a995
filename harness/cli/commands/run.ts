/**
 * `enumbench run <scenario.yaml|DIR...> --detector SPEC`: the whole bench — generate (each scenario
 * once per seed), replay in lockstep into an in-process detector, score, gate, report. Exit codes:
 * 0 passed, 1 a gate crossed, 2 the detector failed, 4 invalid input.
 *
 * The answer key is never where the detector could be pointed: generated keys are written to a
 * private folder in the system temp folder, read from there by scoring, and moved beside the output
 * folder (`<out>.truth/datasets/<scenario>/seed-<n>/`) only after every detector has stopped; the
 * output folder itself never holds one (docs/dataset.md "The answer key"). Unless `--keep-datasets`,
 * the generated datasets live in a private temporary folder too, removed at exit with their keys:
 * `run` writes nothing but its reports (docs/cli.md "What `run` writes").
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { EnumbenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { TRUTH_FORMAT_VERSION } from '../../../src/core/truth.js';
import { renderConsole, renderSummaryJson, reportOutcome } from '../../../src/report/index.js';
import { parseThresholdLine, type Threshold } from '../../../src/scenario/thresholds.js';
import { SCORECARD_SCHEMA_VERSION } from '../../../src/scoring/index.js';
import { checkBaseline } from '../../../src/thresholds/index.js';
import { isWithin, moveAnswerKey, runKeyDir } from '../../dataset/answer-key.js';
import { resourceError, withElsewhere, writeFileAtomic } from '../../output-files.js';
import { speedLabel } from '../../replay/clock.js';
import { checkCommand } from '../../run/child.js';
import { startDetectorThread } from '../../run/detector-thread.js';
import type { ExternalProgress, ExternalRun } from '../../run/external-run.js';
import { type Baseline, manifestExpect, scenarioExpect } from '../../run/gate.js';
import { runDatasets } from '../../run/run-datasets.js';
import { type PreparedInput, prepareInputs } from '../../run/run-scenarios.js';
import { detectorOptionsFor, runReplayLine } from '../../run/run-settings.js';
import { parseReportFormats, removeStaleOutputs, writeReports } from '../../run/write-reports.js';
import { refuseUnmetNeeds } from '../../source-needs.js';
import { type CommandModule, outcomeExitCode } from '../command.js';
import { createProgress } from '../progress.js';
import { declareRunCommand, parseRunSettings } from '../run-options.js';

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

/** How to put a run's temporary datasets elsewhere (a resource error's hint). */
const TMP_ELSEWHERE = 'set TMPDIR to a folder on a disk with room, or give --keep-datasets to write them under --out';

/** A private (0700) folder in the system temporary folder (TMPDIR), or a clear error saying how to fix it. */
function privateTempFolder(prefix: string): string {
  try {
    return mkdtempSync(join(tmpdir(), prefix));
  } catch (e) {
    throw (
      resourceError(e, tmpdir(), TMP_ELSEWHERE) ??
      new EnumbenchError('E_TMPDIR', `the temporary folder ${tmpdir()} cannot be used: ${(e as Error).message}`, {
        hint: TMP_ELSEWHERE,
      })
    );
  }
}

export const runCommand: CommandModule = {
  name: 'run',
  register(program, ctx) {
    declareRunCommand(program).action(async (inputs, opts, command) => {
      const { io } = ctx;
      const cwd = io.cwd;
      const outDir = resolve(cwd, opts.out);
      const say = (s: string) => {
        if (!opts.quiet && !opts.json) io.err(`${s}\n`);
      };

      // everything the run needs is checked before anything is generated
      const problems: string[] = [];
      const { settings, spec } = parseRunSettings(inputs, opts, (key) => command.getOptionValueSource(key) === 'cli');
      const external = spec.kind === 'process' || spec.kind === 'webhook';
      const speed = settings.speed ?? { kind: 'lockstep' as const };
      if (spec.kind !== 'in-process') checkCommand(spec.command, cwd, io.env);
      const detectorOptions = detectorOptionsFor(settings);
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
              loadTimeoutMs: settings.detectorTimeoutMs,
            })
          : undefined;
      let cleanup: (() => void) | undefined;
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
          baseline = { summary, allowances: settings.maxRegression ?? [], file: opts.baseline };
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
        // (--keep-datasets) or are removed with the datasets
        const keep = opts.keepDatasets === true;
        const truthRoot = privateTempFolder('enumbench-key-');
        // nothing but the reports is written by default: generated datasets go to a private
        // temporary folder (the system's, TMPDIR) removed at exit, whatever happened
        const dataRoot = keep ? join(outDir, 'datasets') : privateTempFolder('enumbench-data-');
        let generated: PreparedInput[] = [];
        let settled = false;
        const settle = () => {
          if (settled) return;
          settled = true;
          try {
            if (keep) settleKeys(generated, truthRoot, outDir);
          } finally {
            rmSync(truthRoot, { recursive: true, force: true });
            if (!keep) rmSync(dataRoot, { recursive: true, force: true });
          }
        };
        process.once('exit', settle);
        cleanup = () => {
          process.off('exit', settle);
          settle();
        };
        // where a dataset is, as the user is told: its path when kept, `<scenario>/seed-<n>` when not
        const shown = (dir: string) =>
          !keep && isWithin(dir, dataRoot) ? relative(dataRoot, dir) : relative(cwd, dir) || dir;
        const prepared = await prepareInputs({
          inputs,
          catalog: ctx.catalog,
          cwd,
          out: outDir,
          truthRoot,
          datasetRoot: dataRoot,
          ...(opts.truth ? { truths: opts.truth } : {}),
          version: ctx.version,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.seeds !== undefined ? { seeds: opts.seeds } : {}),
          seedPurpose: settings.seedPurpose,
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
        }).catch((e: unknown) => {
          // a full temporary folder: say which, and how to write the datasets elsewhere
          throw keep ? e : withElsewhere(e, TMP_ELSEWHERE);
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
          ...(keep ? {} : { datasetLabel: (d: string) => (isWithin(d, dataRoot) ? relative(dataRoot, d) : d) }),
          onReplay: (e) => {
            if (e.end) progress.stop();
            else if (e.done === undefined) progress.start(`replaying ${shown(e.dataset)}`);
            else progress.update({ done: e.done, records: e.records ?? 0, simTime: e.simTime ?? 0 });
          },
          tickMs: settings.tickMs,
          callTimeoutMs: settings.detectorTimeoutMs,
          version: ctx.version,
          ...(external || spec.kind === 'stdio'
            ? {
                external: {
                  outDir,
                  env: io.env,
                  speed,
                  drainMs: settings.drainMs,
                  graceMs: settings.graceMs,
                  ackTimeoutMs: settings.ackTimeoutMs,
                  tickMs: settings.tickMs,
                  subscribeTimeoutMs: settings.subscribeTimeoutMs,
                  ...(settings.faults ? { faults: settings.faults } : {}),
                  acceptScaledLatency: settings.acceptScaledLatency,
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
            // the line for this scenario alone: its file and resolved seed, or its dataset directories
            const { truth: truthDirs, seed: _seed, seeds: _seeds, ...common } = settings;
            const line =
              p?.kind === 'scenario' && p.scenario
                ? runReplayLine({
                    ...common,
                    inputs: [p.input],
                    seed: opts.seed ?? p.scenario.seed,
                    ...(p.seeds.length > 1 ? { seeds: p.seeds.length } : {}),
                  })
                : runReplayLine({
                    ...common,
                    inputs: dirs.map((d) => relative(cwd, d) || '.'),
                    ...(truthDirs ? { truth: truthDirs } : {}),
                  });
            return `${line}  # seed ${truth.seed}`;
          },
        });

        // every detector has stopped: the generated keys go beside the output folder (or away with
        // the datasets)
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
          // (a dataset that was not kept cannot be scored again)
          const first = result.alerts.find((a) => keep || !isWithin(a.dataset, dataRoot));
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
        // then the datasets not kept are removed (and the keys moved or removed), whatever happened
        cleanup?.();
      }
    });
  },
};
