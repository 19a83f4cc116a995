/**
 * governance-app — an identity-governance (IGA) product keeps its copy of the directory current with
 * delta queries, and now and then resynchronises everything.
 *
 * telemetry.md §4 (IGA: SailPoint, Saviynt): a multi-tenant app, app-only (`ClientAuthMethod` 1/2,
 * `Roles` like `User.Read.All Group.Read.All Directory.Read.All`), vendor-cloud egress, stable AppId,
 * addresses and schedule; hourly or nightly `/users/delta` and `/groups/delta` with `$deltatoken`.
 * telemetry.md §6 "Benign contrast": a few `/users/delta` pages per run, with weekly full resyncs
 * (a delta query without a token pages through the whole directory). Delta page sizes are
 * service-chosen [U: 200 users / 100 groups per page here]. Cloudbrothers' AzureHound rule excludes
 * `microsoft.graph.delta` (published-detections.md §1), Bert-JanP's volume rule does not.
 */

import type { LabelledRecord } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv, Token } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { deltaToken, skipTokenFor } from '../records/index.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import {
  appSignIn,
  type Caller,
  DAY,
  emitPlanned,
  GRAPH,
  graphCall,
  HOUR,
  MINUTE,
  profileLabel,
  runTimes,
  scheduleOf,
  vendorApp,
  vendorEgress,
} from './shared.js';

const ID = 'governance-app';
const DEFAULT_VENDOR = 'SailPoint IdentityNow';
/** [U] IGA connectors use their vendor's HTTP stack; SailPoint's VA connector is Java */
const DEFAULT_UA = 'Java/17.0.10';
const ROLES = 'User.Read.All Group.Read.All Directory.Read.All AuditLog.Read.All';

const OPTIONS = {
  fullResyncEvery: {
    type: 'duration',
    default: '7d',
    min: '1h',
    rangeable: true,
    description: 'how often a run drops its delta tokens and resynchronises the whole directory',
  },
  userAgent: {
    type: 'string',
    default: DEFAULT_UA,
    description: "the connector's User-Agent [U]",
  },
} as const;

interface Req {
  t: number;
  uri: string;
  size: number;
}

const USER_DELTA = `${GRAPH}/v1.0/users/delta?$select=id,displayName,userPrincipalName,mail,accountEnabled,department,jobTitle,manager,employeeId`;
const GROUP_DELTA = `${GRAPH}/v1.0/groups/delta?$select=id,displayName,mailNickname,securityEnabled,members`;

function planRun(env: GenEnv, r: Rng, t0: number, full: boolean, changesPerRun: number): { reqs: Req[]; end: number } {
  const w = env.world;
  const out: Req[] = [];
  let t = t0;
  const push = (uri: string, size: number) => {
    out.push({ t: Math.floor(t), uri, size });
    t += Math.max(80, r.logNormal(400, 2200));
  };
  const walk = (base: string, n: number, perPage: number, perItem: number) => {
    let left = n;
    let first = true;
    while (first || left > 0) {
      const k = Math.min(perPage, left);
      push(first ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`, 200 + k * perItem);
      left -= k;
      first = false;
    }
  };
  if (full) {
    walk(USER_DELTA, w.people.length, 200, r.int(560, 720));
    walk(GROUP_DELTA, w.groups.length, 100, r.int(900, 2400));
  } else {
    const users = Math.round(changesPerRun * (0.5 + r.float()));
    push(`${USER_DELTA}&$deltatoken=${deltaToken(r)}`, 260 + users * r.int(560, 720));
    push(`${GROUP_DELTA}&$deltatoken=${deltaToken(r)}`, 260 + Math.round(users / 3) * r.int(300, 900));
  }
  return { reqs: out, end: t };
}

function* governanceStream(env: GenEnv, entry: ProfileEntry, actorId: string): Generator<StreamItem> {
  const w = env.world;
  const r = rngStream(env.seed, ID, entry.id);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const label = profileLabel(actorId, ID);
  const sp = vendorApp(w, entry.app ?? DEFAULT_VENDOR, r.fork('app'), 'clientSecret');
  const point = vendorEgress(r.fork('egress'), w.offices[0]?.country ?? 'US', undefined, 2);
  const ua = String(opts.userAgent ?? DEFAULT_UA);
  const resync = Math.max(HOUR, Number(opts.fullResyncEvery ?? 7 * DAY));
  // the resync phase is the app's, not the window's: the first full run lands anywhere in the period
  const phase = Math.floor(r.fork('phase').float() * resync);
  const times = runTimes(
    scheduleOf(entry, { kind: 'every', everyMs: HOUR, jitterMs: 4 * MINUTE }),
    env,
    r.fork('schedule'),
  );
  // changes the directory sees per day, spread over the runs [U]: about 2 % of users a day
  const perDay = Math.max(1, w.people.length * 0.02);
  let lastEpoch = Math.floor((env.from - phase) / resync);
  let prevAt = (times[0] ?? env.from) - HOUR;
  let cursor = env.from;
  for (const [i, at] of times.entries()) {
    const rr = r.fork(`run${i}`);
    const t0 = Math.max(cursor, at + rr.int(1_000, 30_000));
    const epoch = Math.floor((at - phase) / resync);
    const full = epoch !== lastEpoch;
    lastEpoch = epoch;
    const { reqs, end } = planRun(env, rr, t0 + rr.int(300, 2000), full, (perDay * (at - prevAt)) / DAY);
    prevAt = at;
    cursor = end;
    const ip = point.v4[i % point.v4.length] as string;
    let token: Token | null = null;
    let caller: Caller | null = null;
    yield* emitPlanned(
      reqs,
      (q) => {
        const out: LabelledRecord[] = [];
        if (!token || q.t >= token.exp - 5 * MINUTE) {
          const res = appSignIn(env, rr, label, sp, q.t - rr.int(150, 900), point, ip);
          token = res.token;
          caller = { ip, userAgent: ua, token, user: null, sp, roles: ROLES, scopes: null, deviceId: null };
          out.push(...res.records);
        }
        if (!caller) return out;
        const rec = graphCall(env, rr, label, caller, q.t, q.uri, q.size);
        if (rec) out.push(rec);
        return out;
      },
      env.to,
    );
  }
}

export const governanceApp: ProfileModule = {
  info: {
    id: ID,
    name: 'Governance app',
    kind: 'profile',
    attack: [],
    summary:
      'an identity-governance app (SailPoint, Saviynt) syncs users and groups with hourly delta queries and an occasional full resync, app-only from its cloud',
    description:
      "An identity-governance product keeps its own copy of the directory. Every hour (by default) its app signs in with a client secret from the vendor's cloud and asks Microsoft Graph for what changed since last time: /users/delta and /groups/delta with the $deltatoken of the previous run — a couple of small requests. Once a week (fullResyncEvery) it drops its tokens and pages through every user and every group with members: a full listing of the directory by an app-only principal, at whatever hour the resync falls. Rules that exclude delta queries (Cloudbrothers) never see it; rules that count requests do, during the resync. `app:` names the vendor's app.",
    options: OPTIONS,
    observability: [
      {
        source: 'graphActivity',
        shows: '/users/delta and /groups/delta requests, app-only, hourly; full delta walks on resync',
      },
      { source: 'signIns', shows: "the app's service-principal sign-ins from the vendor cloud" },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const id = entry.id;
    const sp = vendorApp(
      env.world,
      entry.app ?? DEFAULT_VENDOR,
      rngStream(env.seed, ID, entry.id).fork('app'),
      'clientSecret',
    );
    return [
      {
        id,
        label: profileLabel(id, ID),
        principals: [sp.id, sp.appId],
        stream: () => governanceStream(env, entry, id),
      },
    ];
  },
};
