/**
 * `enumbench detect NAME`: a reference detector (`builtin:NAME`; or any in-process spec:
 * `module:`, `kql:`, `sigma:`) as a stand-alone program that polls the mock services itself, as an
 * outside detector does — `run --detector process:"enumbench detect NAME"`, or beside `enumbench
 * serve`. Configured by the CONTRACTS.md §4 environment; the loop is detectors/collect/detect.ts.
 */
import { detectOutside } from '../../../detectors/collect/detect.js';
import { EnumbenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { parseDetectorSpec, resolveDetector } from '../../run/detector-spec.js';
import type { CommandModule } from '../command.js';
import { detectorOptionsOf } from '../run-options.js';

const NEEDED = [
  'ENUMBENCH_TENANT_ID',
  'ENUMBENCH_CLIENT_ID',
  'ENUMBENCH_CLIENT_SECRET',
  'ENUMBENCH_LOGIN_URL',
  'ENUMBENCH_MANAGEMENT_URL',
] as const;

export const detectCommand: CommandModule = {
  name: 'detect',
  register(program, ctx) {
    program
      .command('detect')
      .description(
        'run a reference detector as an outside program: it polls the mock services (the environment `run --detector process:` and `serve` give) and POSTs its alerts',
      )
      .argument(
        '<detector>',
        'a builtin detector name (volume, baseline, …: `enumbench list detectors`) or an in-process spec',
      )
      .option('--detector-options <json>', 'options passed to the detector factory, as a JSON object')
      .action(async (name, opts) => {
        const { io } = ctx;
        const spec = name.includes(':') ? name : `builtin:${name}`;
        const parsed = parseDetectorSpec(spec);
        if (parsed.kind !== 'in-process') {
          throw new EnumbenchError('E_DETECTOR_SPEC', `detect runs an in-process detector, not "${parsed.kind}:"`, {
            hint: 'a program already polls the mock itself: pass it to `run --detector` directly',
          });
        }
        // the name and the options first: a typo is reported before anything else is looked at
        const detector = await resolveDetector(spec, detectorOptionsOf(opts.detectorOptions) ?? {}, io.cwd);
        const missing = NEEDED.filter((k) => !io.env[k]);
        if (missing.length) {
          throw new EnumbenchError('E_DETECT_ENVIRONMENT', `${missing.join(', ')} not set`, {
            hint: 'detect is started by `enumbench run --detector process:"enumbench detect NAME"`, or with the variables `enumbench serve` prints',
          });
        }
        const n = await detectOutside({ detector, env: io.env, writeLine: (l) => io.out(`${l}\n`) });
        io.err(`detect ${spec}: ${n.records} records, ${n.alerts} alerts\n`);
        ctx.exit(ExitCode.Passed);
      });
  },
};
