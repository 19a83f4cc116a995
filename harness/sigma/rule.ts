/**
 * Reading Sigma rules (a `.yml`/`.yaml` file, several `---` documents, or a folder of them) and
 * compiling them against the Log Analytics tables enumbench builds from its records (docs/sigma.md):
 *
 * - a detection rule: `logsource` mapped to tables, every selection compiled (fields resolved
 *   against the tables' real columns, modifiers checked), the condition parsed and its names
 *   checked;
 * - a correlation rule (`correlation:` with `type` event_count, value_count, temporal or
 *   temporal_ordered, `rules`, `group-by`, `timespan`, `condition`, `aliases`, `generate`).
 *
 * Every problem in every file is collected and reported at once as `file:line:col: message` with a
 * hint; a construct outside the supported subset is refused by name, never ignored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../../src/core/errors.js';
import { EnumbenchError, formatDiagnostic } from '../../src/core/errors.js';
import type { SourceId } from '../../src/core/sources.js';
import { closest } from '../../src/scenario/suggest.js';
import { type DocPath, locate, type ParsedYaml, type PathSegment } from '../../src/scenario/yaml.js';
import { TABLE_SCHEMAS, TABLE_SOURCES } from '../kql/tables.js';
import type { SourceNeed } from '../source-needs.js';
import { type Condition, conditionRefs, evaluateCondition, namePattern, parseCondition } from './condition.js';
import { compileValues, REFUSED_MODIFIERS, SUPPORTED_MODIFIERS, type ValueTest } from './values.js';

export type Row = Record<string, unknown>;
export type RowPredicate = (row: Row) => boolean;

/** A Sigma logsource enumbench produces, and the tables (and workload) it reads. */
export interface LogsourceMapping {
  product: string;
  service: string;
  tables: string[];
  /** OfficeActivity rows of one workload only */
  workload?: string;
  what: string;
}

export const LOGSOURCES: readonly LogsourceMapping[] = [
  {
    product: 'azure',
    service: 'signinlogs',
    tables: ['SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs'],
    what: 'Entra sign-in logs: interactive, non-interactive and service principal',
  },
  {
    product: 'azure',
    service: 'graphactivitylogs',
    tables: ['MicrosoftGraphActivityLogs'],
    what: 'Microsoft Graph activity logs',
  },
  {
    product: 'azure',
    service: 'microsoftgraphactivitylogs',
    tables: ['MicrosoftGraphActivityLogs'],
    what: 'Microsoft Graph activity logs',
  },
  { product: 'm365', service: 'audit', tables: ['OfficeActivity'], what: 'the Unified Audit Log, every workload' },
  {
    product: 'm365',
    service: 'exchange',
    tables: ['OfficeActivity'],
    workload: 'Exchange',
    what: 'the Unified Audit Log, Exchange workload',
  },
  {
    product: 'm365',
    service: 'azureactivedirectory',
    tables: ['OfficeActivity'],
    workload: 'AzureActiveDirectory',
    what: 'the Unified Audit Log, Azure Active Directory workload',
  },
];

/** Sigma field names that differ from the Log Analytics column beyond case (diagnostic-settings and UAL names). */
export const FIELD_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  OfficeActivity: { Workload: 'OfficeWorkload', CreationTime: 'TimeGenerated', Id: 'OfficeId', ClientIp: 'ClientIP' },
  MicrosoftGraphActivityLogs: { c_Sid: 'SessionId', ipAddress: 'IPAddress', time: 'TimeGenerated' },
  SigninLogs: { ipAddress: 'IPAddress', createdDateTime: 'CreatedDateTime', time: 'TimeGenerated', id: 'Id' },
  AADNonInteractiveUserSignInLogs: { ipAddress: 'IPAddress', time: 'TimeGenerated', id: 'Id' },
  AADServicePrincipalSignInLogs: { ipAddress: 'IPAddress', time: 'TimeGenerated', id: 'Id' },
};

/** What every rule carries: where it is, and its metadata. */
export interface RuleMeta {
  file: string;
  line: number;
  title: string;
  id: string | undefined;
  name: string | undefined;
  level: string | undefined;
  /** the first ATT&CK technique tag (`attack.t1087.004` → T1087.004) */
  technique: string | undefined;
}

export interface DetectionRule extends RuleMeta {
  kind: 'detection';
  logsource: LogsourceMapping;
  /** table → whether a row of it matches */
  match: Map<string, RowPredicate>;
  /** table → field accessor for a Sigma field name (group-by, value_count) */
  field: (table: string, name: string) => ((row: Row) => unknown) | null;
}

export interface CorrelationRule extends RuleMeta {
  kind: 'correlation';
  type: 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
  rules: DetectionRule[];
  groupBy: string[];
  /** per rule (by index), per group-by name: the field it reads (aliases applied) */
  groupFields: string[][];
  timespanMs: number;
  /** event_count / value_count: alert at this count; temporal: every rule present */
  threshold: { op: 'gt' | 'gte'; value: number } | null;
  valueField: string | undefined;
  generate: boolean;
}

export type SigmaRule = DetectionRule | CorrelationRule;

const TOP_KEYS = new Set([
  'title',
  'id',
  'name',
  'related',
  'status',
  'description',
  'references',
  'author',
  'date',
  'modified',
  'tags',
  'logsource',
  'detection',
  'falsepositives',
  'level',
  'fields',
  'license',
  'taxonomy',
  'correlation',
  'scope',
]);

const TIMESPAN = /^(\d+)(s|m|h|d|w|M|y)$/;
const TIMESPAN_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function ruleFiles(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new EnumbenchError('E_SIGMA_READ', `cannot read Sigma rules ${path}: ${(e as NodeJS.ErrnoException).code}`, {
      hint: 'give a .yml rule file or a folder of them: --detector sigma:rules/my-rule.yml',
    });
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(path);
  if (out.length === 0) {
    throw new EnumbenchError('E_SIGMA_READ', `no Sigma rules (.yml, .yaml) in ${path}`, {
      hint: 'give a .yml rule file or a folder holding them',
    });
  }
  return out;
}

interface RawDoc {
  parsed: ParsedYaml;
  value: Record<string, unknown>;
}

type Problems = Diagnostic[];

/** Read, check and compile every rule under `path`. Throws one EnumbenchError listing every problem. */
export function loadSigmaRules(path: string, cwd = '.'): SigmaRule[] {
  const problems: Problems = [];
  const docs: RawDoc[] = [];
  for (const file of ruleFiles(path)) {
    const shown = relative(cwd, file) || file;
    const text = readFileSync(file, 'utf8');
    const lines = new LineCounter();
    const all = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
    const list = Array.isArray(all) ? all : [];
    for (const doc of list) {
      const parsed: ParsedYaml = { file: shown, doc, lines, value: undefined, problems: [] };
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        problems.push({
          code: 'E_SIGMA_YAML',
          message: `YAML: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
          hint: 'fix the YAML syntax at this position (indentation, quotes, colons)',
          position: { file: shown, line: pos.line, col: pos.col },
        });
      }
      if (doc.errors.length) continue;
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(at(parsed, [], 'a Sigma rule is a YAML mapping', 'start the document with "title:"'));
        continue;
      }
      docs.push({ parsed, value: value as Record<string, unknown> });
    }
  }
  const detections: DetectionRule[] = [];
  const pending: RawDoc[] = [];
  for (const d of docs) {
    if ('correlation' in d.value) pending.push(d);
    else {
      const r = compileDetection(d, problems);
      if (r) detections.push(r);
    }
  }
  const correlations: CorrelationRule[] = [];
  for (const d of pending) {
    const r = compileCorrelation(d, detections, problems);
    if (r) correlations.push(r);
  }
  if (problems.length) {
    const shown = problems.slice(0, 30).map((d) => `${formatDiagnostic(d)}${d.hint ? `\n  hint: ${d.hint}` : ''}`);
    if (problems.length > 30) shown.push(`... and ${problems.length - 30} more`);
    throw new EnumbenchError('E_SIGMA', `Sigma rules refused:\n${shown.join('\n')}`, {
      hint: 'docs/sigma.md lists the supported subset and the field mappings',
      diagnostics: problems,
    });
  }
  if (detections.length === 0 && correlations.length === 0) {
    throw new EnumbenchError('E_SIGMA', `no Sigma rule in ${path}`, {
      hint: 'a rule has title, logsource and detection',
    });
  }
  return [...detections, ...correlations];
}

function at(
  p: ParsedYaml,
  path: DocPath,
  message: string,
  hint: string,
  target: 'key' | 'value' = 'value',
): Diagnostic {
  return { code: 'E_SIGMA', message, hint, position: locate(p, path, target) };
}

function unsupported(p: ParsedYaml, path: DocPath, construct: string, why: string): Diagnostic {
  return {
    code: 'E_SIGMA_UNSUPPORTED',
    message: `unsupported Sigma construct "${construct}": ${why}`,
    hint: 'docs/sigma.md lists the supported subset',
    position: locate(p, path, 'key'),
  };
}

function techniqueTag(tags: unknown): string | undefined {
  if (!Array.isArray(tags)) return undefined;
  const t = tags.map(String).find((x) => /^attack\.t\d{4}(\.\d{3})?$/i.test(x));
  return t?.slice('attack.'.length).toUpperCase();
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function meta(d: RawDoc, problems: Problems): RuleMeta {
  const v = d.value;
  for (const k of Object.keys(v)) {
    if (!TOP_KEYS.has(k)) {
      const near = closest(k, [...TOP_KEYS]);
      problems.push(
        at(
          d.parsed,
          [k],
          `unknown key "${k}"`,
          near ? `did you mean "${near}"?` : 'see the Sigma specification',
          'key',
        ),
      );
    }
  }
  const title = str(v.title);
  if (title === undefined) problems.push(at(d.parsed, [], 'a rule needs a "title"', 'add "title: …"'));
  const pos = locate(d.parsed, []);
  return {
    file: d.parsed.file,
    line: pos.line,
    title: title ?? '(untitled)',
    id: str(v.id),
    name: str(v.name),
    level: str(v.level),
    technique: techniqueTag(v.tags),
  };
}

/** Resolve a Sigma field name to an accessor over rows of `table`, or a did-you-mean problem. */
export function resolveField(
  table: string,
  name: string,
): { ok: true; get: (row: Row) => unknown } | { ok: false; message: string; hint: string } {
  const columns = TABLE_SCHEMAS.get(table) ?? [];
  const bare = name.replace(/^properties\./i, '');
  const aliases = FIELD_ALIASES[table] ?? {};
  const segments = bare.split('.');
  const first = segments[0] as string;
  const aliased = Object.entries(aliases).find(([a]) => a.toLowerCase() === first.toLowerCase())?.[1] ?? first;
  const col = columns.find((c) => c.name.toLowerCase() === aliased.toLowerCase());
  if (!col) {
    const near = closest(
      first,
      columns.map((c) => c.name),
    );
    return {
      ok: false,
      message: `field "${name}" is not in ${table}`,
      hint: near
        ? `did you mean "${near}"? (docs/sigma.md lists the columns)`
        : `${table} columns: ${columns.map((c) => c.name).join(', ')}`,
    };
  }
  const rest = segments.slice(1);
  if (rest.length === 0) return { ok: true, get: (row) => row[col.name] };
  return {
    ok: true,
    get: (row) => {
      let v: unknown = row[col.name];
      for (const s of rest) {
        if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
          try {
            v = JSON.parse(v);
          } catch {
            return undefined;
          }
        }
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
        const o = v as Record<string, unknown>;
        const k = Object.keys(o).find((key) => key.toLowerCase() === s.toLowerCase());
        v = k === undefined ? undefined : o[k];
      }
      return v;
    },
  };
}

function compileDetection(d: RawDoc, problems: Problems): DetectionRule | null {
  const m = meta(d, problems);
  const p = d.parsed;
  const v = d.value;
  const before = problems.length;
  if (v.scope !== undefined) problems.push(unsupported(p, ['scope'], 'scope', 'scoped rules are not supported'));
  const ls = v.logsource as Record<string, unknown> | undefined;
  let logsource: LogsourceMapping | undefined;
  if (ls === undefined || typeof ls !== 'object' || ls === null) {
    problems.push(at(p, [], 'a rule needs a "logsource"', 'e.g. logsource: {product: azure, service: signinlogs}'));
  } else {
    const product = String(ls.product ?? '').toLowerCase();
    const service = String(ls.service ?? '').toLowerCase();
    logsource = LOGSOURCES.find((l) => l.product === product && l.service === service);
    if (!logsource) {
      problems.push(
        at(
          p,
          ['logsource'],
          `logsource ${JSON.stringify(ls)} matches nothing enumbench produces`,
          `supported: ${LOGSOURCES.map((l) => `product: ${l.product}, service: ${l.service}`).join('; ')}`,
        ),
      );
    }
  }
  const det = v.detection as Record<string, unknown> | undefined;
  if (det === undefined || typeof det !== 'object' || det === null || Array.isArray(det)) {
    problems.push(at(p, [], 'a rule needs a "detection" mapping', 'add detection: with selections and a condition'));
    return null;
  }
  if ('timeframe' in det) {
    problems.push(
      unsupported(p, ['detection', 'timeframe'], 'timeframe', 'Sigma 1 aggregation windows: write a correlation rule'),
    );
  }
  const names = Object.keys(det).filter((k) => k !== 'condition' && k !== 'timeframe');
  // the condition
  let condition: Condition | null = null;
  const condRaw = det.condition;
  const condTexts = Array.isArray(condRaw) ? condRaw : [condRaw];
  const parsedConds: Condition[] = [];
  condTexts.forEach((text, i) => {
    const path: DocPath = Array.isArray(condRaw) ? ['detection', 'condition', i] : ['detection', 'condition'];
    if (typeof text !== 'string') {
      problems.push(
        at(p, ['detection'], 'a rule needs "detection.condition"', 'e.g. condition: selection and not filter'),
      );
      return;
    }
    if (/\|/.test(text) || /\bnear\b/i.test(text)) {
      problems.push(
        unsupported(
          p,
          path,
          /\bnear\b/i.test(text) ? 'near' : 'aggregation',
          'Sigma 1 aggregations (`| count() by …`) and `near`: write a correlation rule',
        ),
      );
      return;
    }
    const c = parseCondition(text);
    if (!c.ok) {
      const pos = locate(p, path);
      const node = p.doc.getIn(path as PathSegment[], true) as { type?: string } | undefined;
      const quoted = node?.type === 'QUOTE_DOUBLE' || node?.type === 'QUOTE_SINGLE';
      problems.push({
        code: 'E_SIGMA_CONDITION',
        message: `condition: ${c.message} (at column ${c.column + 1} of "${text}")`,
        hint: c.hint,
        position: { file: pos.file, line: pos.line, col: pos.col + c.column + (quoted ? 1 : 0) },
      });
      return;
    }
    const refs = conditionRefs(c.value);
    for (const r of refs.refs) {
      if (!names.includes(r)) {
        const near = closest(r, names);
        problems.push(
          at(
            p,
            path,
            `condition names "${r}", which is not a selection of this rule`,
            near ? `did you mean "${near}"?` : `selections: ${names.join(', ') || 'none'}`,
          ),
        );
      }
    }
    for (const pat of refs.patterns) {
      if (pat !== '*' && !names.some((n) => namePattern(pat).test(n))) {
        problems.push(
          at(p, path, `"${pat}" matches no selection of this rule`, `selections: ${names.join(', ') || 'none'}`),
        );
      }
    }
    parsedConds.push(c.value);
  });
  if (parsedConds.length === 1) condition = parsedConds[0] as Condition;
  else if (parsedConds.length > 1) condition = { kind: 'or', args: parsedConds };
  if (!logsource) return null;
  // the selections, per table
  const match = new Map<string, RowPredicate>();
  for (const table of logsource.tables) {
    const sels = new Map<string, RowPredicate>();
    for (const name of names) {
      const sel = compileSelection(p, ['detection', name], det[name], table, problems, table === logsource.tables[0]);
      if (sel) sels.set(name, sel);
    }
    if (condition) {
      const cond = condition;
      const workload = logsource.workload;
      match.set(table, (row) => {
        if (workload !== undefined && String(row.OfficeWorkload ?? '') !== workload) return false;
        const cache = new Map<string, boolean>();
        const test = (n: string) => {
          let r = cache.get(n);
          if (r === undefined) {
            r = (sels.get(n) as RowPredicate)(row);
            cache.set(n, r);
          }
          return r;
        };
        return evaluateCondition(cond, test, names);
      });
    }
  }
  if (problems.length > before || !condition) return null;
  const mapping = logsource;
  return {
    kind: 'detection',
    ...m,
    logsource: mapping,
    match,
    field: (table, name) => {
      const r = resolveField(table, name);
      return r.ok ? r.get : null;
    },
  };
}

/** Only the first table reports field problems (the sign-in tables share their columns). */
function compileSelection(
  p: ParsedYaml,
  path: DocPath,
  raw: unknown,
  table: string,
  problems: Problems,
  report: boolean,
): RowPredicate | null {
  const push = (d: Diagnostic) => {
    if (report) problems.push(d);
  };
  if (Array.isArray(raw) && raw.every((x) => x === null || typeof x !== 'object')) {
    // keywords: any value of the row contains one of them
    const c = compileValues(['contains'], raw);
    if (!c.ok) {
      push(at(p, path, c.message, c.hint));
      return null;
    }
    const test = c.test;
    return (row) => Object.values(row).some((v) => test(v, () => undefined));
  }
  if (Array.isArray(raw)) {
    const parts: RowPredicate[] = [];
    raw.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        push(at(p, [...path, i], 'a list mixes field maps and keywords', 'use a list of maps, or a list of keywords'));
        return;
      }
      const s = compileMap(p, [...path, i], item as Record<string, unknown>, table, push);
      if (s) parts.push(s);
    });
    if (parts.length !== raw.length) return null;
    return (row) => parts.some((s) => s(row));
  }
  if (raw !== null && typeof raw === 'object') return compileMap(p, path, raw as Record<string, unknown>, table, push);
  push(
    at(
      p,
      path,
      'a selection is a map of fields, a list of maps, or a list of keywords',
      'e.g. selection: {UserAgent|contains: azurehound}',
    ),
  );
  return null;
}

function compileMap(
  p: ParsedYaml,
  path: DocPath,
  map: Record<string, unknown>,
  table: string,
  push: (d: Diagnostic) => void,
): RowPredicate | null {
  const tests: { get: (row: Row) => unknown; test: ValueTest }[] = [];
  let ok = true;
  for (const [key, values] of Object.entries(map)) {
    const [fieldName, ...mods] = key.split('|');
    const keyPath = [...path, key];
    for (const mod of mods) {
      if ((REFUSED_MODIFIERS as readonly string[]).includes(mod)) {
        push(unsupported(p, keyPath, `|${mod}`, 'a Windows-encoding or placeholder modifier; these logs have neither'));
        ok = false;
      } else if (!(SUPPORTED_MODIFIERS as readonly string[]).includes(mod)) {
        const near = closest(mod, [...SUPPORTED_MODIFIERS]);
        push(
          at(
            p,
            keyPath,
            `unknown modifier "|${mod}"`,
            near ? `did you mean "|${near}"?` : `modifiers: ${SUPPORTED_MODIFIERS.join(', ')}`,
            'key',
          ),
        );
        ok = false;
      }
    }
    const f = resolveField(table, fieldName ?? '');
    if (!f.ok) {
      push(at(p, keyPath, f.message, f.hint, 'key'));
      ok = false;
      continue;
    }
    const c = compileValues(mods, values);
    if (!c.ok) {
      push(at(p, keyPath, `${key}: ${c.message}`, c.hint));
      ok = false;
      continue;
    }
    if (mods.includes('fieldref')) {
      for (const ref of Array.isArray(values) ? values : [values]) {
        const r = resolveField(table, String(ref));
        if (!r.ok) {
          push(at(p, keyPath, r.message, r.hint));
          ok = false;
        }
      }
    }
    tests.push({ get: f.get, test: c.test });
  }
  if (!ok) return null;
  return (row) => {
    const get = (name: string) => {
      const r = resolveField(table, name);
      return r.ok ? r.get(row) : undefined;
    };
    return tests.every((t) => t.test(t.get(row), get));
  };
}

const CORRELATION_KEYS = new Set(['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate']);

function compileCorrelation(d: RawDoc, detections: DetectionRule[], problems: Problems): CorrelationRule | null {
  const m = meta(d, problems);
  const p = d.parsed;
  const c = d.value.correlation as Record<string, unknown> | null;
  const before = problems.length;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    problems.push(
      at(p, ['correlation'], '"correlation" is a mapping', 'with type, rules, group-by, timespan, condition'),
    );
    return null;
  }
  for (const k of Object.keys(c)) {
    if (!CORRELATION_KEYS.has(k))
      problems.push(unsupported(p, ['correlation', k], k, 'not a key of a correlation rule'));
  }
  const type = String(c.type ?? '');
  if (!['event_count', 'value_count', 'temporal', 'temporal_ordered'].includes(type)) {
    problems.push(
      type === ''
        ? at(
            p,
            ['correlation'],
            'a correlation needs a "type"',
            'event_count, value_count, temporal or temporal_ordered',
          )
        : unsupported(
            p,
            ['correlation', 'type'],
            `type: ${type}`,
            'supported: event_count, value_count, temporal, temporal_ordered',
          ),
    );
  }
  const names = Array.isArray(c.rules) ? c.rules.map(String) : typeof c.rules === 'string' ? [c.rules] : [];
  if (names.length === 0)
    problems.push(at(p, ['correlation'], 'a correlation needs "rules"', 'list the names or ids of its rules'));
  const rules: DetectionRule[] = [];
  names.forEach((n, i) => {
    const r = detections.find((x) => x.name === n || x.id === n);
    if (!r) {
      const near = closest(
        n,
        detections.flatMap((x) => [x.name, x.id].filter((y): y is string => y !== undefined)),
      );
      problems.push(
        at(
          p,
          ['correlation', 'rules', i],
          `no rule named "${n}" among the rules read`,
          near ? `did you mean "${near}"?` : 'give the `name` or `id` of a rule in the same file or folder',
        ),
      );
    } else rules.push(r);
  });
  const groupBy = Array.isArray(c['group-by'])
    ? c['group-by'].map(String)
    : typeof c['group-by'] === 'string'
      ? [c['group-by']]
      : [];
  const aliases = (c.aliases ?? {}) as Record<string, Record<string, string>>;
  const groupFields = rules.map((r) =>
    groupBy.map((g) => {
      const alias = aliases[g];
      const ruleKey = alias ? Object.keys(alias).find((k) => k === r.name || k === r.id) : undefined;
      return ruleKey !== undefined ? String(alias?.[ruleKey]) : g;
    }),
  );
  rules.forEach((r, i) => {
    for (const [j, f] of (groupFields[i] ?? []).entries()) {
      for (const t of r.logsource.tables.slice(0, 1)) {
        const res = resolveField(t, f);
        if (!res.ok)
          problems.push(at(p, ['correlation', 'group-by', j], `group-by ${res.message} (rule "${r.title}")`, res.hint));
      }
    }
  });
  let timespanMs = 0;
  const ts = String(c.timespan ?? '');
  const tm = TIMESPAN.exec(ts);
  if (c.timespan === undefined || c.timespan === null) {
    problems.push(
      at(
        p,
        ['correlation'],
        'a correlation needs a timespan: without one it would count over the whole replay, without bound',
        'e.g. timespan: 1h',
      ),
    );
  } else if (!tm || TIMESPAN_MS[tm[2] as string] === undefined) {
    problems.push(
      at(p, ['correlation', 'timespan'], `timespan "${ts}" is not one of Ns, Nm, Nh, Nd, Nw`, 'e.g. timespan: 1h'),
    );
  } else timespanMs = Number(tm[1]) * (TIMESPAN_MS[tm[2] as string] as number);
  let threshold: CorrelationRule['threshold'] = null;
  let valueField: string | undefined;
  if (type === 'event_count' || type === 'value_count') {
    const cond = c.condition as Record<string, unknown> | undefined;
    if (!cond || typeof cond !== 'object') {
      problems.push(at(p, ['correlation'], `a ${type} correlation needs a "condition"`, 'e.g. condition: {gte: 100}'));
    } else {
      for (const k of Object.keys(cond)) {
        if (k === 'gt' || k === 'gte') threshold = { op: k, value: Number(cond[k]) };
        else if (k === 'field' && type === 'value_count') valueField = String(cond.field);
        else
          problems.push(
            unsupported(
              p,
              ['correlation', 'condition', k],
              `condition ${k}`,
              'a streaming bench alerts when a count reaches a lower bound: use gt or gte',
            ),
          );
      }
      if (threshold && !Number.isFinite(threshold.value))
        problems.push(at(p, ['correlation', 'condition'], 'the count must be a number', 'e.g. gte: 100'));
      if (!threshold)
        problems.push(
          at(p, ['correlation', 'condition'], 'the condition needs gt or gte', 'e.g. condition: {gte: 100}'),
        );
      if (type === 'value_count' && valueField === undefined) {
        problems.push(
          at(
            p,
            ['correlation', 'condition'],
            'a value_count condition names its "field"',
            'e.g. condition: {field: RequestUri, gte: 50}',
          ),
        );
      }
      if (valueField !== undefined) {
        for (const r of rules) {
          const res = resolveField(r.logsource.tables[0] as string, valueField);
          if (!res.ok) problems.push(at(p, ['correlation', 'condition', 'field'], res.message, res.hint));
        }
      }
    }
  } else if (c.condition !== undefined) {
    problems.push(unsupported(p, ['correlation', 'condition'], 'condition', `a ${type} correlation has no condition`));
  }
  if (problems.length > before) return null;
  return {
    kind: 'correlation',
    ...m,
    type: type as CorrelationRule['type'],
    rules,
    groupBy,
    groupFields,
    timespanMs,
    threshold,
    valueField,
    generate: c.generate === true,
  };
}

/** What each detection rule reads: its logsource's tables and the sources that fill them. */
export function sigmaNeeds(rules: readonly SigmaRule[]): SourceNeed[] {
  return rules.flatMap((r) =>
    r.kind === 'detection'
      ? [
          {
            code: 'E_SIGMA_LOGSOURCE',
            where: `${r.file}:${r.line}`,
            rule: `rule "${r.title}"`,
            reads: r.logsource.what,
            tables: r.logsource.tables.map((table) => ({ table, source: TABLE_SOURCES[table] as SourceId })),
          },
        ]
      : [],
  );
}
