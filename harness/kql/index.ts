/**
 * `kql:` detectors (docs/kql.md): a KQL rule — a `.kql` file or a Sentinel analytic rule — run on
 * its schedule over Log Analytics tables built from the delivered records.
 */
import { resolve } from 'node:path';
import type { Detector } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { compileQuery } from './check.js';
import type { CompiledQuery } from './compile.js';
import { kqlDetector } from './detector.js';
import { type KqlRule, readKqlRule } from './rule.js';

export { compileQuery } from './check.js';
export { MAX_ROWS_PER_RUN } from './compile.js';
export { DEFAULT_ENTITY_COLUMNS, kqlDetector, kqlNeeds, MAX_ALERTS_PER_RUN } from './detector.js';
export { readKqlRule } from './rule.js';
export { TABLE_SCHEMAS } from './tables.js';

const OPTION_KEYS = ['queryFrequency', 'queryPeriod', 'maxEvidence'];

export interface PreparedKqlRule {
  rule: KqlRule;
  query: CompiledQuery;
  maxEvidence: number;
}

const prepared = new Map<string, PreparedKqlRule>();

/**
 * Reads, checks and compiles a rule (cached per file and options, so checking it before generation
 * and running it later costs one compilation).
 */
export function prepareKqlRule(path: string, options: Record<string, unknown>, cwd = '.'): PreparedKqlRule {
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.includes(k)) {
      throw new EnumbenchError('E_DETECTOR_OPTIONS', `kql: unknown option "${k}"`, {
        hint: `kql: options are ${OPTION_KEYS.join(', ')} (--query-frequency and --query-period set the first two)`,
      });
    }
  }
  const str = (v: unknown, name: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string')
      throw new EnumbenchError('E_DETECTOR_OPTIONS', `kql: option ${name} must be a duration text such as "5m"`);
    return v;
  };
  const maxEvidence = options.maxEvidence ?? 200;
  if (typeof maxEvidence !== 'number' || !Number.isInteger(maxEvidence) || maxEvidence < 1) {
    throw new EnumbenchError('E_DETECTOR_OPTIONS', 'kql: option maxEvidence must be a positive integer');
  }
  const file = resolve(cwd, path);
  const key = JSON.stringify([file, options]);
  const hit = prepared.get(key);
  if (hit) return hit;
  const rule = readKqlRule(file, {
    queryFrequency: str(options.queryFrequency, 'queryFrequency'),
    queryPeriod: str(options.queryPeriod, 'queryPeriod'),
  });
  rule.query.file = path;
  const query = compileQuery(rule.query);
  const p = { rule, query, maxEvidence };
  prepared.set(key, p);
  return p;
}

export function createKqlDetector(path: string, options: Record<string, unknown>, cwd = '.'): Detector {
  const p = prepareKqlRule(path, options, cwd);
  return kqlDetector(p.rule, p.query, { maxEvidence: p.maxEvidence });
}
