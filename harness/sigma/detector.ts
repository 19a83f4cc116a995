/**
 * `--detector sigma:PATH`: Sigma rules evaluated over the records as they are delivered, each record
 * seen as its Log Analytics row (the tables `kql:` queries, harness/kql/tables.ts).
 *
 * - A detection rule alerts once per matching record, when the record arrives (Sigma rules have no
 *   schedule), citing it as evidence; a record delivered twice alerts once.
 * - A correlation rule counts the matches of its rules per group (`group-by`) in any window of
 *   `timespan` of event time (TimeGenerated), whatever order the records arrive in: event_count
 *   (matches), value_count (distinct values of a field), temporal (every rule matched),
 *   temporal_ordered (every rule, in order). When a window reaches the condition it alerts once,
 *   citing the window's records, and those matches are consumed. Matches older than the newest
 *   event time seen minus `timespan` minus 12 hours (late delivery) are forgotten, so memory is
 *   bounded. Rules a correlation uses alert on their own only with `generate: true`.
 *
 * The alert names the rule's title; its principal, IP and session come from the row's columns
 * (the `kql:` entity defaults: UserPrincipalName, UserId, …; IPAddress, ClientIP; SessionId).
 */
import { alert, iso } from '../../detectors/published/engine.js';
import type { EpochMs } from '../../src/core/clock.js';
import type { Detector, DetectorContext } from '../../src/core/detector.js';
import { DEFAULT_ENTITY_COLUMNS, KQL_WORKSPACE_ID } from '../kql/detector.js';
import { TABLE_ID_COLUMNS, tableRow } from '../kql/tables.js';
import { refuseUnmetNeeds } from '../source-needs.js';
import { type CorrelationRule, type DetectionRule, type Row, type SigmaRule, sigmaNeeds } from './rule.js';

/** How late (event time) a record may arrive and still join a correlation window. */
export const LATE_MS = 12 * 60 * 60_000;
export const DEFAULT_MAX_EVIDENCE = 200;

interface Entities {
  principal: string | undefined;
  ip: string | undefined;
  sessionId: string | undefined;
}

interface Match {
  time: EpochMs;
  rule: number;
  id: string | undefined;
  value: string | undefined;
  entities: Entities;
}

function first(row: Row, columns: readonly string[]): string | undefined {
  for (const c of columns) {
    const v = row[c];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

function entitiesOf(row: Row): Entities {
  return {
    principal: first(row, DEFAULT_ENTITY_COLUMNS.principal),
    ip: first(row, DEFAULT_ENTITY_COLUMNS.ip),
    sessionId: first(row, DEFAULT_ENTITY_COLUMNS.session),
  };
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let n = 0;
  for (const [v, c] of [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c > n) {
      best = v;
      n = c;
    }
  }
  return best;
}

class CorrelationState {
  private readonly groups = new Map<string, Match[]>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(
    readonly rule: CorrelationRule,
    private readonly maxEvidence: number,
  ) {}

  /** Add a match of base rule `index`; returns the matches of a window that reached the condition. */
  add(index: number, table: string, row: Row, time: EpochMs, id: string | undefined): Match[] | null {
    const r = this.rule;
    const base = r.rules[index] as DetectionRule;
    const fields = r.groupFields[index] ?? [];
    const key = JSON.stringify(fields.map((f) => text(base.field(table, f)?.(row))));
    const value = r.valueField !== undefined ? text(base.field(table, r.valueField)?.(row)) : undefined;
    if (r.type === 'value_count' && value === '') return null;
    const list = this.groups.get(key) ?? [];
    const m: Match = { time, rule: index, id, value, entities: entitiesOf(row) };
    let at = list.length;
    while (at > 0 && (list[at - 1] as Match).time > time) at--;
    list.splice(at, 0, m);
    this.groups.set(key, list);
    if (time > this.newest) {
      this.newest = time;
      this.prune();
    }
    const hit = this.window(list, time);
    if (!hit) return null;
    const [l, rr] = hit;
    const window = list.splice(l, rr - l + 1);
    if (list.length === 0) this.groups.delete(key);
    return window;
  }

  private prune(): void {
    const cutoff = this.newest - this.rule.timespanMs - LATE_MS;
    for (const [k, list] of this.groups) {
      let n = 0;
      while (n < list.length && (list[n] as Match).time < cutoff) n++;
      if (n > 0) list.splice(0, n);
      if (list.length === 0) this.groups.delete(k);
    }
  }

  /** The first window [l, r] (indices) holding `t`, no longer than the timespan, that meets the condition. */
  private window(list: readonly Match[], t: EpochMs): [number, number] | null {
    const span = this.rule.timespanMs;
    const r = this.rule;
    for (let l = 0; l < list.length; l++) {
      const lt = (list[l] as Match).time;
      if (lt < t - span) continue;
      if (lt > t) break;
      let end = l;
      while (end + 1 < list.length && (list[end + 1] as Match).time - lt <= span) end++;
      const slice = list.slice(l, end + 1);
      if (this.meets(slice, r)) return [l, end];
    }
    return null;
  }

  private meets(slice: readonly Match[], r: CorrelationRule): boolean {
    const reached = (n: number) =>
      r.threshold ? (r.threshold.op === 'gt' ? n > r.threshold.value : n >= r.threshold.value) : false;
    if (r.type === 'event_count') return reached(slice.length);
    if (r.type === 'value_count') return reached(new Set(slice.map((m) => m.value)).size);
    if (r.type === 'temporal') return r.rules.every((_, i) => slice.some((m) => m.rule === i));
    let want = 0;
    for (const m of slice) if (m.rule === want) want++;
    return want >= r.rules.length;
  }

  evidence(window: readonly Match[]): string[] {
    const ids: string[] = [];
    for (const m of window)
      if (m.id !== undefined && !ids.includes(m.id) && ids.length < this.maxEvidence) ids.push(m.id);
    return ids;
  }
}

export function sigmaDetector(rules: readonly SigmaRule[], name: string, maxEvidence = DEFAULT_MAX_EVIDENCE): Detector {
  const detections = rules.filter((r): r is DetectionRule => r.kind === 'detection');
  const correlations = rules.filter((r): r is CorrelationRule => r.kind === 'correlation');
  const used = new Set(correlations.flatMap((c) => c.rules));
  const generating = new Set(correlations.filter((c) => c.generate).flatMap((c) => c.rules));
  const alerting = new Set(detections.filter((d) => !used.has(d) || generating.has(d)));
  const states = correlations.map((c) => new CorrelationState(c, maxEvidence));
  const tables = new Set(detections.flatMap((d) => d.logsource.tables));
  const seen = new Map<DetectionRule, Set<string>>();
  const needs = sigmaNeeds(rules);
  return {
    name,
    start(ctx: DetectorContext) {
      // `run` checked this before generating; a dataset replayed by other means is checked here
      refuseUnmetNeeds(needs, ctx.sources);
    },
    ingest(batch, ctx) {
      for (const d of batch) {
        const tr = tableRow(d, tables, KQL_WORKSPACE_ID);
        if (!tr) continue;
        const { table, row } = tr;
        const idCol = TABLE_ID_COLUMNS[table];
        const id = idCol !== undefined && typeof row[idCol] === 'string' ? (row[idCol] as string) : undefined;
        const time = typeof row.TimeGenerated === 'number' ? row.TimeGenerated : ctx.now();
        for (const rule of detections) {
          const m = rule.match.get(table);
          if (!m?.(row)) continue;
          if (alerting.has(rule)) {
            const ids = seen.get(rule) ?? new Set<string>();
            seen.set(rule, ids);
            if (id === undefined || !ids.has(id)) {
              if (id !== undefined) ids.add(id);
              const e = entitiesOf(row);
              ctx.emit(
                alert({
                  rule: rule.title,
                  principal: e.principal,
                  sessionId: e.sessionId,
                  ip: e.ip,
                  evidence: id === undefined ? undefined : [id],
                  time: iso(ctx.now()),
                  severity: rule.level,
                  technique: rule.technique,
                  details: { sigma: rule.id ?? rule.name ?? rule.title, table },
                }),
              );
            }
          }
          for (const s of states) {
            const i = s.rule.rules.indexOf(rule);
            if (i < 0) continue;
            const window = s.add(i, table, row, time, id);
            if (!window) continue;
            ctx.emit(
              alert({
                rule: s.rule.title,
                principal: mostCommon(window.map((w) => w.entities.principal)),
                sessionId: mostCommon(window.map((w) => w.entities.sessionId)),
                ip: mostCommon(window.map((w) => w.entities.ip)),
                evidence: s.evidence(window),
                time: iso(ctx.now()),
                severity: s.rule.level,
                technique: s.rule.technique,
                details: {
                  sigma: s.rule.id ?? s.rule.name ?? s.rule.title,
                  correlation: s.rule.type,
                  matches: window.length,
                  from: iso(window[0]?.time ?? time),
                  to: iso(window[window.length - 1]?.time ?? time),
                },
              }),
            );
          }
        }
      }
    },
    stop() {},
  };
}
