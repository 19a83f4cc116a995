/**
 * The scheduled "reconnaissance detected" rule pattern from f-bader/AzSentinelQueries (Cloudbrothers,
 * https://cloudbrothers.info/en/detect-threats-microsoft-graph-logs-part-1/), shared by the AzureHound,
 * Purple Knight and GraphRunner rules. No licence: implemented from the published logic, cited, not
 * copied.
 *
 * Each run (every 30 min, `queryFrequency: 30m`):
 * - rows: MicrosoftGraphActivityLogs ingested in the last 35 min (`ingestion_time() > ago(35m)`) whose
 *   TimeGenerated falls in the rule's 40-min query period (`queryPeriod: 40m`), and whose RequestUri
 *   does not contain `microsoft.graph.delta` (KQL `!has`, treated as a case-insensitive substring);
 * - key: UserId when not empty (ObjectType "UserId"), else ServicePrincipalId ("ServicePrincipalId");
 * - per key: the distinct normalised URIs (`make_set(…, 1000)`: at most 1,000 kept; KQL's order is
 *   unspecified, enumbench keeps the first 1,000 by event time then requestId) and the distinct IPs;
 * - score = round(|signature ∩ URIs| / |signature|, 1); alert when score > 0.7.
 *   AlertPerResult, suppression off: every run that matches alerts again.
 */
import type { Alert } from '../../src/core/alerts.js';
import type { EpochMs } from '../../src/core/clock.js';
import { MINUTE } from '../../src/core/clock.js';
import type { Detector, DetectorFactory } from '../../src/core/detector.js';
import { normaliseRequestUri, SIGNATURE_PREFIX } from './cloudbrothers-normalise.js';
import {
  alert,
  COMMON_OPTIONS,
  commonOptions,
  compare,
  evidenceOf,
  type Held,
  iso,
  scheduledRule,
  sortedDistinct,
} from './engine.js';
import { type GraphRow, isEmpty, readGraph } from './fields.js';

export const CLOUDBROTHERS_SCHEDULE = {
  intervalMs: 30 * MINUTE,
  ingestionLookbackMs: 35 * MINUTE,
  queryPeriodMs: 40 * MINUTE,
  makeSetCap: 1000,
  scoreAbove: 0.7,
} as const;

export interface PathSignatureRule {
  id: string;
  /** the path suffixes after `https:/graph.microsoft.com/version` */
  suffixes: readonly string[];
  severity: string;
  technique: string;
  published: { ruleId: string; file: string; techniques: readonly string[] };
}

/** KQL `round(x, 1)` for the non-negative scores here (half away from zero). */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** How many of `n` entries must match for `round(k/n, 1) > 0.7`. */
export function minimumMatches(n: number): number {
  for (let k = 0; k <= n; k++) if (round1(k / n) > CLOUDBROTHERS_SCHEDULE.scoreAbove) return k;
  return n + 1;
}

/** only what the rule reads is held: 35 minutes of a large tenant's Graph traffic is a lot of rows */
interface Row {
  g: Pick<GraphRow, 'requestId' | 'time' | 'userId' | 'servicePrincipalId' | 'ipAddress'>;
  normalised: string;
}

export function pathSignatureDetector(rule: PathSignatureRule, options: Record<string, unknown>): Detector {
  const { maxEvidence } = commonOptions(options);
  const signature = rule.suffixes.map((s) => SIGNATURE_PREFIX + s);
  const c = CLOUDBROTHERS_SCHEDULE;

  const max = maxEvidence;
  function run(runAt: EpochMs, held: readonly Held<Row>[], emit: (a: Alert) => void): void {
    const groups = new Map<string, { objectId: string; objectType: string; rows: Row[] }>();
    for (const h of held) {
      if (h.ingestedAt <= runAt - c.ingestionLookbackMs) continue;
      if (h.row.g.time <= runAt - c.queryPeriodMs || h.row.g.time > runAt) continue;
      const g = h.row.g;
      const byUser = !isEmpty(g.userId);
      const objectId = (byUser ? g.userId : g.servicePrincipalId) ?? '';
      const objectType = byUser ? 'UserId' : 'ServicePrincipalId';
      const key = `${objectType}\u0000${objectId}`;
      let grp = groups.get(key);
      if (!grp) {
        grp = { objectId, objectType, rows: [] };
        groups.set(key, grp);
      }
      grp.rows.push(h.row);
    }
    for (const key of [...groups.keys()].sort(compare)) {
      const grp = groups.get(key)!;
      const rows = grp.rows.sort((a, b) => a.g.time - b.g.time || compare(a.g.requestId ?? '', b.g.requestId ?? ''));
      const called = new Set<string>();
      for (const r of rows) {
        if (called.size >= c.makeSetCap) break;
        called.add(r.normalised);
      }
      const matched = signature.filter((s) => called.has(s));
      const score = round1(matched.length / signature.length);
      if (!(score > c.scoreAbove)) continue;
      const ips = sortedDistinct(rows.map((r) => r.g.ipAddress));
      const perPath = Math.max(1, Math.ceil(max / matched.length));
      const cited: { id: string | undefined; time: EpochMs }[] = [];
      for (const m of matched) {
        const hits = rows.filter((r) => r.normalised === m).map((r) => ({ id: r.g.requestId, time: r.g.time }));
        const keep = new Set(evidenceOf(hits, perPath));
        cited.push(...hits.filter((h) => h.id !== undefined && keep.has(h.id)));
      }
      const evidence = evidenceOf(cited, max);
      emit(
        alert({
          rule: rule.id,
          principal: grp.objectId,
          ip: ips.length === 1 ? ips[0] : undefined,
          evidence,
          time: iso(runAt),
          severity: rule.severity,
          technique: rule.technique,
          details: {
            objectType: grp.objectType,
            confidenceScore: score,
            matchingQueries: matched,
            matched: matched.length,
            of: signature.length,
            ipAddresses: ips,
            publishedRuleId: rule.published.ruleId,
            publishedTechniques: rule.published.techniques,
          },
        }),
      );
    }
  }

  return scheduledRule<Row>({
    name: rule.id,
    intervalMs: c.intervalMs,
    retainMs: c.ingestionLookbackMs,
    sources: ['graphActivity'],
    parse(d) {
      const g = readGraph(d.record);
      if (!g) return undefined;
      if (g.requestUri.toLowerCase().includes('microsoft.graph.delta')) return undefined;
      const normalised = normaliseRequestUri(g.requestUri);
      // rows that can never match still shape make_set's 1,000 cap, so they are kept
      const { requestId, time, userId, servicePrincipalId, ipAddress } = g;
      return { g: { requestId, time, userId, servicePrincipalId, ipAddress }, normalised };
    },
    id: (r) => r.g.requestId,
    run,
  });
}

export function pathSignatureModule(rule: PathSignatureRule, summary: string) {
  const create: DetectorFactory = (options) => pathSignatureDetector(rule, options);
  return { info: { id: rule.id, summary, options: COMMON_OPTIONS }, create, rule };
}

/** The signature entries a set of request URIs hits (after normalisation), in signature order. */
export function matchedSignature(suffixes: readonly string[], uris: Iterable<string>): string[] {
  const called = new Set<string>();
  for (const u of uris) if (!u.toLowerCase().includes('microsoft.graph.delta')) called.add(normaliseRequestUri(u));
  return suffixes.filter((s) => called.has(SIGNATURE_PREFIX + s));
}
