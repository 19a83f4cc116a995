/**
 * Alerts from real SIEM exports, mapped onto the alert contract (CONTRACTS.md §4) so `score` can
 * read what a SIEM wrote without a conversion script:
 *
 * - **Microsoft Sentinel** `SecurityAlert` rows (the Log Analytics table: `AlertName`,
 *   `TimeGenerated`, `Entities`, `ExtendedProperties` with the rule's "Custom Details") and
 *   `SecurityIncident` rows (`IncidentNumber`, `Title`, `CreatedTime`, `AlertIds`), as CSV from the
 *   portal, JSON from the query API or `az monitor log-analytics query`;
 * - **Splunk** Enterprise Security notable events (`index=notable`: `_time`, `rule_name` /
 *   `search_name`, `user`, `src`), as CSV, `output_mode=json` results or the export stream;
 * - **Elastic Security** detection alerts (`.alerts-security.alerts-*`: `@timestamp`,
 *   `kibana.alert.rule.name`, ECS `user.*`, `source.ip`, `event.id`), as NDJSON, nested or dotted.
 *
 * The alert's arrival is the SIEM's own creation time (self-reported: never gates latency unless
 * `--trust-alert-time`). Where each alert field comes from is in docs/scoring.md "Alerts from SIEM
 * exports"; `map` overrides a field's source column. Every row that cannot be read is returned with
 * its line and why, never dropped.
 */
import { checkAlert, isoTime } from '../core/alert-check.js';
import type { ReceivedAlert } from '../core/alerts.js';
import { parseExportTime } from './alert-time.js';
import type { AlertsFile, MalformedAlert } from './alerts-file.js';
import { parseAlertsText } from './alerts-file.js';
import { type ExportRow, readExportRows, shorten } from './export-rows.js';

export const ALERTS_FORMATS = ['auto', 'enumbench', 'sentinel', 'splunk', 'elastic'] as const;
export type AlertsFormat = (typeof ALERTS_FORMATS)[number];
export type ExportFormat = Exclude<AlertsFormat, 'auto'>;

/** Alert fields whose source column `--map FIELD=COLUMN` may name. */
export const MAPPED_FIELDS = ['rule', 'time', 'principal', 'sessionId', 'ip', 'evidence'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export interface ImportOptions {
  format?: AlertsFormat;
  /** IANA zone for zone-less times */
  timeZone?: string | undefined;
  /** moved back by this (ms): the shift of the replay the alerts were raised on */
  offsetMs?: number;
  map?: Partial<Record<MappedField, string>>;
}

export interface ImportedAlerts extends AlertsFile {
  format: ExportFormat;
  container: string;
}

/** Where each alert field is read from, per export, in order of preference (documented). */
export const EXPORT_FIELDS: Readonly<Record<Exclude<ExportFormat, 'enumbench'>, Record<MappedField, string[]>>> = {
  sentinel: {
    rule: ['AlertName', 'DisplayName', 'Title'],
    time: ['TimeGenerated'],
    principal: ['Entities: account (Name@UPNSuffix, AadUserId)', 'CompromisedEntity'],
    sessionId: ['Entities: cloud-logon-session (SessionId)', 'Custom Details: SessionId'],
    ip: ['Entities: ip (Address)'],
    evidence: ['Custom Details: evidence, RecordIds, RecordId, RequestIds, RequestId'],
  },
  splunk: {
    rule: ['rule_name', 'search_name', 'rule_title', 'source'],
    time: ['_time'],
    principal: ['user', 'src_user'],
    sessionId: ['session_id', 'SessionId'],
    ip: ['src_ip', 'src'],
    evidence: ['evidence', 'record_ids', 'RecordIds', 'request_id', 'requestId'],
  },
  elastic: {
    rule: ['kibana.alert.rule.name', 'signal.rule.name'],
    time: ['@timestamp'],
    principal: ['user.email', 'user.name', 'user.id'],
    sessionId: ['session_id', 'azure.signinlogs.properties.session_id'],
    ip: ['source.ip'],
    evidence: ['evidence', 'event.id'],
  },
};

const EVIDENCE_DETAIL_KEYS = ['evidence', 'recordids', 'recordid', 'requestids', 'requestid'];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A dynamic column: JSON text in CSV and most JSON exports, already parsed in some. */
function dynamic(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length > 0) return str(v[0]);
  return undefined;
}

/** Multi-valued: a JSON array, a JSON array in text, or Splunk CSV's newline-separated values. */
function list(v: unknown): string[] {
  const d = dynamic(v);
  if (Array.isArray(d)) return d.flatMap((x) => list(x));
  if (typeof d === 'number') return [String(d)];
  if (typeof d !== 'string') return [];
  return d
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

function keysOf(fields: Record<string, unknown>): Set<string> {
  return new Set(Object.keys(fields));
}

/** Which export a file is, from its first row's fields. */
export function detectFormat(fields: Record<string, unknown>): ExportFormat | null {
  const keys = keysOf(fields);
  if (keys.has('enumbench') || keys.has('rule') || (keys.has('alert') && keys.has('arrivedAt'))) return 'enumbench';
  if (keys.has('SystemAlertId') || keys.has('AlertName') || keys.has('IncidentNumber')) return 'sentinel';
  const flat = Object.keys(flatten(fields));
  if (flat.some((k) => k.startsWith('kibana.alert.') || k.startsWith('signal.rule.'))) return 'elastic';
  if (keys.has('search_name') || keys.has('rule_name') || (keys.has('_time') && keys.has('orig_sid'))) return 'splunk';
  return null;
}

/** One alert, before its time is parsed and it is checked against the contract. */
interface Draft {
  line: number;
  raw: Record<string, unknown>;
  time: unknown;
  timeColumn: string;
}

type RowResult = { ok: true; drafts: Draft[] } | { ok: false; problems: string[] };

export function importAlerts(text: string, opts: ImportOptions = {}): ImportedAlerts {
  const rows = readExportRows(text);
  const first = rows.rows[0];
  let format: ExportFormat | null = opts.format && opts.format !== 'auto' ? opts.format : null;
  if (format === null) format = first ? detectFormat(first.fields) : 'enumbench';
  if (format === null) {
    return {
      alerts: [],
      malformed: [
        {
          line: first?.line ?? 1,
          problems: [
            `cannot tell which SIEM wrote this export (fields: ${Object.keys(first?.fields ?? {})
              .slice(0, 12)
              .join(', ')})`,
            'name it with --alerts-format enumbench|sentinel|splunk|elastic, and the columns with --map FIELD=COLUMN',
          ],
          text: shorten(JSON.stringify(first?.fields ?? {})),
        },
      ],
      dataset: null,
      shape: 'lines',
      format: 'enumbench',
      container: rows.container,
    };
  }
  if (format === 'enumbench') {
    const f = parseAlertsText(text);
    return withOffset({ ...f, format, container: rows.container }, opts.offsetMs ?? 0);
  }
  const malformed: MalformedAlert[] = rows.problems.slice();
  const drafts: Draft[] = [];
  const read = format === 'sentinel' ? sentinelDrafts(rows.rows, opts) : mapRows(rows.rows, format, opts);
  for (const r of read) {
    if (r.result.ok) drafts.push(...r.result.drafts);
    else malformed.push({ line: r.row.line, problems: r.result.problems, text: shorten(JSON.stringify(r.row.fields)) });
  }
  const alerts: ReceivedAlert[] = [];
  const offset = opts.offsetMs ?? 0;
  for (const d of drafts) {
    const zone = rows.columnZones.get(d.timeColumn);
    const t = parseExportTime(d.time, { timeZone: zone ?? opts.timeZone });
    if (!t.ok) {
      malformed.push({
        line: d.line,
        problems: [`${d.timeColumn}: ${t.message}${t.hint ? ` (hint: ${t.hint})` : ''}`],
        text: shorten(JSON.stringify(d.raw)),
      });
      continue;
    }
    const arrivedAt = t.value - offset;
    const c = checkAlert({ ...d.raw, time: isoTime(arrivedAt) });
    if (!c.ok) {
      malformed.push({ line: d.line, problems: c.problems, text: shorten(JSON.stringify(d.raw)) });
      continue;
    }
    alerts.push({ alert: c.alert, arrivedAt, seq: 0, stamp: 'self-reported' });
  }
  alerts.sort((a, b) => a.arrivedAt - b.arrivedAt);
  alerts.forEach((a, i) => {
    a.seq = i;
  });
  malformed.sort((a, b) => a.line - b.line);
  return {
    alerts,
    malformed,
    dataset: null,
    shape: rows.container === 'json-lines' || rows.container === 'csv' ? 'lines' : 'array',
    format,
    container: rows.container,
  };
}

/** An enumbench alerts file read with `--time-offset`: its arrivals and times moved back. */
function withOffset(f: ImportedAlerts, offsetMs: number): ImportedAlerts {
  if (offsetMs === 0) return f;
  return {
    ...f,
    alerts: f.alerts.map((a) => {
      const alert = { ...a.alert };
      if (alert.time !== undefined) {
        const t = Date.parse(alert.time);
        if (!Number.isNaN(t)) alert.time = isoTime(t - offsetMs);
      }
      return { ...a, alert, arrivedAt: a.arrivedAt - offsetMs };
    }),
  };
}

/** A field by name: exact, else case-insensitive. */
function field(fields: Record<string, unknown>, name: string): unknown {
  if (name in fields) return fields[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(fields)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function pick(fields: Record<string, unknown>, names: readonly string[]): { value: unknown; name: string } | null {
  for (const n of names) {
    const v = field(fields, n);
    if (v !== undefined && v !== null && v !== '') return { value: v, name: n };
  }
  return null;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const looksIp = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s));

/** Splunk and Elastic: one alert per row, fields by name. */
function mapRows(
  rows: readonly ExportRow[],
  format: 'splunk' | 'elastic',
  opts: ImportOptions,
): { row: ExportRow; result: RowResult }[] {
  const spec = EXPORT_FIELDS[format];
  const names = (f: MappedField) => (opts.map?.[f] !== undefined ? [opts.map[f] as string] : spec[f]);
  return rows.map((row) => {
    if ('__notAnObject' in row.fields) return { row, result: { ok: false, problems: ['a row must be a JSON object'] } };
    const fields = format === 'elastic' ? flatten(row.fields) : row.fields;
    const raw: Record<string, unknown> = {};
    const rule = pick(fields, names('rule'));
    if (rule) raw.rule = str(rule.value);
    const principal = pick(fields, names('principal'));
    if (principal) raw.principal = str(principal.value);
    const session = pick(fields, names('sessionId'));
    if (session) raw.sessionId = str(session.value);
    const ip = pick(fields, names('ip'));
    const ipText = ip ? str(ip.value) : undefined;
    if (ipText !== undefined && (opts.map?.ip !== undefined || looksIp(ipText))) raw.ip = ipText;
    const evidence = [...new Set(names('evidence').flatMap((n) => list(field(fields, n))))];
    if (evidence.length) raw.evidence = evidence;
    const severity = str(
      field(fields, format === 'elastic' ? 'kibana.alert.severity' : 'urgency') ?? field(fields, 'severity'),
    );
    if (severity !== undefined) raw.severity = severity;
    const id = str(field(fields, format === 'elastic' ? 'kibana.alert.uuid' : 'event_id') ?? field(fields, '_id'));
    raw.details = { export: format, ...(id !== undefined ? { id } : {}) };
    const time = pick(fields, names('time'));
    if (!time) {
      return { row, result: { ok: false, problems: [`no alert time: none of ${names('time').join(', ')} is set`] } };
    }
    return { row, result: { ok: true, drafts: [{ line: row.line, raw, time: time.value, timeColumn: time.name }] } };
  });
}

/** Sentinel: alert rows, incident rows (with their alerts from the same export), or joined rows. */
function sentinelDrafts(rows: readonly ExportRow[], opts: ImportOptions): { row: ExportRow; result: RowResult }[] {
  const alertRows = new Map<string, ExportRow>();
  const incidents = new Map<string, ExportRow[]>();
  const out: { row: ExportRow; result: RowResult }[] = [];
  for (const row of rows) {
    const f = row.fields;
    const incident = str(field(f, 'IncidentNumber'));
    const hasAlertSide = field(f, 'Entities') !== undefined || field(f, 'AlertName') !== undefined;
    if (incident !== undefined && !hasAlertSide) {
      incidents.set(incident, [...(incidents.get(incident) ?? []), row]);
      continue;
    }
    const id = str(field(f, 'SystemAlertId'));
    if (id !== undefined && incident === undefined) alertRows.set(id, row);
    if (incident !== undefined) out.push({ row, result: sentinelAlert(row, opts, row) });
  }
  const inIncident = new Set<string>();
  for (const [number, versions] of incidents) {
    // SecurityIncident keeps a row per update: the incident is its earliest creation and every alert any version names
    const head = versions[0] as ExportRow;
    const ids = [...new Set(versions.flatMap((v) => list(field(v.fields, 'AlertIds'))))];
    const found = ids.filter((id) => alertRows.has(id));
    for (const id of found) inIncident.add(id);
    if (found.length === 0) {
      out.push({
        row: head,
        result: {
          ok: false,
          problems: [
            `incident ${number} names ${ids.length ? `alerts ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}` : 'no alert'} and none is in this export: an incident carries no entities of its own`,
            'export the SecurityAlert rows too, in the same file: `union SecurityIncident, SecurityAlert`',
          ],
        },
      });
      continue;
    }
    const created = versions
      .map((v) => field(v.fields, 'CreatedTime'))
      .find((v) => v !== undefined && v !== null && v !== '');
    const drafts: Draft[] = [];
    const problems: string[] = [];
    for (const id of found) {
      const r = sentinelAlert(alertRows.get(id) as ExportRow, opts, head);
      if (!r.ok) problems.push(...r.problems);
      else
        for (const d of r.drafts)
          drafts.push({
            ...d,
            line: head.line,
            time: created ?? d.time,
            timeColumn: created !== undefined ? 'CreatedTime' : d.timeColumn,
          });
    }
    out.push({ row: head, result: drafts.length ? { ok: true, drafts } : { ok: false, problems } });
  }
  for (const [id, row] of alertRows) if (!inIncident.has(id)) out.push({ row, result: sentinelAlert(row, opts, row) });
  return out.sort((a, b) => a.row.line - b.row.line);
}

interface SentinelEntities {
  principal?: string;
  ip?: string;
  sessionId?: string;
}

function sentinelEntities(value: unknown): SentinelEntities {
  const out: SentinelEntities = {};
  const entities = dynamic(value);
  if (!Array.isArray(entities)) return out;
  for (const e of entities) {
    if (!isObject(e)) continue;
    const type = String(e.Type ?? e.type ?? '').toLowerCase();
    if (type === 'account' && out.principal === undefined) {
      const name = str(e.Name);
      const suffix = str(e.UPNSuffix);
      out.principal =
        name && suffix ? `${name}@${suffix}` : name?.includes('@') ? name : (str(e.AadUserId) ?? name ?? str(e.Sid));
    } else if (type === 'ip' && out.ip === undefined) out.ip = str(e.Address);
    else if (type === 'cloud-logon-session' && out.sessionId === undefined) out.sessionId = str(e.SessionId);
  }
  return out;
}

/** The rule's "Custom Details" (values are arrays), from ExtendedProperties. */
function customDetails(fields: Record<string, unknown>): Record<string, unknown> {
  const ext = dynamic(field(fields, 'ExtendedProperties'));
  if (!isObject(ext)) return {};
  const cd = dynamic(ext['Custom Details']);
  return isObject(cd) ? cd : {};
}

function sentinelAlert(row: ExportRow, opts: ImportOptions, ruleRow: ExportRow): RowResult {
  const f = row.fields;
  const details = customDetails(f);
  const both = { ...f, ...details };
  const map = opts.map ?? {};
  const ent = sentinelEntities(field(f, 'Entities'));
  const raw: Record<string, unknown> = {};
  const rule =
    map.rule !== undefined
      ? str(field(ruleRow.fields, map.rule))
      : str(pick(ruleRow.fields, ['Title', 'AlertName', 'DisplayName'])?.value);
  if (rule !== undefined) raw.rule = rule;
  const principal =
    map.principal !== undefined
      ? str(field(both, map.principal))
      : (ent.principal ?? str(field(f, 'CompromisedEntity')));
  if (principal !== undefined) raw.principal = principal;
  const session =
    map.sessionId !== undefined ? str(field(both, map.sessionId)) : (ent.sessionId ?? str(field(details, 'SessionId')));
  if (session !== undefined) raw.sessionId = session;
  const ip = map.ip !== undefined ? str(field(both, map.ip)) : ent.ip;
  if (ip !== undefined) raw.ip = ip;
  const evidence =
    map.evidence !== undefined
      ? list(field(both, map.evidence))
      : Object.entries(details)
          .filter(([k]) => EVIDENCE_DETAIL_KEYS.includes(k.toLowerCase()))
          .flatMap(([, v]) => list(v));
  if (evidence.length) raw.evidence = [...new Set(evidence)];
  const severity = str(field(ruleRow.fields, 'Severity') ?? field(f, 'AlertSeverity'));
  if (severity !== undefined) raw.severity = severity;
  const technique = list(field(f, 'Techniques'))[0];
  if (technique !== undefined) raw.technique = technique;
  const incident = str(field(ruleRow.fields, 'IncidentNumber'));
  const id = str(field(f, 'SystemAlertId'));
  raw.details = {
    export: 'sentinel',
    ...(id !== undefined ? { id } : {}),
    ...(incident !== undefined ? { incident } : {}),
  };
  const timeNames =
    map.time !== undefined ? [map.time] : incident !== undefined ? ['CreatedTime', 'TimeGenerated'] : ['TimeGenerated'];
  const time = pick(ruleRow === row ? f : { ...f, ...ruleRow.fields }, timeNames);
  if (!time) return { ok: false, problems: [`no alert time: none of ${timeNames.join(', ')} is set`] };
  return { ok: true, drafts: [{ line: row.line, raw, time: time.value, timeColumn: time.name }] };
}
