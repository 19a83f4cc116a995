/**
 * directory-sync — Microsoft Entra Connect exports on-premises changes every 30 minutes.
 *
 * telemetry.md §4 "Entra Connect Sync" [V]: the cloud account `Sync_<SERVER>_<hex>@<tenant>`
 * holding the Directory Synchronization Accounts role (`d29b2b05-…`), app "Azure AD Connect"
 * `cb1056e2-e479-49de-ae31-7812af012ed8` → resource AAD Graph `00000002-0000-0000-c000-000000000000`
 * [U: community app-id lists and a vendor's sample UAL record]. Delta cycle every 30 min
 * (AllowedSyncCycleInterval 00:30:00), a full sync now and then; it uses the sync web service, not
 * Microsoft Graph listings [U], so it shows as a password (ROPC) sign-in every cycle from one
 * on-premises egress address, and as the directory writes it exports (UAL RecordType 8 with the
 * Sync_ account as actor). §6: 48 cycles a day.
 *
 * The sync storm: after an outage of the sync server the backlog is exported by a full sync and a
 * run of back-to-back cycles (admins running Start-ADSyncSyncCycle while they troubleshoot): a burst
 * of sign-ins and directory writes from one account — the false-positive trap `fp-sync-storm`.
 */
import type { Label, LabelledRecord } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { entraJsonText } from '../records/ual.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { RESOURCE } from '../world/apps.js';
import type { NetworkPoint } from '../world/networks.js';
import type { User } from '../world/types.js';
import { DAY, HOUR, MINUTE, profileLabel, runTimes, scheduleOf } from './shared.js';

const ID = 'directory-sync';

/** Entra Connect's client app (not a FOCI client; not in the first-party list of world/apps.ts). */
export const AZURE_AD_CONNECT = {
  appId: 'cb1056e2-e479-49de-ae31-7812af012ed8',
  displayName: 'Microsoft Azure Active Directory Connect',
} as const;

const OPTIONS = {
  changeRate: {
    type: 'number',
    default: 0.02,
    min: 0,
    max: 2,
    rangeable: true,
    description: 'directory changes exported per user per day (attribute updates, group membership, new accounts)',
  },
  fullSyncEvery: {
    type: 'duration',
    default: '7d',
    min: '1h',
    description:
      'how often a cycle is a full synchronisation (20–45 minutes long; grid cycles it overlaps are skipped)',
  },
  outageAt: {
    type: 'duration',
    description: 'a sync storm: when (after time.start) the sync server went down; unset = no outage',
  },
  outage: {
    type: 'duration',
    default: '6h',
    min: '30m',
    description: 'how long the sync server was down before the storm',
  },
  stormCycles: {
    type: 'integer',
    default: 24,
    min: 1,
    max: 500,
    rangeable: true,
    description: 'back-to-back cycles after the outage (the first is a full sync exporting the backlog)',
  },
  stormReexport: {
    type: 'number',
    default: 0.05,
    min: 0,
    max: 1,
    description:
      'share of users the recovery full sync re-exports on top of the backlog (a rebuilt server or changed sync rules touch many objects) [U]',
  },
  stormInterval: {
    type: 'duration',
    default: '2m',
    min: '10s',
    description: 'time between storm cycles',
  },
} as const;

interface Cycle {
  t: number;
  /** 0 delta, 1 full, 2 storm */
  kind: number;
  writes: number;
}

function planCycles(env: GenEnv, entry: ProfileEntry, r: Rng, opts: Record<string, unknown>): Cycle[] {
  const w = env.world;
  const rate = Number(opts.changeRate ?? 0.02);
  const full = Math.max(HOUR, Number(opts.fullSyncEvery ?? 7 * DAY));
  const phase = Math.floor(r.fork('phase').float() * full);
  const grid = runTimes(
    scheduleOf(entry, { kind: 'every', everyMs: 30 * MINUTE, jitterMs: 90_000 }),
    env,
    r.fork('schedule'),
  );
  const step = grid.length > 1 ? ((grid.at(-1) as number) - (grid[0] as number)) / (grid.length - 1) : 30 * MINUTE;
  const perCycle = (w.people.length * rate * step) / DAY;
  const outageAt = typeof opts.outageAt === 'number' ? env.scenario.time.start + opts.outageAt : null;
  const outageEnd = outageAt === null ? null : outageAt + Number(opts.outage ?? 6 * HOUR);
  const out: Cycle[] = [];
  let busyUntil = Number.NEGATIVE_INFINITY;
  let lastEpoch = Math.floor((env.from - phase) / full);
  const poisson = (mean: number) => {
    // small means: count exponential gaps; large ones: a normal approximation
    if (mean > 30) return Math.max(0, Math.round(r.normal(mean, Math.sqrt(mean))));
    let k = 0;
    let s = r.exponential(1);
    while (s < mean) {
      k++;
      s += r.exponential(1);
    }
    return k;
  };
  let storm = false;
  for (const t of grid) {
    if (outageAt !== null && outageEnd !== null && t >= outageAt && t < outageEnd) continue;
    if (outageAt !== null && outageEnd !== null && !storm && t >= outageEnd) {
      storm = true;
      const cycles = Number(opts.stormCycles ?? 24);
      const gap = Number(opts.stormInterval ?? 2 * MINUTE);
      const backlog =
        Math.round((perCycle * (outageEnd - outageAt)) / step) +
        Math.round(w.people.length * Number(opts.stormReexport ?? 0.05));
      let s = outageEnd + r.int(1, 10) * MINUTE;
      for (let i = 0; i < cycles; i++) {
        out.push({ t: Math.floor(s), kind: 2, writes: i === 0 ? backlog : poisson(perCycle / 4) });
        s += (i === 0 ? r.int(6, 20) * MINUTE : gap) + r.int(0, 20_000);
      }
      busyUntil = s;
    }
    if (t < busyUntil) continue;
    const epoch = Math.floor((t - phase) / full);
    const isFull = epoch !== lastEpoch;
    lastEpoch = epoch;
    out.push({ t, kind: isFull ? 1 : 0, writes: poisson(perCycle) });
    if (isFull) busyUntil = t + r.int(20, 45) * MINUTE;
  }
  return out.sort((a, b) => a.t - b.t);
}

const USER_FIELDS = [
  'Department',
  'JobTitle',
  'TelephoneNumber',
  'Mobile',
  'StreetAddress',
  'Manager',
  'ProxyAddresses',
];

function* syncStream(env: GenEnv, entry: ProfileEntry, sync: User, actorId: string): Generator<StreamItem> {
  const w = env.world;
  const kit = env.kit;
  const r = rngStream(env.seed, ID, entry.id, sync.index);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const label: Label = profileLabel(actorId, ID);
  const point: NetworkPoint = sync.office?.egress ?? w.offices[0]?.egress ?? sync.home;
  // the sync server's one egress address
  const ip = point.v4[0] as string;
  const cycles = planCycles(env, entry, r.fork('cycles'), opts as Record<string, unknown>);
  let last = env.from;
  for (const [i, c] of cycles.entries()) {
    const rr = r.fork(`c${i}`);
    // import from AD first, then the export connects to Entra ID
    let t = Math.max(last, c.t + rr.int(8_000, 45_000));
    if (t >= env.to) return;
    yield t;
    const res = kit.signIn(rr, label, {
      time: t,
      category: 'SignInLogs',
      user: sync,
      appId: AZURE_AD_CONNECT.appId,
      appDisplayName: AZURE_AD_CONNECT.displayName,
      resource: RESOURCE.aadGraph,
      point,
      ip,
      device: null,
      userAgent: '',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      method: 'password',
      mfaInSession: false,
      sid: rr.uuid(),
    });
    yield* res.records;
    const span =
      c.kind === 1
        ? rr.int(15, 40) * MINUTE
        : c.kind === 2 && c.writes > 50
          ? rr.int(5, 15) * MINUTE
          : rr.int(5, 90) * 1000;
    const gap = c.writes > 0 ? span / c.writes : 0;
    for (let k = 0; k < c.writes; k++) {
      t += Math.max(50, Math.floor(gap * (0.5 + rr.float())));
      if (t >= env.to) return;
      yield t;
      const rec = write(rr, t);
      if (rec) yield rec;
    }
    if (c.kind === 1) {
      // a long full sync reconnects for its export step
      t += rr.int(2, 8) * MINUTE;
      if (t >= env.to) return;
      yield t;
      const again = kit.signIn(rr, label, {
        time: t,
        category: 'SignInLogs',
        user: sync,
        appId: AZURE_AD_CONNECT.appId,
        appDisplayName: AZURE_AD_CONNECT.displayName,
        resource: RESOURCE.aadGraph,
        point,
        ip,
        device: null,
        userAgent: '',
        clientAppUsed: 'Mobile Apps and Desktop clients',
        method: 'password',
        mfaInSession: false,
        sid: rr.uuid(),
      });
      yield* again.records;
    }
    last = t;
  }

  function write(rr: Rng, t: number): LabelledRecord | null {
    const roll = rr.float();
    const target = w.people[rr.int(0, w.people.length - 1)] as User;
    if (roll < 0.15 && w.groups.length) {
      const g = w.groups[rr.int(0, w.groups.length - 1)];
      if (g) {
        const member = roll < 0.11;
        return kit.directoryChange(rr, label, {
          time: t,
          operation: member ? 'Add member to group.' : 'Update group.',
          category: 'Group',
          actorUpn: sync.upn,
          actorPuid: sync.puid,
          actorObjectId: sync.id,
          targetUpnOrName: g.displayName,
          targetObjectId: g.id,
          targetPuid: null,
          targetKind: 'Group',
          modified: member
            ? [
                { Name: 'Group.ObjectID', NewValue: g.id, OldValue: '' },
                { Name: 'Group.DisplayName', NewValue: g.displayName, OldValue: '' },
              ]
            : [{ Name: 'Included Updated Properties', NewValue: 'Description', OldValue: '' }],
          userAgent: '',
        });
      }
    }
    const add = roll > 0.96;
    const field = rr.pick(USER_FIELDS);
    return kit.directoryChange(rr, label, {
      time: t,
      operation: add ? 'Add user.' : 'Update user.',
      category: 'User',
      actorUpn: sync.upn,
      actorPuid: sync.puid,
      actorObjectId: sync.id,
      targetUpnOrName: target.upn,
      targetObjectId: target.id,
      targetPuid: target.puid,
      targetKind: 'User',
      modified: add
        ? [
            { Name: 'AccountEnabled', NewValue: entraJsonText([true]), OldValue: '[]' },
            { Name: 'DisplayName', NewValue: entraJsonText([target.displayName]), OldValue: '[]' },
            { Name: 'UserPrincipalName', NewValue: entraJsonText([target.upn]), OldValue: '[]' },
            {
              Name: 'Included Updated Properties',
              NewValue: 'AccountEnabled, DisplayName, UserPrincipalName',
              OldValue: '',
            },
          ]
        : [
            {
              Name: field,
              NewValue: entraJsonText([field === 'JobTitle' ? target.jobTitle : target.department]),
              OldValue: '[]',
            },
            { Name: 'LastDirSyncTime', NewValue: entraJsonText([new Date(t).toISOString()]), OldValue: '[]' },
            { Name: 'Included Updated Properties', NewValue: `${field}, LastDirSyncTime`, OldValue: '' },
          ],
      userAgent: '',
    });
  }
}

export const directorySync: ProfileModule = {
  info: {
    id: ID,
    name: 'Directory sync',
    kind: 'profile',
    attack: [],
    summary:
      'Entra Connect: the Sync_ account signs in every 30 minutes from the on-premises server and exports directory changes; occasional full syncs; optional sync storm',
    description:
      'Microsoft Entra Connect runs a delta synchronisation cycle every 30 minutes. Each cycle the cloud account Sync_<SERVER>_<hex> (Directory Synchronization Accounts role) signs in with a password to the Azure AD Connect app (cb1056e2-…) for Azure AD Graph from the one on-premises egress address of the sync server, then exports what changed in Active Directory: user updates, new users, group memberships, written to the audit log with the Sync_ account as actor. It never lists the directory through Microsoft Graph. Once a week or so a full sync runs for half an hour and the next cycles wait. With `outageAt` set, the sync server is down for `outage` and then a storm follows: a full sync exporting the whole backlog and a burst of back-to-back cycles — dozens of sign-ins and hundreds of directory writes from one account in an hour, the shape of a compromised service account, and entirely benign.',
    options: OPTIONS,
    observability: [
      {
        source: 'signIns',
        shows: 'a password (ROPC) sign-in of the Sync_ account every cycle, one on-premises address',
      },
      { source: 'ual', shows: 'most cycle sign-ins (15) and every exported change (8, actor Sync_…)' },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const w = env.world;
    const all = w.roleHolders.get('Directory Synchronization Accounts') ?? [];
    // a UPN selector picks one Sync_ account; anything else means all of them
    const sel = entry.actors;
    const selected = sel?.kind === 'upn' ? all.filter((u) => u.upn.toLowerCase() === sel.upn.toLowerCase()) : all;
    return selected.map((u) => {
      const id = selected.length === 1 ? entry.id : `${entry.id}/${u.index}`;
      return {
        id,
        label: profileLabel(id, ID),
        principals: [u.upn, u.id],
        stream: () => syncStream(env, entry, u, id),
      };
    });
  },
};
