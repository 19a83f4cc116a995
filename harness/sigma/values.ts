/**
 * Sigma field values and value modifiers (Sigma specification, "Modifiers"), compiled once into
 * predicates over a field's value in a row:
 *
 * - plain values: case-insensitive, whole-value, with `*` (any run) and `?` (one character)
 *   wildcards and `\` escapes; numbers and booleans compare as their text; `null` matches a
 *   missing or empty field; a list is any-of;
 * - `contains`, `startswith`, `endswith`; `all` (every value of the list); `cased`;
 * - `re` (a regular expression, case-sensitive unless `|re|i`; `|re|m`, `|re|s`);
 * - `cidr` (IPv4 and IPv6 networks, node:net BlockList);
 * - `base64`, `base64offset` (the three shifted encodings, with `contains`); `windash` (every
 *   dash form of command-line options);
 * - `exists` (true/false); `gt`, `gte`, `lt`, `lte` (numbers); `fieldref` (another field's value).
 *
 * Modifiers outside this list (`utf16le`, `utf16be`, `utf16`, `wide`, `expand`) are refused with
 * their name: they concern Windows event encodings and placeholders that these logs do not have.
 */
import { BlockList, isIP } from 'node:net';

export const SUPPORTED_MODIFIERS = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'cased',
  're',
  'i',
  'm',
  's',
  'cidr',
  'base64',
  'base64offset',
  'windash',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
  'fieldref',
] as const;
export const REFUSED_MODIFIERS = ['utf16le', 'utf16be', 'utf16', 'wide', 'expand'] as const;

export type FieldGetter = (field: string) => unknown;
/** A value test: given the field's value and a getter for other fields (fieldref). */
export type ValueTest = (value: unknown, get: FieldGetter) => boolean;

export type ValueCompile = { ok: true; test: ValueTest } | { ok: false; message: string; hint: string };

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A Sigma string with wildcards → the body of a RegExp (unanchored). */
export function wildcardBody(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length && '*?\\'.includes(s[i + 1] as string)) {
      out += escapeRe(s[i + 1] as string);
      i++;
    } else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += escapeRe(c);
  }
  return out;
}

/** Every text form of a field value (a list gives each element; objects their JSON). */
function texts(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(texts);
  if (typeof v === 'object') return [JSON.stringify(v)];
  return [String(v)];
}

function base64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** The three encodings of `s` at byte offsets 0, 1 and 2, trimmed to the characters that do not depend on neighbours. */
export function base64Offsets(s: string): string[] {
  const out: string[] = [];
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  for (let i = 0; i < 3; i++) {
    const enc = base64(`${' '.repeat(i)}${s}`);
    const len = Buffer.byteLength(s, 'utf8') + i;
    const end = ends[len % 3] as number;
    out.push(enc.slice(starts[i], end === 0 ? undefined : end));
  }
  return out;
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** windash: the value with each option dash (at the start or after a space) as each dash form. */
export function windashVariants(s: string): string[] {
  const out = new Set<string>([s]);
  for (const d of DASHES) out.add(s.replace(/(^|\s)[-/]/g, (_m, pre: string) => `${pre}${d}`));
  return [...out];
}

function isBool(v: unknown): v is boolean {
  return typeof v === 'boolean';
}

/**
 * Compile one field's values with its modifiers. `values` is the YAML value: a scalar, null or a
 * list of them.
 */
export function compileValues(modifiers: readonly string[], values: unknown): ValueCompile {
  const has = (m: string) => modifiers.includes(m);
  const list = Array.isArray(values) ? values : [values];
  if (list.length === 0)
    return { ok: false, message: 'an empty list of values matches nothing', hint: 'give at least one value' };
  for (const v of list) {
    if (v !== null && typeof v === 'object') {
      return {
        ok: false,
        message: 'a field value must be a string, number, boolean or null',
        hint: 'nested maps are not Sigma values',
      };
    }
  }
  if (has('exists')) {
    if (list.length !== 1 || !isBool(list[0])) {
      return { ok: false, message: '"exists" takes true or false', hint: 'e.g. "UserAgent|exists: true"' };
    }
    const want = list[0];
    return { ok: true, test: (v) => (v !== undefined && v !== null && v !== '') === want };
  }
  const numeric = ['gt', 'gte', 'lt', 'lte'].filter(has);
  if (numeric.length) {
    const op = numeric[0] as string;
    const nums = list.map((v) => Number(v));
    if (numeric.length > 1 || nums.some((n) => !Number.isFinite(n))) {
      return { ok: false, message: `"${op}" compares with a number`, hint: 'e.g. "ResponseSizeBytes|gt: 100000"' };
    }
    const cmp = (a: number, b: number) => (op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b);
    return {
      ok: true,
      test: (v) =>
        texts(v).some((t) => {
          const n = Number(t);
          return t.trim() !== '' && Number.isFinite(n) && nums.some((b) => cmp(n, b));
        }),
    };
  }
  if (has('cidr')) {
    const block = new BlockList();
    for (const v of list) {
      const m = /^([^/]+)\/(\d{1,3})$/.exec(String(v));
      const type = m ? isIP(m[1] as string) : 0;
      if (!m || type === 0 || Number(m[2]) > (type === 4 ? 32 : 128)) {
        return {
          ok: false,
          message: `not a CIDR network: "${String(v)}"`,
          hint: 'e.g. "10.0.0.0/8" or "2001:db8::/32"',
        };
      }
      block.addSubnet(m[1] as string, Number(m[2]), type === 4 ? 'ipv4' : 'ipv6');
    }
    return {
      ok: true,
      test: (v) =>
        texts(v).some((t) => {
          const type = isIP(t);
          return type !== 0 && block.check(t, type === 4 ? 'ipv4' : 'ipv6');
        }),
    };
  }
  if (has('re')) {
    const flags = `${has('i') ? 'i' : ''}${has('m') ? 'm' : ''}${has('s') ? 's' : ''}`;
    const res: RegExp[] = [];
    for (const v of list) {
      try {
        res.push(new RegExp(String(v), flags));
      } catch (e) {
        return {
          ok: false,
          message: `not a regular expression: ${(e as Error).message}`,
          hint: 'check the escaping of the pattern',
        };
      }
    }
    const all = has('all');
    return {
      ok: true,
      test: (v) => {
        const ts = texts(v);
        const hit = (re: RegExp) => ts.some((t) => re.test(t));
        return all ? res.every(hit) : res.some(hit);
      },
    };
  }
  if (has('fieldref')) {
    const all = has('all');
    const cased = has('cased');
    const eq = (a: string, b: string) => (cased ? a === b : a.toLowerCase() === b.toLowerCase());
    return {
      ok: true,
      test: (v, get) => {
        const ts = texts(v);
        const hit = (f: unknown) => texts(get(String(f))).some((o) => ts.some((t) => eq(t, o)));
        return all ? list.every(hit) : list.some(hit);
      },
    };
  }
  // string matching
  let patterns: string[][] = list.map((v) => (v === null ? [] : [typeof v === 'string' ? v : String(v)]));
  const nullWanted = list.some((v) => v === null);
  if (has('windash')) patterns = patterns.map((ps) => ps.flatMap(windashVariants));
  if (has('base64offset')) {
    if (!has('contains')) {
      return {
        ok: false,
        message: '"base64offset" is used with "contains"',
        hint: 'write "field|base64offset|contains: value"',
      };
    }
    patterns = patterns.map((ps) => ps.flatMap((p) => base64Offsets(p).map((x) => x.replace(/[*?\\]/g, '\\$&'))));
  } else if (has('base64')) {
    patterns = patterns.map((ps) => ps.map((p) => base64(p).replace(/[*?\\]/g, '\\$&')));
  }
  const flags = has('cased') ? 's' : 'is';
  const regexes = patterns.map((ps) =>
    ps.map((p) => {
      let body = wildcardBody(p);
      if (has('contains')) body = `.*${body}.*`;
      else if (has('startswith')) body = `${body}.*`;
      else if (has('endswith')) body = `.*${body}`;
      return new RegExp(`^${body}$`, flags);
    }),
  );
  const all = has('all');
  return {
    ok: true,
    test: (v) => {
      const ts = texts(v);
      const one = (res: RegExp[], i: number) => {
        if (list[i] === null) return ts.length === 0 || ts.every((t) => t === '');
        return res.some((re) => ts.some((t) => re.test(t)));
      };
      if (nullWanted && !all && ts.length === 0) return true;
      return all ? regexes.every(one) : regexes.some(one);
    },
  };
}
