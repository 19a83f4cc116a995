/**
 * `builtin:volume` — a first, simple reference detector: per principal, count directory reads
 * (requests) and distinct directory objects in a sliding window of event time over Microsoft Graph
 * and Azure AD Graph activity; alert when either count crosses its threshold. Sign-in records only
 * name principals (object id → UPN). Written as an outside detector would be: it imports src/core
 * types, sees delivered records, never the truth.
 *
 * Options (all optional): window ("10m" or ms), minRequests (300), minObjects (100),
 * cooldown ("1h"), evidenceCap (200), evaluateEvery ("1m").
 */
import type { Alert } from '../../src/core/alerts.js';
import type { DetectorInfo } from '../../src/core/catalog.js';
import type { DeliveredRecord, Detector, DetectorContext, DetectorFactory } from '../../src/core/detector.js';
import { isDirectoryRead, type RequestFacts, requestFacts, signInFacts } from './fields.js';

export interface VolumeOptions {
  windowMs: number;
  minRequests: number;
  minObjects: number;
  cooldownMs: number;
  evidenceCap: number;
  evaluateEveryMs: number;
}

export const VOLUME_DEFAULTS: VolumeOptions = {
  windowMs: 10 * 60_000,
  minRequests: 300,
  minObjects: 100,
  cooldownMs: 60 * 60_000,
  evidenceCap: 200,
  evaluateEveryMs: 60_000,
};

export const RULE = 'volume-directory-enumeration';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(v: unknown, name: string): number {
  if (typeof v === 'number' && v >= 0) return v;
  if (typeof v === 'string') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim());
    if (m) return Number(m[1]) * (UNIT[m[2] as string] as number);
  }
  throw new Error(`builtin:volume: option ${name} must be a duration such as "10m", not ${JSON.stringify(v)}`);
}

function count(v: unknown, name: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  throw new Error(`builtin:volume: option ${name} must be a positive integer, not ${JSON.stringify(v)}`);
}

export function volumeOptions(raw: Record<string, unknown>): VolumeOptions {
  const known = ['window', 'minRequests', 'minObjects', 'cooldown', 'evidenceCap', 'evaluateEvery'];
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) throw new Error(`builtin:volume: unknown option "${k}" (options: ${known.join(', ')})`);
  }
  const o = { ...VOLUME_DEFAULTS };
  if (raw.window !== undefined) o.windowMs = duration(raw.window, 'window');
  if (raw.minRequests !== undefined) o.minRequests = count(raw.minRequests, 'minRequests');
  if (raw.minObjects !== undefined) o.minObjects = count(raw.minObjects, 'minObjects');
  if (raw.cooldown !== undefined) o.cooldownMs = duration(raw.cooldown, 'cooldown');
  if (raw.evidenceCap !== undefined) o.evidenceCap = count(raw.evidenceCap, 'evidenceCap');
  if (raw.evaluateEvery !== undefined) o.evaluateEveryMs = duration(raw.evaluateEvery, 'evaluateEvery');
  return o;
}

interface PrincipalState {
  /** directory reads, sorted by event time */
  entries: RequestFacts[];
  /** windows ending at or before this event time do not alert again */
  quietUntil: number;
  dirty: boolean;
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let n = 0;
  for (const [v, c] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c > n) {
      best = v;
      n = c;
    }
  }
  return best;
}

export class VolumeDetector implements Detector {
  readonly name = 'builtin:volume';
  private readonly state = new Map<string, PrincipalState>();
  private readonly upnOf = new Map<string, string>();
  private lastEvaluation = Number.NEGATIVE_INFINITY;

  constructor(readonly options: VolumeOptions = VOLUME_DEFAULTS) {}

  start(): void {}

  ingest(batch: readonly DeliveredRecord[], ctx: DetectorContext): void {
    for (const { source, record } of batch) {
      if (source === 'signIns') {
        const s = signInFacts(record);
        if (s.userId && s.upn) this.upnOf.set(s.userId, s.upn);
        continue;
      }
      if (source !== 'graphActivity' && source !== 'aadGraphActivity') continue;
      const f = requestFacts(record);
      if (!f || !isDirectoryRead(f)) continue;
      let st = this.state.get(f.principal);
      if (!st) {
        st = { entries: [], quietUntil: Number.NEGATIVE_INFINITY, dirty: false };
        this.state.set(f.principal, st);
      }
      insertSorted(st.entries, f);
      st.dirty = true;
    }
    if (ctx.now() - this.lastEvaluation >= this.options.evaluateEveryMs) this.evaluate(ctx);
  }

  tick(_now: number, ctx: DetectorContext): void {
    if (ctx.now() - this.lastEvaluation >= this.options.evaluateEveryMs) this.evaluate(ctx);
  }

  stop(ctx: DetectorContext): void {
    this.evaluate(ctx);
  }

  private evaluate(ctx: DetectorContext): void {
    this.lastEvaluation = ctx.now();
    const o = this.options;
    for (const principal of [...this.state.keys()].sort()) {
      const st = this.state.get(principal) as PrincipalState;
      if (!st.dirty) continue;
      st.dirty = false;
      const e = st.entries;
      const paths = new Map<string, number>();
      let left = 0;
      for (let right = 0; right < e.length; right++) {
        const r = e[right] as RequestFacts;
        paths.set(r.path, (paths.get(r.path) ?? 0) + 1);
        while (r.time - (e[left] as RequestFacts).time > o.windowMs) {
          const l = e[left] as RequestFacts;
          const c = (paths.get(l.path) ?? 1) - 1;
          if (c === 0) paths.delete(l.path);
          else paths.set(l.path, c);
          left++;
        }
        if (r.time <= st.quietUntil) continue;
        const requests = right - left + 1;
        if (requests >= o.minRequests || paths.size >= o.minObjects) {
          const win = e.slice(left, right + 1);
          ctx.emit(this.alert(principal, win, requests, paths.size, ctx));
          st.quietUntil = r.time + o.cooldownMs;
        }
      }
      // keep what a late record could still complete: the last window plus the cooldown
      const newest = e[e.length - 1]?.time ?? 0;
      const keepFrom = newest - o.windowMs - 3 * 60 * 60_000;
      let drop = 0;
      while (drop < e.length && (e[drop] as RequestFacts).time < keepFrom) drop++;
      if (drop > 0) e.splice(0, drop);
    }
  }

  private alert(
    principal: string,
    win: readonly RequestFacts[],
    requests: number,
    objects: number,
    ctx: DetectorContext,
  ): Alert {
    const first = win[0] as RequestFacts;
    const last = win[win.length - 1] as RequestFacts;
    const session = mostCommon(win.map((w) => w.session)) ?? mostCommon(win.map((w) => w.token));
    const ip = mostCommon(win.map((w) => w.ip));
    const alert: Alert = {
      rule: RULE,
      principal: this.upnOf.get(principal) ?? principal,
      evidence: win.slice(-this.options.evidenceCap).map((w) => w.id),
      time: new Date(ctx.now()).toISOString(),
      severity: 'medium',
      technique: 'T1087.004',
      details: {
        requests,
        objects,
        windowStart: new Date(first.time).toISOString(),
        windowEnd: new Date(last.time).toISOString(),
      },
    };
    if (session !== undefined) alert.sessionId = session;
    if (ip !== undefined) alert.ip = ip;
    return alert;
  }
}

function insertSorted(list: RequestFacts[], f: RequestFacts): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as RequestFacts).time > f.time) i--;
  list.splice(i, 0, f);
}

export const volumeInfo: DetectorInfo = {
  id: 'volume',
  summary:
    'Reference detector: per-principal directory reads and distinct objects in a sliding window over Graph and Azure AD Graph activity',
};

export const createVolumeDetector: DetectorFactory = (options) => new VolumeDetector(volumeOptions(options));
