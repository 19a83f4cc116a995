/**
 * SIEM export importers on samples made from the documented export schemas (test/fixtures/siem/:
 * Sentinel SecurityAlert as the portal's CSV and the query API's tables, SecurityIncident with its
 * alerts, Splunk notable events as CSV and the export stream, Elastic detection alerts as NDJSON).
 * Every sample holds the same three alerts on the hand-built scoring world: AzureHound by the help
 * desk account (evidence h1, h2 and the attacker's IP), ROADrecon by session, and a false positive
 * on the sync account.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { importAlerts } from '../../src/scoring/export-alerts.js';
import {
  ELASTIC_KIBANA_FIELDS,
  ELASTIC_OTHER_PREFIXES,
  LOG_ANALYTICS_STANDARD,
  SECURITY_ALERT_COLUMNS,
  SECURITY_INCIDENT_COLUMNS,
  SPLUNK_NOTABLE_FIELDS,
  SPLUNK_SEARCH_RESULT_FIELDS,
} from '../fixtures/siem/schemas.js';
import { ATTACKER_IP, HELPDESK, SYNC, VICTIM } from './world.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'siem');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const HOUND_AT = Date.parse('2026-11-02T11:00:00Z');
const ROAD_AT = Date.parse('2026-11-03T02:00:00Z');
const SYNC_AT = Date.parse('2026-11-02T01:00:00Z');

function summary(name: string, opts: Parameters<typeof importAlerts>[1] = {}) {
  const f = importAlerts(read(name), opts);
  return {
    format: f.format,
    malformed: f.malformed,
    alerts: f.alerts.map((a) => ({
      at: a.arrivedAt,
      stamp: a.stamp,
      principal: a.alert.principal,
      sessionId: a.alert.sessionId,
      ip: a.alert.ip,
      evidence: a.alert.evidence,
    })),
  };
}

/** dotted keys of a nested document; arrays of objects count as their parent key */
function dotted(o: Record<string, unknown>, p = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? dotted(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`],
  );
}
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('the samples follow the documented export schemas (fixtures/siem/README.md)', () => {
  const alertColumns = sorted([...SECURITY_ALERT_COLUMNS, ...LOG_ANALYTICS_STANDARD]);
  const csvHeader = (name: string) =>
    (parseCsv(read(name), { to_line: 1, bom: true }) as string[][])[0]!.map((h) => h.replace(/ \[UTC\]$/, ''));

  it('Sentinel SecurityAlert: the query API columns and the portal CSV header are the table reference', () => {
    const api = JSON.parse(read('sentinel-securityalert-api.json')) as { tables: { columns: { name: string }[] }[] };
    expect(sorted(api.tables[0]!.columns.map((c) => c.name))).toEqual(alertColumns);
    expect(sorted(csvHeader('sentinel-securityalert-portal.csv'))).toEqual(alertColumns);
  });

  it('Sentinel SecurityIncident with its alerts: each row has its table’s columns', () => {
    const rows = JSON.parse(read('sentinel-incidents-union.json')) as Record<string, unknown>[];
    expect(rows.some((r) => r.Type === 'SecurityIncident') && rows.some((r) => r.Type === 'SecurityAlert')).toBe(true);
    for (const r of rows)
      expect(sorted(Object.keys(r))).toEqual(
        r.Type === 'SecurityIncident' ? sorted(SECURITY_INCIDENT_COLUMNS) : alertColumns,
      );
  });

  it('Splunk notables: every documented notable field, the rest returned by the correlation search', () => {
    const json = read('splunk-notable-export.json')
      .trim()
      .split('\n')
      .map((l) => Object.keys((JSON.parse(l) as { result: Record<string, unknown> }).result));
    for (const keys of [csvHeader('splunk-notable.csv'), ...json]) {
      expect(keys).toEqual(expect.arrayContaining(SPLUNK_NOTABLE_FIELDS));
      expect(keys.filter((k) => !SPLUNK_NOTABLE_FIELDS.includes(k))).toEqual(
        keys.filter((k) => SPLUNK_SEARCH_RESULT_FIELDS.includes(k)),
      );
    }
  });

  it('Elastic alerts: kibana.* fields from the alert schema, ECS and source-document fields otherwise', () => {
    const docs = read('elastic-alerts.ndjson')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const documented = (k: string) =>
      ELASTIC_KIBANA_FIELDS.some((f) =>
        f.endsWith('.*') ? k.startsWith(f.slice(0, -1)) || k === f.slice(0, -2) : k === f,
      );
    for (const d of docs) {
      const keys = dotted(d);
      expect(keys.filter((k) => k.startsWith('kibana.') && !documented(k))).toEqual([]);
      expect(
        keys.filter((k) => !k.startsWith('kibana.') && !ELASTIC_OTHER_PREFIXES.some((p) => k.startsWith(p))),
      ).toEqual([]);
      expect(keys).toEqual(
        expect.arrayContaining([
          '@timestamp',
          'ecs.version',
          'event.kind',
          'kibana.alert.rule.name',
          'kibana.alert.uuid',
        ]),
      );
      expect((d.event as Record<string, unknown>).kind).toBe('signal');
    }
  });
});

describe('Sentinel SecurityAlert', () => {
  const want = [
    { at: SYNC_AT, principal: SYNC, evidence: ['s1'] },
    { at: HOUND_AT + 123, principal: HELPDESK, ip: ATTACKER_IP, evidence: ['h1', 'h2'] },
    { at: ROAD_AT, principal: VICTIM, sessionId: 'sess-road' },
  ];

  it('query API tables (JSON): entities, custom details, TimeGenerated', () => {
    const s = summary('sentinel-securityalert-api.json');
    expect(s.format).toBe('sentinel');
    expect(s.malformed).toEqual([]);
    expect(s.alerts).toMatchObject(want.map((w) => ({ ...w, stamp: 'self-reported' })));
    const f = importAlerts(read('sentinel-securityalert-api.json'));
    expect(f.alerts[1]?.alert).toMatchObject({
      rule: 'Graph directory enumeration',
      severity: 'High',
      technique: 'T1087',
    });
  });

  it('portal CSV: "[UTC]" headers and the 12-hour US time form', () => {
    const s = summary('sentinel-securityalert-portal.csv');
    expect(s.format).toBe('sentinel');
    expect(s.malformed).toEqual([]);
    // the portal writes milliseconds: the 7-digit fraction of the API sample is cut to .000
    expect(s.alerts).toMatchObject(want.map((w) => ({ ...w, at: w.at === HOUND_AT + 123 ? HOUND_AT : w.at })));
  });

  it('incidents with their alerts: one alert per (incident, alert), arriving at CreatedTime, the title as rule', () => {
    const f = importAlerts(read('sentinel-incidents-union.json'));
    expect(f.malformed).toEqual([]);
    expect(f.alerts.map((a) => [a.alert.rule, a.alert.principal, a.arrivedAt])).toEqual([
      ['Graph directory enumeration involving sync_srv01_1a2b', SYNC, Date.parse('2026-11-02T01:00:03Z')],
      ['Graph directory enumeration involving hd.alice', HELPDESK, Date.parse('2026-11-02T11:00:05.5Z')],
      ['Graph directory enumeration involving bob', VICTIM, Date.parse('2026-11-03T02:00:04Z')],
    ]);
  });

  it('refuses an incident whose alerts are not in the export, saying what to export', () => {
    const rows = JSON.parse(read('sentinel-incidents-union.json')) as Record<string, unknown>[];
    const onlyIncidents = rows.filter((r) => r.Type === 'SecurityIncident');
    const f = importAlerts(JSON.stringify(onlyIncidents));
    expect(f.alerts).toEqual([]);
    expect(f.malformed).toHaveLength(3);
    expect(f.malformed[0]?.problems.join(' ')).toMatch(/union SecurityIncident, SecurityAlert/);
  });
});

describe('Splunk notable events', () => {
  const want = [
    { at: SYNC_AT, principal: SYNC, evidence: ['s1'] },
    { at: HOUND_AT, principal: HELPDESK, ip: ATTACKER_IP, evidence: ['h1', 'h2'] },
    { at: ROAD_AT, principal: VICTIM, sessionId: 'sess-road' },
  ];

  it('export stream (JSON lines with "result")', () => {
    const s = summary('splunk-notable-export.json');
    expect(s.format).toBe('splunk');
    expect(s.malformed).toEqual([]);
    expect(s.alerts).toMatchObject(want);
    // a private source address is kept (src looks like an IP)
    expect(s.alerts[0]?.ip).toBe('10.0.0.5');
  });

  it('CSV: zone-less space-separated _time needs --timezone; multivalue fields one per line', () => {
    const without = summary('splunk-notable.csv');
    expect(without.alerts).toEqual([]);
    expect(without.malformed).toHaveLength(3);
    expect(without.malformed[0]?.problems[0]).toMatch(/_time: .* has no time zone \(hint: .*--timezone/);
    const s = summary('splunk-notable.csv', { timeZone: 'UTC' });
    expect(s.malformed).toEqual([]);
    expect(s.alerts).toMatchObject(want);
    const ny = summary('splunk-notable.csv', { timeZone: 'America/New_York' });
    expect(ny.alerts[0]?.at).toBe(SYNC_AT + 5 * 3_600_000);
  });
});

describe('Elastic detection alerts', () => {
  it('NDJSON of nested alert documents: kibana.alert.rule.name, user.name, source.ip, event.id', () => {
    const s = summary('elastic-alerts.ndjson');
    expect(s.format).toBe('elastic');
    expect(s.malformed).toEqual([]);
    expect(s.alerts).toMatchObject([
      { at: SYNC_AT, principal: SYNC, evidence: ['s1'] },
      { at: HOUND_AT, principal: HELPDESK, ip: ATTACKER_IP, evidence: ['h1'] },
      { at: ROAD_AT, principal: VICTIM, sessionId: 'sess-road' },
    ]);
  });

  it('dotted (flattened) documents and search hits read the same', () => {
    const docs = read('elastic-alerts.ndjson')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const flat = (o: Record<string, unknown>, p = '', out: Record<string, unknown> = {}) => {
      for (const [k, v] of Object.entries(o)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) flat(v as Record<string, unknown>, `${p}${k}.`, out);
        else out[`${p}${k}`] = v;
      }
      return out;
    };
    const a = importAlerts(docs.map((d) => JSON.stringify(flat(d))).join('\n'));
    // a search response: each hit's document as `_source`, or through the search API's `fields`
    // option (what Elastic's alert schema page recommends): dotted names, every value an array
    const searchHits = (hit: (d: Record<string, unknown>) => Record<string, unknown>) =>
      importAlerts(
        JSON.stringify({
          hits: {
            hits: docs.map((d, i) => ({
              _index: '.internal.alerts-security.alerts-default-000001',
              _id: `id${i}`,
              ...hit(d),
            })),
          },
        }),
      );
    const hits = searchHits((d) => ({ _source: d }));
    const fieldHits = searchHits((d) => ({
      fields: Object.fromEntries(Object.entries(flat(d)).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    }));
    const b = importAlerts(read('elastic-alerts.ndjson'));
    expect(a.alerts).toEqual(b.alerts);
    expect(hits.alerts.map((x) => x.alert.principal)).toEqual(b.alerts.map((x) => x.alert.principal));
    expect(fieldHits.malformed).toEqual([]);
    expect(fieldHits.alerts.map((x) => [x.arrivedAt, x.alert.principal, x.alert.ip, x.alert.sessionId])).toEqual(
      b.alerts.map((x) => [x.arrivedAt, x.alert.principal, x.alert.ip, x.alert.sessionId]),
    );
  });
});

describe('options and refusals', () => {
  it('--map reads a field from another column', () => {
    const s = summary('splunk-notable-export.json', { map: { principal: 'dest' } });
    expect(s.alerts[1]?.principal).toBe('graph.microsoft.com');
  });

  it('--time-offset moves every alert back, in every format', () => {
    const shift = 25 * 86_400_000;
    for (const name of ['sentinel-securityalert-api.json', 'splunk-notable-export.json', 'elastic-alerts.ndjson']) {
      const plain = importAlerts(read(name));
      const moved = importAlerts(read(name), { offsetMs: shift });
      expect(moved.alerts.map((a) => a.arrivedAt + shift)).toEqual(plain.alerts.map((a) => a.arrivedAt));
      expect(moved.alerts.map((a) => Date.parse(a.alert.time as string) + shift)).toEqual(
        plain.alerts.map((a) => a.arrivedAt),
      );
    }
    const env = `{"arrivedAt":"2026-11-27T11:00:00.000Z","seq":0,"alert":{"rule":"r","principal":"p","time":"2026-11-27T11:00:00.000Z"}}\n`;
    const e = importAlerts(env, { offsetMs: shift });
    expect(e.format).toBe('enumbench');
    expect(e.alerts[0]?.arrivedAt).toBe(HOUND_AT);
    expect(e.alerts[0]?.alert.time).toBe('2026-11-02T11:00:00.000Z');
  });

  it('an export nobody can recognise is refused with what to do', () => {
    const f = importAlerts('{"when":"2026-11-02T11:00:00Z","who":"x"}\n');
    expect(f.alerts).toEqual([]);
    expect(f.malformed[0]?.problems.join(' ')).toMatch(/--alerts-format/);
  });

  it('a row without a principal, session or evidence is reported with its line, the rest kept', () => {
    const lines = read('elastic-alerts.ndjson').trim().split('\n');
    const bad = JSON.parse(lines[0] as string) as Record<string, unknown>;
    delete bad.user;
    delete (bad.event as Record<string, unknown>).id;
    const f = importAlerts([JSON.stringify(bad), ...lines.slice(1)].join('\n'));
    expect(f.alerts).toHaveLength(2);
    expect(f.malformed).toEqual([expect.objectContaining({ line: 1 })]);
    expect(f.malformed[0]?.problems.join(' ')).toMatch(/principal/);
  });

  it('broken CSV is reported, not thrown', () => {
    const f = importAlerts('_time,rule_name,user\n"2026-11-02 11:00:00,x,y\n', { format: 'splunk' });
    expect(f.alerts).toEqual([]);
    expect(f.malformed[0]?.problems[0]).toMatch(/not valid CSV/);
  });
});
