/**
 * The scalar functions of the supported KQL subset (docs/kql.md lists them). Each builder receives
 * its compiled arguments and their syntax nodes (for static types and constant arguments) and
 * returns the function evaluated per row.
 */
import { kqlHas } from '../../detectors/published/kql.js';
import type { KNode } from './kusto.js';
import type { Row } from './tables.js';
import { ingestionOf, keyOf, parseTimespan, toKqlString } from './values.js';

/** The state of one scheduled run. */
export interface Run {
  /** the run's instant: `now()`, and what `ago()` counts back from */
  now: number;
  /** scalar `let` values and materialised tabular `let`s, computed once per run */
  cache: Map<object, unknown>;
  /** the rows of the serialised set being extended (row_number, prev) */
  serial?: { rows: readonly Row[]; i: number };
}

export type Scalar = (row: Row, run: Run) => unknown;

export class KqlUnsupported extends Error {
  constructor(
    readonly node: KNode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

type Builder = (args: Scalar[], nodes: KNode[], call: KNode) => Scalar;

const isArr = Array.isArray;

export function str(v: unknown, type?: string): string {
  return toKqlString(v, type);
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** KQL regex text (RE2) as a JavaScript RegExp: `(?i)` becomes the i flag. */
export function kqlRegex(pattern: string, flags = ''): RegExp {
  let p = pattern;
  let f = flags;
  const m = /^\(\?([imsx]+)\)/.exec(p);
  if (m) {
    p = p.slice(m[0].length);
    for (const c of m[1]!) if ('ims'.includes(c) && !f.includes(c)) f += c;
  }
  return new RegExp(p, f);
}

function arity(call: KNode, nodes: KNode[], min: number, max: number): void {
  if (nodes.length < min || nodes.length > max) {
    throw new KqlUnsupported(call, `${fnName(call)}() takes ${min === max ? min : `${min} to ${max}`} arguments here`);
  }
}

export function fnName(call: KNode): string {
  const n = call.kids.Name;
  if (n && !Array.isArray(n)) {
    const tok = n.kids.Name;
    if (tok && !Array.isArray(tok)) {
      const id = tok.kids.Name;
      if (id && !Array.isArray(id) && id.text) return id.text;
      if (tok.text) return tok.text;
    }
    if (n.symbol) return n.symbol.name;
  }
  return call.symbol?.name ?? '?';
}

/** A constant argument: literal text evaluated with no row (used for caps, regexes, indexes). */
function constant(s: Scalar): unknown {
  return s({}, { now: 0, cache: new Map() });
}

function isConstantNode(n: KNode): boolean {
  return /LiteralExpression$/.test(n.kind);
}

function parseUrl(v: unknown): Record<string, unknown> | null {
  const s = str(v);
  const m =
    /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#:]*)(?::(\d+))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(
      s,
    );
  if (!m) return {};
  const params: Record<string, string> = {};
  if (m[7])
    for (const kv of m[7].split('&')) {
      if (kv === '') continue;
      const i = kv.indexOf('=');
      const k = i < 0 ? kv : kv.slice(0, i);
      const val = i < 0 ? '' : kv.slice(i + 1);
      try {
        params[decodeURIComponent(k)] = decodeURIComponent(val.replace(/\+/g, ' '));
      } catch {
        params[k] = val;
      }
    }
  return {
    Scheme: m[1],
    Host: m[4] ?? '',
    Port: m[5] ?? '',
    Path: m[6] ?? '',
    Username: m[2] ?? '',
    Password: m[3] ?? '',
    'Query Parameters': params,
    Fragment: m[8] ?? '',
  };
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function distinctArray(values: Iterable<unknown>): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = keyOf(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const y = Math.abs(x) * f;
  const r = Math.floor(y + 0.5 + 1e-9) / f;
  return x < 0 ? -r : r;
}

/** `\1` group references in a KQL rewrite become `$1`. */
function rewrite(text: string): string {
  return text.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

const DATE_PART: Record<string, number> = {
  day: 86_400_000,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
};

export const FUNCTIONS: Readonly<Record<string, Builder>> = {
  ago: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const t = num(a!(r, run));
      return t === null ? null : run.now - t;
    };
  },
  now: (_a, n, c) => {
    arity(c, n, 0, 0);
    return (_r, run) => run.now;
  },
  ingestion_time: (_a, n, c) => {
    arity(c, n, 0, 0);
    return (r) => ingestionOf(r);
  },
  bin: ([a, b], n, c) => {
    arity(c, n, 2, 2);
    return (r, run) => {
      const x = num(a!(r, run));
      const size = num(b!(r, run));
      if (x === null || size === null || size <= 0) return null;
      return Math.floor(x / size) * size;
    };
  },
  floor: (args, n, c) => FUNCTIONS.bin!(args, n, c),
  iff: ([p, t, f], n, c) => {
    arity(c, n, 3, 3);
    return (r, run) => (p!(r, run) === true ? t!(r, run) : f!(r, run));
  },
  iif: (args, n, c) => FUNCTIONS.iff!(args, n, c),
  case: (args, n, c) => {
    if (n.length < 3 || n.length % 2 === 0)
      throw new KqlUnsupported(c, 'case() takes pairs of predicate, value and an else value');
    return (r, run) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (args[i]!(r, run) === true) return args[i + 1]!(r, run);
      return args[args.length - 1]!(r, run);
    };
  },
  isempty: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = a!(r, run);
      return v === null || v === undefined || v === '';
    };
  },
  isnotempty: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = a!(r, run);
      return !(v === null || v === undefined || v === '');
    };
  },
  isnull: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => a!(r, run) === null || a!(r, run) === undefined;
  },
  isnotnull: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => !(a!(r, run) === null || a!(r, run) === undefined);
  },
  coalesce: (args) => (r, run) => {
    for (const a of args) {
      const v = a(r, run);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return args.length ? (args[args.length - 1]!(r, run) ?? null) : null;
  },
  tostring: ([a], n, c) => {
    arity(c, n, 1, 1);
    const t = n[0]!.type;
    return (r, run) => {
      const v = a!(r, run);
      return t === 'dynamic' && v === null ? '' : str(v, t);
    };
  },
  toint: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = num(a!(r, run));
      return v === null ? null : Math.trunc(v);
    };
  },
  tolong: (args, n, c) => FUNCTIONS.toint!(args, n, c),
  todouble: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => num(a!(r, run));
  },
  toreal: (args, n, c) => FUNCTIONS.todouble!(args, n, c),
  tobool: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = a!(r, run);
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string') return /^true$/i.test(v) ? true : /^false$/i.test(v) ? false : null;
      return null;
    };
  },
  todatetime: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = a!(r, run);
      if (typeof v === 'number') return n[0]!.type === 'datetime' ? v : null;
      if (typeof v !== 'string') return null;
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
      return Number.isNaN(t) ? null : t;
    };
  },
  totimespan: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = a!(r, run);
      if (typeof v === 'number') return v;
      return typeof v === 'string' ? (parseTimespan(v) ?? null) : null;
    };
  },
  tolower: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => str(a!(r, run), n[0]!.type).toLowerCase();
  },
  toupper: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => str(a!(r, run), n[0]!.type).toUpperCase();
  },
  strlen: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => str(a!(r, run), n[0]!.type).length;
  },
  strcat: (args, n) => (r, run) => args.map((a, i) => str(a(r, run), n[i]!.type)).join(''),
  substring: ([a, s, l], n, c) => {
    arity(c, n, 2, 3);
    return (r, run) => {
      const text = str(a!(r, run), n[0]!.type);
      const start = Math.max(0, num(s!(r, run)) ?? 0);
      const len = l ? num(l(r, run)) : null;
      return len === null ? text.slice(start) : text.slice(start, start + Math.max(0, len));
    };
  },
  indexof: ([a, b], n, c) => {
    arity(c, n, 2, 2);
    return (r, run) => str(a!(r, run), n[0]!.type).indexOf(str(b!(r, run)));
  },
  split: ([a, d, i], n, c) => {
    arity(c, n, 2, 3);
    return (r, run) => {
      const parts = str(a!(r, run), n[0]!.type).split(str(d!(r, run)));
      if (!i) return parts;
      const k = num(i(r, run));
      return k === null || k < 0 || k >= parts.length ? [] : [parts[k]];
    };
  },
  replace_string: ([a, l, w], n, c) => {
    arity(c, n, 3, 3);
    return (r, run) => {
      const lookup = str(l!(r, run));
      const text = str(a!(r, run), n[0]!.type);
      return lookup === '' ? text : text.split(lookup).join(str(w!(r, run)));
    };
  },
  replace_regex: ([a, re, w], n, c) => {
    arity(c, n, 3, 3);
    if (!isConstantNode(n[1]!) || !isConstantNode(n[2]!)) {
      throw new KqlUnsupported(c, 'replace_regex() needs a constant regex and rewrite here');
    }
    const rx = kqlRegex(String(constant(re!)), 'g');
    const to = rewrite(String(constant(w!)));
    return (r, run) => str(a!(r, run), n[0]!.type).replace(rx, to);
  },
  extract: ([re, g, a], n, c) => {
    arity(c, n, 3, 3);
    if (!isConstantNode(n[0]!)) throw new KqlUnsupported(c, 'extract() needs a constant regex here');
    const rx = kqlRegex(String(constant(re!)));
    return (r, run) => {
      const m = rx.exec(str(a!(r, run), n[2]!.type));
      const k = num(g!(r, run)) ?? 0;
      return m ? (m[k] ?? '') : '';
    };
  },
  parse_json: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => parseJson(a!(r, run));
  },
  todynamic: (args, n, c) => FUNCTIONS.parse_json!(args, n, c),
  parse_url: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => parseUrl(a!(r, run));
  },
  array_length: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const v = a!(r, run);
      return isArr(v) ? v.length : null;
    };
  },
  set_intersect: (args, n, c) => {
    if (n.length < 2) throw new KqlUnsupported(c, 'set_intersect() takes two or more arrays');
    return (r, run) => {
      const arrays = args.map((a) => a(r, run));
      if (!arrays.every(isArr)) return null;
      const rest = arrays.slice(1).map((x) => new Set((x as unknown[]).map(keyOf)));
      return distinctArray((arrays[0] as unknown[]).filter((v) => rest.every((s) => s.has(keyOf(v)))));
    };
  },
  set_union: (args) => (r, run) => {
    const arrays = args.map((a) => a(r, run));
    if (!arrays.every(isArr)) return null;
    return distinctArray((arrays as unknown[][]).flat());
  },
  set_difference: (args, n, c) => {
    if (n.length < 2) throw new KqlUnsupported(c, 'set_difference() takes two or more arrays');
    return (r, run) => {
      const arrays = args.map((a) => a(r, run));
      if (!arrays.every(isArr)) return null;
      const drop = new Set((arrays.slice(1) as unknown[][]).flat().map(keyOf));
      return distinctArray((arrays[0] as unknown[]).filter((v) => !drop.has(keyOf(v))));
    };
  },
  array_concat: (args) => (r, run) => {
    const arrays = args.map((a) => a(r, run));
    return arrays.every(isArr) ? (arrays as unknown[][]).flat() : null;
  },
  pack_array: (args) => (r, run) => args.map((a) => a(r, run)),
  bag_pack: (args, n, c) => {
    if (n.length % 2 !== 0) throw new KqlUnsupported(c, 'bag_pack() takes key, value pairs');
    return (r, run) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i + 1 < args.length; i += 2) out[str(args[i]!(r, run))] = args[i + 1]!(r, run);
      return out;
    };
  },
  pack: (args, n, c) => FUNCTIONS.bag_pack!(args, n, c),
  round: ([a, d], n, c) => {
    arity(c, n, 1, 2);
    return (r, run) => {
      const x = num(a!(r, run));
      if (x === null) return null;
      return round(x, d ? (num(d(r, run)) ?? 0) : 0);
    };
  },
  abs: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const x = num(a!(r, run));
      return x === null ? null : Math.abs(x);
    };
  },
  datetime_diff: ([p, a, b], n, c) => {
    arity(c, n, 3, 3);
    if (!isConstantNode(n[0]!)) throw new KqlUnsupported(c, 'datetime_diff() needs a constant period');
    const part = String(constant(p!)).toLowerCase();
    const per = DATE_PART[part];
    if (per === undefined) throw new KqlUnsupported(n[0]!, `datetime_diff period "${part}" is outside the subset`);
    return (r, run) => {
      const x = num(a!(r, run));
      const y = num(b!(r, run));
      return x === null || y === null ? null : Math.floor(x / per) - Math.floor(y / per);
    };
  },
  startofday: ([a], n, c) => {
    arity(c, n, 1, 1);
    return (r, run) => {
      const x = num(a!(r, run));
      return x === null ? null : Math.floor(x / 86_400_000) * 86_400_000;
    };
  },
  row_number: ([s, restart], n, c) => {
    arity(c, n, 0, 2);
    const key = {};
    return (r, run) => {
      const serial = run.serial;
      if (!serial) return null;
      const start = s ? (num(s(r, run)) ?? 1) : 1;
      const prev = run.cache.get(key) as { i: number; value: number } | undefined;
      const again = restart ? restart(r, run) === true : false;
      const value = prev === undefined || prev.i !== serial.i - 1 || again ? start : prev.value + 1;
      run.cache.set(key, { i: serial.i, value });
      return value;
    };
  },
  prev: ([a, off, dflt], n, c) => {
    arity(c, n, 1, 3);
    return (r, run) => {
      const serial = run.serial;
      if (!serial) return null;
      const k = off ? (num(off(r, run)) ?? 1) : 1;
      const j = serial.i - k;
      if (j < 0) return dflt ? dflt(r, run) : null;
      return a!(serial.rows[j]!, run);
    };
  },
  next: ([a, off, dflt], n, c) => {
    arity(c, n, 1, 3);
    return (r, run) => {
      const serial = run.serial;
      if (!serial) return null;
      const j = serial.i + (off ? (num(off(r, run)) ?? 1) : 1);
      if (j >= serial.rows.length) return dflt ? dflt(r, run) : null;
      return a!(serial.rows[j]!, run);
    };
  },
};

/** KQL `has_any`: any term of the list occurs as a whole term. */
export function hasAny(text: string, terms: readonly unknown[]): boolean {
  for (const t of terms) if (kqlHas(text, str(t))) return true;
  return false;
}

export { kqlHas };
