import { formatDiagnostic } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { type DatasetEstimate, estimateDataset, LARGE_DATASET_BYTES } from '../../dataset/estimate.js';
import { loadScenarioFile } from '../../scenario-files.js';
import type { CommandModule } from '../command.js';

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** "estimate: about 105,000 records, 250 MiB, generated in 2 s, replayed in 4 s (…)" */
export function describeEstimate(e: DatasetEstimate): string {
  return `estimate: about ${e.records.toLocaleString('en-US')} records, ${gib(e.bytes)} on disk; generate ≈ ${duration(e.generateSeconds)}, replay into builtin:volume ≈ ${duration(e.replaySeconds)} (from a sample of ${e.sample.records.toLocaleString('en-US')} records: 1/${e.sample.shards} of the actors${e.sample.days < 1 ? '' : `, ${+e.sample.days.toFixed(2)} day`}; timed on this machine)`;
}

export const validateCommand: CommandModule = {
  name: 'validate',
  register(program, ctx) {
    program
      .command('validate')
      .description('check scenario files; every error as file:line:col: message, with a hint')
      .argument('<files...>', 'scenario YAML files')
      .option('--json', 'machine output on stdout: one object per file')
      .option('--print', 'print the normalised scenario (JSON) of each valid file')
      .option('--no-estimate', 'skip the estimate of records, disk and time (it generates a small sample in memory)')
      .action(async (files, opts) => {
        const { io } = ctx;
        const s = ctx.errStyle;
        let failed = 0;
        const results: unknown[] = [];
        for (const file of files) {
          const r = await loadScenarioFile(file, ctx.catalog);
          let estimate: DatasetEstimate | null = null;
          if (r.ok && opts.estimate) {
            try {
              estimate = estimateDataset(r.scenario);
            } catch (e) {
              // e.g. a tenant too small for its roles: generate refuses it with its reason
              if (!opts.json) io.err(`  ${s.yellow('no estimate:')} ${(e as Error).message}\n`);
            }
          }
          if (opts.json) {
            results.push(
              r.ok
                ? {
                    file,
                    ok: true,
                    name: r.scenario.name,
                    hash: r.hash,
                    ...(estimate ? { estimate } : {}),
                    ...(opts.print ? { scenario: r.scenario } : {}),
                  }
                : {
                    file,
                    ok: false,
                    errors: r.diagnostics.map((d) => ({
                      file: d.position?.file ?? file,
                      line: d.position?.line ?? null,
                      col: d.position?.col ?? null,
                      code: d.code,
                      message: d.message,
                      hint: d.hint ?? null,
                    })),
                  },
            );
          } else if (r.ok) {
            io.err(
              `${s.green('✓')} ${file} ${s.dim(`(${r.scenario.name}: ${r.scenario.tenant.users} users, ${r.scenario.attacks.length} attack${r.scenario.attacks.length === 1 ? '' : 's'}, ${r.scenario.activity.length} profile${r.scenario.activity.length === 1 ? '' : 's'})`)}\n`,
            );
            if (estimate) {
              io.err(`  ${s.dim(describeEstimate(estimate))}\n`);
              if (estimate.bytes > LARGE_DATASET_BYTES)
                io.err(
                  `  ${s.yellow('warning:')} about ${gib(estimate.bytes)} of dataset: check the free space where it is written (generate --out, run --out), or shorten the window or the tenant\n`,
                );
            }
            if (opts.print) io.out(`${JSON.stringify(r.scenario, null, 2)}\n`);
          } else {
            for (const d of r.diagnostics) {
              io.err(`${formatDiagnostic(d, s.red)}\n`);
              if (d.hint) io.err(`  ${s.dim('hint:')} ${d.hint.replace(/\n/g, '\n  ')}\n`);
            }
          }
          if (!r.ok) failed++;
        }
        if (opts.json) io.out(`${JSON.stringify({ ok: failed === 0, files: results }, null, 2)}\n`);
        else if (files.length > 1 || failed) {
          io.err(
            failed
              ? s.red(`${failed} of ${files.length} file${files.length === 1 ? '' : 's'} invalid\n`)
              : s.green(`${files.length} files valid\n`),
          );
        }
        ctx.exit(failed ? ExitCode.InvalidInput : ExitCode.Passed);
      });
  },
};
