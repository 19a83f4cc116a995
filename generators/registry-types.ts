/**
 * What the engine needs from a profile or technique module, beyond the catalogue's ModuleInfo.
 */
import type { ModuleInfo } from '../src/core/catalog.js';
import type { Label, LabelledRecord } from '../src/core/records.js';
import type { ProfileEntry } from '../src/scenario/types.js';
import type { GenEnv } from './compose/env.js';
import type { AttackPlan } from './world/types.js';

/** The part of a generator module the catalogue needs. */
export interface GeneratorModule {
  info: ModuleInfo;
}

/** What a campaign learns about itself while its stream runs: the truth side of an attack. */
export interface CampaignFacts {
  id: string;
  technique: string;
  attack: string[];
  principals: Set<string>;
  sessions: Set<string>;
  tokens: Set<string>;
  ips: Set<string>;
  appIds: Set<string>;
  start: number;
  end: number;
  options: Record<string, unknown>;
}

/**
 * What an actor's stream yields: records, and before each event the event's time (a number). The
 * time is a promise: the event's records are no earlier than it minus the actor's lead (at most
 * LEAD_MS, engine.ts), and the next announced time is no earlier. The merge builds an event only
 * when its time comes, so records die young and memory stays flat.
 */
export type StreamItem = LabelledRecord | number;

/** One actor: a profile instance or a campaign. Its stream is created lazily. */
export interface Actor {
  /** unique in the scenario, stable across runs and shards */
  id: string;
  label: Label;
  principals: string[];
  stream(): Iterator<StreamItem>;
  /**
   * How far (ms) before an announced time this actor's records may lie, if less than LEAD_MS
   * (engine.ts). A smaller promise lets the merge release every actor's records sooner, so fewer
   * records wait in memory (0 for an actor whose records are never earlier than their event).
   */
  lead?: number;
  campaign?: CampaignFacts;
}

export interface ProfileModule extends GeneratorModule {
  /** the actors one `activity:` entry creates (e.g. one per user for workforce) */
  actors(entry: ProfileEntry, env: GenEnv): Actor[];
}

export interface TechniqueModule extends GeneratorModule {
  /** the campaign actor of one `attacks:` entry */
  campaign(plan: AttackPlan, env: GenEnv): Actor & { campaign: CampaignFacts };
}
