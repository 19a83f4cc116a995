import { Argument } from '@commander-js/extra-typings';
import type { OptionSpecs } from '../../../src/core/catalog.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { COLLECTION_PRESETS, HYPOTHESES } from '../../../src/core/sources.js';
import type { CommandModule } from '../command.js';

/** The detector specs that take a path rather than a name (CONTRACTS.md §4). */
const DETECTOR_FORMS = [
  {
    id: 'module:./file.js',
    summary: 'your own in-process detector: a module exporting a factory of {name, start, ingest, tick?, stop}',
  },
  {
    id: 'kql:rule.kql',
    summary:
      'a KQL rule or Sentinel analytic rule (YAML/ARM) run on its schedule over Log Analytics tables (docs/kql.md)',
  },
  {
    id: 'process:"CMD ARGS"',
    summary:
      'any program: polls the mock services with the ENUMBENCH_* environment, alerts by HTTP POST or stdout (docs/detectors.md)',
  },
  {
    id: 'sigma:rules.yml',
    summary:
      'Sigma rules (a file or a folder) over the records as Log Analytics rows, correlations included (docs/sigma.md); e.g. sigma:detectors/published/rules/azure_ad_azurehound_discovery.yml',
  },
];

const KINDS = ['techniques', 'profiles', 'detectors', 'collections', 'hypotheses'] as const;

export const listCommand: CommandModule = {
  name: 'list',
  register(program, ctx) {
    program
      .command('list')
      .description('list what is available: techniques, profiles, detectors, collections or hypotheses, one line each')
      .addArgument(new Argument('[kind]', 'what to list').choices(KINDS).default('techniques' as const))
      .option('--json', 'machine output on stdout')
      .action((kind, opts) => {
        const { catalog, io } = ctx;
        const rows: { id: string; summary: string; attack?: readonly string[]; options?: OptionSpecs }[] =
          kind === 'techniques'
            ? catalog.techniques.map((t) => ({ id: t.id, summary: t.summary, attack: t.attack }))
            : kind === 'profiles'
              ? catalog.profiles.map((p) => ({ id: p.id, summary: p.summary, attack: p.attack }))
              : kind === 'detectors'
                ? [
                    ...catalog.detectors.map((d) => ({
                      id: `builtin:${d.id}`,
                      summary: d.summary,
                      ...(d.options ? { options: d.options } : {}),
                    })),
                    ...DETECTOR_FORMS,
                  ]
                : kind === 'collections'
                  ? COLLECTION_PRESETS.map((c) => ({ id: c.id, summary: `${c.sources.join(', ')} — ${c.description}` }))
                  : HYPOTHESES.map((h) => ({ id: h.id, summary: h.title }));
        if (opts.json) {
          io.out(`${JSON.stringify({ kind, items: rows }, null, 2)}\n`);
        } else if (rows.length === 0) {
          io.out(`no ${kind} registered yet\n`);
        } else {
          const w = Math.max(...rows.map((r) => r.id.length));
          for (const r of rows) {
            const attack = r.attack?.length ? ` ${ctx.outStyle.dim(`[${r.attack.join(', ')}]`)}` : '';
            io.out(`${ctx.outStyle.bold(r.id.padEnd(w))}  ${r.summary}${attack}\n`);
            // a detector's options, one line each: name, default, meaning (--detector-options '{"name": …}')
            for (const [name, spec] of Object.entries(r.options ?? {})) {
              const d = 'default' in spec && spec.default !== undefined ? ` = ${JSON.stringify(spec.default)}` : '';
              io.out(`${' '.repeat(w + 2)}${ctx.outStyle.dim(`${name}${d}`)}  ${spec.description}\n`);
            }
          }
        }
        ctx.exit(ExitCode.Passed);
      });
  },
};
