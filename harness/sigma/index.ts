/**
 * `sigma:` detectors (docs/sigma.md): Sigma rules — a file or a folder — evaluated over the records
 * as Log Analytics rows. Rules are read and checked before anything is generated.
 */
import { resolve } from 'node:path';
import type { Detector } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { DEFAULT_MAX_EVIDENCE, sigmaDetector } from './detector.js';
import { loadSigmaRules, type SigmaRule } from './rule.js';

export { LATE_MS, sigmaDetector } from './detector.js';
export { FIELD_ALIASES, LOGSOURCES, loadSigmaRules, resolveField, sigmaNeeds } from './rule.js';

const OPTION_KEYS = ['maxEvidence'];
const prepared = new Map<string, SigmaRule[]>();

/** Read and check the rules under `path` (cached, so the check before generation is the only read). */
export function prepareSigmaRules(path: string, options: Record<string, unknown>, cwd = '.'): SigmaRule[] {
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.includes(k)) {
      throw new EnumbenchError('E_DETECTOR_OPTIONS', `sigma: unknown option "${k}"`, {
        hint: `sigma: options are ${OPTION_KEYS.join(', ')}`,
      });
    }
  }
  const max = options.maxEvidence ?? DEFAULT_MAX_EVIDENCE;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new EnumbenchError('E_DETECTOR_OPTIONS', 'sigma: option maxEvidence must be a positive integer');
  }
  const file = resolve(cwd, path);
  const hit = prepared.get(file);
  if (hit) return hit;
  const rules = loadSigmaRules(file, cwd);
  prepared.set(file, rules);
  return rules;
}

export function createSigmaDetector(path: string, options: Record<string, unknown>, cwd = '.'): Detector {
  const rules = prepareSigmaRules(path, options, cwd);
  const max = (options.maxEvidence as number | undefined) ?? DEFAULT_MAX_EVIDENCE;
  return sigmaDetector(rules, `sigma:${path}`, max);
}
