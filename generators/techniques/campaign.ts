/**
 * What the attack techniques share: the campaign actor (label, facts, seeded streams), a directory
 * listing planner (Graph collections paged with `$top` and `$skiptoken`), and the Graph request of a
 * delegated or app-only token. Modules still decide every event; this only removes the plumbing.
 */

import type { OptionSpecs } from '../../src/core/catalog.js';
import { DAY, HOUR, SECOND } from '../../src/core/clock.js';
import type { Label } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { GenEnv, Token } from '../compose/env.js';
import { optionsForTruth, type ResolvedOption, resolveOptions } from '../compose/options.js';
import { skipTokenFor } from '../records/index.js';
import type { Actor, CampaignFacts, StreamItem } from '../registry-types.js';
import { tzOffsetMinutes } from '../world/timezone.js';
import type { AttackPlan, World } from '../world/types.js';

export interface CampaignParts {
  label: Label;
  facts: CampaignFacts;
  opts: Record<string, ResolvedOption>;
  rng: Rng;
}

/** The campaign actor of one `attacks:` entry: its own RNG stream, options drawn, a lazy stream. */
export function campaignActor(
  plan: AttackPlan,
  env: GenEnv,
  technique: string,
  attack: readonly string[],
  specs: OptionSpecs,
  body: (p: CampaignParts) => Generator<StreamItem>,
): Actor & { campaign: CampaignFacts } {
  const e = plan.entry;
  const r = rngStream(env.seed, 'technique', e.id);
  const opts = resolveOptions(specs, e.options, r.fork('options'));
  const label: Label = {
    actor: `attack:${e.id}`,
    kind: 'technique',
    module: technique,
    campaign: e.id,
    malicious: true,
  };
  const facts: CampaignFacts = {
    id: e.id,
    technique,
    attack: [...attack],
    principals: new Set(),
    sessions: new Set(),
    tokens: new Set(),
    ips: new Set(),
    appIds: new Set(),
    start: plan.start,
    end: plan.start,
    options: optionsForTruth(opts),
  };
  return {
    id: `attack:${e.id}`,
    label,
    principals: plan.user ? [plan.user.upn] : plan.servicePrincipal ? [plan.servicePrincipal.id] : [],
    campaign: facts,
    stream: () => body({ label, facts, opts, rng: r.fork('stream') }),
  };
}

/** Requests per minute of a `rate` option (default when unset). */
export function perMinute(v: ResolvedOption | undefined, dflt: number): number {
  if (typeof v === 'object' && v !== null && 'perMs' in v && v.count > 0) return (v.count * 60_000) / v.perMs;
  return dflt;
}

/** Collections a listing can walk, with the bytes one object costs in a response. */
export const COLLECTIONS = ['users', 'groups', 'groupMembers', 'servicePrincipals', 'applications'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface PlannedRequest {
  t: number;
  uri: string;
  size: number;
  status: number;
}

const G = 'https://graph.microsoft.com';

/**
 * Every request of a sequential listing of `collections`, starting at `t0`: `$top=pageSize` (none
 * for 100, the default page), `@odata.nextLink` with `$skiptoken`, one request per `gapMs` or the
 * service latency, whichever is longer. `select` is appended to user pages.
 */
export function planListing(
  w: World,
  r: Rng,
  t0: number,
  o: { collections: readonly string[]; pageSize: number; gapMs: number; apiVersion?: 'v1.0' | 'beta'; select?: string },
): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const v = o.apiVersion ?? 'v1.0';
  const top = o.pageSize === 100 ? '' : `$top=${o.pageSize}`;
  let t = t0;
  const step = () => {
    t += Math.max(r.logNormal(320, 1500), o.gapMs * (0.75 + 0.5 * r.float()));
  };
  const pages = (base: string, count: number, perObject: number, extra = '') => {
    let left = count;
    let first = true;
    while (first || left > 0) {
      const n = Math.min(o.pageSize, left);
      const q = [extra, top, first ? '' : `$skiptoken=${skipTokenFor(r, base, w)}`].filter(Boolean).join('&');
      out.push({ t: Math.floor(t), uri: `${base}${q ? `?${q}` : ''}`, size: 180 + n * perObject, status: 200 });
      left -= n;
      first = false;
      step();
    }
  };
  for (const c of o.collections) {
    switch (c) {
      case 'users':
        pages(`${G}/${v}/users`, w.users.length, r.int(480, 620), o.select ?? '');
        break;
      case 'groups':
        pages(`${G}/${v}/groups`, w.groups.length, r.int(650, 900));
        break;
      case 'groupMembers':
        for (const g of w.groups) pages(`${G}/${v}/groups/${g.id}/members`, g.members, r.int(420, 560));
        break;
      case 'servicePrincipals':
        pages(`${G}/${v}/servicePrincipals`, w.servicePrincipals.length, r.int(2600, 3600));
        break;
      case 'applications':
        pages(
          `${G}/${v}/applications`,
          w.servicePrincipals.filter((p) => p.kind === 'tenantApp').length,
          r.int(2200, 3000),
        );
        break;
    }
  }
  return out;
}

/** A few seconds' think time, as a whole number of milliseconds. */
export function pause(r: Rng, minS: number, maxS: number): number {
  return r.int(minS, maxS) * SECOND + r.int(0, 999);
}

/** Seconds-resolution helper for the token a request carries. */
export function tokenFields(token: Token): { tokenIssuedAt: number; signInActivityId: string } {
  return { tokenIssuedAt: token.iat, signInActivityId: token.uti };
}

/**
 * `t` if it falls in the tenant's business hours (its time zone, hours and days), else the start of
 * the next business day's hours: what a listing that blends into the working day waits for.
 */
export function nextBusinessTime(env: GenEnv, t: number): number {
  const tenant = env.scenario.tenant;
  const bh = tenant.businessHours;
  if (!bh.days.length || bh.end <= bh.start) return t;
  let at = t;
  for (let i = 0; i < 16; i++) {
    const off = tzOffsetMinutes(tenant.timezone, at) * 60_000;
    const local = at + off;
    const midnight = Math.floor(local / DAY) * DAY;
    const weekday = new Date(midnight).getUTCDay();
    const hour = (local - midnight) / HOUR;
    const workday = bh.days.includes(weekday);
    if (workday && hour >= bh.start && hour < bh.end) return at;
    const next = workday && hour < bh.start ? midnight + bh.start * HOUR : midnight + DAY + bh.start * HOUR;
    at = next - off;
  }
  return at;
}

/**
 * Move a time-ordered request plan into business hours: a request that would fall outside them waits
 * for the next working morning (plus a few minutes), and every later request moves with it.
 */
export function intoBusinessHours<T extends { t: number }>(env: GenEnv, r: Rng, reqs: T[]): T[] {
  let shift = 0;
  for (const q of reqs) {
    const t = q.t + shift;
    const b = nextBusinessTime(env, t);
    if (b !== t) shift += b - t + r.int(3, 45) * 60_000 + r.int(0, 59_999);
    q.t += shift;
  }
  return reqs;
}
