/**
 * End-anchored replays move every timestamp inside a record by one constant shift (whole
 * seconds), so no record is dated after the real "now" (DESIGN.md "Time"). The rewrite works on
 * the record's JSON text: every string value that is a date-time (`2026-11-04T14:20:05`,
 * `…5522137Z`, `…+00:00`) is moved and written back in its own format (fraction digits, `Z` or
 * offset, or none as in UAL `CreationTime`); key order and everything else stay byte-identical.
 */

const DATE_TIME = /"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?"/g;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Shift every date-time string value in `json` by `shiftMs` (rounded down to whole seconds). */
export function rebaseJson(json: string, shiftMs: number): string {
  const shiftS = Math.floor(shiftMs / 1000);
  if (shiftS === 0) return json;
  return json.replace(DATE_TIME, (_m, y, mo, d, h, mi, s, frac?: string, zone?: string) => {
    const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + shiftS * 1000;
    const dt = new Date(t);
    return `"${dt.getUTCFullYear()}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}T${pad(dt.getUTCHours())}:${pad(dt.getUTCMinutes())}:${pad(dt.getUTCSeconds())}${frac ?? ''}${zone ?? ''}"`;
  });
}

/** The first top-level-looking value of a string field (records are flat at the start). */
export function firstStringField(json: string, field: string): string | undefined {
  const i = json.indexOf(`"${field}":"`);
  if (i < 0) return undefined;
  const start = i + field.length + 4;
  const end = json.indexOf('"', start);
  return end < 0 ? undefined : json.slice(start, end);
}

export function firstNumberField(json: string, field: string): number | undefined {
  const i = json.indexOf(`"${field}":`);
  if (i < 0) return undefined;
  const m = /^\s*(-?\d+)/.exec(json.slice(i + field.length + 3, i + field.length + 20));
  return m ? Number(m[1]) : undefined;
}
