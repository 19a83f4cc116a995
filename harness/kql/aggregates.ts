/**
 * The aggregation functions `summarize` supports. Each builder receives the compiled arguments and
 * returns a function from a group's rows to the aggregate's value(s): one value, or for
 * `arg_max`/`arg_min` the tuple the binder gave the call's type.
 *
 * `dcount` is exact (Kusto's is a HyperLogLog estimate; exact counts keep results reproducible and
 * equal to the TypeScript ports'). `make_set`/`make_list` keep values in the order the rows come
 * (Kusto leaves it unspecified) and honour the size cap (default 1,048,576).
 */
import { fnName, KqlUnsupported, type Run, type Scalar } from './functions.js';
import type { KNode } from './kusto.js';
import type { Row } from './tables.js';
import { compareValues, keyOf } from './values.js';

export type Aggregate = (rows: readonly Row[], run: Run) => unknown[];
type Builder = (args: Scalar[], nodes: KNode[], call: KNode, constant: (s: Scalar) => unknown) => Aggregate;

const DEFAULT_CAP = 1_048_576;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function cap(s: Scalar | undefined, constant: (s: Scalar) => unknown): number {
  if (!s) return DEFAULT_CAP;
  const n = constant(s);
  return typeof n === 'number' && n > 0 ? Math.min(n, DEFAULT_CAP) : DEFAULT_CAP;
}

function makeSet(rows: readonly Row[], run: Run, value: Scalar, max: number, pred?: Scalar): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  const add = (v: unknown) => {
    if (v === null || v === undefined || out.length >= max) return;
    const k = keyOf(v);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(v);
  };
  for (const r of rows) {
    if (out.length >= max) break;
    if (pred && pred(r, run) !== true) continue;
    const v = value(r, run);
    if (Array.isArray(v)) for (const x of v) add(x);
    else add(v);
  }
  return out;
}

function makeList(rows: readonly Row[], run: Run, value: Scalar, max: number, pred?: Scalar): unknown[] {
  const out: unknown[] = [];
  for (const r of rows) {
    if (out.length >= max) break;
    if (pred && pred(r, run) !== true) continue;
    const v = value(r, run);
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.length < max && out.push(x);
    else out.push(v);
  }
  return out;
}

function extreme(sign: 1 | -1): Builder {
  return ([a], nodes, call) => {
    if (nodes.length !== 1) throw new KqlUnsupported(call, `${fnName(call)}() takes one argument`);
    return (rows, run) => {
      let best: unknown = null;
      for (const r of rows) {
        const v = a!(r, run);
        if (v === null || v === undefined || v === '') continue;
        if (best === null || sign * compareValues(v, best) > 0) best = v;
      }
      return [best];
    };
  };
}

function argExtreme(sign: 1 | -1): Builder {
  return (args, nodes, call) => {
    if (nodes.length < 1)
      throw new KqlUnsupported(call, `${fnName(call)}() takes an expression and the columns to return`);
    const width = call.type === 'tuple' && call.columns ? call.columns.length : 1;
    const star = nodes.some((n) => n.kind === 'StarExpression');
    const tupleNames = call.columns?.map((c) => c.name) ?? [];
    const explicit = args.slice(1);
    return (rows, run) => {
      let best: Row | undefined;
      let bestV: unknown = null;
      for (const r of rows) {
        const v = args[0]!(r, run);
        if (v === null || v === undefined) continue;
        if (best === undefined || sign * compareValues(v, bestV) > 0) {
          best = r;
          bestV = v;
        }
      }
      if (best === undefined) return new Array<unknown>(width).fill(null);
      const out: unknown[] = [bestV];
      if (star) for (let i = 1; i < width; i++) out.push(best[tupleNames[i]!] ?? null);
      else for (const e of explicit) out.push(e(best, run));
      while (out.length < width) out.push(null);
      return out.slice(0, width);
    };
  };
}

export const AGGREGATES: Readonly<Record<string, Builder>> = {
  count: (_a, nodes, call) => {
    if (nodes.length > 0) throw new KqlUnsupported(call, 'count() takes no argument (use countif(predicate))');
    return (rows) => [rows.length];
  },
  countif:
    ([p]) =>
    (rows, run) => {
      let n = 0;
      for (const r of rows) if (p!(r, run) === true) n++;
      return [n];
    },
  dcount:
    ([a]) =>
    (rows, run) => {
      const seen = new Set<string>();
      for (const r of rows) {
        const v = a!(r, run);
        if (v === null || v === undefined) continue;
        seen.add(keyOf(v));
      }
      return [seen.size];
    },
  dcountif:
    ([a, p]) =>
    (rows, run) => {
      const seen = new Set<string>();
      for (const r of rows) {
        if (p!(r, run) !== true) continue;
        const v = a!(r, run);
        if (v !== null && v !== undefined) seen.add(keyOf(v));
      }
      return [seen.size];
    },
  sum:
    ([a]) =>
    (rows, run) => {
      let s = 0;
      let any = false;
      for (const r of rows) {
        const v = num(a!(r, run));
        if (v === null) continue;
        s += v;
        any = true;
      }
      return [any ? s : null];
    },
  sumif:
    ([a, p]) =>
    (rows, run) => {
      let s = 0;
      for (const r of rows) {
        if (p!(r, run) !== true) continue;
        s += num(a!(r, run)) ?? 0;
      }
      return [s];
    },
  avg:
    ([a]) =>
    (rows, run) => {
      let s = 0;
      let n = 0;
      for (const r of rows) {
        const v = num(a!(r, run));
        if (v === null) continue;
        s += v;
        n++;
      }
      return [n ? s / n : null];
    },
  min: extreme(-1),
  max: extreme(1),
  make_set: ([a, c], _n, _call, constant) => {
    const max = cap(c, constant);
    return (rows, run) => [makeSet(rows, run, a!, max)];
  },
  make_set_if: ([a, p, c], _n, _call, constant) => {
    const max = cap(c, constant);
    return (rows, run) => [makeSet(rows, run, a!, max, p)];
  },
  make_list: ([a, c], _n, _call, constant) => {
    const max = cap(c, constant);
    return (rows, run) => [makeList(rows, run, a!, max)];
  },
  make_list_if: ([a, p, c], _n, _call, constant) => {
    const max = cap(c, constant);
    return (rows, run) => [makeList(rows, run, a!, max, p)];
  },
  arg_max: argExtreme(1),
  arg_min: argExtreme(-1),
  take_any:
    ([a]) =>
    (rows, run) => [rows.length ? a!(rows[0]!, run) : null],
  any:
    ([a]) =>
    (rows, run) => [rows.length ? a!(rows[0]!, run) : null],
};

AGGREGATES satisfies Record<string, Builder>;
export const AGGREGATE_ALIASES: Readonly<Record<string, string>> = {
  makeset: 'make_set',
  makelist: 'make_list',
  count_distinct: 'dcount',
};
