/**
 * hr-provisioning — Microsoft-hosted inbound provisioning from the HR system (Workday,
 * SuccessFactors) creates and updates accounts every 40 minutes.
 *
 * telemetry.md §4 "HR inbound provisioning" [V/U]: the Microsoft-hosted Entra provisioning service
 * (Workday is read with basic auth from Entra IP ranges), incremental cycles about every 40 minutes
 * (MS Q&A), writes visible in ProvisioningLogs/AuditLogs; its presence in Graph activity logs is [U].
 * Modelled: each cycle, every changed worker is matched in the directory (one
 * `GET /users?$filter=employeeId eq '…'` from Microsoft's network by the provisioning service,
 * app id `00000014-0000-0000-c000-000000000000` "Microsoft.Azure.SyncFabric" [U: community app-id
 * lists], no sign-in row of its own: Microsoft's service token) and written: UAL RecordType 8
 * "Add user." for a hire, "Update user." otherwise, with the provisioning app as actor. Cycles with no
 * change leave nothing in the logs — so gaps are normal, and what is visible sits on the 40-minute grid.
 */
import { DAY, MINUTE } from '../../src/core/clock.js';
import type { LabelledRecord } from '../../src/core/records.js';
import { type Rng, rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { uti } from '../records/index.js';
import { entraJsonText } from '../records/ual.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import { rotatingV4 } from '../world/networks.js';
import type { User } from '../world/types.js';
import { GRAPH, graphCall, profileLabel, runTimes, scheduleOf, vendorApp, vendorEgress } from './shared.js';

const ID = 'hr-provisioning';
const DEFAULT_APP = 'Workday Inbound Provisioning';
/** the Entra provisioning service's first-party app [U] */
export const SYNC_FABRIC = {
  appId: '00000014-0000-0000-c000-000000000000',
  displayName: 'Microsoft.Azure.SyncFabric',
} as const;

const OPTIONS = {
  changeRate: {
    type: 'number',
    default: 0.01,
    min: 0,
    max: 1,
    rangeable: true,
    description: 'worker records changed in the HR system per user per day',
  },
  hireShare: {
    type: 'number',
    default: 0.15,
    min: 0,
    max: 1,
    description: 'share of changes that are new hires (Add user.)',
  },
  graphLookups: {
    type: 'boolean',
    default: true,
    description: 'the matching GET /users?$filter=employeeId eq … per change appears in the Graph activity logs [U]',
  },
} as const;

const FIELDS = ['Department', 'JobTitle', 'Manager', 'OfficeLocation', 'CompanyName', 'EmployeeType'];

function poisson(r: Rng, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(r.normal(mean, Math.sqrt(mean))));
  let k = 0;
  let s = r.exponential(1);
  while (s < mean) {
    k++;
    s += r.exponential(1);
  }
  return k;
}

function* provisioningStream(env: GenEnv, entry: ProfileEntry, actorId: string): Generator<StreamItem> {
  const w = env.world;
  const kit = env.kit;
  const r = rngStream(env.seed, ID, entry.id);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const rate = Number(opts.changeRate ?? 0.01);
  const hire = Number(opts.hireShare ?? 0.15);
  const lookups = opts.graphLookups !== false;
  const label = profileLabel(actorId, ID);
  const app = vendorApp(w, entry.app ?? DEFAULT_APP, r.fork('app'), 'none');
  const ms = vendorEgress(r.fork('egress'), w.offices[0]?.country ?? 'US', 8075, 1);
  const times = runTimes(
    scheduleOf(entry, { kind: 'every', everyMs: 40 * MINUTE, jitterMs: 3 * MINUTE }),
    env,
    r.fork('schedule'),
  );
  const step = times.length > 1 ? ((times.at(-1) as number) - (times[0] as number)) / (times.length - 1) : 40 * MINUTE;
  // a few changes a day even in a small tenant (hires, leavers, the daily attribute churn)
  const perCycle = (Math.max(rate > 0 ? 3 : 0, w.people.length * rate) * step) / DAY;
  let cursor = env.from;
  for (const [i, at] of times.entries()) {
    const rr = r.fork(`c${i}`);
    const n = poisson(rr, perCycle);
    let t = Math.max(cursor, at + rr.int(20_000, 120_000));
    for (let k = 0; k < n; k++) {
      t += rr.int(800, 9000);
      if (t >= env.to) return;
      yield t;
      const out: LabelledRecord[] = [];
      const target = w.people[rr.int(0, w.people.length - 1)] as User;
      const add = rr.bool(hire);
      const employeeId = String(100000 + ((target.index * 7919) % 900000));
      if (lookups) {
        const ip = rotatingV4(ms, rr.int(0, 0x7fffffff));
        const rec = graphCall(
          env,
          rr,
          label,
          {
            ip,
            userAgent: '',
            token: {
              uti: uti(rr),
              iat: t - rr.int(1, 50) * MINUTE,
              exp: t + 30 * MINUTE,
              sid: null,
              appId: SYNC_FABRIC.appId,
            },
            user: null,
            sp: { ...app, credential: 'clientSecret' },
            roles: 'User.ReadWrite.All Directory.ReadWrite.All',
            scopes: null,
            deviceId: null,
          },
          t,
          `${GRAPH}/v1.0/users?$filter=employeeId eq '${employeeId}'&$select=id,userPrincipalName,employeeId,accountEnabled`,
          add ? 140 : rr.int(420, 640),
        );
        if (rec) out.push(rec);
      }
      const field = rr.pick(FIELDS);
      const change = kit.directoryChange(rr, label, {
        time: t + rr.int(300, 3000),
        operation: add ? 'Add user.' : 'Update user.',
        category: 'User',
        actorUpn: SYNC_FABRIC.displayName,
        actorPuid: '',
        actorObjectId: app.id,
        actorKind: 'ServicePrincipal',
        targetUpnOrName: target.upn,
        targetObjectId: target.id,
        targetPuid: target.puid,
        targetKind: 'User',
        modified: add
          ? [
              { Name: 'AccountEnabled', NewValue: entraJsonText([true]), OldValue: '[]' },
              { Name: 'EmployeeId', NewValue: entraJsonText([employeeId]), OldValue: '[]' },
              { Name: 'DisplayName', NewValue: entraJsonText([target.displayName]), OldValue: '[]' },
              {
                Name: 'Included Updated Properties',
                NewValue: 'AccountEnabled, EmployeeId, DisplayName',
                OldValue: '',
              },
            ]
          : [
              {
                Name: field,
                NewValue: entraJsonText([field === 'JobTitle' ? target.jobTitle : target.department]),
                OldValue: '[]',
              },
              { Name: 'Included Updated Properties', NewValue: field, OldValue: '' },
            ],
        userAgent: '',
      });
      if (change) out.push(change);
      yield* out;
    }
    cursor = t;
  }
}

export const hrProvisioning: ProfileModule = {
  info: {
    id: ID,
    name: 'HR provisioning',
    kind: 'profile',
    attack: [],
    summary:
      'Microsoft-hosted inbound provisioning from Workday/SuccessFactors: ~40-minute cycles matching and writing changed workers (Add user./Update user.), little Graph listing',
    description:
      "The tenant provisions accounts from its HR system (Workday by default; `app:` names the provisioning app) with Microsoft Entra's own inbound provisioning service. About every 40 minutes a cycle reads the workers that changed in the HR system, matches each in the directory (one filtered GET /users?$filter=employeeId eq '…' from Microsoft's network with a Microsoft service token, no sign-in row) and creates or updates the account: audit records 'Add user.' and 'Update user.' whose actor is the provisioning app, not a person. There is no listing: a detection that counts directory writes or app-only user reads per principal sees a steady trickle from one service principal all day and night.",
    options: OPTIONS,
    observability: [
      { source: 'ual', shows: "'Add user.' / 'Update user.' (8) with the provisioning app as actor" },
      {
        source: 'graphActivity',
        shows: "one filtered GET /users?$filter=employeeId eq '…' per change, app-only, from Microsoft addresses [U]",
      },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const id = entry.id;
    const app = vendorApp(env.world, entry.app ?? DEFAULT_APP, rngStream(env.seed, ID, entry.id).fork('app'), 'none');
    return [
      {
        id,
        label: profileLabel(id, ID),
        principals: [app.id, app.appId],
        stream: () => provisioningStream(env, entry, id),
      },
    ];
  },
};
