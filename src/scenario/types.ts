/**
 * The normalised, typed scenario every later stage consumes. Produced once by `loadScenario` /
 * `validate`: durations are milliseconds, times are epoch milliseconds (UTC), selectors and
 * schedules are parsed, defaults are filled in.
 */
import type { EpochMs } from '../core/clock.js';
import type { SourceId } from '../core/sources.js';
import type { Threshold } from './thresholds.js';

import type { Rate } from './units.js';

export type { Rate };

/** A technique/profile option value after parsing; ranges keep both ends until a seed draws. */
export type OptionValue =
  | number
  | string
  | boolean
  | readonly string[]
  | Rate
  | { range: { min: number; max: number }; unit: 'integer' | 'number' | 'duration' }
  | { range: { min: Rate; max: Rate }; unit: 'rate' };

export type ActorSelector =
  | { kind: 'role'; role: string }
  | { kind: 'random-user' }
  | { kind: 'random-admin' }
  | { kind: 'all' }
  | { kind: 'upn'; upn: string }
  | { kind: 'count'; count: number };

export type Schedule =
  | { kind: 'every'; everyMs: number; jitterMs: number }
  | { kind: 'cron'; cron: string }
  | { kind: 'rate'; rate: Rate; hours: HoursWindow };

export type HoursWindow = 'business' | 'all' | 'night' | 'weekdays';

export interface ProfileEntry {
  /** unique actor-group id inside the scenario: `id` if given, else `<profile>` or `<profile>#<n>` */
  id: string;
  profile: string;
  actors: ActorSelector | null;
  schedule: Schedule | null;
  app: string | null;
  options: Record<string, OptionValue>;
}

export type NetworkKind =
  | 'corporate'
  | 'home'
  | 'mobile'
  | 'vps'
  | 'residential-proxy'
  | 'tor'
  | 'vendor-cloud'
  | 'microsoft';

export type SignInMethod =
  | 'password'
  | 'mfa'
  | 'deviceCode'
  | 'refreshToken'
  | 'clientSecret'
  | 'certificate'
  | 'stolenToken';

export interface AttackEntry {
  id: string;
  technique: string;
  actor: { kind: 'account'; selector: ActorSelector } | { kind: 'servicePrincipal'; name: string | null };
  session: {
    network: NetworkKind | null;
    country: string | null;
    signIn: SignInMethod | null;
    userAgent: string | null;
  };
  /** null: a seeded time inside the window */
  at: EpochMs | null;
  options: Record<string, OptionValue>;
}

export interface LatencySpec {
  median: number;
  p95: number;
  max: number;
}

export interface SourceDelivery {
  latency: LatencySpec;
  blob: { maxRecords: number; maxSpan: number };
  /** share of records delivered twice */
  duplicates: number;
}

export interface Scenario {
  version: 1;
  name: string;
  description: string;
  seed: number;
  repeat: number;
  tenant: {
    domain: string;
    users: number;
    groups: number;
    devices: number;
    servicePrincipals: number;
    /** role name → number of holders (every built-in role the tenant uses) */
    roles: Record<string, number>;
    countries: string[];
    timezone: string;
    businessHours: { start: number; end: number; days: number[] };
  };
  time: {
    start: EpochMs;
    end: EpochMs;
    duration: number;
    history: number;
    /** start - history */
    historyStart: EpochMs;
  };
  telemetry: {
    /** the preset name, or null when `sources` was given explicitly */
    collection: string | null;
    sources: SourceId[];
    hypotheses: string[];
  };
  delivery: Record<SourceId, SourceDelivery>;
  activity: ProfileEntry[];
  attacks: AttackEntry[];
  expect: Threshold[];
}
