/**
 * The scenario loader: YAML text → positioned diagnostics, or a normalised `Scenario`.
 * Every problem is reported at once, each as file:line:col with a hint; nothing is silently
 * accepted. Pure: the caller reads the file and injects the catalogue.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Catalog } from '../core/catalog.js';
import type { Diagnostic } from '../core/errors.js';
import { normalise, type Problem } from './normalise.js';
import { ScenarioInput } from './schema.js';
import { closest } from './suggest.js';
import type { Scenario } from './types.js';
import { parseDuration, parseRate, parseTime } from './units.js';
import { type DocPath, locate, type ParsedYaml, parseYaml } from './yaml.js';

export type LoadResult =
  | { ok: true; scenario: Scenario; hash: string; diagnostics: [] }
  | { ok: false; diagnostics: Diagnostic[] };

const MINIMAL_EXAMPLE =
  'a minimal scenario is:\n    name: my-scenario\n    tenant: {users: 500}\n    attacks: [{technique: <id>}]';

export function loadScenario(text: string, file: string, catalog: Catalog): LoadResult {
  const parsed = parseYaml(text, file);
  if (parsed.problems.length) return { ok: false, diagnostics: parsed.problems };
  return validate(parsed.value, catalog, parsed);
}

/**
 * Validate a scenario document (already parsed from YAML or built in code). With `parsed`,
 * diagnostics carry positions; without, they carry paths.
 */
export function validate(doc: unknown, catalog: Catalog, parsed?: ParsedYaml): LoadResult {
  const file = parsed?.file ?? '<scenario>';
  const at = (path: DocPath, target: 'value' | 'key' = 'value') =>
    parsed ? locate(parsed, path, target) : { file, line: 1, col: 1 };

  if (doc === undefined || doc === null) {
    return {
      ok: false,
      diagnostics: [{ code: 'E_EMPTY', message: 'the scenario is empty', hint: MINIMAL_EXAMPLE, position: at([]) }],
    };
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return {
      ok: false,
      diagnostics: [
        {
          code: 'E_TYPE',
          message: 'a scenario is a mapping of keys (name, tenant, attacks, …)',
          hint: MINIMAL_EXAMPLE,
          position: at([]),
        },
      ],
    };
  }

  const diagnostics: Diagnostic[] = [];
  const flagged: DocPath[] = [];
  const result = ScenarioInput.safeParse(doc);
  if (!result.success) {
    for (const issue of result.error.issues) {
      for (const d of issueToDiagnostics(issue, doc)) {
        flagged.push(d.path);
        diagnostics.push({ ...d.diag, path: d.path, position: at(d.path, d.target) });
      }
    }
  }

  const { scenario, problems } = normalise(doc, catalog);
  for (const p of problems) {
    if (flagged.some((f) => isPrefix(f, p.path) || isPrefix(p.path, f))) continue;
    diagnostics.push(problemToDiagnostic(p, at));
  }

  if (diagnostics.length) {
    diagnostics.sort(
      (a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0),
    );
    return { ok: false, diagnostics };
  }
  return { ok: true, scenario, hash: scenarioHash(scenario), diagnostics: [] };
}

/** A stable hash of the normalised scenario: comments and formatting do not change it. */
export function scenarioHash(s: Scenario): string {
  return createHash('sha256').update(JSON.stringify(s)).digest('hex');
}

function problemToDiagnostic(
  p: Problem,
  at: (path: DocPath, target?: 'value' | 'key') => Diagnostic['position'],
): Diagnostic {
  return { code: p.code, message: p.message, hint: p.hint, path: p.path, position: at(p.path, p.target) };
}

function isPrefix(a: DocPath, b: DocPath): boolean {
  if (a.length > b.length) return false;
  return a.every((seg, i) => String(seg) === String(b[i]));
}

type Issue = z.core.$ZodIssue;

interface Mapped {
  path: DocPath;
  target: 'value' | 'key';
  diag: Omit<Diagnostic, 'position' | 'path'>;
}

function valueAt(doc: unknown, path: DocPath): unknown {
  let cur: unknown = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg as string];
  }
  return cur;
}

function pathText(path: DocPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'the scenario';
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v}"`;
  return `${typeof v} ${String(v)}`;
}

const FORMAT_TEXT: Readonly<
  Record<
    string,
    { what: string; hint: string; parse?: (v: unknown) => { ok: boolean; message?: string; hint?: string } }
  >
> = {
  duration: { what: 'a duration', hint: 'e.g. "90s", "30m", "2h", "7d" or "1h30m"', parse: parseDuration },
  rate: { what: 'a rate', hint: 'e.g. "4/h", "1/min", "30/d", "1/5min"', parse: parseRate },
  time: { what: 'a time', hint: 'ISO 8601 with a zone, e.g. "2026-11-02T00:00:00Z"', parse: parseTime },
  at: {
    what: 'a time or an offset',
    hint: 'an ISO time such as "2026-11-04T14:20:00Z", or an offset from time.start such as "+2d14h"',
  },
  name: {
    what: 'a name',
    hint: 'letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. "azurehound-helpdesk"',
  },
  version: { what: 'the format version', hint: 'this version of enumbench reads `version: 1`' },
  domain: { what: 'a domain', hint: 'lower-case, e.g. contoso.onmicrosoft.com' },
  country: { what: 'a country code', hint: 'ISO 3166-1 alpha-2 in capitals, e.g. US, GB, NL' },
  selector: {
    what: 'an actor selector',
    hint: '"role:<Role Name>", "random-user", "random-admin", "all", a UPN, or a number',
  },
  actor: {
    what: 'an actor',
    hint: '{account: "role:Helpdesk Administrator"}, {account: random-user}, {servicePrincipal: <name>} or a selector string',
  },
  rateEntry: { what: 'a rate', hint: '"4/h", or {perHour: 4, hours: business}' },
  condition: { what: 'a threshold condition', hint: 'a string such as ">= 0.95" or "<= 2h", or a list of them' },
  collection: {
    what: 'a collection preset',
    hint: 'ual-only, ual-signins, e5-diagnostics or e5-endpoint (`enumbench list collections`)',
  },
  source: { what: 'a source', hint: 'ual, graphActivity, signIns, aadGraphActivity or endpointPowerShell' },
  hypothesis: { what: 'a hypothesis', hint: '`enumbench list hypotheses` shows them, e.g. exo-get-cmdlets-audited' },
  profile: { what: 'a profile id', hint: '`enumbench list profiles`' },
  technique: { what: 'a technique id', hint: '`enumbench list techniques`' },
  id: { what: 'an id', hint: 'letters, digits, ".", "_" and "-"' },
};

function formatDiag(kind: string, path: DocPath, value: unknown): Omit<Diagnostic, 'position' | 'path'> {
  const f = FORMAT_TEXT[kind] ?? { what: kind, hint: '' };
  const label = pathText(path);
  if (value === undefined) {
    return { code: 'E_REQUIRED', message: `\`${label}\` is required`, hint: f.hint };
  }
  if (f.parse && typeof value === 'string') {
    const r = f.parse(value);
    if (!r.ok) return { code: 'E_FORMAT', message: `\`${label}\`: ${r.message}`, hint: r.hint ?? f.hint };
  }
  return { code: 'E_FORMAT', message: `\`${label}\` must be ${f.what}, not ${describeValue(value)}`, hint: f.hint };
}

function issueToDiagnostics(issue: Issue, doc: unknown): Mapped[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
  const value = valueAt(doc, path);
  const msg = issue.message;
  if (msg.startsWith('FORMAT:')) {
    return [{ path, target: 'value', diag: formatDiag(msg.slice(7), path, value) }];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(path);
      return issue.keys.map((key) => {
        const guess = closest(key, allowed);
        return {
          path: [...path, key],
          target: 'key' as const,
          diag: {
            code: 'E_UNKNOWN_KEY',
            message: `unknown key \`${key}\` in ${pathText(path)}`,
            hint: guess ? `did you mean \`${guess}\`?` : `allowed here: ${allowed.join(', ')}`,
          },
        };
      });
    }
    case 'invalid_type': {
      if (value === undefined) {
        return [
          {
            path,
            target: 'value',
            diag: { code: 'E_REQUIRED', message: `\`${pathText(path)}\` is required`, hint: requiredHint(path) },
          },
        ];
      }
      return [
        {
          path,
          target: 'value',
          diag: {
            code: 'E_TYPE',
            message: `\`${pathText(path)}\` must be ${article(issue.expected)}, not ${describeValue(value)}`,
            hint: typeHint(issue.expected, value),
          },
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what = issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : '';
      const cmp =
        issue.code === 'too_small' ? (issue.inclusive === false ? '>' : '≥') : issue.inclusive === false ? '<' : '≤';
      return [
        {
          path,
          target: 'value',
          diag: {
            code: 'E_RANGE',
            message: `\`${pathText(path)}\` must be ${cmp} ${String(bound)}${what ? ` ${what}` : ''}${typeof value === 'number' ? ` (got ${value})` : ''}`,
          },
        },
      ];
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = typeof value === 'string' ? closest(value, values) : undefined;
      return [
        {
          path,
          target: 'value',
          diag: {
            code: 'E_VALUE',
            message: `\`${pathText(path)}\` must be one of ${values.join(', ')}, not ${describeValue(value)}`,
            hint: guess ? `did you mean \`${guess}\`?` : undefined,
          },
        },
      ];
    }
    case 'invalid_format':
      return [
        {
          path,
          target: 'value',
          diag: { code: 'E_FORMAT', message: `\`${pathText(path)}\` has the wrong format: ${describeValue(value)}` },
        },
      ];
    case 'invalid_union':
      return [
        {
          path,
          target: 'value',
          diag: { code: 'E_TYPE', message: `\`${pathText(path)}\` is not valid: ${describeValue(value)}` },
        },
      ];
    default:
      return [{ path, target: 'value', diag: { code: 'E_INVALID', message: `\`${pathText(path)}\`: ${msg}` } }];
  }
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeHint(expected: string, value: unknown): string | undefined {
  if (expected === 'number' && typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))
    return `remove the quotes: ${value}`;
  if (expected === 'array') return 'write a list, e.g. [a, b] or one "- item" per line';
  if (expected === 'object') return 'write a mapping, e.g. {key: value} or indented "key: value" lines';
  if (expected === 'string' && typeof value === 'number') return `quote it: "${value}"`;
  return undefined;
}

function requiredHint(path: DocPath): string | undefined {
  const last = path[path.length - 1];
  if (last === 'name') return 'every scenario has a name, e.g. `name: azurehound-helpdesk`';
  if (last === 'technique') return 'which attack: e.g. `technique: azurehound` (`enumbench list techniques`)';
  if (last === 'profile') return 'which benign profile: e.g. `profile: workforce` (`enumbench list profiles`)';
  return undefined;
}

// ---- schema introspection: which keys are allowed at a path (for "did you mean") ----------

type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = cur._zod.def;
    if (['optional', 'default', 'nullable', 'readonly', 'catch', 'prefault', 'nonoptional'].includes(def.type)) {
      cur = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      cur = def.in as AnySchema;
    } else break;
  }
  return cur;
}

function childSchemas(s: AnySchema, seg: string | number): AnySchema[] {
  const u = unwrap(s);
  const def = u._zod.def;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const c = shape[String(seg)];
      return c ? [c] : [];
    }
    case 'array':
      return [def.element as AnySchema];
    case 'record':
      return [def.valueType as AnySchema];
    case 'union':
      return (def.options as AnySchema[]).flatMap((o) => childSchemas(o, seg));
    default:
      return [];
  }
}

function keysOf(s: AnySchema): string[] {
  const u = unwrap(s);
  const def = u._zod.def;
  if (def.type === 'object') return Object.keys(def.shape as object);
  if (def.type === 'union') return (def.options as AnySchema[]).flatMap(keysOf);
  return [];
}

export function allowedKeysAt(path: DocPath): string[] {
  let schemas: AnySchema[] = [ScenarioInput as unknown as AnySchema];
  for (const seg of path) schemas = schemas.flatMap((s) => childSchemas(s, seg));
  return [...new Set(schemas.flatMap(keysOf))];
}
