import { formatDiagnostic } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { loadScenarioFile } from '../../scenario-files.js';
import type { CommandModule } from '../command.js';

export const validateCommand: CommandModule = {
  name: 'validate',
  register(program, ctx) {
    program
      .command('validate')
      .description('check scenario files; every error as file:line:col: message, with a hint')
      .argument('<files...>', 'scenario YAML files')
      .option('--json', 'machine output on stdout: one object per file')
      .option('--print', 'print the normalised scenario (JSON) of each valid file')
      .action(async (files, opts) => {
        const { io } = ctx;
        const s = ctx.errStyle;
        let failed = 0;
        const results: unknown[] = [];
        for (const file of files) {
          const r = await loadScenarioFile(file, ctx.catalog);
          if (opts.json) {
            results.push(
              r.ok
                ? {
                    file,
                    ok: true,
                    name: r.scenario.name,
                    hash: r.hash,
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
