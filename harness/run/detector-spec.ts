/**
 * Detector specs (CONTRACTS.md §4) for in-process detectors: `builtin:NAME` (detectors/registry.ts)
 * and `module:./path.js` (a file whose default export or `createDetector` is a DetectorFactory, or
 * whose default export is a Detector). Detectors that are separate programs: `stdio:` here
 * (harness/run/stdio-detector.ts), `process:` and `webhook:` in external-run.ts.
 */
import { resolve } from 'node:path';
import { DETECTORS } from '../../detectors/registry.js';
import type { Detector, DetectorFactory } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { IP_NETWORKS_ENV } from '../../src/core/ip-networks.js';
import { createKqlDetector, kqlNeeds, prepareKqlRule } from '../kql/index.js';
import { resourceError } from '../output-files.js';
import { createSigmaDetector, prepareSigmaRules, sigmaNeeds } from '../sigma/index.js';
import type { SourceNeed } from '../source-needs.js';
import { importDetectorModule, syntaxErrorAt } from './detector-module.js';
import { stdioDetector } from './stdio-detector.js';

export const DEFAULT_DETECTOR = 'builtin:volume';

/** A detector spec: a program (`process:`, `stdio:`), or an in-process detector resolved by resolveDetector. */
export type DetectorSpec =
  | { kind: ProgramKind; command: string }
  | { kind: 'in-process'; prefix: string; rest: string };

/** detectors that are programs: `process:` polls, `webhook:` subscribes with a webhook, `stdio:` reads a pipe */
export type ProgramKind = 'process' | 'stdio' | 'webhook';

const EXAMPLE: Record<ProgramKind, string> = {
  process: 'python3 examples/detectors/poller.py',
  stdio: 'python3 examples/detectors/stdio_detector.py',
  webhook: 'node examples/detectors/webhook.mjs',
};

/** every spec form, for hints */
export const SPEC_FORMS =
  'builtin:NAME, module:./file.js, kql:rule.kql, sigma:rules.yml, process:"CMD ARGS", webhook:"CMD ARGS" or stdio:"CMD ARGS"';

/**
 * Read a detector spec. `process:`, `webhook:` and `stdio:` take a shell command line; quotes
 * around it (as a shell leaves them when the whole argument was quoted) are removed. Other specs
 * are checked by resolveDetector.
 */
export function parseDetectorSpec(spec: string): DetectorSpec {
  const i = spec.indexOf(':');
  const kind = i < 0 ? '' : spec.slice(0, i);
  let rest = i < 0 ? spec : spec.slice(i + 1);
  if (kind === 'process' || kind === 'stdio' || kind === 'webhook') {
    rest = rest.trim();
    const q = /^(["'])(.*)\1$/s.exec(rest);
    if (q) rest = (q[2] as string).trim();
    if (rest === '') {
      throw new EnumbenchError('E_DETECTOR_SPEC', `"${kind}:" needs a command`, {
        hint: `e.g. --detector ${kind}:"${EXAMPLE[kind]}"`,
      });
    }
    if (kind === 'webhook' && /^https?:\/\//i.test(rest)) {
      throw new EnumbenchError(
        'E_DETECTOR_SPEC',
        `"webhook:" takes the command that starts the detector, not a URL (${rest})`,
        {
          hint: `the detector starts its own receiver and gives its address when it subscribes (docs/detectors.md "webhook:"), e.g. --detector webhook:"${EXAMPLE.webhook}"`,
        },
      );
    }
    return { kind, command: rest };
  }
  return { kind: 'in-process', prefix: kind, rest };
}

/**
 * What a rule-based detector (`kql:`, `sigma:`) reads, for the check against what a scenario
 * collects before generation (harness/source-needs.ts); nothing for other detectors. The rules are
 * read and compiled once per thread (cached): call after resolveDetector, on the same thread.
 */
export function detectorNeeds(spec: string, options: Record<string, unknown> = {}, cwd = '.'): SourceNeed[] {
  const parsed = parseDetectorSpec(spec);
  if (parsed.kind !== 'in-process') return [];
  if (parsed.prefix === 'kql') {
    const p = prepareKqlRule(parsed.rest, options, cwd);
    return kqlNeeds(p.rule, p.query);
  }
  if (parsed.prefix === 'sigma') return sigmaNeeds(prepareSigmaRules(parsed.rest, options, cwd));
  return [];
}

function isDetector(x: unknown): x is Detector {
  const d = x as Partial<Detector> | null;
  return (
    d !== null &&
    typeof d === 'object' &&
    typeof d.start === 'function' &&
    typeof d.ingest === 'function' &&
    typeof d.stop === 'function'
  );
}

/** What a `stdio:` detector is started with. */
export interface ProgramContext {
  env: Readonly<Record<string, string | undefined>>;
  /** where its stderr is kept */
  stderrFile: string;
  graceMs?: number;
  /** the dataset's IP enrichment table, told to the program as ENUMBENCH_IP_NETWORKS */
  ipNetworksFile?: string;
}

export async function resolveDetector(
  spec: string,
  options: Record<string, unknown> = {},
  cwd = '.',
  program?: ProgramContext,
): Promise<Detector> {
  const parsed = parseDetectorSpec(spec);
  const kind = parsed.kind === 'in-process' ? parsed.prefix : parsed.kind;
  const rest = parsed.kind === 'in-process' ? parsed.rest : '';
  if (parsed.kind === 'stdio') {
    if (!program) throw new Error('resolveDetector: stdio: detectors need a program context');
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(program.env)) if (!k.startsWith('ENUMBENCH_')) env[k] = v;
    env.ENUMBENCH_SPEED = 'lockstep';
    if (program.ipNetworksFile !== undefined) env[IP_NETWORKS_ENV] = program.ipNetworksFile;
    return stdioDetector({
      command: parsed.command,
      cwd,
      env,
      stderrFile: program.stderrFile,
      ...(program.graceMs !== undefined ? { graceMs: program.graceMs } : {}),
    });
  }
  if (kind === 'builtin') {
    const mod = DETECTORS.find((d) => d.info.id === rest);
    if (!mod) {
      throw new EnumbenchError('E_DETECTOR_SPEC', `no builtin detector "${rest}"`, {
        hint: `builtin detectors: ${DETECTORS.map((d) => `builtin:${d.info.id}`).join(', ') || 'none'}`,
      });
    }
    try {
      return await mod.create(options);
    } catch (e) {
      throw new EnumbenchError('E_DETECTOR_OPTIONS', (e as Error).message, { hint: 'see `enumbench list detectors`' });
    }
  }
  if (kind === 'module') {
    const file = resolve(cwd, rest);
    let m: Record<string, unknown>;
    try {
      m = await importDetectorModule(file);
    } catch (e) {
      const at = syntaxErrorAt(file, e);
      if (at) {
        throw new EnumbenchError('E_DETECTOR_MODULE', `syntax error in detector module: ${at}`, {
          hint: 'fix the line named; run `node --check FILE` (JavaScript) or `npx tsc --noEmit` (TypeScript) to check a detector before a run',
        });
      }
      // a full disk or a permission met by the module's own code as it loads is the detector's (exit
      // 2); one met reading the module file is the environment's (exit 4)
      if (resourceError(e) && (e as NodeJS.ErrnoException).path !== file) {
        throw new EnumbenchError(
          'E_DETECTOR_FAILED',
          `${file}: the detector failed as it loaded: ${(e as Error).message}`,
        );
      }
      throw new EnumbenchError('E_DETECTOR_MODULE', `cannot load detector module ${file}: ${(e as Error).message}`, {
        hint: 'give a JavaScript ES module or a TypeScript file, e.g. module:./my-detector.ts (docs/detectors.md)',
      });
    }
    const candidate = m.createDetector ?? m.default;
    let det: unknown = candidate;
    if (typeof candidate === 'function') {
      try {
        det = await (candidate as DetectorFactory)(options);
      } catch (e) {
        throw new EnumbenchError('E_DETECTOR_FAILED', `${file}: the detector factory threw: ${(e as Error).message}`);
      }
    }
    if (!isDetector(det)) {
      throw new EnumbenchError('E_DETECTOR_MODULE', `${file} does not export a detector`, {
        hint: 'export default (options) => ({ name, start(ctx), ingest(batch, ctx), tick?(now, ctx), stop(ctx) }), or export createDetector',
      });
    }
    return det;
  }
  if (kind === 'kql') return createKqlDetector(rest, options, cwd);
  if (kind === 'sigma') return createSigmaDetector(rest, options, cwd);
  if (kind === 'process' || kind === 'webhook') {
    throw new EnumbenchError('E_INTERNAL', `a ${kind}: detector is not an in-process Detector`);
  }
  throw new EnumbenchError('E_DETECTOR_SPEC', `cannot read detector spec "${spec}"`, {
    hint: `write ${SPEC_FORMS}, e.g. --detector builtin:volume`,
  });
}
