/**
 * Microsoft's own KQL parser and binder (`@kusto/language-service-next`, MIT, the Kusto.Language
 * library compiled to JavaScript with Bridge.NET) turned into a plain syntax tree the evaluator reads.
 *
 * The library is large (load ≈ 1 s, the first analysis ≈ 3 s on this machine), so it is loaded once
 * per process, on the first `kql:` rule, never at startup. It installs globals (`Bridge`, `System`,
 * `Kusto`): that is how Bridge.NET output works; nothing else in enumbench reads them.
 *
 * `analyse` parses the query *and binds it* against the Log Analytics tables' schemas, so every
 * expression carries its KQL type (`long`, `real`, `datetime`, …) and every tabular operator its
 * output columns, named exactly as Kusto names them (`count_`, `set_RequestUri`, `UserId1` after a
 * join). Syntax and name errors come back as diagnostics with their offsets.
 */
import { createRequire } from 'node:module';

/** A column as the binder gives it. */
export interface KColumn {
  name: string;
  type: string;
}

/** One node of the syntax tree, as plain data. */
export interface KNode {
  kind: string;
  /** offset of the first character (no trivia) */
  start: number;
  end: number;
  /** the token's text (tokens only) */
  text?: string;
  /** the token's value (string literals unescaped) */
  value?: string;
  /** the KQL type the binder gave an expression (`string`, `long`, `datetime`, `dynamic`, …) */
  type?: string;
  /** the columns of a tabular expression or of a tuple (`arg_max(x, *)`) */
  columns?: KColumn[];
  /** the symbol a name refers to: its kind (`Table`, `Column`, `Variable`, `Function`…) and name */
  symbol?: { kind: string; name: string };
  kids: Record<string, KNode | KNode[] | null>;
}

export interface KDiagnostic {
  start: number;
  length: number;
  code: string;
  severity: string;
  message: string;
}

export interface Analysis {
  root: KNode;
  diagnostics: KDiagnostic[];
}

/* The slice of the Bridge API used here. */
interface BList<T> {
  Count: number;
  getItem(i: number): T;
}
interface BType {
  Name: string;
  Columns?: BList<{ Name: string; Type: BType }>;
}
interface BElement {
  Kind: number;
  IsToken: boolean;
  TextStart: number;
  Width: number;
  ChildCount: number;
  GetChild(i: number): BElement | null;
  GetName(i: number): string | null;
  Text?: string;
  ValueText?: string;
  ResultType?: BType | null;
  ReferencedSymbol?: { Kind: number; Name: string } | null;
}
interface BDiagnostic {
  Start: number;
  Length: number;
  Code: string;
  Severity: string;
  Message: string;
}
interface KustoLib {
  Language: {
    KustoCode: {
      ParseAndAnalyze(text: string, globals: unknown): { Syntax: BElement; GetDiagnostics(): BList<BDiagnostic> };
    };
    GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
    Symbols: {
      TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => unknown };
      DatabaseSymbol: { $ctor2: new (name: string, alt: string | null, members: unknown[]) => unknown };
      SymbolKind: Record<string, number | unknown>;
    };
    Syntax: { SyntaxKind: Record<string, number | unknown> };
  };
}

let lib: KustoLib | undefined;
let syntaxKinds: string[] = [];
let symbolKinds: string[] = [];

function enumNames(e: Record<string, number | unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(e)) if (typeof v === 'number') out[v] = k;
  return out;
}

/** Loads the library once (≈ 1 s). */
export function kustoLibrary(): KustoLib {
  if (lib) return lib;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const k = (globalThis as unknown as { Kusto?: KustoLib }).Kusto;
  if (!k?.Language?.KustoCode) throw new Error('@kusto/language-service-next did not load');
  lib = k;
  syntaxKinds = enumNames(k.Language.Syntax.SyntaxKind);
  symbolKinds = enumNames(k.Language.Symbols.SymbolKind);
  return k;
}

const globalsCache = new Map<string, unknown>();

/** The binder's view of the workspace: one database holding the given tables. */
function globalsFor(tables: ReadonlyMap<string, readonly KColumn[]>): unknown {
  const key = [...tables.entries()].map(([n, cols]) => `${n}(${cols.map((c) => `${c.name}:${c.type}`)})`).join(';');
  const cached = globalsCache.get(key);
  if (cached) return cached;
  const k = kustoLibrary();
  const S = k.Language.Symbols;
  const symbols = [...tables.entries()].map(
    ([name, cols]) =>
      new S.TableSymbol.$ctor7(name, `(${cols.map((c) => `['${c.name}']:${c.type}`).join(', ')})`, null),
  );
  const db = new S.DatabaseSymbol.$ctor2('workspace', null, symbols);
  const g = k.Language.GlobalState.Default.WithDatabase(db);
  globalsCache.set(key, g);
  return g;
}

function columnsOf(t: BType | null | undefined): KColumn[] | undefined {
  const cols = t?.Columns;
  if (!cols) return undefined;
  const out: KColumn[] = [];
  for (let i = 0; i < cols.Count; i++) {
    const c = cols.getItem(i);
    out.push({ name: c.Name, type: c.Type.Name });
  }
  return out;
}

function convert(el: BElement): KNode {
  const kind = syntaxKinds[el.Kind] ?? `Kind${el.Kind}`;
  const node: KNode = { kind, start: el.TextStart, end: el.TextStart + el.Width, kids: {} };
  if (el.IsToken) {
    node.text = el.Text ?? '';
    node.value = el.ValueText ?? node.text;
    return node;
  }
  const rt = el.ResultType;
  if (rt) {
    node.type = rt.Name;
    const cols = columnsOf(rt);
    if (cols) node.columns = cols;
  }
  const sym = el.ReferencedSymbol;
  if (sym) node.symbol = { kind: symbolKinds[sym.Kind] ?? String(sym.Kind), name: sym.Name };
  for (let i = 0; i < el.ChildCount; i++) {
    const child = el.GetChild(i);
    const name = el.GetName(i) ?? String(i);
    node.kids[name] = child === null ? null : convertChild(child);
  }
  return node;
}

/** Lists become arrays; a separated element (item + comma) becomes its item. */
function convertChild(el: BElement): KNode | KNode[] {
  const kind = syntaxKinds[el.Kind];
  if (kind === 'List') {
    const items: KNode[] = [];
    for (let i = 0; i < el.ChildCount; i++) {
      const c = el.GetChild(i);
      if (!c) continue;
      if (syntaxKinds[c.Kind] === 'SeparatedElement') {
        const item = c.GetChild(0);
        if (item) items.push(convert(item));
      } else items.push(convert(c));
    }
    return items;
  }
  return convert(el);
}

/** Parse and bind `text` against the given tables. */
export function analyse(text: string, tables: ReadonlyMap<string, readonly KColumn[]>): Analysis {
  const k = kustoLibrary();
  const code = k.Language.KustoCode.ParseAndAnalyze(text, globalsFor(tables));
  const list = code.GetDiagnostics();
  const diagnostics: KDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({ start: d.Start, length: d.Length, code: d.Code, severity: d.Severity, message: d.Message });
  }
  return { root: convert(code.Syntax), diagnostics };
}

/** The child `name` of a node as a single node (undefined when absent or a list). */
export function kid(n: KNode, name: string): KNode | undefined {
  const c = n.kids[name];
  return c && !Array.isArray(c) ? c : undefined;
}

/** The child `name` of a node as a list (empty when absent). */
export function kidList(n: KNode, name: string): KNode[] {
  const c = n.kids[name];
  return Array.isArray(c) ? c : [];
}
