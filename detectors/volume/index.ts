/**
 * `builtin:volume` — a first, simple reference detector: per principal, count directory reads
 * (requests) and the directory objects they read in a sliding window of event time over Microsoft
 * Graph and Azure AD Graph activity; alert when either count crosses its threshold. A listing
 * (`/users`, `/groups/{id}/members`, …) reads its page size (`$top`, else 100) of objects; a single
 * object read (`/users/{id}`) reads one, counted once per object. Personal resources (presence,
 * photos, people, drive…) are not directory reads. The alert names the session that read the most
 * objects and cites that session's reads: a compromised account's owner keeps working beside the
 * attacker. Sign-in records only name principals (object id → UPN). Written as an outside detector
 * would be: it imports src/core types, sees delivered records, never the truth.
 *
 * Options (all optional): window ("10m" or ms), minRequests (300), minObjects (500),
 * cooldown ("1h"), evidenceCap (200), evaluateEvery ("1m").
 */
import type { Alert } from '../../src/core/alerts.js';
import type { DetectorInfo } from '../../src/core/catalog.js';
import type { DeliveredRecord, Detector, DetectorContext, DetectorFactory } from '../../src/core/detector.js';
import { type DirectoryRead, directoryRead, type RequestFacts, requestFacts, signInFacts } from './fields.js';

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
  minObjects: 500,
  cooldownMs: 60 * 60_000,
  evidenceCap: 200,
  evaluateEveryMs: 60_000,
};

export const RULE = 'volume-directory-enumeration';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration option: milliseconds, or text such as "10m"; `detector` names who refuses a bad one. */
export function duration(v: unknown, name: string, detector = 'builtin:volume'): number {
  if (typeof v === 'number' && v >= 0) return v;
  if (typeof v === 'string') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim());
    if (m) return Number(m[1]) * (UNIT[m[2] as string] as number);
  }
  throw new Error(`${detector}: option ${name} must be a duration such as "10m", not ${JSON.stringify(v)}`);
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

interface Read extends RequestFacts {
  read: NonNullable<DirectoryRead>;
}

/** The objects a set of reads read: listings by page size, single objects once each. */
export function objectsRead(reads: readonly Read[]): number {
  let n = 0;
  const seen = new Set<string>();
  for (const r of reads) {
    if (r.read.kind === 'list') n += r.read.items;
    else if (!seen.has(r.path)) {
      seen.add(r.path);
      n++;
    }
  }
  return n;
}

interface PrincipalState {
  /** directory reads, sorted by event time */
  entries: Read[];
  /** windows ending at or before this event time do not alert again */
  quietUntil: number;
  dirty: boolean;
  /**
   * the earliest event time read since the last evaluation: only windows ending at or after it can
   * have changed (a window looks back from its last read), so only those are evaluated again
   */
  dirtyFrom: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let n = 0;
  for (const [v, c] of [...counts.entries()].sort(([a], [b]) => byText(a, b))) {
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

  /** `fullRescan`: evaluate every window at every evaluation (the reference the incremental scan is tested against) */
  constructor(
    readonly options: VolumeOptions = VOLUME_DEFAULTS,
    private readonly fullRescan = false,
  ) {}

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
      const read = f ? directoryRead(f) : null;
      if (!f || !read) continue;
      let st = this.state.get(f.principal);
      if (!st) {
        st = { entries: [], quietUntil: Number.NEGATIVE_INFINITY, dirty: false, dirtyFrom: Number.POSITIVE_INFINITY };
        this.state.set(f.principal, st);
      }
      insertSorted(st.entries, { ...f, read });
      st.dirty = true;
      if (f.time < st.dirtyFrom) st.dirtyFrom = f.time;
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
    for (const principal of [...this.state.keys()].sort(byText)) {
      const st = this.state.get(principal) as PrincipalState;
      if (!st.dirty) continue;
      st.dirty = false;
      const from = this.fullRescan ? Number.NEGATIVE_INFINITY : st.dirtyFrom;
      st.dirtyFrom = Number.POSITIVE_INFINITY;
      const e = st.entries;
      // sliding window over event time: listing items summed, single objects counted once each.
      // Windows ending before `from` are as they were at the last evaluation, so the scan starts
      // with the reads the first changed window can hold (a window's reads lie within windowMs
      // before its last one) and checks windows from `from` on: the alerts of a full rescan.
      const objectsSeen = new Map<string, number>();
      let listItems = 0;
      let start = 0;
      {
        let lo = 0;
        let hi = e.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((e[mid] as Read).time < from - o.windowMs) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      let left = start;
      const add = (r: Read, sign: 1 | -1) => {
        if (r.read.kind === 'list') listItems += sign * r.read.items;
        else {
          const c = (objectsSeen.get(r.path) ?? 0) + sign;
          if (c === 0) objectsSeen.delete(r.path);
          else objectsSeen.set(r.path, c);
        }
      };
      for (let right = start; right < e.length; right++) {
        const r = e[right] as Read;
        add(r, 1);
        while (r.time - (e[left] as Read).time > o.windowMs) add(e[left++] as Read, -1);
        if (r.time < from || r.time <= st.quietUntil) continue;
        const requests = right - left + 1;
        const objects = listItems + objectsSeen.size;
        if (requests >= o.minRequests || objects >= o.minObjects) {
          ctx.emit(this.alert(principal, e.slice(left, right + 1), requests, objects, ctx));
          st.quietUntil = r.time + o.cooldownMs;
        }
      }
      // keep what a late record could still complete: the last window plus three hours of delay
      const newest = e[e.length - 1]?.time ?? 0;
      const keepFrom = newest - o.windowMs - 3 * 60 * 60_000;
      let drop = 0;
      while (drop < e.length && (e[drop] as Read).time < keepFrom) drop++;
      if (drop > 0) e.splice(0, drop);
    }
  }

  private alert(
    principal: string,
    win: readonly Read[],
    requests: number,
    objects: number,
    ctx: DetectorContext,
  ): Alert {
    // the session (else token, else IP) that read the most objects in the window
    const groups = new Map<string, Read[]>();
    for (const w of win) {
      const k = w.session ?? w.token ?? w.ip ?? '-';
      const g = groups.get(k);
      if (g) g.push(w);
      else groups.set(k, [w]);
    }
    let best: Read[] = [];
    let bestObjects = -1;
    for (const [, g] of [...groups.entries()].sort(([a], [b]) => byText(a, b))) {
      const n = objectsRead(g);
      if (n > bestObjects) {
        best = g;
        bestObjects = n;
      }
    }
    const first = win[0] as Read;
    const last = win[win.length - 1] as Read;
    const session = mostCommon(best.map((w) => w.session)) ?? mostCommon(best.map((w) => w.token));
    const ip = mostCommon(best.map((w) => w.ip));
    const alert: Alert = {
      rule: RULE,
      principal: this.upnOf.get(principal) ?? principal,
      evidence: best.slice(-this.options.evidenceCap).map((w) => w.id),
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

function insertSorted(list: Read[], f: Read): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as Read).time > f.time) i--;
  list.splice(i, 0, f);
}

export const volumeInfo: DetectorInfo = {
  id: 'volume',
  summary:
    'Reference detector: per-principal directory reads and objects read in a sliding window over Graph and Azure AD Graph activity',
};

export const createVolumeDetector: DetectorFactory = (options) => new VolumeDetector(volumeOptions(options));
