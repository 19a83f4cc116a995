/**
 * admin-portal — an administrator scrolls the user list in the Azure / Entra portal.
 *
 * telemetry.md §4 "Admin portals" [V fixture]: Azure Portal `c44b4083-3bb0-49c1-b47d-974e53cbdf3c`,
 * browser user agent, `/beta/users?$select=…&$top=100&$count=true` paging as the admin scrolls,
 * `/beta/devices?$select=…&$search="displayName:a"&$top=30` device search. A session: the list's
 * first page, more pages as the admin scrolls (each a `$skiptoken`), a search box (`$search` with
 * ConsistencyLevel: eventual), a user opened (its record, groups, licences), sometimes the devices
 * blade. Delegated, public client (ClientAuthMethod 0), the admin's own device session.
 */

import { HOUR } from '../../src/core/clock.js';
import type { LabelledRecord } from '../../src/core/records.js';
import { rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { skipTokenFor } from '../records/index.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { APP, RESOURCE, scopesFor } from '../world/apps.js';
import type { User } from '../world/types.js';
import { AdminSession, actorsOf, GRAPH, graphCall, profileLabel, runTimes, scheduleOf } from './shared.js';

const ID = 'admin-portal';

const OPTIONS = {
  maxPages: {
    type: 'integer',
    default: 20,
    min: 1,
    max: 500,
    rangeable: true,
    description: 'the most pages of 100 users an admin scrolls through in one session',
  },
} as const;

const LIST = `${GRAPH}/beta/users?$select=id,displayName,userPrincipalName,userType,onPremisesSyncEnabled,identities,companyName,creationType,accountEnabled,mail&$top=100&$count=true`;

function* adminStream(env: GenEnv, entry: ProfileEntry, u: User, actorId: string): Generator<StreamItem> {
  const w = env.world;
  const r = rngStream(env.seed, ID, entry.id, u.index);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const maxPages = Math.max(1, Number(opts.maxPages ?? 20));
  const label = profileLabel(actorId, ID);
  const session = new AdminSession(env, u, label, r.fork('session'));
  const ua =
    u.devices[0]?.browserUa ??
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
  const times = runTimes(
    scheduleOf(entry, { kind: 'rate', rate: { count: 1, perMs: 2 * HOUR }, hours: 'business' }),
    env,
    r.fork('schedule'),
  );
  let cursor = env.from;
  for (const [i, at] of times.entries()) {
    const rr = r.fork(`s${i}`);
    let t = Math.max(at, cursor);
    if (t >= env.to) return;
    yield t;
    const out: LabelledRecord[] = [];
    const tok = session.token(rr, t, APP.azurePortal, RESOURCE.msGraph, ua, true, out);
    yield* out;
    if (!tok) continue;
    const c = session.caller(t, tok, ua, scopesFor(tok.appId));
    const call = function* (uri: string, size: number): Generator<StreamItem> {
      if (t >= env.to) return;
      yield t;
      const rec = graphCall(env, rr, label, c, t, uri, size);
      if (rec) yield rec;
    };
    const total = w.people.length;
    const pages = Math.min(maxPages, Math.ceil(total / 100), 1 + Math.floor(rr.exponential(3)));
    for (let p = 0; p < pages; p++) {
      yield* call(
        p === 0 ? LIST : `${LIST}&$skiptoken=${skipTokenFor(rr, LIST, w)}`,
        160 + Math.min(100, total - p * 100) * rr.int(330, 460),
      );
      t += rr.int(2, 20) * 1000 + rr.int(0, 999);
    }
    if (rr.bool(0.6)) {
      const other = w.people[rr.int(0, w.people.length - 1)] as User;
      const prefix = other.givenName.slice(0, rr.int(2, 5)).toLowerCase();
      yield* call(
        `${LIST}&$search=%22displayName:${prefix}%22&$orderby=displayName`,
        200 + rr.int(1, 12) * rr.int(330, 460),
      );
      t += rr.int(3, 30) * 1000;
      yield* call(`${GRAPH}/beta/users/${other.id}`, rr.int(1400, 2600));
      t += rr.int(1, 4) * 1000;
      yield* call(
        `${GRAPH}/beta/users/${other.id}/memberOf?$select=id,displayName,groupTypes&$top=100`,
        rr.int(400, 5000),
      );
      t += rr.int(1, 6) * 1000;
      yield* call(`${GRAPH}/beta/users/${other.id}/licenseDetails`, rr.int(600, 2400));
      t += rr.int(5, 60) * 1000;
    }
    if (rr.bool(0.2)) {
      const letter = String.fromCharCode(97 + rr.int(0, 25));
      yield* call(
        `${GRAPH}/beta/devices?$select=accountEnabled,deviceId,displayName,id,operatingSystem,operatingSystemVersion,trustType,approximateLastSignInDateTime&$search=%22displayName:${letter}%22&$top=30&$count=true`,
        200 + rr.int(0, 30) * rr.int(380, 520),
      );
      t += rr.int(5, 40) * 1000;
    }
    cursor = t;
  }
}

export const adminPortal: ProfileModule = {
  info: {
    id: ID,
    name: 'Admin portal',
    kind: 'profile',
    attack: [],
    summary:
      'an administrator scrolls the user list in the Azure/Entra portal: /beta/users pages of 100 with $count, searches, opens a user, searches devices',
    description:
      "A user or global administrator opens the Users blade of the Entra admin center every couple of hours. The portal (Azure Portal app c44b4083-…, the admin's browser) pages /beta/users 100 at a time with $count=true as the admin scrolls, searches by display name, opens a user (record, groups, licences) and sometimes searches devices. A long scroll in a large tenant is a delegated listing of many users by an admin from a first-party app — the benign double of an attacker blending in with a browser user agent.",
    options: OPTIONS,
    observability: [
      { source: 'graphActivity', shows: '/beta/users pages of 100 with $count, searches and single-user GETs' },
      { source: 'signIns', shows: "the admin's Azure Portal sign-ins and token refreshes" },
      { source: 'ual', shows: 'a subset of the sign-ins (15)' },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const users = actorsOf(entry, env, rngStream(env.seed, ID, entry.id).fork('select'), 'User Administrator');
    return users.map((u) => {
      const id = `${entry.id}/${u.index}`;
      return {
        id,
        label: profileLabel(id, ID),
        principals: [u.upn, u.id],
        stream: () => adminStream(env, entry, u, id),
      };
    });
  },
};
