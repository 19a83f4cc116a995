/**
 * The composition engine: the world plan, one lazily evaluated time-ordered stream per actor (a
 * profile instance or a campaign, each from its own RNG stream), and a k-way merge by event time into
 * one stream of labelled records. `--shard i/n` keeps the actors whose id hashes to i (the world plan
 * is shared), so shards are disjoint and their union is the whole dataset.
 */
import { Heap } from 'heap-js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { LabelledRecord } from '../../src/core/records.js';
import type { Scenario } from '../../src/scenario/types.js';
import { findProfile, findTechnique } from '../registry.js';
import type { Actor, CampaignFacts } from '../registry-types.js';
import { hashString } from '../world/hash.js';
import { buildWorld } from '../world/plan.js';
import type { World } from '../world/types.js';
import { type GenEnv, makeEnv } from './env.js';
import { compareRecords, OrderedStream } from './ordered.js';

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
      throw new EnumbenchError('E_PROFILE_UNKNOWN', `unknown profile "${entry.profile}"`, {
        diagnostics: [
          {
            code: 'E_PROFILE_UNKNOWN',
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
      throw new EnumbenchError('E_TECHNIQUE_UNKNOWN', `unknown technique "${plan.entry.technique}"`, {
        diagnostics: [
          {
            code: 'E_TECHNIQUE_UNKNOWN',
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

interface HeapItem {
  rec: LabelledRecord;
  it: Iterator<LabelledRecord>;
}

/** k-way merge of the actors' streams by (event time, source, id). Lazy: one head record per actor in memory. */
export function* mergeActors(actors: readonly Actor[]): Generator<LabelledRecord> {
  const heap = new Heap<HeapItem>((a, b) => compareRecords(a.rec, b.rec));
  const items: HeapItem[] = [];
  for (const a of actors) {
    const it = new OrderedStream(a.stream(), a.id, a.label.kind === 'technique' ? 60_000 : 5 * 60_000);
    const first = it.next();
    if (!first.done) items.push({ rec: first.value, it });
  }
  heap.init(items);
  while (heap.length) {
    const top = heap.peek() as HeapItem;
    yield top.rec;
    const n = top.it.next();
    if (n.done) heap.pop();
    else {
      top.rec = n.value;
      heap.replace(top);
    }
  }
}
