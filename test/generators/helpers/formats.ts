/**
 * Value formats, field by field (issue #13 item 3): what a value looks like, so a record of ours can
 * be held against a real one — not only which keys it has. Strings by their structural form (GUID
 * and its case, timestamp fraction digits and offset, digits-only, address, address with port, JSON
 * text); numbers as integer or not; objects and arrays recursively.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

/** The form of a string value: what a parser keyed on it would notice. */
export function stringFormat(s: string): string {
  if (s === '') return 'empty';
  if (GUID.test(s)) return `guid/${s === s.toLowerCase() ? 'lower' : s === s.toUpperCase() ? 'upper' : 'mixed'}`;
  const t = TIME.exec(s);
  if (t) return `time/${(t[1] ?? '').length} digits/${t[2] ?? 'no offset'}`;
  if (/^-?\d+$/.test(s)) return 'integer text';
  if (IPV4.test(s) || (s.includes(':') && IPV6.test(s) && s.split(':').length > 2)) return 'address';
  if (/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):\d+$/i.test(s)) return 'address:port';
  if (/^[[{]/.test(s)) {
    try {
      JSON.parse(s);
      return 'JSON text';
    } catch {
      /* text */
    }
  }
  return 'text';
}

/** The form of any JSON value, shallow: the type, and for strings and numbers their form. */
export function valueFormat(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return `string: ${stringFormat(v)}`;
    case 'number':
      return Number.isInteger(v) ? 'number: integer' : 'number: fraction';
    default:
      return typeof v;
  }
}

/** The samples' stand-ins for redacted values (samples/SOURCES.md): a field, but no format to copy. */
const PLACEHOLDER = /<[A-Z ]+>|REDACTED|^uuid-|^user_(obj|id)_|_masked|^unique_item_id|g{4}|-0G-/;

/**
 * Every path of a record with the formats its values take. Arrays of `{Name, Value}` are keyed by
 * name (`ExtendedProperties[UserAgent].Value`); other arrays' elements share `path[]`.
 */
export function formatsOf(o: unknown, path = '', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const add = (p: string, f: string) => {
    const s = out.get(p) ?? new Set<string>();
    out.set(p, s);
    s.add(f);
  };
  if (path) add(path, typeof o === 'string' && PLACEHOLDER.test(o) ? 'string: placeholder' : valueFormat(o));
  if (Array.isArray(o)) {
    for (const e of o) {
      const named = typeof e === 'object' && e !== null && typeof (e as { Name?: unknown }).Name === 'string';
      formatsOf(e, named ? `${path}[${(e as { Name: string }).Name}]` : `${path}[]`, out);
    }
  } else if (typeof o === 'object' && o !== null) {
    for (const [k, v] of Object.entries(o)) formatsOf(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/** The paths of an object's keys, nested objects included, arrays not entered. */
export function keyPaths(o: unknown, path = ''): string[] {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return [];
  return Object.entries(o).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    return [p, ...keyPaths(v, p)];
  });
}

/**
 * Where our records of one kind write a value in a form none of the real records of that kind
 * shows, or lack a field they have. `real` formats: the union over the samples (a placeholder
 * allows any string; a fraction allows an integer, which a fraction may land on). `skip`: paths
 * not compared, each with its reason at the caller.
 */
export function formatDifferences(
  real: readonly unknown[],
  ours: readonly unknown[],
  skip: (path: string) => boolean = () => false,
): string[] {
  const want = new Map<string, Set<string>>();
  for (const r of real)
    for (const [p, fs] of formatsOf(r)) for (const f of fs) (want.get(p) ?? want.set(p, new Set()).get(p))?.add(f);
  const have = new Map<string, Set<string>>();
  for (const r of ours)
    for (const [p, fs] of formatsOf(r)) for (const f of fs) (have.get(p) ?? have.set(p, new Set()).get(p))?.add(f);
  const out: string[] = [];
  for (const [p, fs] of want) {
    if (skip(p)) continue;
    const mine = have.get(p);
    if (!mine) {
      // a keyed array entry ([Name]) may be one our records never need; a plain field may not
      if (!p.includes('[')) out.push(`${p}: in the samples, never in ours`);
      continue;
    }
    const ok = new Set(fs);
    if (fs.has('number: fraction')) ok.add('number: integer');
    if (fs.has('null')) continue; // the sample's null says nothing of the value's form
    for (const f of mine) {
      if (ok.has(f)) continue;
      if (fs.has('string: placeholder') && f.startsWith('string: ')) continue;
      // an empty string is a value (no device, no session), not a form: only its type is compared
      if (f === 'string: empty' && [...fs].some((x) => x.startsWith('string: '))) continue;
      if (f === 'null' && p.includes('[')) continue;
      out.push(`${p}: ${[...fs].join(' | ')} in the samples, ${f} in ours`);
    }
  }
  return out;
}
