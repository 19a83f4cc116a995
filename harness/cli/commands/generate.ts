/**
 * `enumbench generate <scenario> --out DIR [--truth-out KEY] [--seed N] [--shard i/n] [--jobs N|auto]`:
 * write a dataset (docs/dataset.md) into DIR and its answer key (truth.json, labels.jsonl) outside
 * it, by default into the sibling DIR.truth/; by default on one worker thread per core (at most
 * two; one for tenants over 5,000 users). Prints the seed and the command that reproduces the run.
 */

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { DATASET_FILES } from '../../../src/core/dataset.js';
import { EnumbenchError, formatDiagnostic, userError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { commandLine } from '../../../src/report/index.js';
import { checkKeyDirReplaceable } from '../../dataset/answer-key.js';
import { answerKeyDirOf, type GenerateResult, heapLimitFor } from '../../dataset/generate.js';
import { generateWithJobs, resolveJobs } from '../../dataset/generate-parallel.js';
import { onInterrupt } from '../../interrupt.js';
import { loadScenarioFile } from '../../scenario-files.js';
import type { CommandModule } from '../command.js';
import { parseSeed } from '../counts.js';
import { JOBS_HELP, parseJobs } from '../jobs.js';
import { createProgress, PROGRESS_INTERVAL_HELP, parseProgressInterval } from '../progress.js';

/**
 * `--out` is replaced as a whole when the new dataset is complete: refuse, before generating, a
 * path that is a file or a folder of something else than a dataset (its files would be lost).
 */
function checkOutDir(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory())
    throw userError(
      'E_OUT',
      `--out ${out} is a file`,
      'give a directory (it is created, or replaced if it holds a dataset)',
    );
  if (readdirSync(out).length > 0 && !existsSync(join(out, DATASET_FILES.manifest)))
    throw userError(
      'E_OUT',
      `--out ${out} is a folder that does not hold a dataset (no ${DATASET_FILES.manifest}): generate replaces its output folder as a whole`,
      'give a new or empty directory, or one written by `enumbench generate`',
    );
}

function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 0 || index >= count) {
    throw new InvalidArgumentError('write the shard as i/n with 0 <= i < n, e.g. 0/2 and 1/2');
  }
  return { index, count };
}

export const generateCommand: CommandModule = {
  name: 'generate',
  register(program, ctx) {
    program
      .command('generate')
      .description('generate a dataset: records per source, delivery schedule, truth and manifest')
      .argument('<scenario>', 'scenario YAML file')
      .requiredOption('--out <dir>', 'the dataset directory (what a detector may be given)')
      .option(
        '--truth-out <dir>',
        'where the answer key (truth.json, labels.jsonl) goes, outside --out (default: <out>.truth beside it)',
      )
      .option('--seed <n>', 'seed (overrides the scenario)', parseSeed)
      .addOption(
        new Option('--shard <i/n>', 'write the i-th of n disjoint parts (actors partitioned, same tenant)').argParser(
          parseShard,
        ),
      )
      .option(
        '--log-analytics',
        'also write the Graph activity logs as Log Analytics rows (MicrosoftGraphActivityLogs table) in graph-activity.la.jsonl',
      )
      .option('--jobs <n>', JOBS_HELP, parseJobs)
      .option('--no-progress', 'no progress bar or line')
      .option('--progress-interval <duration>', PROGRESS_INTERVAL_HELP, parseProgressInterval)
      .option('--json', 'machine output on stdout')
      .option('--quiet', 'print nothing but errors')
      .action(async (file, opts) => {
        const { io } = ctx;
        const s = ctx.errStyle;
        const r = await loadScenarioFile(file, ctx.catalog);
        if (!r.ok) {
          for (const d of r.diagnostics) {
            io.err(`${formatDiagnostic(d, s.red)}\n`);
            if (d.hint) io.err(`  ${s.dim('hint:')} ${d.hint}\n`);
          }
          ctx.exit(ExitCode.InvalidInput);
          return;
        }
        const scenario = r.scenario;
        const seed = opts.seed ?? scenario.seed;
        // the key must not land inside the dataset: refused before any work
        checkKeyDirReplaceable(
          answerKeyDirOf({ out: opts.out, ...(opts.truthOut !== undefined ? { truthOut: opts.truthOut } : {}) }),
        );
        if (opts.logAnalytics && !scenario.telemetry.sources.includes('graphActivity')) {
          io.err(
            `${s.red('error')} ${file}: --log-analytics writes the Graph activity logs as Log Analytics rows, but this scenario's collection (${scenario.telemetry.collection ?? 'custom'}) does not collect them\n`,
          );
          io.err(
            `  ${s.dim('hint:')} drop --log-analytics, or collect Graph activity logs (telemetry.collection: e5-diagnostics)\n`,
          );
          ctx.exit(ExitCode.InvalidInput);
          return;
        }
        checkOutDir(opts.out);
        // Bounded memory: the live set is small (the world plan and one event per actor), but V8's
        // default heap limit lets garbage pile up to several hundred MB before collecting it. Run the
        // generation in a child with a heap limit sized to the tenant, unless we are that child or
        // the user chose a limit (NODE_OPTIONS / execArgv).
        const limitMb = heapLimitFor(scenario.tenant.users);
        if (
          io.env.ENUMBENCH_GENERATE_CHILD !== '1' &&
          // only when running as the enumbench binary (not when runCli is called in-process, e.g. by tests)
          /harness[\\/]cli[\\/]main\.(js|ts)$/.test(process.argv[1] ?? '') &&
          !/max-old-space-size/.test(`${process.execArgv.join(' ')} ${io.env.NODE_OPTIONS ?? ''}`) &&
          getHeapStatistics().heap_size_limit > limitMb * 2 * 2 ** 20
        ) {
          const code = await new Promise<number>((resolve) => {
            const child = spawn(
              process.execPath,
              [`--max-old-space-size=${limitMb}`, ...process.execArgv, ...process.argv.slice(1)],
              {
                stdio: 'inherit',
                env: { ...io.env, ENUMBENCH_GENERATE_CHILD: '1' },
              },
            );
            // a signal to this process (CI stops the pid it started) is forwarded to the child,
            // which stops, says "interrupted" and exits 130/143; this one exits the same way
            const forward = onInterrupt({
              stop: async (signal) => {
                if (child.exitCode === null && child.signalCode === null) {
                  child.kill(signal);
                  await new Promise((r) => child.once('close', r));
                }
                // the child said "interrupted" unless the signal ended it before its handlers were set
                return { reported: child.exitCode === 130 || child.exitCode === 143 };
              },
              kill: () => child.kill('SIGKILL'),
            });
            child.on('close', (c) => {
              forward();
              resolve(c ?? ExitCode.InternalError);
            });
            child.on('error', () => {
              forward();
              resolve(-1);
            });
          });
          if (code >= 0) {
            ctx.exit(code);
            return;
          }
          // could not start a child: generate here, with the default heap
        }
        const progress = createProgress({
          io,
          enabled: opts.progress !== false && !opts.quiet,
          ...(opts.progressInterval !== undefined ? { intervalMs: opts.progressInterval } : {}),
        });
        progress.start(`generating ${scenario.name} · seed ${seed}`);
        let result: GenerateResult;
        const genOpts = {
          out: opts.out,
          ...(opts.truthOut !== undefined ? { truthOut: opts.truthOut } : {}),
          seed,
          shard: opts.shard ?? null,
          scenarioHash: r.hash,
          scenarioFile: file,
          toolVersion: ctx.version,
          logAnalytics: opts.logAnalytics === true,
          onProgress: (done: number, records: number, simTime: number) => progress.update({ done, records, simTime }),
        };
        const jobs = resolveJobs(opts.jobs ?? 'auto', scenario.tenant.users);
        try {
          result = await generateWithJobs(scenario, genOpts, jobs);
        } catch (e) {
          progress.stop();
          if (e instanceof EnumbenchError && e.diagnostics.length) {
            // tenant-level refusals carry a document path; point at the scenario file
            for (const d of e.diagnostics) {
              io.err(`${s.red('error')} ${file}: ${d.path ? `${d.path.join('.')}: ` : ''}${d.message}\n`);
              if (d.hint) io.err(`  ${s.dim('hint:')} ${d.hint}\n`);
            }
            ctx.exit(ExitCode.InvalidInput);
            return;
          }
          throw e;
        }
        progress.stop();
        const rate = Math.round(result.records / (result.ms / 1000));
        const rerun = commandLine([
          'enumbench',
          'generate',
          file,
          '--out',
          opts.out,
          ...(opts.truthOut !== undefined ? ['--truth-out', opts.truthOut] : []),
          '--seed',
          String(seed),
          ...(opts.shard ? ['--shard', `${opts.shard.index}/${opts.shard.count}`] : []),
          ...(opts.logAnalytics ? ['--log-analytics'] : []),
        ]);
        if (opts.json) {
          io.out(
            `${JSON.stringify({ ok: true, out: opts.out, truth: result.truthDir, seed, records: result.records, ms: Math.round(result.ms), jobs, manifest: result.manifest, rerun }, null, 2)}\n`,
          );
        } else if (!opts.quiet) {
          const counts = Object.entries(result.manifest.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
          io.err(
            `${s.green('✓')} ${opts.out}: ${result.records} records in ${(result.ms / 1000).toFixed(1)} s (${rate} rec/s, ${jobs === 1 ? 'one thread' : `${jobs} worker threads`})\n`,
          );
          io.err(`  ${s.dim(counts)}\n`);
          io.err(
            `  answer key (truth.json, labels.jsonl; never give it to a detector): ${relative(io.cwd, result.truthDir) || result.truthDir}\n`,
          );
          if (scenario.telemetry.hypotheses.length)
            io.err(`  ${s.yellow('hypotheses on:')} ${scenario.telemetry.hypotheses.join(', ')}\n`);
          io.err(`  seed ${seed} · reproduce: ${rerun}\n`);
        }
        ctx.exit(ExitCode.Passed);
      });
  },
};
