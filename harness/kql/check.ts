/**
 * From query text to a compiled query, or every problem at once: syntax errors (KS0xx, with the
 * parser's message and a hint), unknown tables and columns (with a did-you-mean over the real
 * columns of the tables the query reads and the names it defines), and constructs outside the
 * supported subset (with their position). Positions are `file:line:col`, 1-based, in the file the
 * query came from (`offset` places a query embedded in a YAML or JSON rule).
 */
import { type Diagnostic, EnumbenchError } from '../../src/core/errors.js';
import { closest } from '../../src/scenario/suggest.js';
import { type CompiledQuery, Compiler } from './compile.js';
import { KqlUnsupported } from './functions.js';
import { analyse, type KNode } from './kusto.js';
import { TABLE_SCHEMAS } from './tables.js';

export interface QuerySource {
  text: string;
  file: string;
  /** where the query text starts in the file (line and column of its first character, 1-based) */
  line?: number;
  col?: number;
  /** columns before each later line of the query (a YAML block scalar's indentation) */
  indent?: number;
}

function positionOf(src: QuerySource, offset: number): { file: string; line: number; col: number } {
  const before = src.text.slice(0, offset);
  const lines = before.split('\n');
  const lineInQuery = lines.length;
  const colInQuery = lines[lines.length - 1]!.length + 1;
  const line = (src.line ?? 1) + lineInQuery - 1;
  const col = lineInQuery === 1 ? (src.col ?? 1) + colInQuery - 1 : (src.indent ?? 0) + colInQuery;
  return { file: src.file, line, col };
}

/** Names the query itself declares (let, extend/project/summarize names), for did-you-mean. */
function declaredNames(root: KNode, text: string, out: Set<string>): void {
  if (root.kind === 'NameDeclaration') out.add(text.slice(root.start, root.end).trim());
  if (root.columns) for (const c of root.columns) out.add(c.name);
  for (const c of Object.values(root.kids)) {
    if (!c) continue;
    if (Array.isArray(c)) for (const x of c) declaredNames(x, text, out);
    else declaredNames(c, text, out);
  }
}

function hintFor(code: string, message: string, candidates: readonly string[]): string | undefined {
  const unknown = /The name '([^']+)' does not refer to any known/.exec(message);
  if (unknown) {
    const guess = closest(
      unknown[1]!,
      candidates.filter((c) => c !== unknown[1]),
    );
    return guess
      ? `did you mean ${guess}?`
      : `tables: ${[...TABLE_SCHEMAS.keys()].join(', ')}; their columns are listed in docs/kql.md`;
  }
  return `the query is read by Microsoft's own KQL parser (${code}); docs/kql.md shows the supported subset`;
}

export function compileQuery(src: QuerySource): CompiledQuery {
  const { root, diagnostics } = analyse(src.text, TABLE_SCHEMAS);
  const errors = diagnostics.filter((d) => d.severity === 'Error');
  if (errors.length) {
    const names = new Set<string>([...TABLE_SCHEMAS.keys()]);
    for (const cols of TABLE_SCHEMAS.values()) for (const c of cols) names.add(c.name);
    declaredNames(root, src.text, names);
    const candidates = [...names];
    const diags: Diagnostic[] = errors.map((d) => ({
      code: /does not refer to any known/.test(d.message) ? 'E_KQL_NAME' : 'E_KQL_SYNTAX',
      message: `${d.message} (${d.code})`,
      hint: hintFor(d.code, d.message, candidates),
      position: positionOf(src, d.start),
    }));
    throw kqlError(diags, src.file);
  }
  try {
    return new Compiler(src.text).query(root);
  } catch (e) {
    if (e instanceof KqlUnsupported) {
      throw kqlError(
        [
          {
            code: 'E_KQL_UNSUPPORTED',
            message: e.message,
            hint: e.hint ?? 'see docs/kql.md for the supported subset',
            position: positionOf(src, e.node.start),
          },
        ],
        src.file,
      );
    }
    throw e;
  }
}

function kqlError(diags: Diagnostic[], file: string): EnumbenchError {
  const first = diags[0]!;
  const where = (d: Diagnostic) => (d.position ? `${d.position.file}:${d.position.line}:${d.position.col}: ` : '');
  const text = diags.map((d) => `${where(d)}${d.message}${d.hint ? ` — ${d.hint}` : ''}`).join('\n');
  return new EnumbenchError(first.code, diags.length === 1 ? text : `${diags.length} problems in ${file}:\n${text}`, {
    diagnostics: diags,
    ...(first.hint ? { hint: first.hint } : {}),
  });
}
