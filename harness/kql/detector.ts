/**
 * `--detector kql:RULE`: a KQL rule run as Microsoft Sentinel runs a scheduled analytic rule.
 *
 * Schedule (the scheduled-rule engine the published ports use, detectors/published/engine.ts): the
 * rule runs every `queryFrequency` (at multiples of it since the epoch). A run at instant T sees the
 * rows *ingested* before T (a record's ingestion time is when the bench delivered it: its
 * availability time, `ingestion_time()`) whose TimeGenerated lies in the query period
 * (T − queryPeriod, T]. A record that arrives after the period has moved past its TimeGenerated is
 * never seen — exactly the records a production rule misses — unless the rule is written for them
 * (a wider period and an `ingestion_time()` filter, Microsoft's guidance). Rows are kept while a
 * later run could still see them (one query period), so memory is bounded by the period.
 *
 * Results: the trigger (`triggerOperator`/`triggerThreshold`, default "more than 0 results") decides
 * whether a run alerts; `AlertPerResult` (the default) raises one alert per result row, at most 150
 * a run as Sentinel does, `SingleAlert` one for the run. Entity mappings give the alert's principal
 * (Account), ip (IP Address) and sessionId (CloudLogonSession); without mappings the columns in
 * DEFAULT_ENTITY_COLUMNS are used. Evidence is every record id of the run's rows that the result
 * row still holds (a `RequestId` column, `make_set(Id)`, …), at most `maxEvidence`.
 *
 * Duplicates are kept: Log Analytics stores a record delivered twice as two rows.
 */

import { alert, iso, scheduledRule } from '../../detectors/published/engine.js';
import type { Alert } from '../../src/core/alerts.js';
import type { EpochMs } from '../../src/core/clock.js';
import type { Detector } from '../../src/core/detector.js';
import type { SourceId } from '../../src/core/sources.js';
import { refuseUnmetNeeds, type SourceNeed } from '../source-needs.js';
import type { CompiledQuery } from './compile.js';
import type { EntityColumns, KqlRule } from './rule.js';
import { type Row, TABLE_ID_COLUMNS, TABLE_SOURCES, tableRow } from './tables.js';
import { setIngestion, toJsonValue } from './values.js';

export const DEFAULT_ENTITY_COLUMNS: EntityColumns = {
  principal: [
    'UserPrincipalName',
    'UserId',
    'AccountUpn',
    'AccountObjectId',
    'ObjectId',
    'ServicePrincipalId',
    'UserKey',
  ],
  ip: ['IPAddress', 'ClientIP', 'CallerIpAddress', 'IPAddresses'],
  session: ['SessionId'],
};

/** Sentinel raises at most 150 alerts per run of an AlertPerResult rule. */
export const MAX_ALERTS_PER_RUN = 150;

/** The workspace id in every row's TenantId column: a detector does not know the real one. */
export const KQL_WORKSPACE_ID = '00000000-0000-0000-0000-00000000e0be';

interface HeldRow {
  table: string;
  row: Row;
}

function firstValue(row: Row, columns: readonly string[]): string | undefined {
  for (const c of columns) {
    let v = row[c];
    if (Array.isArray(v)) v = v.length === 1 ? v[0] : undefined;
    if (v !== null && typeof v === 'object') v = (v as Record<string, unknown>).Address;
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function collectIds(v: unknown, ids: ReadonlySet<string>, out: Set<string>, max: number): void {
  if (out.size >= max) return;
  if (typeof v === 'string') {
    if (ids.has(v)) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) collectIds(x, ids, out, max);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) collectIds(x, ids, out, max);
}

function details(row: Row, query: CompiledQuery): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of query.columns) {
    let v = toJsonValue(row[c.name], c.type);
    if (Array.isArray(v) && v.length > 20) v = [...v.slice(0, 20), `… ${v.length - 20} more`];
    out[c.name] = v;
  }
  return out;
}

export interface KqlDetectorOptions {
  maxEvidence: number;
}

/** What a rule reads: the tables of its query and the sources that fill them. */
export function kqlNeeds(rule: KqlRule, query: CompiledQuery): SourceNeed[] {
  const tables = [...query.tables].sort().flatMap((table) => {
    const source = TABLE_SOURCES[table];
    return source ? [{ table, source }] : [];
  });
  if (tables.length === 0) return [];
  return [
    {
      code: 'E_KQL_SOURCE',
      where: rule.query.file,
      rule: `rule "${rule.name}"`,
      reads: tables.map((t) => t.table).join(', '),
      tables,
    },
  ];
}

export function kqlDetector(rule: KqlRule, query: CompiledQuery, opts: KqlDetectorOptions): Detector {
  const wanted = query.tables;
  const sources = [...new Set([...wanted].map((t) => TABLE_SOURCES[t]).filter((s): s is SourceId => s !== undefined))];
  const entities = rule.entities ?? DEFAULT_ENTITY_COLUMNS;
  const principalCols = entities.principal.length ? entities.principal : DEFAULT_ENTITY_COLUMNS.principal;

  const fires = (n: number): boolean => {
    const t = rule.trigger.threshold;
    switch (rule.trigger.op) {
      case 'gt':
        return n > t;
      case 'lt':
        return n < t;
      case 'eq':
        return n === t;
      default:
        return n !== t;
    }
  };

  function run(runAt: EpochMs, held: readonly { row: HeldRow; ingestedAt: EpochMs }[], emit: (a: Alert) => void): void {
    const from = runAt - rule.periodMs;
    const tables = new Map<string, Row[]>();
    for (const t of wanted) tables.set(t, []);
    const visible: HeldRow[] = [];
    for (const h of held) {
      const r = h.row.row;
      const tg = r.TimeGenerated;
      if (typeof tg !== 'number' || tg <= from || tg > runAt) continue;
      if (query.readsIngestionTime) setIngestion(r, h.ingestedAt);
      tables.get(h.row.table)?.push(r);
      visible.push(h.row);
    }
    const result = query.run({ now: runAt, tables });
    if (!fires(result.length) || result.length === 0) return;
    let ids: Set<string> | undefined;
    const idsOf = (): Set<string> => {
      if (!ids) {
        ids = new Set();
        for (const v of visible) {
          const id = v.row[TABLE_ID_COLUMNS[v.table] ?? ''];
          if (typeof id === 'string' && id !== '') ids.add(id);
        }
      }
      return ids;
    };
    const base = {
      rule: rule.id,
      time: iso(runAt),
      severity: rule.severity,
      technique: rule.techniques.find((t) => /^T\d{4}/.test(t)),
    };
    if (rule.aggregation === 'SingleAlert') {
      const evidence = new Set<string>();
      for (const r of result) collectIds(r, idsOf(), evidence, opts.maxEvidence);
      const withPrincipal = result.find((r) => firstValue(r, principalCols) !== undefined) ?? result[0]!;
      emit(
        alert({
          ...base,
          principal: firstValue(withPrincipal, principalCols),
          ip: firstValue(withPrincipal, entities.ip),
          sessionId: firstValue(withPrincipal, entities.session),
          evidence: evidence.size ? [...evidence] : undefined,
          details: { ruleName: rule.name, results: result.length, first: details(result[0]!, query) },
        } as Alert),
      );
      return;
    }
    for (const r of result.slice(0, MAX_ALERTS_PER_RUN)) {
      const evidence = new Set<string>();
      collectIds(r, idsOf(), evidence, opts.maxEvidence);
      emit(
        alert({
          ...base,
          principal: firstValue(r, principalCols),
          ip: firstValue(r, entities.ip),
          sessionId: firstValue(r, entities.session),
          evidence: evidence.size ? [...evidence] : undefined,
          details: { ruleName: rule.name, ...details(r, query) },
        } as Alert),
      );
    }
  }

  const needs = kqlNeeds(rule, query);
  const scheduled = scheduledRule<HeldRow>({
    name: rule.id,
    intervalMs: rule.frequencyMs,
    retainMs: rule.periodMs,
    sources,
    parse: (d) => tableRow(d, wanted, KQL_WORKSPACE_ID),
    id: () => undefined,
    run,
  });
  return {
    ...scheduled,
    start(ctx) {
      // `run` checked this before generating; a dataset replayed by other means is checked here
      refuseUnmetNeeds(needs, ctx.sources);
      return scheduled.start(ctx);
    },
  };
}
