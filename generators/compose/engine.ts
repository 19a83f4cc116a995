/**
 * The composition engine: the world plan, one lazily evaluated time-ordered stream per actor (a
 * profile instance or a campaign, each from its own RNG stream), and a k-way merge by event time into
 * one stream of labelled records. `--shard i/n` keeps the actors whose id hashes to i (the world plan
 * is shared), so shards are disjoint and their union is the whole dataset.
 */
import { EnumbenchError, internalError } from '../../src/core/errors.js';
import type { LabelledRecord } from '../../src/core/records.js';
import type { Scenario } from '../../src/scenario/types.js';
import { findProfile, findTechnique } from '../registry.js';
import type { Actor, CampaignFacts, StreamItem } from '../registry-types.js';
import { hashString } from '../world/hash.js';
import { buildWorld } from '../world/plan.js';
import type { World } from '../world/types.js';
import { type GenEnv, makeEnv } from './env.js';
import { compareRecords } from './ordered.js';

export interface Shard {
  index: number;
  count: number;
}

export interface Composition {
  world: World;
  env: GenEnv;
  /** every actor of the scenario (all shards) */
  allActors: Actor[];
  /** the actors this shard generates */
  actors: Actor[];
  campaigns: CampaignFacts[];
  shard: Shard | null;
}

/** Which shard an actor belongs to: stable in its id. */
export function shardOf(actorId: string, count: number): number {
  return hashString(actorId) % count;
}

export function compose(scenario: Scenario, opts: { seed?: number; shard?: Shard | null } = {}): Composition {
  const seed = opts.seed ?? scenario.seed;
  const world = buildWorld(scenario, seed);
  const env = makeEnv(world, scenario, seed);
  const allActors: Actor[] = [];
  scenario.activity.forEach((entry, i) => {
    const mod = findProfile(entry.profile);
    if (!mod) {
      throw new EnumbenchError('E_UNKNOWN_PROFILE', `unknown profile "${entry.profile}"`, {
        diagnostics: [
          {
            code: 'E_UNKNOWN_PROFILE',
            message: `unknown profile "${entry.profile}"`,
            path: ['activity', i, 'profile'],
            hint: 'run `enumbench list profiles`',
          },
        ],
        hint: 'run `enumbench list profiles`',
      });
    }
    for (const a of mod.actors(entry, env)) allActors.push(a);
  });
  const campaigns: CampaignFacts[] = [];
  world.attacks.forEach((plan, i) => {
    const mod = findTechnique(plan.entry.technique);
    if (!mod) {
      throw new EnumbenchError('E_UNKNOWN_TECHNIQUE', `unknown technique "${plan.entry.technique}"`, {
        diagnostics: [
          {
            code: 'E_UNKNOWN_TECHNIQUE',
            message: `unknown technique "${plan.entry.technique}"`,
            path: ['attacks', i, 'technique'],
            hint: 'run `enumbench list techniques`',
          },
        ],
        hint: 'run `enumbench list techniques`',
      });
    }
    if (!plan.user && plan.entry.actor.kind === 'account') {
      throw new EnumbenchError('E_SELECTOR_EMPTY', `attack "${plan.entry.id}": no account to act as`);
    }
    const a = mod.campaign(plan, env);
    allActors.push(a);
  });
  const ids = new Set<string>();
  for (const a of allActors) {
    if (ids.has(a.id))
      throw new EnumbenchError('E_ACTOR_DUPLICATE', `two actors share the id "${a.id}"`, {
        hint: 'give each activity entry a distinct `id`',
      });
    ids.add(a.id);
  }
  const shard = opts.shard ?? null;
  const actors = shard ? allActors.filter((a) => shardOf(a.id, shard.count) === shard.index) : allActors;
  for (const a of actors) if (a.campaign) campaigns.push(a.campaign);
  return { world, env, allActors, actors, campaigns, shard };
}

/**
 * How far before its announced time an event may place a record (a script block logged seconds
 * before the sign-in it triggers, a portal sign-in before the first page). Records older than the
 * merge frontier are a generator bug and throw.
 */
export const LEAD_MS = 2 * 60_000;

interface Cursor {
  id: string;
  it: Iterator<StreamItem>;
  /** the actor's announced next event time */
  key: number;
  /** how far before `key` its records may lie (Actor.lead, at most LEAD_MS) */
  lead: number;
  /** key - lead: the earliest time this actor may still produce a record at */
  low: number;
}

/** A binary min-heap of records on compareRecords: the merge's small reorder buffer. */
class RecordHeap {
  private readonly h: LabelledRecord[] = [];
  get size(): number {
    return this.h.length;
  }
  peek(): LabelledRecord | undefined {
    return this.h[0];
  }
  push(x: LabelledRecord): void {
    const h = this.h;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compareRecords(h[p] as LabelledRecord, x) <= 0) break;
      h[i] = h[p] as LabelledRecord;
      i = p;
    }
    h[i] = x;
  }
  pop(): LabelledRecord {
    const h = this.h;
    const top = h[0] as LabelledRecord;
    const last = h.pop() as LabelledRecord;
    if (h.length) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && compareRecords(h[r] as LabelledRecord, h[l] as LabelledRecord) < 0 ? r : l;
        if (compareRecords(last, h[c] as LabelledRecord) <= 0) break;
        h[i] = h[c] as LabelledRecord;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/** Cursor order: the earliest time an actor may still produce a record at, then its id. */
function cursorBefore(a: Cursor, b: Cursor): boolean {
  return a.low < b.low || (a.low === b.low && a.id < b.id);
}

/** A binary min-heap of cursors: one sift per event, the merge's hot loop. */
class CursorHeap {
  private readonly h: Cursor[];
  constructor(items: readonly Cursor[]) {
    this.h = items.slice();
    for (let i = (this.h.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
  get size(): number {
    return this.h.length;
  }
  peek(): Cursor {
    return this.h[0] as Cursor;
  }
  /** the top cursor advanced (its key grew): sift it down */
  updateTop(): void {
    this.down(0);
  }
  removeTop(): void {
    const last = this.h.pop() as Cursor;
    if (this.h.length) {
      this.h[0] = last;
      this.down(0);
    }
  }
  private down(i0: number): void {
    const h = this.h;
    const n = h.length;
    const x = h[i0] as Cursor;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && cursorBefore(h[r] as Cursor, h[l] as Cursor) ? r : l;
      if (!cursorBefore(h[c] as Cursor, x)) break;
      h[i] = h[c] as Cursor;
      i = c;
    }
    h[i] = x;
  }
}

/**
 * k-way merge of the actors' streams into one stream ordered by (event time, source, id). Actors
 * sit in a heap keyed by the earliest time they may still produce a record at (next announced
 * event time minus their lead); the earliest one builds its event's records into a small reorder
 * buffer, which releases every record older than that frontier. Lazy: nothing is built before its
 * time. The order actors are advanced in does not change the output (the buffer orders records by a
 * total key), only how long records wait: an actor with a small lead lets them go sooner.
 */
export function* mergeActors(actors: readonly Actor[]): Generator<LabelledRecord> {
  const buf = new RecordHeap();
  const advance = (c: Cursor): boolean => {
    for (;;) {
      const r = c.it.next();
      if (r.done) return false;
      const v = r.value;
      if (typeof v === 'number') {
        if (v < c.key) throw internalError(`actor ${c.id} announced ${v} after ${c.key}: times must not go back`);
        c.key = v;
        c.low = v - c.lead;
        return true;
      }
      if (v.time < c.low) {
        throw internalError(
          `actor ${c.id} emitted a record ${(c.key - v.time) / 1000}s before its announced time (limit ${c.lead / 1000}s)`,
        );
      }
      buf.push(v);
    }
  };
  const cursors: Cursor[] = [];
  for (const a of actors) {
    const lead = Math.min(LEAD_MS, Math.max(0, a.lead ?? LEAD_MS));
    const c: Cursor = { id: a.id, it: a.stream(), key: Number.NEGATIVE_INFINITY, lead, low: Number.NEGATIVE_INFINITY };
    if (advance(c)) cursors.push(c);
  }
  const heap = new CursorHeap(cursors);
  let last: LabelledRecord | null = null;
  const release = (r: LabelledRecord): LabelledRecord => {
    if (last && compareRecords(last, r) > 0) throw internalError(`merge out of order at ${r.source}/${r.id}`);
    last = r;
    return r;
  };
  while (heap.size) {
    const c = heap.peek();
    const frontier = c.low;
    while (buf.size && (buf.peek() as LabelledRecord).time < frontier) yield release(buf.pop());
    if (advance(c)) heap.updateTop();
    else heap.removeTop();
  }
  while (buf.size) yield release(buf.pop());
}
