/**
 * The alerts file: what `run` writes and `score` reads. JSON lines or one JSON array. Each entry is
 * either a bench envelope `{"arrivedAt": ISO, "alert": {...}}` (arrival stamped by the bench) or a
 * bare alert as a detector or SIEM export writes it (arrival = its self-reported `time`, which is
 * then required). An optional first line `{"enumbench": "alerts", "dataset": {...}}` says which
 * dataset the alerts were raised on, so `score` can refuse a truth file from another one.
 * Malformed entries are returned with their line number, never dropped silently.
 */

import { checkAlert, isoTime, parseIsoTime } from '../core/alert-check.js';
import type { Alert, ReceivedAlert } from '../core/alerts.js';

export const ALERTS_FILE_FORMAT_VERSION = 1;

export interface DatasetStamp {
  scenario: string;
  hash: string;
  seed: number;
}

export interface MalformedAlert {
  /** 1-based line (JSON lines) or 1-based array position (JSON array) */
  line: number;
  problems: string[];
  /** the raw text, shortened */
  text: string;
}

export interface AlertsFile {
  alerts: ReceivedAlert[];
  malformed: MalformedAlert[];
  dataset: DatasetStamp | null;
  /** 'array' or 'lines' */
  shape: 'array' | 'lines' | 'empty';
}

const ENVELOPE_FIELDS = ['arrivedAt', 'seq', 'alert'];

export function parseAlertsText(input: string): AlertsFile {
  const text = input.replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed === '') return { alerts: [], malformed: [], dataset: null, shape: 'empty' };
  const entries: { line: number; raw: string; value?: unknown; error?: string }[] = [];
  let shape: AlertsFile['shape'] = 'lines';
  if (trimmed.startsWith('[')) {
    shape = 'array';
    let arr: unknown;
    try {
      arr = JSON.parse(trimmed);
    } catch (e) {
      return {
        alerts: [],
        malformed: [{ line: 1, problems: [`not valid JSON: ${(e as Error).message}`], text: shorten(trimmed) }],
        dataset: null,
        shape,
      };
    }
    (arr as unknown[]).forEach((value, i) => {
      entries.push({ line: i + 1, raw: JSON.stringify(value) ?? String(value), value });
    });
  } else {
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        entries.push({ line: i + 1, raw, value: JSON.parse(raw) });
      } catch (e) {
        entries.push({ line: i + 1, raw, error: `not valid JSON: ${(e as Error).message}` });
      }
    });
  }
  const out: AlertsFile = { alerts: [], malformed: [], dataset: null, shape };
  let seq = 0;
  entries.forEach((e, i) => {
    if (e.error !== undefined) {
      out.malformed.push({ line: e.line, problems: [e.error], text: shorten(e.raw) });
      return;
    }
    const v = e.value;
    if (i === 0 && isHeader(v)) {
      const d = (v as { dataset?: unknown }).dataset;
      const stamp = checkStamp(d);
      if (stamp) out.dataset = stamp;
      else
        out.malformed.push({
          line: e.line,
          problems: ['bad header: "dataset" needs scenario, hash and seed'],
          text: shorten(e.raw),
        });
      return;
    }
    const r = readEntry(v);
    if (!r.ok) {
      out.malformed.push({ line: e.line, problems: r.problems, text: shorten(e.raw) });
      return;
    }
    out.alerts.push({ ...r.value, seq: seq++ });
  });
  return out;
}

function isHeader(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (v as Record<string, unknown>).enumbench === 'alerts';
}

function checkStamp(d: unknown): DatasetStamp | null {
  if (d === null || typeof d !== 'object') return null;
  const o = d as Record<string, unknown>;
  if (typeof o.scenario !== 'string' || typeof o.hash !== 'string' || typeof o.seed !== 'number') return null;
  return { scenario: o.scenario, hash: o.hash, seed: o.seed };
}

type Entry = { ok: true; value: Omit<ReceivedAlert, 'seq'> } | { ok: false; problems: string[] };

function readEntry(v: unknown): Entry {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'alert' in v) {
    const env = v as Record<string, unknown>;
    const problems: string[] = [];
    for (const k of Object.keys(env)) {
      if (!ENVELOPE_FIELDS.includes(k))
        problems.push(`unknown envelope field "${k}" (fields: ${ENVELOPE_FIELDS.join(', ')})`);
    }
    const at = typeof env.arrivedAt === 'string' ? parseIsoTime(env.arrivedAt) : Number.NaN;
    if (Number.isNaN(at)) problems.push('"arrivedAt" must be an ISO 8601 time with a zone');
    const c = checkAlert(env.alert);
    if (!c.ok) problems.push(...c.problems.map((p) => `alert: ${p}`));
    if (problems.length || !c.ok) return { ok: false, problems };
    return { ok: true, value: { alert: c.alert, arrivedAt: at, stamp: 'bench' } };
  }
  const c = checkAlert(v);
  if (!c.ok) return c;
  if (c.alert.time === undefined) {
    return {
      ok: false,
      problems: ['"time" is required when scoring from a file without the bench\'s arrival stamp'],
    };
  }
  return { ok: true, value: { alert: c.alert, arrivedAt: parseIsoTime(c.alert.time), stamp: 'self-reported' } };
}

function shorten(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** Serialise received alerts as the bench writes them: a header line, then one envelope per line. */
export function formatAlertsJsonl(alerts: readonly ReceivedAlert[], dataset: DatasetStamp | null): string {
  let out = '';
  if (dataset) {
    out += `${JSON.stringify({ enumbench: 'alerts', formatVersion: ALERTS_FILE_FORMAT_VERSION, dataset })}\n`;
  }
  for (const a of alerts) {
    out += `${JSON.stringify({ arrivedAt: isoTime(a.arrivedAt), seq: a.seq, alert: orderAlert(a.alert) })}\n`;
  }
  return out;
}

function orderAlert(a: Alert): Alert {
  const o: Alert = { rule: a.rule };
  if (a.principal !== undefined) o.principal = a.principal;
  if (a.sessionId !== undefined) o.sessionId = a.sessionId;
  if (a.ip !== undefined) o.ip = a.ip;
  if (a.evidence !== undefined) o.evidence = a.evidence;
  if (a.time !== undefined) o.time = a.time;
  if (a.severity !== undefined) o.severity = a.severity;
  if (a.technique !== undefined) o.technique = a.technique;
  if (a.details !== undefined) o.details = a.details;
  return o;
}
