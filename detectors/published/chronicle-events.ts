/**
 * Shared by the Google SecOps (chronicle/detection-rules, Apache-2.0) multi-event YARA-L ports: events
 * joined on `$ip = principal.ip` and `$session = network.session_id`, evaluated as each batch of
 * records arrives, over event time.
 *
 * Porting decisions:
 * - principal.ip is the Graph `ipAddress`; network.session_id is the Entra session id (`c_Sid` /
 *   `SessionId`). YARA-L leaves out events whose match variables are empty (no
 *   `allow_zero_values` option in these rules), so records without an IP or a session are ignored.
 * - A YARA-L rule reports one detection per match window; the port alerts once per (ip, session) for
 *   each window that satisfies the condition and does not overlap a window already alerted on.
 * - Events are held for the window plus `lateness` (default 3 h: Graph logs arrive up to 2 h late)
 *   of simulated time after ingestion, then dropped.
 */
import type { Alert } from '../../src/core/alerts.js';
import { type EpochMs, HOUR } from '../../src/core/clock.js';
import type { Detector, DetectorFactory } from '../../src/core/detector.js';
import { COMMON_OPTIONS, commonOptions, compare } from './engine.js';
import { type GraphRow, readGraph } from './fields.js';

export interface KeyedEvent<K extends string> {
  kind: K;
  g: GraphRow;
  ingestedAt: EpochMs;
}

export interface ChronicleRule<K extends string> {
  id: string;
  /** which event variable a record is (at most one; the rules' event definitions are disjoint) */
  classify(g: GraphRow): K | undefined;
  /**
   * Find matches among a key's events (sorted by time, then requestId), none starting at or before
   * `after`; each match returns its events and the end of its window.
   */
  matches(events: readonly KeyedEvent<K>[], after: EpochMs): { events: KeyedEvent<K>[]; windowEnd: EpochMs }[];
  windowMs: number;
  toAlert(
    key: { ip: string; session: string },
    events: readonly KeyedEvent<K>[],
    maxEvidence: number,
    now: EpochMs,
  ): Alert;
}

export function chronicleDetector<K extends string>(
  rule: ChronicleRule<K>,
  options: Record<string, unknown>,
): Detector {
  const { maxEvidence } = commonOptions(options);
  const lateness = typeof options.lateness === 'number' ? options.lateness : 3 * HOUR;
  const byKey = new Map<
    string,
    { ip: string; session: string; events: KeyedEvent<K>[]; alertedUntil: EpochMs; ids: Set<string> }
  >();

  return {
    name: rule.id,
    start() {},
    ingest(batch, ctx) {
      const now = ctx.now();
      const touched = new Set<string>();
      for (const d of batch) {
        if (d.source !== 'graphActivity') continue;
        const g = readGraph(d.record);
        if (!g?.ipAddress || !g.sessionId) continue;
        const kind = rule.classify(g);
        if (kind === undefined) continue;
        const key = JSON.stringify([g.ipAddress, g.sessionId]);
        let k = byKey.get(key);
        if (!k) {
          k = {
            ip: g.ipAddress,
            session: g.sessionId,
            events: [],
            alertedUntil: Number.NEGATIVE_INFINITY,
            ids: new Set(),
          };
          byKey.set(key, k);
        }
        if (g.requestId !== undefined) {
          if (k.ids.has(g.requestId)) continue;
          k.ids.add(g.requestId);
        }
        k.events.push({ kind, g, ingestedAt: now });
        touched.add(key);
      }
      for (const key of [...touched].sort(compare)) {
        const k = byKey.get(key)!;
        k.events.sort((a, b) => a.g.time - b.g.time || compare(a.g.requestId ?? '', b.g.requestId ?? ''));
        for (const m of rule.matches(k.events, k.alertedUntil)) {
          k.alertedUntil = m.windowEnd;
          ctx.emit(rule.toAlert({ ip: k.ip, session: k.session }, m.events, maxEvidence, now));
        }
      }
      // forget events (and keys) nothing can match any more
      for (const [key, k] of byKey) {
        const keep = k.events.filter((e) => e.ingestedAt > now - rule.windowMs - lateness);
        if (keep.length !== k.events.length) {
          for (const e of k.events) if (!keep.includes(e) && e.g.requestId !== undefined) k.ids.delete(e.g.requestId);
          k.events = keep;
        }
        if (k.events.length === 0) byKey.delete(key);
      }
    },
    stop() {},
  };
}

export function chronicleModule<K extends string>(rule: ChronicleRule<K>, summary: string) {
  const create: DetectorFactory = (options) => chronicleDetector(rule, options);
  return {
    info: {
      id: rule.id,
      summary,
      options: {
        ...COMMON_OPTIONS,
        lateness: {
          type: 'number',
          default: 3 * HOUR,
          min: 0,
          description: 'how long events are held after ingestion beyond the match window, in ms',
        },
      },
    },
    create,
  };
}

/** YARA-L `field = "literal" nocase`: exact equality, ignoring case. */
export function equalsNocase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
