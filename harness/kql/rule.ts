/**
 * A `kql:` rule: a `.kql` file (the query; schedule from `--query-frequency`/`--query-period`), or a
 * Microsoft Sentinel scheduled analytic rule as YAML (the Azure-Sentinel repository format: `query`,
 * `queryFrequency`, `queryPeriod`, `triggerOperator`, `triggerThreshold`, `entityMappings`,
 * `eventGroupingSettings.aggregationKind`) or as an ARM template / exported JSON (the same fields in
 * `resources[].properties`, durations in ISO 8601: `PT30M`, `P1D`). Options given on the command
 * line override the file's.
 *
 * Sentinel's limits apply (docs: "Create a scheduled analytics rule"): a frequency and a period from
 * 5 minutes to 14 days. A rule without a schedule is refused: a query without a period would scan
 * without bound.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { EnumbenchError } from '../../src/core/errors.js';
import type { QuerySource } from './check.js';
import { parseTimespan } from './values.js';

export type Aggregation = 'AlertPerResult' | 'SingleAlert';

export interface EntityColumns {
  principal: string[];
  ip: string[];
  session: string[];
}

export interface KqlRule {
  /** the alert's `rule` */
  id: string;
  name: string;
  query: QuerySource;
  frequencyMs: number;
  periodMs: number;
  trigger: { op: 'gt' | 'lt' | 'eq' | 'ne'; threshold: number };
  aggregation: Aggregation;
  /** entity mappings (column names), or undefined: the default columns (docs/kql.md) */
  entities: EntityColumns | undefined;
  severity: string | undefined;
  techniques: string[];
}

export interface KqlRuleOptions {
  queryFrequency?: string | undefined;
  queryPeriod?: string | undefined;
}

const MIN = 5 * 60_000;
const MAX = 14 * 86_400_000;

function ruleError(message: string, hint: string): EnumbenchError {
  return new EnumbenchError('E_KQL_RULE', message, { hint });
}

/** `5m`, `1h`, `2d` (KQL timespans) or ISO 8601 `PT5M`, `P1D`. */
export function parseRuleDuration(v: unknown, what: string, file: string): number {
  const s = String(v ?? '').trim();
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(s);
  let ms: number | undefined;
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    ms =
      Number(iso[1] ?? 0) * 86_400_000 +
      Number(iso[2] ?? 0) * 3_600_000 +
      Number(iso[3] ?? 0) * 60_000 +
      Number(iso[4] ?? 0) * 1000;
  } else ms = parseTimespan(s);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw ruleError(`${file}: ${what} "${s}" is not a duration`, `write it as 5m, 1h, 1d (or PT5M in ARM JSON)`);
  }
  if (ms < MIN || ms > MAX) {
    throw ruleError(
      `${file}: ${what} ${s} is outside Sentinel's limits (5 minutes to 14 days)`,
      ms < MIN
        ? 'scheduled rules run at most every 5 minutes'
        : 'a longer look-back would scan without bound: 14d is the most Sentinel allows',
    );
  }
  return ms;
}

const TRIGGER_OPS: Record<string, KqlRule['trigger']['op']> = {
  gt: 'gt',
  greaterthan: 'gt',
  lt: 'lt',
  lessthan: 'lt',
  eq: 'eq',
  equal: 'eq',
  ne: 'ne',
  notequal: 'ne',
};

interface RuleFields {
  kind?: unknown;
  id?: unknown;
  name?: unknown;
  displayName?: unknown;
  query?: unknown;
  queryFrequency?: unknown;
  queryPeriod?: unknown;
  triggerOperator?: unknown;
  triggerThreshold?: unknown;
  entityMappings?: unknown;
  eventGroupingSettings?: unknown;
  severity?: unknown;
  relevantTechniques?: unknown;
  techniques?: unknown;
}

const ACCOUNT_IDS = ['AadUserId', 'FullName', 'Name', 'ObjectGuid', 'UPNSuffix', 'Sid'];

function entitiesOf(mappings: unknown, file: string): EntityColumns | undefined {
  if (mappings === undefined || mappings === null) return undefined;
  if (!Array.isArray(mappings))
    throw ruleError(`${file}: entityMappings must be a list`, 'see the Sentinel analytic rule format');
  const out: EntityColumns = { principal: [], ip: [], session: [] };
  for (const m of mappings as { entityType?: unknown; fieldMappings?: unknown }[]) {
    const type = String(m?.entityType ?? '');
    const fields = Array.isArray(m?.fieldMappings)
      ? (m.fieldMappings as { identifier?: unknown; columnName?: unknown }[])
      : [];
    const byId = new Map(fields.map((f) => [String(f.identifier), String(f.columnName)]));
    if (type === 'Account') {
      for (const id of ACCOUNT_IDS) {
        const c = byId.get(id);
        if (c) out.principal.push(c);
      }
    } else if (type === 'IP') {
      const c = byId.get('Address');
      if (c) out.ip.push(c);
    } else if (type === 'CloudLogonSession') {
      const c = byId.get('SessionId');
      if (c) out.session.push(c);
    }
  }
  return out;
}

function fromFields(f: RuleFields, file: string, query: QuerySource, opts: KqlRuleOptions): KqlRule {
  if (f.kind !== undefined && String(f.kind) !== 'Scheduled') {
    throw ruleError(
      `${file}: a rule of kind ${String(f.kind)} is outside what kql: runs (Scheduled rules only)`,
      'run the query as a scheduled rule: --query-frequency 5m --query-period 5m (docs/kql.md)',
    );
  }
  const freq = opts.queryFrequency ?? f.queryFrequency;
  const period = opts.queryPeriod ?? f.queryPeriod;
  if (freq === undefined || period === undefined) {
    throw ruleError(
      `${file}: the rule has no ${freq === undefined ? 'query frequency' : 'query period'}`,
      'give --query-frequency 5m --query-period 1h (a scheduled rule needs both; without a period the query would scan without bound)',
    );
  }
  const frequencyMs = parseRuleDuration(freq, 'query frequency', file);
  const periodMs = parseRuleDuration(period, 'query period', file);
  const opText = String(f.triggerOperator ?? 'gt').toLowerCase();
  const op = TRIGGER_OPS[opText];
  if (!op)
    throw ruleError(
      `${file}: triggerOperator "${opText}" is not one of gt, lt, eq, ne`,
      'Sentinel uses gt, lt, eq or ne',
    );
  const threshold = Number(f.triggerThreshold ?? 0);
  if (!Number.isFinite(threshold))
    throw ruleError(`${file}: triggerThreshold must be a number`, 'e.g. triggerThreshold: 0');
  const grouping = (f.eventGroupingSettings as { aggregationKind?: unknown } | undefined)?.aggregationKind;
  const aggregation: Aggregation = grouping === 'SingleAlert' ? 'SingleAlert' : 'AlertPerResult';
  const techniques = [f.relevantTechniques, f.techniques].flatMap((t) => (Array.isArray(t) ? t.map(String) : []));
  const base = basename(file, extname(file));
  const name = String(f.name ?? f.displayName ?? base);
  return {
    id: `kql:${base}`,
    name,
    query,
    frequencyMs,
    periodMs,
    trigger: { op, threshold },
    aggregation,
    entities: entitiesOf(f.entityMappings, file),
    severity: f.severity === undefined ? undefined : String(f.severity).toLowerCase(),
    techniques,
  };
}

function readYamlRule(text: string, file: string, opts: KqlRuleOptions): KqlRule {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw ruleError(`${file}:${pos.line}:${pos.col}: ${e.message}`, 'the rule file is not valid YAML');
  }
  const f = doc.toJS() as RuleFields;
  if (!f || typeof f !== 'object' || typeof f.query !== 'string') {
    throw ruleError(`${file}: no query`, 'a Sentinel analytic rule YAML carries the KQL in `query:`');
  }
  // locate the query text in the file, for positions: a block scalar starts on the next line
  let line = 1;
  let col = 1;
  let indent = 0;
  if (isMap(doc.contents)) {
    const node = doc.contents.get('query', true);
    if (isScalar(node) && node.range) {
      const start = lineCounter.linePos(node.range[0]);
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      const firstLine = text.slice(node.range[0]).split('\n', 2);
      if (block) {
        indent = /^(\s*)/.exec(firstLine[1] ?? '')?.[1]?.length ?? 0;
        line = start.line + 1;
        col = indent + 1;
      } else {
        line = start.line;
        col = start.col;
      }
    }
  }
  return fromFields(f, file, { text: f.query, file, line, col, indent }, opts);
}

function readJsonRule(text: string, file: string, opts: KqlRuleOptions): KqlRule {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw ruleError(`${file}: ${(e as Error).message}`, 'the rule file is not valid JSON');
  }
  const d = doc as { resources?: { properties?: RuleFields }[]; properties?: RuleFields } & RuleFields;
  const props: RuleFields | undefined =
    d.resources?.find((r) => typeof r?.properties?.query === 'string')?.properties ?? d.properties ?? d;
  if (!props || typeof props.query !== 'string') {
    throw ruleError(`${file}: no query`, 'an ARM template carries the rule in resources[].properties.query');
  }
  return fromFields(props, file, { text: props.query, file }, opts);
}

/** Reads a rule file; every problem is an E_KQL_RULE error naming the file. */
export function readKqlRule(file: string, opts: KqlRuleOptions = {}): KqlRule {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw ruleError(
      `cannot read the kql rule ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'give a .kql file or a Sentinel rule (.yaml, .json): --detector kql:path/to/rule.kql',
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return readYamlRule(text, file, opts);
  if (ext === '.json') return readJsonRule(text, file, opts);
  return fromFields({}, file, { text, file }, opts);
}
