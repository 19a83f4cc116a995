/**
 * The KQL evaluator: a bound syntax tree (kusto.ts) compiled into functions over rows. Every node
 * kind, operator and function outside the supported subset is refused at compile time with its
 * position (KqlUnsupported), never ignored. Column names and types come from the binder, so
 * results are named as Kusto names them.
 */
import { AGGREGATE_ALIASES, AGGREGATES, type Aggregate } from './aggregates.js';
import {
  FUNCTIONS,
  fnName,
  hasAny,
  KqlUnsupported,
  kqlHas,
  kqlRegex,
  type Run,
  type Scalar,
  str,
} from './functions.js';
import { type KColumn, type KNode, kid, kidList } from './kusto.js';
import type { Row } from './tables.js';
import { carryIngestion, compareValues, keyOf, parseTimespan } from './values.js';

/** A run's inputs: the instant and the visible rows of each table. */
export interface RunInput {
  now: number;
  tables: ReadonlyMap<string, readonly Row[]>;
  /** the most rows the run's operators may produce (default MAX_ROWS_PER_RUN) */
  maxRows?: number;
}

interface TRun extends Run {
  tables: ReadonlyMap<string, readonly Row[]>;
  /** rows produced so far, to stop a query that explodes (join, mv-expand) */
  produced: number;
  maxRows: number;
}

interface Tab {
  fn: (run: TRun) => Row[];
  /** whether the rows are this operator's own (safe to change in place) */
  fresh: boolean;
}

type Binding = { kind: 'scalar'; fn: Scalar; key: object } | { kind: 'tabular'; tab: Tab };

export class KqlRunLimit extends Error {}

/** The most rows one run may produce across all operators (a join or mv-expand without bound). */
export const MAX_ROWS_PER_RUN = 5_000_000;

export interface CompiledQuery {
  /** the tables the query reads */
  tables: ReadonlySet<string>;
  /** whether the query calls ingestion_time() (rows then carry their ingestion time) */
  readsIngestionTime: boolean;
  /** the result's columns */
  columns: readonly KColumn[];
  run(input: RunInput): Row[];
}

const COMPARISONS = new Set([
  'EqualExpression',
  'NotEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
]);

function eq(a: unknown, b: unknown): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof b === 'number' && typeof a === 'string') return String(b) === a;
  return keyOf(a) === keyOf(b) || str(a) === str(b);
}

function cmp(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareValues(typeof a === 'object' ? str(a) : a, typeof b === 'object' ? str(b) : b);
}

const hasCs = (text: string, term: string): boolean => kqlHas(text, term, true);

/** A tabular expression evaluated at most once per run (tabular `let`, `materialize()`). */
function oncePerRun(inner: Tab): Tab {
  const key = {};
  return {
    fresh: false,
    fn: (run) => {
      let v = run.cache.get(key) as Row[] | undefined;
      if (!v) {
        v = inner.fn(run);
        run.cache.set(key, v);
      }
      return v;
    },
  };
}

const STRING_OPS: Record<string, (text: string, term: string) => boolean> = {
  HasExpression: kqlHas,
  NotHasExpression: (t, s) => !kqlHas(t, s),
  HasCsExpression: hasCs,
  NotHasCsExpression: (t, s) => !hasCs(t, s),
  ContainsExpression: (t, s) => t.toLowerCase().includes(s.toLowerCase()),
  NotContainsExpression: (t, s) => !t.toLowerCase().includes(s.toLowerCase()),
  ContainsCsExpression: (t, s) => t.includes(s),
  NotContainsCsExpression: (t, s) => !t.includes(s),
  StartsWithExpression: (t, s) => t.toLowerCase().startsWith(s.toLowerCase()),
  NotStartsWithExpression: (t, s) => !t.toLowerCase().startsWith(s.toLowerCase()),
  StartsWithCsExpression: (t, s) => t.startsWith(s),
  NotStartsWithCsExpression: (t, s) => !t.startsWith(s),
  EndsWithExpression: (t, s) => t.toLowerCase().endsWith(s.toLowerCase()),
  NotEndsWithExpression: (t, s) => !t.toLowerCase().endsWith(s.toLowerCase()),
  EndsWithCsExpression: (t, s) => t.endsWith(s),
  NotEndsWithCsExpression: (t, s) => !t.endsWith(s),
  EqualTildeExpression: (t, s) => t.toLowerCase() === s.toLowerCase(),
  BangTildeExpression: (t, s) => t.toLowerCase() !== s.toLowerCase(),
};

/** `in` family: [negated, case-insensitive] (`in~` is InCsExpression's opposite in Kusto's naming: checked in tests). */
const IN_OPS: Record<string, [boolean, boolean]> = {
  InExpression: [false, false],
  NotInExpression: [true, false],
  InCsExpression: [false, true],
  NotInCsExpression: [true, true],
};

export class Compiler {
  private readonly lets = new Map<string, Binding>();
  readonly tables = new Set<string>();

  constructor(private readonly text: string) {}

  textOf(n: KNode): string {
    return this.text.slice(n.start, n.end);
  }

  /** A declared name (`NameDeclaration`), without brackets or quotes. */
  nameOf(n: KNode): string {
    const t = this.textOf(n).trim();
    const m = /^\[\s*(?:@?['"])(.*)['"]\s*\]$/.exec(t);
    return m ? m[1]! : t;
  }

  query(root: KNode): CompiledQuery {
    const statements = kidList(root, 'Statements');
    let result: KNode | undefined;
    for (const s of statements) {
      if (s.kind === 'LetStatement') this.letStatement(s);
      else if (s.kind === 'ExpressionStatement') {
        if (result)
          throw new KqlUnsupported(s, 'a rule has one result: a second query statement is outside the subset');
        result = kid(s, 'Expression');
      } else throw new KqlUnsupported(s, `${s.kind.replace(/Statement$/, '')} statements are outside the subset`);
    }
    if (!result) throw new KqlUnsupported(root, 'the query has no tabular expression to run');
    if (!result.columns) throw new KqlUnsupported(result, 'the query must end in a tabular expression');
    const tab = this.tabular(result);
    const columns = result.columns;
    return {
      tables: this.tables,
      readsIngestionTime: /\bingestion_time\s*\(/.test(this.text),
      columns,
      run(input) {
        const run: TRun = {
          now: input.now,
          tables: input.tables,
          cache: new Map(),
          produced: 0,
          maxRows: input.maxRows ?? MAX_ROWS_PER_RUN,
        };
        return tab.fn(run);
      },
    };
  }

  private letStatement(s: KNode): void {
    const name = this.nameOf(kid(s, 'Name')!);
    const e = kid(s, 'Expression')!;
    if (e.kind === 'FunctionDeclaration')
      throw new KqlUnsupported(e, `let ${name}: user-defined functions are outside the subset`);
    if (e.columns && e.type !== 'tuple') {
      this.lets.set(name, { kind: 'tabular', tab: oncePerRun(this.tabular(e)) });
      return;
    }
    const fn = this.scalar(e);
    this.lets.set(name, { kind: 'scalar', fn, key: {} });
  }

  // ---------------------------------------------------------------- tabular

  tabular(n: KNode): Tab {
    switch (n.kind) {
      case 'ParenthesizedExpression':
        return this.tabular(kid(n, 'Expression')!);
      case 'MaterializeExpression':
        return oncePerRun(this.tabular(kid(n, 'Expression')!));
      case 'NameReference': {
        const name = this.textOf(n);
        const b = this.lets.get(name);
        if (b?.kind === 'tabular') return b.tab;
        if (n.symbol?.kind === 'Table' || n.columns) {
          this.tables.add(name);
          return { fresh: false, fn: (run) => (run.tables.get(name) ?? []) as Row[] };
        }
        throw new KqlUnsupported(n, `"${name}" is not a table`);
      }
      case 'PipeExpression': {
        const inputNode = kid(n, 'Expression')!;
        const input = this.tabular(inputNode);
        return this.operator(kid(n, 'Operator')!, input, inputNode.columns ?? []);
      }
      case 'UnionOperator':
        return this.union(n, undefined);
      default:
        throw new KqlUnsupported(n, `${n.kind} is outside the subset of KQL enumbench evaluates`, 'see docs/kql.md');
    }
  }

  private operator(op: KNode, input: Tab, inCols: readonly KColumn[]): Tab {
    const out = op.columns ?? [];
    switch (op.kind) {
      case 'FilterOperator': {
        const p = this.scalar(kid(op, 'Condition')!);
        return { fresh: input.fresh, fn: (run) => input.fn(run).filter((r) => p(r, run) === true) };
      }
      case 'ExtendOperator':
        return this.extend(op, kidList(op, 'Expressions'), input, inCols);
      case 'SerializeOperator':
        return this.extend(op, kidList(op, 'Expressions'), input, inCols);
      case 'ProjectOperator':
        return this.project(op, input);
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator': {
        const names = out.map((c) => c.name);
        return { fresh: true, fn: (run) => input.fn(run).map((r) => pick(r, names, names)) };
      }
      case 'ProjectRenameOperator': {
        const from = new Map<string, string>();
        for (const e of kidList(op, 'Expressions')) {
          if (e.kind !== 'SimpleNamedExpression') throw new KqlUnsupported(e, 'project-rename takes NewName = OldName');
          from.set(this.nameOf(kid(e, 'Name')!), this.textOf(kid(e, 'Expression')!));
        }
        const names = out.map((c) => c.name);
        const sources = names.map((nm) => from.get(nm) ?? nm);
        return { fresh: true, fn: (run) => input.fn(run).map((r) => pick(r, names, sources)) };
      }
      case 'SummarizeOperator':
        return this.summarize(op, input);
      case 'JoinOperator':
        return this.join(op, input, inCols);
      case 'UnionOperator':
        return this.union(op, input);
      case 'MvExpandOperator':
        return this.mvExpand(op, input, inCols);
      case 'SortOperator':
        return this.sort(op, kidList(op, 'Expressions'), input);
      case 'TakeOperator': {
        const count = this.constantNumber(kid(op, 'Expression')!);
        return { fresh: input.fresh, fn: (run) => input.fn(run).slice(0, Math.max(0, count)) };
      }
      case 'TopOperator': {
        const count = this.constantNumber(kid(op, 'Expression')!);
        const sorted = this.sort(op, [kid(op, 'ByExpression')!], input);
        return { fresh: sorted.fresh, fn: (run) => sorted.fn(run).slice(0, Math.max(0, count)) };
      }
      case 'DistinctOperator': {
        const names = out.map((c) => c.name);
        return {
          fresh: true,
          fn: (run) => {
            const seen = new Set<string>();
            const rows: Row[] = [];
            for (const r of input.fn(run)) {
              const k = names.map((nm) => keyOf(r[nm])).join('\u0001');
              if (seen.has(k)) continue;
              seen.add(k);
              rows.push(pick(r, names, names));
            }
            return rows;
          },
        };
      }
      case 'CountOperator': {
        const name = out[0]?.name ?? 'Count';
        return { fresh: true, fn: (run) => [{ [name]: input.fn(run).length }] };
      }
      default:
        throw new KqlUnsupported(
          op,
          `the ${this.operatorName(op)} operator is outside the subset of KQL enumbench evaluates`,
          'see docs/kql.md for the operators that run',
        );
    }
  }

  private operatorName(op: KNode): string {
    return this.textOf(op).split(/\s|\(/)[0] || op.kind;
  }

  private constantNumber(n: KNode): number {
    const v = this.scalar(n)({}, { now: 0, cache: new Map() });
    if (typeof v !== 'number') throw new KqlUnsupported(n, 'a constant number is needed here');
    return v;
  }

  private extend(op: KNode, items: KNode[], input: Tab, inCols: readonly KColumn[]): Tab {
    const inNames = new Set(inCols.map((c) => c.name));
    const fresh = (op.columns ?? []).map((c) => c.name).filter((nm) => !inNames.has(nm));
    let next = 0;
    const assigns: [string, Scalar][] = [];
    for (const e of items) {
      if (e.kind === 'SimpleNamedExpression') {
        assigns.push([this.nameOf(kid(e, 'Name')!), this.scalar(kid(e, 'Expression')!)]);
      } else if (e.kind === 'CompoundNamedExpression') {
        throw new KqlUnsupported(e, '(a, b) = … assignments are outside the subset');
      } else if (e.kind === 'NameReference' && inNames.has(this.textOf(e))) {
      } else {
        const name = fresh[next++];
        if (name === undefined) throw new KqlUnsupported(e, 'name this column: extend Name = expression');
        assigns.push([name, this.scalar(e)]);
      }
    }
    const usesSerial = items.some((e) => /\b(row_number|prev|next)\s*\(/.test(this.textOf(e)));
    return {
      fresh: true,
      fn: (run) => {
        const rows = input.fn(run);
        const serial = { rows, i: 0 };
        if (usesSerial) run.serial = serial;
        const out = new Array<Row>(rows.length);
        for (let i = 0; i < rows.length; i++) {
          serial.i = i;
          const src = rows[i]!;
          let o: Row = src;
          if (!input.fresh) {
            o = { ...src };
            carryIngestion(src, o);
          }
          for (const [name, f] of assigns) o[name] = f(o, run) ?? null;
          out[i] = o;
        }
        if (usesSerial) run.serial = undefined;
        return out;
      },
    };
  }

  private project(op: KNode, input: Tab): Tab {
    const out = op.columns ?? [];
    const items = kidList(op, 'Expressions');
    if (items.length !== out.length) throw new KqlUnsupported(op, 'this project list is outside the subset');
    const fns: [string, Scalar][] = items.map((e, i) => [
      out[i]!.name,
      this.scalar(e.kind === 'SimpleNamedExpression' ? kid(e, 'Expression')! : e),
    ]);
    return {
      fresh: true,
      fn: (run) =>
        input.fn(run).map((r) => {
          const o: Row = {};
          carryIngestion(r, o);
          for (const [name, f] of fns) o[name] = f(r, run) ?? null;
          return o;
        }),
    };
  }

  private summarize(op: KNode, input: Tab): Tab {
    const out = op.columns ?? [];
    const by = kid(op, 'ByClause');
    const byItems = by ? kidList(by, 'Expressions') : [];
    const byFns = byItems.map((e) => this.scalar(e.kind === 'SimpleNamedExpression' ? kid(e, 'Expression')! : e));
    const aggs: { fn: Aggregate; width: number }[] = [];
    for (const a of kidList(op, 'Aggregates')) {
      const call = a.kind === 'SimpleNamedExpression' ? kid(a, 'Expression')! : a;
      if (call.kind !== 'FunctionCallExpression') {
        throw new KqlUnsupported(
          call,
          'summarize takes aggregation calls (count(), dcount(x), make_set(x), …); compute over them in a later extend',
        );
      }
      const name = fnName(call).toLowerCase();
      const builder = AGGREGATES[AGGREGATE_ALIASES[name] ?? name];
      if (!builder)
        throw new KqlUnsupported(call, `the aggregation ${name}() is outside the subset`, 'see docs/kql.md');
      const argNodes = this.args(call);
      const args = argNodes.map((n) => (n.kind === 'StarExpression' ? () => null : this.scalar(n)));
      const width = call.type === 'tuple' && call.columns ? call.columns.length : 1;
      aggs.push({ fn: builder(args, argNodes, call, (s) => s({}, { now: 0, cache: new Map() })), width });
    }
    const names = out.map((c) => c.name);
    if (names.length !== byFns.length + aggs.reduce((s, a) => s + a.width, 0)) {
      throw new KqlUnsupported(op, 'this summarize shape is outside the subset');
    }
    return {
      fresh: true,
      fn: (run) => {
        const groups = new Map<string, { keys: unknown[]; rows: Row[] }>();
        for (const r of input.fn(run)) {
          const keys = byFns.map((f) => f(r, run) ?? null);
          const k = keys.length === 1 ? keyOf(keys[0]) : keys.map(keyOf).join('\u0001');
          let g = groups.get(k);
          if (!g) {
            g = { keys, rows: [] };
            groups.set(k, g);
          }
          g.rows.push(r);
        }
        if (byFns.length === 0 && groups.size === 0) groups.set('', { keys: [], rows: [] });
        const rows: Row[] = [];
        for (const g of groups.values()) {
          const values = [...g.keys];
          for (const a of aggs) values.push(...a.fn(g.rows, run));
          const o: Row = {};
          for (let i = 0; i < names.length; i++) o[names[i]!] = values[i] ?? null;
          rows.push(o);
        }
        run.produced += rows.length;
        return rows;
      },
    };
  }

  private joinKind(op: KNode): string {
    for (const p of kidList(op, 'Parameters')) {
      const m = /^\s*kind\s*=\s*([A-Za-z]+)\s*$/i.exec(this.textOf(p));
      if (m) return m[1]!.toLowerCase();
      throw new KqlUnsupported(p, `join parameter ${this.textOf(p)} is outside the subset`);
    }
    return 'innerunique';
  }

  private join(op: KNode, left: Tab, leftCols: readonly KColumn[]): Tab {
    const kind = this.joinKind(op);
    const supported = [
      'innerunique',
      'inner',
      'leftouter',
      'leftanti',
      'anti',
      'leftantisemi',
      'leftsemi',
      'rightanti',
      'rightantisemi',
      'rightsemi',
    ];
    if (!supported.includes(kind)) {
      throw new KqlUnsupported(op, `join kind=${kind} is outside the subset`, `supported: ${supported.join(', ')}`);
    }
    const rightNode = kid(op, 'Expression')!;
    const right = this.tabular(rightNode);
    const rightCols = rightNode.columns ?? [];
    const clause = kid(op, 'ConditionClause');
    if (clause?.kind !== 'JoinOnClause') throw new KqlUnsupported(op, 'join needs an on clause');
    const lk: string[] = [];
    const rk: string[] = [];
    for (const e of kidList(clause, 'Expressions')) {
      if (e.kind === 'NameReference') {
        lk.push(this.textOf(e));
        rk.push(this.textOf(e));
      } else if (e.kind === 'EqualExpression') {
        const sides = [kid(e, 'Left')!, kid(e, 'Right')!].map((s) =>
          /^\$(left|right)\.\s*(.+)$/.exec(this.textOf(s).trim()),
        );
        const [a, b] = sides;
        if (!a || !b || a[1] === b[1]) throw new KqlUnsupported(e, 'join on takes Column or $left.A == $right.B');
        (a[1] === 'left' ? lk : rk).push(a[2]!.trim());
        (b[1] === 'left' ? lk : rk).push(b[2]!.trim());
      } else throw new KqlUnsupported(e, 'join on takes Column or $left.A == $right.B');
    }
    const keyL = (r: Row) => lk.map((c) => keyOf(r[c] ?? null)).join('\u0001');
    const keyR = (r: Row) => rk.map((c) => keyOf(r[c] ?? null)).join('\u0001');
    const out = (op.columns ?? []).map((c) => c.name);
    const lNames = leftCols.map((c) => c.name);
    const rNames = rightCols.map((c) => c.name);
    const combine = (l: Row | undefined, r: Row | undefined): Row => {
      const o: Row = {};
      for (let i = 0; i < lNames.length && i < out.length; i++) o[out[i]!] = l ? (l[lNames[i]!] ?? null) : null;
      for (let j = 0; j < rNames.length && lNames.length + j < out.length; j++)
        o[out[lNames.length + j]!] = r ? (r[rNames[j]!] ?? null) : null;
      return o;
    };
    return {
      fresh:
        kind !== 'leftanti' && kind !== 'anti' && kind !== 'leftantisemi' && kind !== 'leftsemi' ? true : left.fresh,
      fn: (run) => {
        let lrows = left.fn(run);
        const rrows = right.fn(run);
        const index = new Map<string, Row[]>();
        for (const r of rrows) {
          const k = keyR(r);
          const list = index.get(k);
          if (list) list.push(r);
          else index.set(k, [r]);
        }
        if (kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi')
          return lrows.filter((l) => !index.has(keyL(l)));
        if (kind === 'leftsemi') return lrows.filter((l) => index.has(keyL(l)));
        if (kind === 'rightanti' || kind === 'rightantisemi' || kind === 'rightsemi') {
          const lkeys = new Set(lrows.map(keyL));
          const keep = kind === 'rightsemi';
          return rrows.filter((r) => lkeys.has(keyR(r)) === keep).map((r) => pick(r, out, out));
        }
        if (kind === 'innerunique') {
          const seen = new Set<string>();
          lrows = lrows.filter((l) => {
            const k = keyL(l);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
        }
        const rows: Row[] = [];
        for (const l of lrows) {
          const matches = index.get(keyL(l));
          if (matches) for (const r of matches) rows.push(combine(l, r));
          else if (kind === 'leftouter') rows.push(combine(l, undefined));
          if (rows.length + run.produced > run.maxRows)
            throw new KqlRunLimit(
              `a join produced more than ${run.maxRows} rows in one run: a join on a key many rows share multiplies them; filter both sides first, or join on a more selective key`,
            );
        }
        run.produced += rows.length;
        return rows;
      },
    };
  }

  private union(op: KNode, input: Tab | undefined): Tab {
    for (const p of kidList(op, 'Parameters')) {
      const t = this.textOf(p);
      if (!/^\s*(kind\s*=\s*outer|isfuzzy\s*=\s*(true|false))\s*$/i.test(t)) {
        throw new KqlUnsupported(p, `union parameter ${t} is outside the subset`);
      }
    }
    const parts = kidList(op, 'Expressions').map((e) => this.tabular(e));
    if (input) parts.unshift(input);
    const names = (op.columns ?? []).map((c) => c.name);
    return {
      fresh: true,
      fn: (run) => {
        const rows: Row[] = [];
        for (const p of parts) for (const r of p.fn(run)) rows.push(pick(r, names, names));
        return rows;
      },
    };
  }

  private mvExpand(op: KNode, input: Tab, inCols: readonly KColumn[]): Tab {
    for (const p of kidList(op, 'Parameters'))
      throw new KqlUnsupported(p, `mv-expand ${this.textOf(p)} is outside the subset`);
    if (kid(op, 'RowLimitClause'))
      throw new KqlUnsupported(kid(op, 'RowLimitClause')!, 'mv-expand limit is outside the subset');
    const inNames = new Set(inCols.map((c) => c.name));
    const outCols = op.columns ?? [];
    const items = kidList(op, 'Expressions').map((m) => {
      let e = kid(m, 'Expression')!;
      let name: string;
      if (e.kind === 'SimpleNamedExpression') {
        name = this.nameOf(kid(e, 'Name')!);
        e = kid(e, 'Expression')!;
      } else if (e.kind === 'NameReference') name = this.textOf(e);
      else name = outCols.find((c) => !inNames.has(c.name))?.name ?? 'Column1';
      const to = outCols.find((c) => c.name === name)?.type ?? 'dynamic';
      return { name, fn: this.scalar(e), to };
    });
    const conv = (v: unknown, to: string): unknown => {
      if (to === 'string') return v === null || v === undefined ? '' : str(v);
      if (to === 'long' || to === 'int' || to === 'real')
        return typeof v === 'number' ? v : v === null ? null : Number(v);
      return v ?? null;
    };
    return {
      fresh: true,
      fn: (run) => {
        const rows: Row[] = [];
        for (const r of input.fn(run)) {
          const lists = items.map((it) => {
            const v = it.fn(r, run);
            if (Array.isArray(v)) return v;
            if (v !== null && typeof v === 'object')
              return Object.entries(v as Record<string, unknown>).map(([k, x]) => ({ [k]: x }));
            return [v];
          });
          const n = Math.max(0, ...lists.map((l) => l.length));
          for (let i = 0; i < n; i++) {
            const o: Row = { ...r };
            carryIngestion(r, o);
            items.forEach((it, j) => {
              o[it.name] = conv(lists[j]![i] ?? null, it.to);
            });
            rows.push(o);
          }
          if (rows.length + run.produced > run.maxRows)
            throw new KqlRunLimit(
              `mv-expand produced more than ${run.maxRows} rows in one run: filter the rows first, or expand smaller arrays`,
            );
        }
        run.produced += rows.length;
        return rows;
      },
    };
  }

  private sort(_op: KNode, items: KNode[], input: Tab): Tab {
    const keys = items.map((o) => {
      const e = o.kind === 'OrderedExpression' ? kid(o, 'Expression')! : o;
      const ordering = o.kind === 'OrderedExpression' ? kid(o, 'Ordering') : undefined;
      const t = ordering ? this.textOf(ordering).toLowerCase() : '';
      const asc = /\basc\b/.test(t);
      const nullsFirst = /nulls\s+first/.test(t) || (asc && !/nulls\s+last/.test(t));
      return { fn: this.scalar(e), asc, nullsFirst };
    });
    return {
      fresh: input.fresh,
      fn: (run) => {
        const rows = input.fn(run).map((r, i) => ({ r, i, k: keys.map((k) => k.fn(r, run)) }));
        rows.sort((a, b) => {
          for (let j = 0; j < keys.length; j++) {
            const { asc, nullsFirst } = keys[j]!;
            const x = a.k[j];
            const y = b.k[j];
            const xn = x === null || x === undefined;
            const yn = y === null || y === undefined;
            if (xn || yn) {
              if (xn && yn) continue;
              return xn === nullsFirst ? -1 : 1;
            }
            const c = compareValues(x, y);
            if (c !== 0) return asc ? c : -c;
          }
          return a.i - b.i;
        });
        return rows.map((x) => x.r);
      },
    };
  }

  // ---------------------------------------------------------------- scalar

  args(call: KNode): KNode[] {
    const list = kid(call, 'ArgumentList');
    return list ? kidList(list, 'Expressions') : [];
  }

  scalar(n: KNode): Scalar {
    const k = n.kind;
    switch (k) {
      case 'LongLiteralExpression':
      case 'IntLiteralExpression':
      case 'RealLiteralExpression':
      case 'DecimalLiteralExpression': {
        const t = this.textOf(n).trim();
        const inner = /^\w+\((.*)\)$/.exec(t)?.[1] ?? t;
        const v = inner.trim().toLowerCase() === 'null' ? null : Number(inner);
        if (v !== null && Number.isNaN(v)) throw new KqlUnsupported(n, `cannot read the number ${t}`);
        return () => v;
      }
      case 'BooleanLiteralExpression': {
        const v = /true/i.test(this.textOf(n));
        return () => v;
      }
      case 'NullLiteralExpression':
        return () => null;
      case 'StringLiteralExpression': {
        const tok = kid(n, 'Token');
        const v = tok?.value ?? '';
        return () => v;
      }
      case 'CompoundStringLiteralExpression': {
        const v = kidList(n, 'Tokens')
          .map((t) => t.value ?? '')
          .join('');
        return () => v;
      }
      case 'TimespanLiteralExpression': {
        const v = parseTimespan(this.textOf(n));
        if (v === undefined) throw new KqlUnsupported(n, `cannot read the timespan ${this.textOf(n)}`);
        return () => v;
      }
      case 'DateTimeLiteralExpression': {
        const inner = /^datetime\((.*)\)$/i.exec(this.textOf(n).trim())?.[1]?.trim() ?? '';
        const v =
          inner === '' || inner === 'null'
            ? null
            : Date.parse(
                /[zZ]|[+-]\d\d:?\d\d$/.test(inner) || !/\d/.test(inner) ? inner : `${inner.replace(' ', 'T')}Z`,
              );
        if (v !== null && Number.isNaN(v)) throw new KqlUnsupported(n, `cannot read the datetime ${this.textOf(n)}`);
        return () => v;
      }
      case 'DynamicExpression': {
        const v = this.json(kid(n, 'Expression')!);
        return () => structuredClone(v);
      }
      case 'ParenthesizedExpression':
        return this.scalar(kid(n, 'Expression')!);
      case 'NameReference':
        return this.nameReference(n);
      case 'PathExpression': {
        const left = this.scalar(kid(n, 'Expression')!);
        const sel = kid(n, 'Selector')!;
        const key = this.nameOf(sel);
        return (r, run) => {
          const v = left(r, run);
          return v !== null && typeof v === 'object' && !Array.isArray(v)
            ? ((v as Record<string, unknown>)[key] ?? null)
            : null;
        };
      }
      case 'ElementExpression': {
        const left = this.scalar(kid(n, 'Expression')!);
        const sel = kid(n, 'Selector')!;
        const idx = this.scalar(sel.kind === 'BracketedExpression' ? kid(sel, 'Expression')! : sel);
        return (r, run) => {
          const v = left(r, run);
          const i = idx(r, run);
          if (Array.isArray(v) && typeof i === 'number') return v[i < 0 ? v.length + i : i] ?? null;
          if (v !== null && typeof v === 'object' && typeof i === 'string')
            return (v as Record<string, unknown>)[i] ?? null;
          return null;
        };
      }
      case 'UnaryMinusExpression': {
        const e = this.scalar(kid(n, 'Expression')!);
        return (r, run) => {
          const v = e(r, run);
          return typeof v === 'number' ? -v : null;
        };
      }
      case 'UnaryPlusExpression':
        return this.scalar(kid(n, 'Expression')!);
      case 'AndExpression': {
        const a = this.scalar(kid(n, 'Left')!);
        const b = this.scalar(kid(n, 'Right')!);
        return (r, run) => a(r, run) === true && b(r, run) === true;
      }
      case 'OrExpression': {
        const a = this.scalar(kid(n, 'Left')!);
        const b = this.scalar(kid(n, 'Right')!);
        return (r, run) => a(r, run) === true || b(r, run) === true;
      }
      case 'AddExpression':
      case 'SubtractExpression':
      case 'MultiplyExpression':
      case 'DivideExpression':
      case 'ModuloExpression':
        return this.arithmetic(n);
      case 'BetweenExpression':
      case 'NotBetweenExpression': {
        const x = this.scalar(kid(n, 'Left')!);
        const couple = kid(n, 'Right')!;
        const lo = this.scalar(kid(couple, 'First')!);
        const secondNode = kid(couple, 'Second')!;
        const second = this.scalar(secondNode);
        // `between (datetime .. timespan)`: the end is the start plus the span
        const span = kid(n, 'Left')!.type === 'datetime' && secondNode.type === 'timespan';
        const hi: Scalar = span
          ? (r, run) => {
              const a = lo(r, run);
              const b = second(r, run);
              return typeof a === 'number' && typeof b === 'number' ? a + b : null;
            }
          : second;
        const neg = k === 'NotBetweenExpression';
        return (r, run) => {
          const v = x(r, run);
          const a = cmp(v, lo(r, run));
          const b = cmp(v, hi(r, run));
          if (a === null || b === null) return null;
          return neg !== (a >= 0 && b <= 0);
        };
      }
      case 'MatchesRegexExpression': {
        const left = kid(n, 'Left')!;
        const right = kid(n, 'Right')!;
        const a = this.scalar(left);
        if (
          !/LiteralExpression$/.test(right.kind) &&
          !(right.kind === 'NameReference' && this.lets.has(this.textOf(right)))
        ) {
          throw new KqlUnsupported(right, 'matches regex needs a constant pattern');
        }
        const pattern = this.scalar(right);
        const key = {};
        return (r, run) => {
          let rx = run.cache.get(key) as RegExp | undefined;
          if (!rx) {
            rx = kqlRegex(str(pattern(r, run)));
            run.cache.set(key, rx);
          }
          return rx.test(str(a(r, run), left.type));
        };
      }
      case 'HasAnyExpression':
      case 'HasAllExpression': {
        const left = kid(n, 'Left')!;
        const a = this.scalar(left);
        const terms = this.listValues(kid(n, 'Right')!);
        const all = k === 'HasAllExpression';
        return (r, run) => {
          const text = str(a(r, run), left.type);
          const list = terms(run);
          return all ? list.every((t) => kqlHas(text, str(t))) : hasAny(text, list);
        };
      }
      case 'FunctionCallExpression':
        return this.call(n);
      case 'ToScalarExpression': {
        const inner = this.tabular(kid(n, 'Expression')!);
        const key = {};
        return (_r, run) => {
          if (!run.cache.has(key)) {
            const rows = inner.fn(run as TRun);
            const first = rows[0];
            run.cache.set(key, first ? (Object.values(first)[0] ?? null) : null);
          }
          return run.cache.get(key);
        };
      }
      default:
        break;
    }
    if (COMPARISONS.has(k)) return this.comparison(n);
    const stringOp = STRING_OPS[k];
    if (stringOp) {
      const left = kid(n, 'Left')!;
      const a = this.scalar(left);
      const b = this.scalar(kid(n, 'Right')!);
      return (r, run) => {
        const x = a(r, run);
        if ((x === null || x === undefined) && left.type !== 'string' && left.type !== 'dynamic') return null;
        return stringOp(str(x, left.type), str(b(r, run)));
      };
    }
    const inOp = IN_OPS[k];
    if (inOp) {
      const [negate, ci] = inOp;
      const left = kid(n, 'Left')!;
      const a = this.scalar(left);
      const values = this.listValues(kid(n, 'Right')!);
      const key = {};
      return (r, run) => {
        let set = run.cache.get(key) as Set<string> | undefined;
        if (!set) {
          set = new Set(values(run).map((v) => (ci ? str(v).toLowerCase() : keyOf(v))));
          run.cache.set(key, set);
        }
        const v = a(r, run);
        if (v === null || v === undefined) return null;
        const found = set.has(ci ? str(v, left.type).toLowerCase() : keyOf(v));
        return negate ? !found : found;
      };
    }
    throw new KqlUnsupported(
      n,
      `${k.replace(/Expression$/, '')} expressions are outside the subset of KQL enumbench evaluates`,
      'see docs/kql.md',
    );
  }

  /** The values of an `in (…)` / `has_any (…)` list: constants, dynamic arrays (flattened) or a subquery's first column. */
  private listValues(list: KNode): (run: Run) => unknown[] {
    const items = list.kind === 'ExpressionList' ? kidList(list, 'Expressions') : [list];
    const parts = items.map((e) => {
      if (e.columns && e.type !== 'tuple' && e.kind !== 'DynamicExpression') {
        const t = this.tabular(e);
        return (run: Run) => t.fn(run as TRun).map((r) => Object.values(r)[0] ?? null);
      }
      if (this.readsColumns(e)) throw new KqlUnsupported(e, 'list values must not depend on the row');
      const f = this.scalar(e);
      return (run: Run) => {
        const v = f({}, run);
        return Array.isArray(v) ? v : [v];
      };
    });
    return (run) => parts.flatMap((p) => p(run));
  }

  private readsColumns(n: KNode): boolean {
    if (n.kind === 'NameReference' && n.symbol?.kind === 'Column') return true;
    for (const c of Object.values(n.kids)) {
      if (!c) continue;
      if (Array.isArray(c)) {
        if (c.some((x) => this.readsColumns(x))) return true;
      } else if (this.readsColumns(c)) return true;
    }
    return false;
  }

  private nameReference(n: KNode): Scalar {
    const name = this.nameOf(n);
    const b = this.lets.get(name);
    if (b?.kind === 'scalar') {
      const { fn, key } = b;
      return (_r, run) => {
        if (!run.cache.has(key)) run.cache.set(key, fn({}, run));
        return run.cache.get(key);
      };
    }
    if (b?.kind === 'tabular') throw new KqlUnsupported(n, `"${name}" is a table here, where a value is needed`);
    if (n.symbol && n.symbol.kind !== 'Column') {
      throw new KqlUnsupported(n, `"${name}" (${n.symbol.kind.toLowerCase()}) cannot be used as a value here`);
    }
    return (r) => r[name] ?? null;
  }

  private comparison(n: KNode): Scalar {
    const a = this.scalar(kid(n, 'Left')!);
    const b = this.scalar(kid(n, 'Right')!);
    switch (n.kind) {
      case 'EqualExpression':
        return (r, run) => eq(a(r, run), b(r, run));
      case 'NotEqualExpression':
        return (r, run) => {
          const e = eq(a(r, run), b(r, run));
          return e === null ? null : !e;
        };
      default: {
        const test =
          n.kind === 'LessThanExpression'
            ? (c: number) => c < 0
            : n.kind === 'LessThanOrEqualExpression'
              ? (c: number) => c <= 0
              : n.kind === 'GreaterThanExpression'
                ? (c: number) => c > 0
                : (c: number) => c >= 0;
        return (r, run) => {
          const c = cmp(a(r, run), b(r, run));
          return c === null ? null : test(c);
        };
      }
    }
  }

  private arithmetic(n: KNode): Scalar {
    const a = this.scalar(kid(n, 'Left')!);
    const b = this.scalar(kid(n, 'Right')!);
    const integral = n.type === 'long' || n.type === 'int';
    const op = n.kind;
    return (r, run) => {
      const x = a(r, run);
      const y = b(r, run);
      if (typeof x !== 'number' || typeof y !== 'number') return null;
      switch (op) {
        case 'AddExpression':
          return x + y;
        case 'SubtractExpression':
          return x - y;
        case 'MultiplyExpression':
          return x * y;
        case 'DivideExpression':
          if (y === 0) return null;
          return integral ? Math.trunc(x / y) : x / y;
        default:
          if (y === 0) return null;
          return x % y;
      }
    };
  }

  private call(n: KNode): Scalar {
    const name = fnName(n).toLowerCase();
    if (name === 'materialize') throw new KqlUnsupported(n, 'materialize() takes a table here');
    if (AGGREGATES[name] || AGGREGATE_ALIASES[name]) {
      throw new KqlUnsupported(n, `${name}() aggregates: it belongs in summarize`);
    }
    const builder = FUNCTIONS[name];
    if (!builder)
      throw new KqlUnsupported(
        n,
        `the function ${name}() is outside the subset of KQL enumbench evaluates`,
        'see docs/kql.md',
      );
    const argNodes = this.args(n);
    return builder(
      argNodes.map((a) => this.scalar(a)),
      argNodes,
      n,
    );
  }

  /** A `dynamic(...)` literal's value. */
  private json(n: KNode): unknown {
    switch (n.kind) {
      case 'JsonArrayExpression':
        return kidList(n, 'Values').map((v) => this.json(v));
      case 'JsonObjectExpression': {
        const o: Record<string, unknown> = {};
        for (const pair of kidList(n, 'Pairs')) {
          const nameTok = kid(pair, 'Name');
          const key = nameTok?.value ?? this.textOf(nameTok ?? pair).replace(/^["']|["']$/g, '');
          o[key] = this.json(kid(pair, 'Value')!);
        }
        return o;
      }
      case 'NullLiteralExpression':
        return null;
      default: {
        if (/LiteralExpression$/.test(n.kind) || n.kind === 'UnaryMinusExpression') {
          return this.scalar(n)({}, { now: 0, cache: new Map() });
        }
        throw new KqlUnsupported(n, `${n.kind} inside dynamic() is outside the subset`);
      }
    }
  }
}

/** A new row with `names` taken from `sources` of `r` (the ingestion time kept). */
function pick(r: Row, names: readonly string[], sources: readonly string[]): Row {
  const o: Row = {};
  carryIngestion(r, o);
  for (let i = 0; i < names.length; i++) o[names[i]!] = r[sources[i]!] ?? null;
  return o;
}
