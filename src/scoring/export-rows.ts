/**
 * The rows of an alert export, whatever container the SIEM wrote them in: CSV (csv-parse), a JSON
 * array, JSON lines (NDJSON), the Log Analytics query API's `{"tables":[{"columns","rows"}]}`,
 * Splunk's `{"results":[…]}` and its export stream (`{"preview":false,"result":{…}}` per line), and
 * Elasticsearch hits (`{"hits":{"hits":[{"_source":…}]}}`, or one hit per line). Each row keeps
 * the line (or array position) it came from, so a problem names it.
 *
 * CSV headers written by the Log Analytics portal carry the zone of their column
 * (`TimeGenerated [UTC]`, `CreatedTime [Local Time]`): the name is kept without it and the zone is
 * returned beside it ('UTC', or null for local time, which then needs `--timezone`).
 */
import { parse as parseCsv } from 'csv-parse/sync';

export interface ExportRow {
  /** 1-based line (CSV, JSON lines) or array position (JSON array, tables) */
  line: number;
  fields: Record<string, unknown>;
}

export interface RowProblem {
  line: number;
  problems: string[];
  text: string;
}

export interface ExportRows {
  container: 'csv' | 'json-array' | 'json-lines' | 'log-analytics' | 'splunk-results' | 'elastic-hits' | 'empty';
  rows: ExportRow[];
  problems: RowProblem[];
  /** zone named in a CSV column header: column → 'UTC' (a `[UTC]` header) or null (`[Local Time]`) */
  columnZones: Map<string, string | null>;
}

export function shorten(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether the text looks like JSON (an array, an object, or JSON lines) rather than CSV. */
function looksJson(text: string): boolean {
  const c = text.trimStart()[0];
  return c === '[' || c === '{';
}

export function readExportRows(input: string): ExportRows {
  const text = input.replace(/^\uFEFF/, '');
  const columnZones = new Map<string, string | null>();
  if (text.trim() === '') return { container: 'empty', rows: [], problems: [], columnZones };
  if (!looksJson(text)) return readCsv(text, columnZones);
  const trimmed = text.trim();
  let whole: unknown;
  let wholeOk = false;
  try {
    whole = JSON.parse(trimmed);
    wholeOk = true;
  } catch {
    // JSON lines, or broken JSON: read line by line below
  }
  if (wholeOk && Array.isArray(whole)) {
    return { container: 'json-array', rows: whole.map((v, i) => unwrap(v, i + 1)), problems: [], columnZones };
  }
  if (wholeOk && isObject(whole)) {
    const tables = whole.tables;
    if (Array.isArray(tables)) return readTables(tables, columnZones);
    if (Array.isArray(whole.results)) {
      return {
        container: 'splunk-results',
        rows: (whole.results as unknown[]).map((v, i) => unwrap(v, i + 1)),
        problems: [],
        columnZones,
      };
    }
    const hits = isObject(whole.hits) ? whole.hits.hits : undefined;
    if (Array.isArray(hits)) {
      return { container: 'elastic-hits', rows: hits.map((v, i) => unwrap(v, i + 1)), problems: [], columnZones };
    }
    if (!trimmed.includes('\n'))
      return { container: 'json-lines', rows: [unwrap(whole, 1)], problems: [], columnZones };
  }
  if (trimmed.startsWith('[')) {
    return {
      container: 'json-array',
      rows: [],
      problems: [{ line: 1, problems: ['not valid JSON (a JSON array was expected)'], text: shorten(trimmed) }],
      columnZones,
    };
  }
  const rows: ExportRow[] = [];
  const problems: RowProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      rows.push(unwrap(JSON.parse(raw), i + 1));
    } catch (e) {
      problems.push({ line: i + 1, problems: [`not valid JSON: ${(e as Error).message}`], text: shorten(raw) });
    }
  });
  return { container: 'json-lines', rows, problems, columnZones };
}

/** Splunk's export stream wraps each result; an Elasticsearch hit carries `_source` or `fields`. */
function unwrap(v: unknown, line: number): ExportRow {
  if (!isObject(v)) return { line, fields: { __notAnObject: v } };
  if (isObject(v.result) && ('preview' in v || 'offset' in v || 'lastrow' in v)) return { line, fields: v.result };
  if (isObject(v._source)) {
    const fields = { ...v._source };
    if (typeof v._id === 'string' && !('_id' in fields)) fields._id = v._id;
    return { line, fields };
  }
  if (isObject(v.fields) && '_index' in v) {
    const fields: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v.fields)) fields[k] = Array.isArray(val) && val.length === 1 ? val[0] : val;
    if (typeof v._id === 'string') fields._id = v._id;
    return { line, fields };
  }
  return { line, fields: v };
}

function readTables(tables: unknown[], columnZones: Map<string, string | null>): ExportRows {
  const rows: ExportRow[] = [];
  const problems: RowProblem[] = [];
  let position = 0;
  for (const t of tables) {
    if (!isObject(t) || !Array.isArray(t.columns) || !Array.isArray(t.rows)) {
      problems.push({ line: position + 1, problems: ['a table needs "columns" and "rows"'], text: '' });
      continue;
    }
    const names = t.columns.map((c) => (isObject(c) && typeof c.name === 'string' ? c.name : String(c)));
    for (const r of t.rows) {
      position++;
      if (!Array.isArray(r) || r.length !== names.length) {
        problems.push({
          line: position,
          problems: [`a row needs ${names.length} values, one per column`],
          text: shorten(JSON.stringify(r)),
        });
        continue;
      }
      const fields: Record<string, unknown> = {};
      names.forEach((n, i) => {
        fields[n] = r[i];
      });
      rows.push({ line: position, fields });
    }
  }
  return { container: 'log-analytics', rows, problems, columnZones };
}

const HEADER_ZONE = /^(.*?)\s*\[(UTC|Local Time)\]$/i;

function readCsv(text: string, columnZones: Map<string, string | null>): ExportRows {
  type Parsed = { record: Record<string, string>; info: { lines: number } };
  let parsed: Parsed[];
  try {
    parsed = parseCsv(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (header: string[]) =>
        header.map((h) => {
          const m = HEADER_ZONE.exec(h.trim());
          if (!m) return h.trim();
          const name = (m[1] as string).trim();
          columnZones.set(name, (m[2] as string).toUpperCase() === 'UTC' ? 'UTC' : null);
          return name;
        }),
    }) as Parsed[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    return {
      container: 'csv',
      rows: [],
      problems: [{ line: err.lines ?? 1, problems: [`not valid CSV: ${err.message}`], text: '' }],
      columnZones,
    };
  }
  return {
    container: 'csv',
    rows: parsed.map((p) => ({ line: p.info.lines, fields: p.record })),
    problems: [],
    columnZones,
  };
}
